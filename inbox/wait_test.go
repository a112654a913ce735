package inbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// scripted is an in-memory HubSpot answering each request with the next
// scripted answer (200 {} when none is left), counting requests.
type scripted struct {
	mu      sync.Mutex
	answers []scriptedAnswer
	n       int
}

type scriptedAnswer struct {
	status int
	header http.Header
	body   string
}

func (f *scripted) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	a := scriptedAnswer{status: 200, body: `{}`}
	if len(f.answers) > 0 {
		a, f.answers = f.answers[0], f.answers[1:]
	}
	h := a.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(strings.NewReader(a.body)), Request: r}, nil
}

func (f *scripted) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// newScriptedService returns a service whose requests go to f, with a
// limiter of rate r (a generous one when r is zero).
func newScriptedService(t *testing.T, f *scripted, r hubspot.Rate) *Service {
	t.Helper()
	if r.Calls == 0 {
		r = hubspot.Rate{Calls: 1000, Per: time.Second}
	}
	s, err := New(Config{Token: "pat-na1-secret", Transport: f,
		Limiter: func(string) hubspot.Limiter { return hubspot.NewWindowLimiter(r) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWaitObserver_ReportsLongWaitsEverySecond(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &scripted{}
		c := newScriptedService(t, f, hubspot.Rate{Calls: 1, Per: 5 * time.Second})
		var mu sync.Mutex
		var heard []time.Duration
		ctx := WithWaitObserver(t.Context(), func(left time.Duration) {
			mu.Lock()
			heard = append(heard, left)
			mu.Unlock()
		})
		for range 2 {
			if _, err := c.GetChannel(ctx, "1000"); err != nil {
				t.Fatal(err)
			}
		}
		// The second call waits 5 s plus the guard: told at once, then
		// each second while more than nothing is left.
		want := []time.Duration{5250 * time.Millisecond, 4250 * time.Millisecond, 3250 * time.Millisecond,
			2250 * time.Millisecond, 1250 * time.Millisecond, 250 * time.Millisecond}
		if len(heard) != len(want) {
			t.Fatalf("heard %v, want %v", heard, want)
		}
		for i := range want {
			if heard[i] != want[i] {
				t.Errorf("report %d: %v left, want %v", i, heard[i], want[i])
			}
		}
	})
}

func TestWaitObserver_ShortWaitsAreNotReported(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &scripted{}
		c := newScriptedService(t, f, hubspot.Rate{Calls: 2, Per: 500 * time.Millisecond})
		n := 0
		ctx := WithWaitObserver(t.Context(), func(time.Duration) { n++ })
		for range 3 {
			if _, err := c.GetChannel(ctx, "1000"); err != nil {
				t.Fatal(err)
			}
		}
		if n != 0 {
			t.Errorf("a wait under a second was reported %d times", n)
		}
	})
}

func TestWaitObserver_CancelledWaitSendsNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &scripted{}
		c := newScriptedService(t, f, hubspot.Rate{Calls: 1, Per: 10 * time.Second})
		if _, err := c.GetChannel(t.Context(), "1000"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		heard := make(chan time.Duration, 100)
		ctx = WithWaitObserver(ctx, func(left time.Duration) {
			heard <- left
			if len(heard) == 3 {
				cancel() // the client cancels after hearing three times
			}
		})
		_, err := c.GetChannel(ctx, "1000")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if got := f.count(); got != 1 {
			t.Errorf("%d requests sent, want only the first", got)
		}
		if len(heard) != 3 {
			t.Errorf("heard %d reports, want 3", len(heard))
		}
	})
}

func TestWaitObserver_RetryAfterA429IsReported(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &scripted{answers: []scriptedAnswer{
			{status: 429, header: http.Header{"Retry-After": {"3"}}, body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`},
			{status: 200, body: `{}`},
		}}
		c := newScriptedService(t, f, hubspot.Rate{})
		var heard []time.Duration
		ctx := WithWaitObserver(t.Context(), func(left time.Duration) { heard = append(heard, left) })
		if _, err := c.GetChannel(ctx, "1000"); err != nil {
			t.Fatal(err)
		}
		if len(heard) != 3 || heard[0] != 3*time.Second {
			t.Errorf("heard %v, want 3s, 2s, 1s", heard)
		}
	})
}
