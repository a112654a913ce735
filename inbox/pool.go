package inbox

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

type tokenKey struct{}

// ContextWithToken returns a context carrying a user's HubSpot access
// token, for a service with PerUserTokens to serve that user.
func ContextWithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// TokenFromContext returns the token ContextWithToken put in ctx.
func TokenFromContext(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tokenKey{}).(string)
	return t, ok && t != ""
}

// ErrNoToken is returned with PerUserTokens when the request carries no
// HubSpot access token.
var ErrNoToken = errors.New("this request carries no HubSpot access token")

// CredentialID identifies a credential without revealing it: the first
// 16 hex digits of the token's SHA-256. It keys limiters, caches and logs.
func CredentialID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// PoolLimits bound the pool of per-user credentials. Zero fields take the
// defaults.
type PoolLimits struct {
	// Idle drops a credential unused for this long (default one hour).
	Idle time.Duration
	// MaxClients caps how many credentials have a client (default 1,000;
	// HUBSPOT_MAX_CREDENTIALS).
	MaxClients int
	// MaxBytes caps the pool's estimate of its credentials' memory: each
	// one's token, its in-process limiter's window and a fixed overhead
	// (default 16 MiB).
	MaxBytes int
	// Refused is how long a credential is kept after HubSpot answered 401
	// to it (default one minute): long enough that a client retrying a bad
	// token does not rebuild it every call, short enough that a flood of
	// bad tokens does not hold memory.
	Refused time.Duration
	// OnEvict, if set, is called with the fingerprint of every credential
	// the pool drops, outside the pool's lock, so that state kept
	// elsewhere for it (a surface's caches) can be forgotten.
	OnEvict func(credential string)
}

// pool holds one credential per user token: every credential has its own
// client and limiter, so users never share data, caches or budget. It is
// bounded (see PoolLimits) by the number of credentials and an estimate
// of their memory, evicting the least recently used; one unused for the
// idle time is dropped, and one HubSpot refused (401) is kept only
// briefly after the refusal. It is safe for concurrent use.
type pool struct {
	build  func(token string) (*credential, error) // of a normalized token
	limits PoolLimits

	mu     sync.Mutex
	byID   map[string]*list.Element // of *poolEntry, by CredentialID
	lru    *list.List               // most recently used first
	bytes  int
	lastGC time.Time
}

type poolEntry struct {
	cred *credential
	used time.Time
}

func newPool(build func(token string) (*credential, error), limits PoolLimits) *pool {
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
	return &pool{build: build, limits: limits, byID: map[string]*list.Element{}, lru: list.New()}
}

// get returns the credential of the token in ctx (see ContextWithToken),
// creating it on first use. Without a token it returns ErrNoToken.
func (p *pool) get(ctx context.Context) (*credential, error) {
	raw, ok := TokenFromContext(ctx)
	if !ok {
		return nil, ErrNoToken
	}
	token, err := hubspot.NormalizeToken(raw)
	if err != nil {
		return nil, err
	}
	id := CredentialID(token)
	now := time.Now()
	var evicted []string
	defer func() {
		if p.limits.OnEvict != nil {
			for _, id := range evicted {
				p.limits.OnEvict(id)
			}
		}
	}()
	p.mu.Lock()
	defer p.mu.Unlock()
	evicted = p.collect(now, evicted)
	if el, ok := p.byID[id]; ok {
		e := el.Value.(*poolEntry)
		if !p.expired(e, now) {
			e.used = now
			p.lru.MoveToFront(el)
			return e.cred, nil
		}
		evicted = append(evicted, p.removeLocked(el))
	}
	cr, err := p.build(token)
	if err != nil {
		return nil, err
	}
	p.byID[id] = p.lru.PushFront(&poolEntry{cred: cr, used: now})
	p.bytes += cr.size
	for p.lru.Len() > p.limits.MaxClients || (p.bytes > p.limits.MaxBytes && p.lru.Len() > 1) {
		evicted = append(evicted, p.removeLocked(p.lru.Back()))
	}
	return cr, nil
}

// expired tells whether e is past the idle time, or refused for longer
// than the pool keeps refused credentials.
func (p *pool) expired(e *poolEntry, now time.Time) bool {
	if now.Sub(e.used) > p.limits.Idle {
		return true
	}
	refused := e.cred.refusedAt.Load()
	return refused != 0 && now.Sub(time.Unix(0, refused)) > p.limits.Refused
}

// collect drops expired credentials, at most every few seconds; p.mu is
// held.
func (p *pool) collect(now time.Time, evicted []string) []string {
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

func (p *pool) removeLocked(el *list.Element) string {
	e := p.lru.Remove(el).(*poolEntry)
	delete(p.byID, e.cred.id)
	p.bytes -= e.cred.size
	return e.cred.id
}
