package redislimit

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/redistest"
)

func maxInWindow(slots []time.Time, per time.Duration) int {
	slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
	most, lo := 0, 0
	for hi := range slots {
		for slots[hi].Sub(slots[lo]) >= per {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func TestLimiter_ReplicasShareOneRollingWindow(t *testing.T) {
	t.Parallel()
	rdb := redistest.Client(t)
	r := hubspot.Rate{Calls: 10, Per: 400 * time.Millisecond}
	// Two limiters with separate Redis connections stand for two replicas.
	other := redis.NewClient(rdb.Options())
	t.Cleanup(func() { _ = other.Close() })
	replicas := []*Limiter{New(rdb, "cred", r), New(other, "cred", r)}

	var mu sync.Mutex
	var slots []time.Time
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 35 {
		wg.Go(func() {
			at, wait, err := replicas[i%2].reserve(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			time.Sleep(wait)
			mu.Lock()
			slots = append(slots, at)
			mu.Unlock()
		})
	}
	wg.Wait()
	if got := maxInWindow(slots, r.Per+r.Guard()); got != 10 {
		t.Errorf("most slots in one %s window = %d, want exactly 10", r.Per+r.Guard(), got)
	}
	// 35 calls at 10 per 400 ms need three full windows.
	if elapsed := time.Since(start); elapsed < 3*r.Per {
		t.Errorf("35 grants took %s, want at least %s", elapsed, 3*r.Per)
	}
}

func TestLimiter_CredentialsAreSeparate(t *testing.T) {
	t.Parallel()
	rdb := redistest.Client(t)
	r := hubspot.Rate{Calls: 2, Per: time.Hour}
	a, b := New(rdb, "a", r), New(rdb, "b", r)
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	for range 2 {
		if err := hubspot.Take(ctx, a, hubspot.Sleep); err != nil {
			t.Fatal(err)
		}
	}
	var be *hubspot.BudgetError
	if err := hubspot.Take(ctx, a, hubspot.Sleep); !errors.As(err, &be) || be.Wait < 59*time.Minute {
		t.Errorf("third call of a: err = %v, want a BudgetError of about an hour", err)
	}
	if err := hubspot.Take(ctx, b, hubspot.Sleep); err != nil {
		t.Errorf("b's budget is its own: %v", err)
	}
}

func TestLimiter_RedisDownSendsNothing(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: filepath.Join(t.TempDir(), "none.sock"), MaxRetries: -1})
	defer rdb.Close()
	err := hubspot.Take(t.Context(), New(rdb, "x", hubspot.Rate{Calls: 1, Per: time.Second}), hubspot.Sleep)
	if err == nil {
		t.Fatal("Take succeeded without Redis")
	}
	var be *hubspot.BudgetError
	if errors.As(err, &be) || !strings.Contains(err.Error(), "Redis") || !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("err = %v, want a Redis error saying nothing was sent", err)
	}
}
