package inbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/redistest"
)

func TestMemoryUsed_OnceUntilItExpires(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		u := NewMemoryUsed(0)
		until := time.Now().Add(ConfirmationTTL)
		if first, err := u.MarkUsed(t.Context(), "a", until); !first || err != nil {
			t.Fatalf("first mark: %v %v", first, err)
		}
		if first, err := u.MarkUsed(t.Context(), "a", until); first || err != nil {
			t.Errorf("second mark: %v %v, want not first", first, err)
		}
		time.Sleep(ConfirmationTTL - time.Nanosecond)
		if first, _ := u.MarkUsed(t.Context(), "a", until); first {
			t.Error("forgotten before it expired")
		}
		time.Sleep(time.Nanosecond)
		if first, _ := u.MarkUsed(t.Context(), "a", time.Now().Add(time.Minute)); !first {
			t.Error("an expired record still counts")
		}
	})
}

func TestMemoryUsed_IsBoundedAndNeverForgetsEarly(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		u := NewMemoryUsed(3)
		for _, id := range []string{"a", "b", "c"} {
			if first, err := u.MarkUsed(t.Context(), id, time.Now().Add(time.Minute)); !first || err != nil {
				t.Fatalf("%s: %v %v", id, first, err)
			}
		}
		if _, err := u.MarkUsed(t.Context(), "d", time.Now().Add(time.Minute)); !errors.Is(err, ErrUsedRecordFull) {
			t.Fatalf("a fourth record: %v, want ErrUsedRecordFull", err)
		}
		if first, err := u.MarkUsed(t.Context(), "a", time.Now().Add(time.Minute)); first || err != nil {
			t.Errorf("a full record forgot a: %v %v", first, err)
		}
		time.Sleep(time.Minute)
		if first, err := u.MarkUsed(t.Context(), "d", time.Now().Add(time.Minute)); !first || err != nil {
			t.Errorf("after the others expired: %v %v", first, err)
		}
		if n := u.Len(); n != 1 {
			t.Errorf("%d records kept, want 1", n)
		}
	})
}

// TestMemoryUsed_DropsExpiredRecords: records are swept once a minute, so
// the map does not grow with every confirmation ever spent.
func TestMemoryUsed_DropsExpiredRecords(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		u := NewMemoryUsed(0)
		for i := range 1000 {
			_, _ = u.MarkUsed(t.Context(), string(rune('a'+i%26))+time.Duration(i).String(), time.Now().Add(ConfirmationTTL))
		}
		time.Sleep(ConfirmationTTL + time.Minute)
		_, _ = u.MarkUsed(t.Context(), "new", time.Now().Add(ConfirmationTTL))
		if n := u.Len(); n != 1 {
			t.Errorf("%d records kept after the others expired, want 1", n)
		}
	})
}

// replicaClient is another connection to rdb's server, as another replica
// has.
func replicaClient(t *testing.T, rdb *redis.Client) *redis.Client {
	t.Helper()
	other := redis.NewClient(rdb.Options())
	t.Cleanup(func() { _ = other.Close() })
	return other
}

func TestRedisUsed_OnceWithATimeToLive(t *testing.T) {
	t.Parallel()
	rdb := redistest.Client(t)
	u := NewRedisUsed(rdb)
	until := time.Now().Add(ConfirmationTTL + clockSkew)
	if first, err := u.MarkUsed(t.Context(), "nonce-1", until); !first || err != nil {
		t.Fatalf("first mark: %v %v", first, err)
	}
	if first, err := NewRedisUsed(replicaClient(t, rdb)).MarkUsed(t.Context(), "nonce-1", until); first || err != nil {
		t.Errorf("second mark, from another replica: %v %v, want not first", first, err)
	}
	ttl, err := rdb.PTTL(t.Context(), UsedKeyPrefix+"nonce-1").Result()
	if err != nil || ttl <= ConfirmationTTL || ttl > ConfirmationTTL+clockSkew {
		t.Errorf("the record's time to live is %v (%v), want the confirmation's remaining life, about 11m", ttl, err)
	}
	// A record whose confirmation has just expired still lives a second.
	if first, err := u.MarkUsed(t.Context(), "nonce-2", time.Now().Add(-time.Minute)); !first || err != nil {
		t.Fatalf("mark past its expiry: %v %v", first, err)
	}
	if ttl, err := rdb.PTTL(t.Context(), UsedKeyPrefix+"nonce-2").Result(); err != nil || ttl <= 0 || ttl > time.Second {
		t.Errorf("time to live %v (%v), want up to 1s", ttl, err)
	}
}

