package hubspot

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/ttlmap"
)

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
			c.cache = ttlmap.New[any](ttl)
		}
		return nil
	}
}

// keyActor prefixes the cache keys of actors. Raw answers are keyed by
// request line.
const keyActor = "actor "

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

// cached is every read of what the client keeps (m, the cache or the
// listed threads): the value under key, unless ctx is Uncached.
func cached[V any](ctx context.Context, m *ttlmap.Map[V], key string) (V, bool) {
	if uncached(ctx) {
		var zero V
		return zero, false
	}
	return m.Get(key)
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
			c.listed.Put(th.ID, listedEntry{query: query, th: th.clone()})
		}
	}
}

// listedThread returns a copy of the thread a listing in the last
// ListedThreadTTL read with query q, if any and if ctx allows it (see
// Uncached).
func (c *Client) listedThread(ctx context.Context, id string, q url.Values) (Thread, bool) {
	e, ok := cached(ctx, c.listed, id)
	if !ok || e.query != q.Encode() {
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
		if v, ok := cached(ctx, c.cache, keyActor+id); ok {
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
			c.cache.Put(keyActor+a.ID, a)
		}
	}
}
