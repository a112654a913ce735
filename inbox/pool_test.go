package inbox

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// newPoolService returns a service with per-user tokens whose requests go
// to rt (nil: nowhere, for tests that send nothing).
func newPoolService(t *testing.T, limits PoolLimits, rt http.RoundTripper, limiter func(string) hubspot.Limiter) *Service {
	t.Helper()
	if rt == nil {
		rt = roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("no HubSpot here") })
	}
	s, err := New(Config{PerUserTokens: true, Pool: limits, Transport: rt, Limiter: limiter})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPool_OneClientPerCredential(t *testing.T) {
	t.Parallel()
	s := newPoolService(t, PoolLimits{}, nil, nil)
	if _, err := s.credential(t.Context()); !errors.Is(err, ErrNoToken) {
		t.Fatalf("no token: err = %v, want ErrNoToken", err)
	}
	a1, err := s.credential(ContextWithToken(t.Context(), "Bearer tok-a"))
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := s.credential(ContextWithToken(t.Context(), "tok-a"))
	b, _ := s.credential(ContextWithToken(t.Context(), "tok-b"))
	if a1 != a2 {
		t.Error("the same token (with and without Bearer) got two clients")
	}
	if a1 == b || a1.client == b.client {
		t.Error("two tokens share a client")
	}
	if a1.limiter == b.limiter {
		t.Error("two tokens share a limiter")
	}
	if s.pool.size() != 2 {
		t.Errorf("pool holds %d clients; want 2", s.pool.size())
	}
	if _, err := s.credential(ContextWithToken(t.Context(), "bad token")); err == nil || strings.Contains(err.Error(), "bad token") {
		t.Errorf("bad token: err = %v", err)
	}
}

func TestPool_DropsIdleClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newPoolService(t, PoolLimits{Idle: 10 * time.Minute}, nil, nil)
		first, _ := s.credential(ContextWithToken(t.Context(), "a"))
		time.Sleep(11 * time.Minute)
		if _, err := s.credential(ContextWithToken(t.Context(), "b")); err != nil {
			t.Fatal(err)
		}
		if s.pool.size() != 1 {
			t.Errorf("pool holds %d clients, want the idle one dropped", s.pool.size())
		}
		again, _ := s.credential(ContextWithToken(t.Context(), "a"))
		if again == first {
			t.Error("an idle client was kept")
		}
	})
}

func TestPool_EvictsTheLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	var evicted []string
	s := newPoolService(t, PoolLimits{MaxClients: 2, OnEvict: func(id string) { evicted = append(evicted, id) }}, nil, nil)
	get := func(tok string) *credential {
		t.Helper()
		cr, err := s.credential(ContextWithToken(t.Context(), tok))
		if err != nil {
			t.Fatal(err)
		}
		return cr
	}
	a, b := get("a"), get("b")
	get("a") // a is now the most recently used
	get("c")
	if s.pool.size() != 2 {
		t.Errorf("pool holds %d clients, want 2", s.pool.size())
	}
	if len(evicted) != 1 || evicted[0] != b.id || b.id != CredentialID("b") {
		t.Errorf("evicted %v, want b's credential only", evicted)
	}
	if get("a") != a {
		t.Error("the recently used client was evicted")
	}
}

func TestPool_BoundsTheTokensMemory(t *testing.T) {
	t.Parallel()
	s := newPoolService(t, PoolLimits{MaxBytes: 10 * (hubspot.MaxTokenLength + credentialOverhead + 8*hubspot.DefaultRate.Calls)}, nil, nil)
	for i := range 50 {
		tok := fmt.Sprintf("%04d%s", i, strings.Repeat("x", hubspot.MaxTokenLength-4))
		if _, err := s.credential(ContextWithToken(t.Context(), tok)); err != nil {
			t.Fatal(err)
		}
	}
	if s.pool.size() != 10 {
		t.Errorf("pool holds %d clients of %d-byte tokens, want 10", s.pool.size(), hubspot.MaxTokenLength)
	}
	// A client's limiter counts too: a window of 100,000 calls is 800 KB.
	big := newPoolService(t, PoolLimits{MaxBytes: 8 << 20}, nil, func(string) hubspot.Limiter {
		return hubspot.NewWindowLimiter(hubspot.Rate{Calls: 100000, Per: 10 * time.Second})
	})
	for i := range 50 {
		if _, err := big.credential(ContextWithToken(t.Context(), fmt.Sprint("tok", i))); err != nil {
			t.Fatal(err)
		}
	}
	if big.pool.size() != 10 {
		t.Errorf("pool holds %d clients with 800 KB limiters in 8 MiB, want 10", big.pool.size())
	}
	long := strings.Repeat("x", hubspot.MaxTokenLength+1)
	if _, err := s.credential(ContextWithToken(t.Context(), long)); !errors.Is(err, hubspot.ErrTokenTooLong) || strings.Contains(err.Error(), "xxx") {
		t.Errorf("a token over MaxTokenLength: err = %v, want ErrTokenTooLong", err)
	}
}

// TestPool_KeepsARefusedCredentialBriefly: once HubSpot answers 401, the
// credential is kept for PoolLimits.Refused, then rebuilt; a success
// clears the refusal.
func TestPool_KeepsARefusedCredentialBriefly(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hs := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			status, body := http.StatusOK, `{"results":[]}`
			if r.Header.Get("Authorization") != "Bearer good" {
				status, body = http.StatusUnauthorized, `{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}`
			}
			return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})
		s := newPoolService(t, PoolLimits{Refused: time.Minute}, hs, nil)
		ctx := ContextWithToken(t.Context(), "bad")
		bad, _ := s.credential(ctx)
		if _, err := s.ListInboxes(ctx, nil); err == nil {
			t.Fatal("the bad token was accepted")
		}
		time.Sleep(30 * time.Second)
		if again, _ := s.credential(ctx); again != bad {
			t.Error("a refused client was dropped at once")
		}
		time.Sleep(31 * time.Second)
		if again, _ := s.credential(ctx); again == bad {
			t.Error("a refused client was kept past PoolLimits.Refused")
		}

		good := ContextWithToken(t.Context(), "good")
		c, _ := s.credential(good)
		if _, err := s.ListInboxes(good, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Minute)
		if again, _ := s.credential(good); again != c {
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

// size returns how many credentials the pool holds.
func (p *pool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lru.Len()
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