// retryingClient answers SET NX as go-redis does when the first answer was
// lost and it retried: the first SET took the key, the retry finds it
// taken.
type retryingClient struct{ *redis.Client }

func (c retryingClient) SetNX(ctx context.Context, key string, value any, ttl time.Duration) *redis.BoolCmd {
	c.Client.SetNX(ctx, key, value, ttl)
	return c.Client.SetNX(ctx, key, value, ttl)
}

func TestRedisUsed_ARetriedSetIsStillTheFirst(t *testing.T) {
	t.Parallel()
	rdb := redistest.Client(t)
	until := time.Now().Add(ConfirmationTTL)
	if first, err := NewRedisUsed(retryingClient{rdb}).MarkUsed(t.Context(), "n", until); !first || err != nil {
		t.Errorf("a retried first SET: %v %v, want first", first, err)
	}
	if first, err := NewRedisUsed(retryingClient{rdb}).MarkUsed(t.Context(), "n", until); first || err != nil {
		t.Errorf("a retried second SET: %v %v, want not first", first, err)
	}
}

func TestRedisUsed_UnreachableIsAnError(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: filepath.Join(t.TempDir(), "none.sock"), MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	c := newTestConfirmations(t, NewRedisUsed(rdb))
	err := c.Redeem(t.Context(), issue(t, c, FlowPreview, subject), FlowPreview, subject)
	wantRefusal(t, "redeem without Redis", err, ErrConfirmationUnrecorded)
}

// TestConfirmations_ReplicasThroughRedisSpendOnce: three replicas, each
// with its own connection to one Redis and the same secret, redeem one
// confirmation 90 times at once: exactly one succeeds.
func TestConfirmations_ReplicasThroughRedisSpendOnce(t *testing.T) {
	t.Parallel()
	rdb := redistest.Client(t)
	var replicas []*Confirmations
	for i := range 3 {
		client := rdb
		if i > 0 {
			client = replicaClient(t, rdb)
		}
		replicas = append(replicas, newTestConfirmations(t, NewRedisUsed(client)))
	}
	for _, flow := range []ConfirmFlow{FlowInputRequired, FlowPreview} {
		for round := range 5 {
			tok := issue(t, replicas[round%3], flow, subject)
			if wins := redeemConcurrently(t, replicas, tok, flow, 90); wins != 1 {
				t.Errorf("%s round %d: %d of 90 concurrent redeemers won, want 1", flow, round, wins)
			}
		}
	}
	n, err := rdb.DBSize(t.Context()).Result()
	if err != nil || n != 10 {
		t.Errorf("Redis holds %d keys (%v), want one per spent confirmation, 10", n, err)
	}
}

func TestMemoryUsed_ExactlyOneOfManyConcurrentMarks(t *testing.T) {
	t.Parallel()
	if wins := firstMarks(t, 100, "same", NewMemoryUsed(0)); wins != 1 {
		t.Errorf("%d of 100 concurrent marks were first, want 1", wins)
	}
}

// firstMarks marks id n times at once, the ith mark through
// records[i%len(records)], and returns how many marks were first.
func firstMarks(t *testing.T, n int, id string, records ...UsedRecord) int {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for i := range n {
		wg.Go(func() {
			first, err := records[i%len(records)].MarkUsed(context.Background(), id, time.Now().Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if first {
				wins++
			}
		})
	}
	wg.Wait()
	return wins
}

// TestDirUsed_OnceAcrossProcessesAndSwept: two records on one directory
// (two `call` processes one after another, or at once) spend an ID once;
// an expired record is removed by the next mark.
func TestDirUsed_OnceAcrossProcessesAndSwept(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "used")
	a, err := NewDirUsed(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewDirUsed(dir)
	if err != nil {
		t.Fatal(err)
	}
	if wins := firstMarks(t, 40, "Same-ID_1", a, b); wins != 1 {
		t.Errorf("%d of 40 marks were first, want 1", wins)
	}
	// IDs that differ only in case are different IDs.
	if first, err := b.MarkUsed(t.Context(), "same-id_1", time.Now().Add(time.Minute)); !first || err != nil {
		t.Errorf("an ID differing in case: %v %v, want first", first, err)
	}
	if first, err := a.MarkUsed(t.Context(), "old", time.Now().Add(-time.Second)); !first || err != nil {
		t.Fatalf("old: %v %v", first, err)
	}
	if _, err := a.MarkUsed(t.Context(), "new", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("%d records after the sweep, want 3 (the expired one removed)", len(entries))
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v (%v), want 0700", info.Mode().Perm(), err)
	}
}
