package hubspot

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"sync"
	"time"
)

// maxCacheEntries bounds a client's cache; when it is full, expired entries
// go first, then everything.
const maxCacheEntries = 10_000

// WithCache keeps HubSpot's answers about things that rarely change for
// ttl: inboxes, channels, channel accounts, actors and the owners list.
// Messages are never cached, and threads only for seconds: a thread from a
// listing answers GetThread for ListedThreadTTL. Zero turns the cache off
// (the default). A Client holds one token, so nothing cached under one
// token is ever answered under another.
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

// keyActor prefixes the cache keys of actors. Raw answers are keyed by
// request line.
const keyActor = "actor "

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

type uncachedKey struct{}

// Uncached returns a context whose reads are sent to HubSpot: no answer
// kept by the cache and no thread from a recent listing is reused
// (identical reads in flight at that moment may still share one request).
// The answers are kept as usual, for the reads that may reuse them.
func Uncached(ctx context.Context) context.Context {
	return context.WithValue(ctx, uncachedKey{}, true)
}

func uncached(ctx context.Context) bool {
	u, _ := ctx.Value(uncachedKey{}).(bool)
	return u
}

// cached is every read of what the client keeps (k, the cache or the
// listed threads): the value under key, unless ctx is Uncached.
func (c *Client) cached(ctx context.Context, k *cache, key string) (any, bool) {
	if uncached(ctx) {
		return nil, false
	}
	return k.get(key)
}

// ListedThreadTTL is how long, at most, a thread from ListThreads answers
// GetThread with the same options (association, archived, property), when
// the cache is on: a transcript or get_thread right after a listing reads
// the thread the listing just read instead of asking HubSpot again. A write
// through the client to the thread drops it at once; a change made
// elsewhere (in HubSpot, by another app) within these seconds is not seen
// until they pass. Messages are never reused.
const ListedThreadTTL = 5 * time.Second

// listedEntry is a thread from a listing and the query that shaped it.
type listedEntry struct {
	query string
	th    Thread
}

// noteListed remembers the threads of a listing for ListedThreadTTL.
func (c *Client) noteListed(q url.Values, ths []Thread) {
	query := q.Encode()
	for _, th := range ths {
		if th.ID != "" {
			c.listed.put(th.ID, listedEntry{query: query, th: th.clone()})
		}
	}
}

// listedThread returns a copy of the thread a listing in the last
// ListedThreadTTL read with query q, if any and if ctx allows it (see
// Uncached).
func (c *Client) listedThread(ctx context.Context, id string, q url.Values) (Thread, bool) {
	v, ok := c.cached(ctx, c.listed, id)
	if !ok {
		return Thread{}, false
	}
	e := v.(listedEntry)
	if e.query != q.Encode() {
		return Thread{}, false
	}
	return e.th.clone(), true
}

// clone copies th so that a caller's changes do not reach the copy kept.
func (th Thread) clone() Thread {
	th.Extra = maps.Clone(th.Extra)
	if a := th.ThreadAssociations; a != nil {
		cp := *a
		th.ThreadAssociations = &cp
	}
	return th
}

// cachedActors splits ids into the actors the cache knows and the IDs it
// does not (all of them when ctx is Uncached).
func (c *Client) cachedActors(ctx context.Context, ids []string) (known map[string]Actor, missing []string) {
	known = map[string]Actor{}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if v, ok := c.cached(ctx, c.cache, keyActor+id); ok {
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
