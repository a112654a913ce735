package hubspot

import (
	"errors"
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
	}, 0)

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
	if p.Len() != 2 || len(built) != 2 {
		t.Errorf("pool holds %d clients, built %d; want 2", p.Len(), len(built))
	}
	if _, err := p.ClientFor(ContextWithToken(t.Context(), "bad token")); err == nil || strings.Contains(err.Error(), "bad token") {
		t.Errorf("bad token: err = %v", err)
	}
}

func TestPool_DropsIdleClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := NewPool(func(token string) (*Client, error) { return NewClient(token) }, 10*time.Minute)
		first, _ := p.ClientFor(ContextWithToken(t.Context(), "a"))
		time.Sleep(11 * time.Minute)
		if _, err := p.ClientFor(ContextWithToken(t.Context(), "b")); err != nil {
			t.Fatal(err)
		}
		if p.Len() != 1 {
			t.Errorf("pool holds %d clients, want the idle one dropped", p.Len())
		}
		again, _ := p.ClientFor(ContextWithToken(t.Context(), "a"))
		if again == first {
			t.Error("an idle client was kept")
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
