package hubspot

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestAwait_ReportsLongWaitsEverySecond(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{}
		c := newFakeClient(t, f, WithLimiter(NewWindowLimiter(Rate{Calls: 1, Per: 5 * time.Second})))
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

func TestAwait_ShortWaitsAreNotReported(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{}
		c := newFakeClient(t, f, WithLimiter(NewWindowLimiter(Rate{Calls: 2, Per: 500 * time.Millisecond})))
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

func TestAwait_CancelledWaitSendsNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{}
		c := newFakeClient(t, f, WithLimiter(NewWindowLimiter(Rate{Calls: 1, Per: 10 * time.Second})))
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

func TestAwait_RetryAfterA429IsReported(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 429, header: http.Header{"Retry-After": {"3"}}, body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`},
			{status: 200, body: `{}`},
		}}
		c := newFakeClient(t, f)
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
