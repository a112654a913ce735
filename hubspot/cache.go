package hubspot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// maxCacheEntries bounds a client's cache; when it is full, expired entries
// go first, then everything.
const maxCacheEntries = 10_000

// WithCache keeps HubSpot's answers about things that rarely change for
// ttl: inboxes, channels, channel accounts, actors, and which inbox each
// thread is in. Threads and messages are never cached. Zero turns the cache
// off (the default). A Client holds one credential, so nothing cached is
// ever shown to another user.
//
// Concurrent identical reads share one request whether or not the cache is
// on, and a write through the client drops what it changes before it
// returns, so the next read sees it.
func WithCache(ttl time.Duration) Option {
	return func(c *Client) error {
		if ttl < 0 {
			return errors.New("cache TTL must not be negative")
		}
		if ttl > 0 {
			c.cache = &cache{ttl: ttl, entries: map[string]cacheEntry{}}
		}
		return nil
	}
}

// cache holds answers by key until they expire. A nil *cache holds
// nothing. It is safe for concurrent use.
type cache struct {
	ttl time.Duration

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	val     any
	expires time.Time
}

// Cache key prefixes. Raw answers are keyed by request line; the rest by
// what they describe.
const (
	keyActor        = "actor "
	keyThreadInbox  = "thread-inbox "
	keyAccountInbox = "channel-account-inbox "
)

func (c *cache) get(key string) (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if time.Now().After(e.expires) {
		delete(c.entries, key)
		return nil, false
	}
	return e.val, true
}

func (c *cache) put(key string, val any) {
	if c == nil {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= maxCacheEntries {
		for k, e := range c.entries {
			if now.After(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCacheEntries {
			clear(c.entries)
		}
	}
	c.entries[key] = cacheEntry{val: val, expires: now.Add(c.ttl)}
}

// drop forgets key.
func (c *cache) drop(key string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
}

// noteThreads remembers the inbox of each thread read or written.
func (c *Client) noteThreads(ths ...Thread) {
	for _, th := range ths {
		if th.ID != "" && th.InboxID != "" {
			c.inboxes.put(keyThreadInbox+th.ID, th.InboxID)
		}
	}
}

// noteChannelAccounts remembers the inbox of each channel account read.
func (c *Client) noteChannelAccounts(cas ...ChannelAccount) {
	for _, ca := range cas {
		if ca.ID != "" && ca.InboxID != "" {
			c.inboxes.put(keyAccountInbox+ca.ID, ca.InboxID)
		}
	}
}

// knownInbox returns the inbox recorded for key, if any.
func (c *Client) knownInbox(key string) (string, bool) {
	v, ok := c.inboxes.get(key)
	if !ok {
		return "", false
	}
	return v.(string), true
}

// ThreadInbox returns the ID of the inbox a thread is in: from the cache
// when a read in the last TTL saw the thread, otherwise with one GetThread.
func (c *Client) ThreadInbox(ctx context.Context, threadID string) (string, error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return "", err
	}
	if inboxID, ok := c.knownInbox(keyThreadInbox + threadID); ok {
		return inboxID, nil
	}
	th, err := c.GetThread(ctx, threadID, nil)
	if err != nil {
		return "", err
	}
	return th.InboxID, nil
}

// cachedActors splits ids into the actors the cache knows and the IDs it
// does not.
func (c *Client) cachedActors(ids []string) (known map[string]Actor, missing []string) {
	known = map[string]Actor{}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if v, ok := c.cache.get(keyActor + id); ok {
			known[id] = v.(Actor)
			continue
		}
		missing = append(missing, id)
	}
	return known, missing
}

func (c *Client) noteActors(as ...Actor) {
	for _, a := range as {
		if a.ID != "" {
			c.cache.put(keyActor+a.ID, a)
		}
	}
}
