package hubspot

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestParseRate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Rate
	}{
		{"100/10s", Rate{100, 10 * time.Second}},
		{"100/60s", Rate{100, time.Minute}},
		{" 190 / 10s ", Rate{190, 10 * time.Second}},
		{"5/s", Rate{5, time.Second}},
		{"6000/h", Rate{6000, time.Hour}},
		{"250000/d", Rate{250000, 24 * time.Hour}},
		{"100/1m", Rate{100, time.Minute}},
		{"3/min", Rate{3, time.Minute}},
	} {
		got, err := ParseRate(tc.in)
		if err != nil {
			t.Errorf("ParseRate(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseRate(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "100", "100/", "/10s", "0/10s", "-1/10s", "x/10s", "100/10", "100/0s", "100/-1s", "100/ages", "2000000/s", "1/1000h"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q): want an error", bad)
		}
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"100/10s", "100/60s", "5/s", "1/1ms", "1000000/168h", "9/h", "a/b", "100/1e9h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if r.Calls < 1 || r.Calls > MaxRateCalls || r.Per < time.Millisecond || r.Per > 7*24*time.Hour {
			t.Fatalf("ParseRate(%q) = %+v: out of bounds", s, r)
		}
		_ = r.String()
	})
}

func TestRateString(t *testing.T) {
	t.Parallel()
	if got, want := (Rate{100, time.Minute}).String(), "100 calls per 60s"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := (Rate{5, 1500 * time.Millisecond}).String(), "5 calls per 1.5s"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// maxInWindow returns the most grants inside any half-open window of length per.
func maxInWindow(times []time.Time, per time.Duration) int {
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	most, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= per {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func TestWindowLimiterNeverExceedsTheRollingWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l := NewWindowLimiter(Rate{Calls: 100, Per: time.Minute})
		start := time.Now()
		var mu sync.Mutex
		var granted []time.Time
		var wg sync.WaitGroup
		for range 350 {
			wg.Go(func() {
				if err := Take(t.Context(), l, Sleep); err != nil {
					t.Errorf("Take: %v", err)
					return
				}
				mu.Lock()
				granted = append(granted, time.Now())
				mu.Unlock()
			})
		}
		wg.Wait()
		// At most 100 in any window of 60 s plus the 250 ms guard.
		if got := maxInWindow(granted, time.Minute+250*time.Millisecond); got != 100 {
			t.Errorf("most grants in one 60.25s window = %d, want exactly 100 (the full budget, never more)", got)
		}
		// 350 calls at 100 per minute: the last 50 go in the fourth window.
		if got, want := time.Since(start), 3*(time.Minute+250*time.Millisecond); got != want {
			t.Errorf("350 grants took %s, want %s", got, want)
		}
	})
}

func TestWindowLimiterSustainedLoad(t *testing.T) {
	t.Parallel()
	// Callers arriving steadily at twice the budget are served at exactly
	// the budget, without ever exceeding it in any window.
	synctest.Test(t, func(t *testing.T) {
		l := NewWindowLimiter(Rate{Calls: 10, Per: 10 * time.Second})
		var granted []time.Time
		for range 100 {
			if err := Take(t.Context(), l, Sleep); err != nil {
				t.Fatal(err)
			}
			granted = append(granted, time.Now())
			time.Sleep(500 * time.Millisecond)
		}
		if got := maxInWindow(granted, 10*time.Second+250*time.Millisecond); got > 10 {
			t.Errorf("most grants in one 10.25s window = %d, want at most 10", got)
		}
		if got := granted[len(granted)-1].Sub(granted[0]); got > 103*time.Second {
			t.Errorf("100 grants at 1/s took %s; the limiter wastes budget", got)
		}
	})
}

func TestWindowLimiterBudgetErrorBeforeDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l := NewWindowLimiter(Rate{Calls: 2, Per: 10 * time.Second})
		for range 2 {
			if err := Take(t.Context(), l, Sleep); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		start := time.Now()
		err := Take(ctx, l, Sleep)
		var be *BudgetError
		if !errors.As(err, &be) {
			t.Fatalf("Take = %v, want *BudgetError", err)
		}
		if time.Since(start) != 0 {
			t.Errorf("a hopeless wait should fail at once, took %s", time.Since(start))
		}
		if be.Wait != 10250*time.Millisecond {
			t.Errorf("BudgetError.Wait = %s, want 10.25s (the window plus its guard)", be.Wait)
		}
		// The refused call took no slot: the next one still goes at 10.25 s.
		if err := Take(t.Context(), l, Sleep); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 10250*time.Millisecond {
			t.Errorf("next grant after %s, want 10.25s", got)
		}
	})
}

func TestWindowLimiterCancelledWaitLeavesTheQueue(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l := NewWindowLimiter(Rate{Calls: 1, Per: 10 * time.Second})
		start := time.Now()
		if err := Take(t.Context(), l, Sleep); err != nil {
			t.Fatal(err)
		}
		// B is granted the slot at 10.25 s, then gives up at 2 s.
		ctx, cancel := context.WithCancel(t.Context())
		go func() { time.Sleep(2 * time.Second); cancel() }()
		if err := Take(ctx, l, Sleep); !errors.Is(err, context.Canceled) {
			t.Fatalf("Take = %v, want context.Canceled", err)
		}
		// C, arriving at 3 s, gets B's slot rather than one at 20.5 s.
		time.Sleep(time.Second)
		if err := Take(t.Context(), l, Sleep); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 10250*time.Millisecond {
			t.Errorf("C went at %s, want 10.25s (the cancelled call's slot)", got)
		}
		// The slot is used once: D waits a window after C.
		if err := Take(t.Context(), l, Sleep); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 20500*time.Millisecond {
			t.Errorf("D went at %s, want 20.5s", got)
		}
	})
}

func TestWindowLimiterFreedSlotsNeverBreakTheWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := Rate{Calls: 3, Per: time.Second}
		l := NewWindowLimiter(r)
		var mu sync.Mutex
		var sent []time.Time
		var wg sync.WaitGroup
		for i := range 60 {
			wg.Go(func() {
				time.Sleep(time.Duration(i%7) * 150 * time.Millisecond)
				ctx := t.Context()
				if i%3 == 0 { // every third caller gives up after a while
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, time.Duration(i%5+1)*400*time.Millisecond)
					defer cancel()
				}
				if Take(ctx, l, Sleep) == nil {
					mu.Lock()
					sent = append(sent, time.Now())
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if most := maxInWindow(sent, r.Per+r.Guard()); most > r.Calls {
			t.Errorf("%d sends within one window; the budget is %d", most, r.Calls)
		}
		if len(sent) < 40 {
			t.Errorf("only %d of 60 callers sent; the patient ones must all send", len(sent))
		}
	})
}

func TestRateGuard(t *testing.T) {
	t.Parallel()
	for r, want := range map[Rate]time.Duration{
		{100, time.Minute}:          250 * time.Millisecond,
		{100, 10 * time.Second}:     250 * time.Millisecond,
		{5, time.Second}:            50 * time.Millisecond,
		{1, 100 * time.Millisecond}: 5 * time.Millisecond,
	} {
		if got := r.Guard(); got != want {
			t.Errorf("%v.Guard() = %s, want %s", r, got, want)
		}
	}
}
