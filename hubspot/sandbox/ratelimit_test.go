package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: writeClock} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestRollingRateLimit(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	h := newHarness(t, WithClock(clock.Now), WithRateLimit(3, 10*time.Second))
	var remaining []string
	for range 3 {
		r := h.call(http.MethodGet, channelsPath, "")
		r.want(t, http.StatusOK)
		remaining = append(remaining, r.header.Get("X-HubSpot-RateLimit-Remaining"))
		clock.Advance(time.Second)
	}
	if diff := cmp.Diff([]string{"2", "1", "0"}, remaining); diff != "" {
		t.Errorf("remaining (-want +got):\n%s", diff)
	}
	r := h.call(http.MethodGet, channelsPath, "")
	r.wantRateLimited(t, "TEN_SECONDLY_ROLLING")
	if r.header.Get("Retry-After") != "" || r.header.Get("X-HubSpot-RateLimit-Max") != "3" ||
		r.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" {
		t.Errorf("429 headers = %v", r.header)
	}
	// The first call leaves the window 10 s after it was made (7 s from now).
	clock.Advance(6 * time.Second)
	h.call(http.MethodGet, channelsPath, "").wantRateLimited(t, "TEN_SECONDLY_ROLLING")
	clock.Advance(time.Second)
	h.call(http.MethodGet, channelsPath, "").want(t, http.StatusOK)
	h.call(http.MethodGet, channelsPath, "").wantRateLimited(t, "TEN_SECONDLY_ROLLING")

	// Counting what reached the server in any window is a matter of Requests.
	var in10s, limited int
	end := clock.Now()
	for _, req := range h.srv.Requests() {
		if req.Time.After(end.Add(-10 * time.Second)) {
			in10s++
		}
		if req.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if in10s != 6 || limited != 3 {
		t.Errorf("calls in the last 10 s = %d, 429s = %d; want 6 and 3", in10s, limited)
	}
}

func TestRateLimitRetryAfterAndAccounts(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	h := newHarness(t, WithClock(clock.Now), WithRateLimit(2, 10*time.Second), WithRetryAfter(true))
	h.srv.AddAccount("second", "Acme Trails Ltd")
	h.call(http.MethodGet, channelsPath, "").want(t, http.StatusOK)
	clock.Advance(2500 * time.Millisecond)
	h.call(http.MethodGet, channelsPath, "").want(t, http.StatusOK)
	r := h.call(http.MethodGet, channelsPath, "")
	r.wantRateLimited(t, "TEN_SECONDLY_ROLLING")
	if got := r.header.Get("Retry-After"); got != "8" { // 7.5 s rounded up
		t.Errorf("Retry-After = %q, want 8", got)
	}
	h.callAs("second", http.MethodGet, channelsPath, "").want(t, http.StatusOK)
}

func TestDailyLimit(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	h := newHarness(t, WithClock(clock.Now), WithDailyLimit(2))
	for _, want := range []string{"1", "0"} {
		r := h.call(http.MethodGet, channelsPath, "")
		r.want(t, http.StatusOK)
		if got := r.header.Get("X-HubSpot-RateLimit-Daily-Remaining"); got != want {
			t.Errorf("daily remaining = %q, want %q", got, want)
		}
	}
	body := h.call(http.MethodGet, channelsPath, "").wantRateLimited(t, "DAILY")
	if body.Message != "You have reached your daily limit." {
		t.Errorf("message = %q", body.Message)
	}
	clock.Advance(24 * time.Hour)
	r := h.call(http.MethodGet, channelsPath, "")
	r.want(t, http.StatusOK)
	if r.header.Get("X-HubSpot-RateLimit-Daily") != "2" {
		t.Errorf("daily header = %q", r.header.Get("X-HubSpot-RateLimit-Daily"))
	}
}

func TestUnlimitedRate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithUnlimitedRate())
	for range DefaultRateLimit + 10 {
		r := h.call(http.MethodGet, channelsPath, "")
		r.want(t, http.StatusOK)
		for _, name := range []string{"X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining", "X-HubSpot-RateLimit-Interval-Milliseconds"} {
			if v := r.header.Get(name); v != "" {
				t.Fatalf("%s: %s, want no window header", name, v)
			}
		}
		if r.header.Get("X-HubSpot-RateLimit-Daily-Remaining") == "" {
			t.Fatal("the daily headers are gone too")
		}
	}
}

func TestRequestLogKeepsTheLatestInOrder(t *testing.T) {
	t.Parallel()
	s := New()
	r := httptest.NewRequest(http.MethodGet, channelsPath, nil)
	for i := range maxRecorded + 5 {
		s.record(r, nil, &exchange{correlationID: strconv.Itoa(i)}, http.StatusOK, time.Time{})
	}
	got := s.Requests()
	if len(got) != maxRecorded {
		t.Fatalf("%d requests kept, want %d", len(got), maxRecorded)
	}
	if got[0].CorrelationID != "5" || got[len(got)-1].CorrelationID != strconv.Itoa(maxRecorded+4) {
		t.Errorf("kept %s … %s, want the latest, oldest first", got[0].CorrelationID, got[len(got)-1].CorrelationID)
	}
	s.ResetRequests()
	s.record(r, nil, &exchange{correlationID: "new"}, http.StatusOK, time.Time{})
	if got := s.Requests(); len(got) != 1 || got[0].CorrelationID != "new" {
		t.Errorf("after a reset: %v", got)
	}
}
