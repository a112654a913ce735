package hubspot

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestPool_OneClientPerCredential(t *testing.T) {
	t.Parallel()
	var built []string
	var mu sync.Mutex
	p := NewPool(func(token string) (*Client, error) {
		mu.Lock()
		built = append(built, token)
		mu.Unlock()
		return NewClient(token)
	}, PoolLimits{})

	if _, err := p.ClientFor(t.Context()); !errors.Is(err, ErrNoToken) {
		t.Fatalf("no token: err = %v, want ErrNoToken", err)
	}
	a1, err := p.ClientFor(ContextWithToken(t.Context(), "Bearer tok-a"))
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := p.ClientFor(ContextWithToken(t.Context(), "tok-a"))
	b, _ := p.ClientFor(ContextWithToken(t.Context(), "tok-b"))
	if a1 != a2 {
		t.Error("the same token (with and without Bearer) got two clients")
	}
	if a1 == b {
		t.Error("two tokens share a client")
	}
	if a1.limiter == b.limiter {
		t.Error("two tokens share a limiter")
	}
	if p.size() != 2 || len(built) != 2 {
		t.Errorf("pool holds %d clients, built %d; want 2", p.size(), len(built))
	}
	if _, err := p.ClientFor(ContextWithToken(t.Context(), "bad token")); err == nil || strings.Contains(err.Error(), "bad token") {
		t.Errorf("bad token: err = %v", err)
	}
}

func TestPool_DropsIdleClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := NewPool(func(token string) (*Client, error) { return NewClient(token) }, PoolLimits{Idle: 10 * time.Minute})
		first, _ := p.ClientFor(ContextWithToken(t.Context(), "a"))
		time.Sleep(11 * time.Minute)
		if _, err := p.ClientFor(ContextWithToken(t.Context(), "b")); err != nil {
			t.Fatal(err)
		}
		if p.size() != 1 {
			t.Errorf("pool holds %d clients, want the idle one dropped", p.size())
		}
		again, _ := p.ClientFor(ContextWithToken(t.Context(), "a"))
		if again == first {
			t.Error("an idle client was kept")
		}
	})
}

func TestPool_EvictsTheLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	var evicted []*Client
	p := NewPool(func(token string) (*Client, error) { return NewClient(token) },
		PoolLimits{MaxClients: 2, OnEvict: func(c *Client) { evicted = append(evicted, c) }})
	get := func(tok string) *Client {
		t.Helper()
		c, err := p.ClientFor(ContextWithToken(t.Context(), tok))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := get("a"), get("b")
	get("a") // a is now the most recently used
	get("c")
	if p.size() != 2 {
		t.Errorf("pool holds %d clients, want 2", p.size())
	}
	if len(evicted) != 1 || evicted[0] != b {
		t.Errorf("evicted %v, want b's client only", evicted)
	}
	if get("a") != a {
		t.Error("the recently used client was evicted")
	}
}

func TestPool_BoundsTheTokensMemory(t *testing.T) {
	t.Parallel()
	p := NewPool(func(token string) (*Client, error) { return NewClient(token) },
		PoolLimits{MaxBytes: 10 * (MaxTokenLength + clientOverhead + 8*DefaultRate.Calls)})
	for i := range 50 {
		tok := fmt.Sprintf("%04d%s", i, strings.Repeat("x", MaxTokenLength-4))
		if _, err := p.ClientFor(ContextWithToken(t.Context(), tok)); err != nil {
			t.Fatal(err)
		}
	}
	if p.size() != 10 {
		t.Errorf("pool holds %d clients of %d-byte tokens, want 10", p.size(), MaxTokenLength)
	}
	// A client's limiter counts too: a window of 100,000 calls is 800 KB.
	big := NewPool(func(token string) (*Client, error) {
		return NewClient(token, WithLimiter(NewWindowLimiter(Rate{Calls: 100000, Per: 10 * time.Second})))
	}, PoolLimits{MaxBytes: 8 << 20})
	for i := range 50 {
		if _, err := big.ClientFor(ContextWithToken(t.Context(), fmt.Sprint("tok", i))); err != nil {
			t.Fatal(err)
		}
	}
	if big.size() != 10 {
		t.Errorf("pool holds %d clients with 800 KB limiters in 8 MiB, want 10", big.size())
	}
	long := strings.Repeat("x", MaxTokenLength+1)
	if _, err := p.ClientFor(ContextWithToken(t.Context(), long)); !errors.Is(err, ErrTokenTooLong) || strings.Contains(err.Error(), "xxx") {
		t.Errorf("a token over MaxTokenLength: err = %v, want ErrTokenTooLong", err)
	}
}

// TestPool_KeepsARefusedCredentialBriefly: once HubSpot answers 401, the
// client is kept for PoolLimits.Refused, then rebuilt; a success clears
// the refusal.
func TestPool_KeepsARefusedCredentialBriefly(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hubspot := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			status, body := http.StatusOK, `{"results":[]}`
			if r.Header.Get("Authorization") != "Bearer good" {
				status, body = http.StatusUnauthorized, `{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}`
			}
			return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})
		p := NewPool(func(token string) (*Client, error) {
			return NewClient(token, WithHTTPClient(&http.Client{Transport: hubspot}))
		}, PoolLimits{Refused: time.Minute})
		ctx := ContextWithToken(t.Context(), "bad")
		bad, _ := p.ClientFor(ctx)
		if _, err := bad.ListInboxes(ctx, nil); err == nil {
			t.Fatal("the bad token was accepted")
		}
		time.Sleep(30 * time.Second)
		if again, _ := p.ClientFor(ctx); again != bad {
			t.Error("a refused client was dropped at once")
		}
		time.Sleep(31 * time.Second)
		if again, _ := p.ClientFor(ctx); again == bad {
			t.Error("a refused client was kept past PoolLimits.Refused")
		}

		good := ContextWithToken(t.Context(), "good")
		c, _ := p.ClientFor(good)
		if _, err := c.ListInboxes(good, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Minute)
		if again, _ := p.ClientFor(good); again != c {
			t.Error("a working client was dropped")
		}
	})
}

func TestCredentialID(t *testing.T) {
	t.Parallel()
	id := CredentialID("pat-na1-secret")
	if len(id) != 16 || strings.Contains(id, "secret") || id == CredentialID("pat-na1-other") {
		t.Errorf("CredentialID = %q", id)
	}
}

// FuzzNormalizeToken: an accepted token is non-empty, at most
// MaxTokenLength long, free of spaces and control characters; an error
// never repeats the token.
func FuzzNormalizeToken(f *testing.F) {
	for _, s := range []string{"pat-na1-abc", "Bearer pat-na1-abc", "bearer ", " ", "a b", "tok\x00en", strings.Repeat("k", MaxTokenLength+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := NormalizeToken(raw)
		if err != nil {
			if len(raw) > 8 && strings.Contains(err.Error(), raw) {
				t.Errorf("error %q repeats the token", err)
			}
			return
		}
		if tok == "" || len(tok) > MaxTokenLength || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			t.Errorf("NormalizeToken(%q) = %q", raw, tok)
		}
	})
}

// size returns how many clients the pool holds.
func (p *Pool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lru.Len()
}
