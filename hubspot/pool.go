package hubspot

import (
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
// Clients idle for longer than the pool's idle time are dropped. It is
// safe for concurrent use.
type Pool struct {
	newClient func(token string) (*Client, error)
	idle      time.Duration

	mu      sync.Mutex
	clients map[string]*poolEntry
	lastGC  time.Time
}

type poolEntry struct {
	client *Client
	used   time.Time
}

// NewPool returns a Pool that builds clients with newClient and drops
// those unused for idle (one hour when idle is zero).
func NewPool(newClient func(token string) (*Client, error), idle time.Duration) *Pool {
	if idle <= 0 {
		idle = time.Hour
	}
	return &Pool{newClient: newClient, idle: idle, clients: map[string]*poolEntry{}}
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
	p.mu.Lock()
	defer p.mu.Unlock()
	p.collect(now)
	if e, ok := p.clients[id]; ok {
		e.used = now
		return e.client, nil
	}
	c, err := p.newClient(token)
	if err != nil {
		return nil, err
	}
	p.clients[id] = &poolEntry{client: c, used: now}
	return c, nil
}

// Len returns how many clients the pool holds.
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.clients)
}

// collect drops idle clients, at most once a minute; p.mu is held.
func (p *Pool) collect(now time.Time) {
	if now.Sub(p.lastGC) < time.Minute {
		return
	}
	p.lastGC = now
	for id, e := range p.clients {
		if now.Sub(e.used) > p.idle {
			delete(p.clients, id)
		}
	}
}
