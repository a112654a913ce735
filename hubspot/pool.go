package hubspot

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

type tokenKey struct{}

// ContextWithToken returns a context carrying a user's HubSpot access token,
// for a Pool to pick that user's Client.
func ContextWithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// TokenFromContext returns the token ContextWithToken put in ctx.
func TokenFromContext(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tokenKey{}).(string)
	return t, ok && t != ""
}

// ErrNoToken is returned by Pool.ClientFor when the request carries no
// HubSpot access token.
var ErrNoToken = errors.New("this request carries no HubSpot access token")

// CredentialID identifies a credential without revealing it: the first
// 16 hex digits of the token's SHA-256. It keys limiters, caches and logs.
func CredentialID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// Pool is a Provider for servers where each request brings its own user's
// HubSpot token: every credential gets its own Client, built by newClient
// with its own limiter, so users never share data, caches or budget.
//
// The pool is bounded (see PoolLimits): by the number of clients and by an
// estimate of their memory, evicting the least recently used; a client
// unused for the idle time is dropped, and one whose credential HubSpot
// refused (401) is kept only briefly after the refusal. It is safe for
// concurrent use.
type Pool struct {
	newClient func(token string) (*Client, error)
	limits    PoolLimits

	mu      sync.Mutex
	clients map[string]*list.Element // of *poolEntry, by CredentialID
	lru     *list.List               // most recently used first
	bytes   int
	lastGC  time.Time
}

// PoolLimits bound a Pool. Zero fields take the defaults.
type PoolLimits struct {
	// Idle drops a client unused for this long (default one hour).
	Idle time.Duration
	// MaxClients caps how many credentials have a client (default 1,000).
	MaxClients int
	// MaxBytes caps the pool's estimate of its clients' memory: each
	// client's token, its in-process limiter's window and a fixed
	// overhead (default 16 MiB).
	MaxBytes int
	// Refused is how long a client is kept after HubSpot answered 401 to
	// its credential (default one minute): long enough that a client
	// retrying a bad token does not rebuild it every call, short enough
	// that a flood of bad tokens does not hold memory.
	Refused time.Duration
	// OnEvict, if set, is called with every client the pool drops, outside
	// the pool's lock, so that caches keyed by clients can forget them.
	OnEvict func(*Client)
}

// clientOverhead estimates a pooled client's memory besides its token
// and its limiter's window: the Client, its logger, the pool's entry.
const clientOverhead = 2 << 10

// footprint estimates the memory c holds: its token, a WindowLimiter's
// record of the window's calls (8 bytes a call), and clientOverhead.
func footprint(c *Client) int {
	n := len(c.token) + clientOverhead
	if wl, ok := c.limiter.(*WindowLimiter); ok {
		n += 8 * len(wl.sent)
	}
	return n
}

type poolEntry struct {
	id     string
	client *Client
	size   int
	used   time.Time
}

// NewPool returns a Pool that builds clients with newClient, within limits.
func NewPool(newClient func(token string) (*Client, error), limits PoolLimits) *Pool {
	if limits.Idle <= 0 {
		limits.Idle = time.Hour
	}
	if limits.MaxClients <= 0 {
		limits.MaxClients = 1000
	}
	if limits.MaxBytes <= 0 {
		limits.MaxBytes = 16 << 20
	}
	if limits.Refused <= 0 {
		limits.Refused = time.Minute
	}
	return &Pool{newClient: newClient, limits: limits, clients: map[string]*list.Element{}, lru: list.New()}
}

// ClientFor returns the Client of the token in ctx (see ContextWithToken),
// creating it on first use. Without a token it returns ErrNoToken.
func (p *Pool) ClientFor(ctx context.Context) (*Client, error) {
	raw, ok := TokenFromContext(ctx)
	if !ok {
		return nil, ErrNoToken
	}
	token, err := NormalizeToken(raw)
	if err != nil {
		return nil, err
	}
	id := CredentialID(token)
	now := time.Now()
	var evicted []*Client
	defer func() {
		if p.limits.OnEvict != nil {
			for _, c := range evicted {
				p.limits.OnEvict(c)
			}
		}
	}()
	p.mu.Lock()
	defer p.mu.Unlock()
	evicted = p.collect(now, evicted)
	if el, ok := p.clients[id]; ok {
		e := el.Value.(*poolEntry)
		if !p.expired(e, now) {
			e.used = now
			p.lru.MoveToFront(el)
			return e.client, nil
		}
		evicted = append(evicted, p.removeLocked(el))
	}
	c, err := p.newClient(token)
	if err != nil {
		return nil, err
	}
	e := &poolEntry{id: id, client: c, size: footprint(c), used: now}
	p.clients[id] = p.lru.PushFront(e)
	p.bytes += e.size
	for p.lru.Len() > p.limits.MaxClients || (p.bytes > p.limits.MaxBytes && p.lru.Len() > 1) {
		evicted = append(evicted, p.removeLocked(p.lru.Back()))
	}
	return c, nil
}

// expired tells whether e is past the idle time, or refused for longer
// than the pool keeps refused credentials.
func (p *Pool) expired(e *poolEntry, now time.Time) bool {
	if now.Sub(e.used) > p.limits.Idle {
		return true
	}
	refused := e.client.refusedAt.Load()
	return refused != 0 && now.Sub(time.Unix(0, refused)) > p.limits.Refused
}

// collect drops expired clients, at most every few seconds; p.mu is held.
func (p *Pool) collect(now time.Time, evicted []*Client) []*Client {
	if now.Sub(p.lastGC) < min(p.limits.Refused, time.Minute)/4 {
		return evicted
	}
	p.lastGC = now
	for el := p.lru.Back(); el != nil; {
		prev := el.Prev()
		if p.expired(el.Value.(*poolEntry), now) {
			evicted = append(evicted, p.removeLocked(el))
		}
		el = prev
	}
	return evicted
}

func (p *Pool) removeLocked(el *list.Element) *Client {
	e := p.lru.Remove(el).(*poolEntry)
	delete(p.clients, e.id)
	p.bytes -= e.size
	return e.client
}
