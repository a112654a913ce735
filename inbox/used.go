// This file holds the record of spent confirmations (see Confirmations):
// in memory for one process, in Redis for replicas behind a load
// balancer, or in a directory for processes that run one after another.

package inbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// UsedRecord remembers which confirmations have been spent, until they
// expire. Implementations are safe for concurrent use.
type UsedRecord interface {
	// MarkUsed records id as spent until the given time and tells whether
	// this call was the first to record it: of any number of calls for one
	// id, in every process sharing the record, exactly one gets true.
	// When it returns an error, the caller must not treat the
	// confirmation as unspent.
	MarkUsed(ctx context.Context, id string, until time.Time) (first bool, err error)
}

// DefaultMaxUsed is how many spent confirmations a MemoryUsed made with
// NewMemoryUsed(0) holds: far more than a HubSpot rate budget lets one
// process send in ConfirmationTTL.
const DefaultMaxUsed = 65536

// ErrUsedRecordFull is what MemoryUsed.MarkUsed returns when it holds its
// maximum of unexpired records: forgetting one early would let it be
// spent again, so no more confirmations are honoured until some expire.
var ErrUsedRecordFull = errors.New("too many confirmations were used in the last 10 minutes")

// MemoryUsed is a UsedRecord for one process: a bounded map from ID to
// expiry. The zero value is not usable; call NewMemoryUsed.
type MemoryUsed struct {
	max int
	mu  sync.Mutex
	m   map[string]time.Time
	// nextSweep is when the expired records are next dropped.
	nextSweep time.Time
}

// NewMemoryUsed returns an empty record holding at most max unexpired
// IDs; max ≤ 0 means DefaultMaxUsed.
func NewMemoryUsed(max int) *MemoryUsed {
	if max <= 0 {
		max = DefaultMaxUsed
	}
	return &MemoryUsed{max: max, m: map[string]time.Time{}}
}

// MarkUsed implements UsedRecord.
func (u *MemoryUsed) MarkUsed(_ context.Context, id string, until time.Time) (bool, error) {
	now := time.Now()
	u.mu.Lock()
	defer u.mu.Unlock()
	if expiry, ok := u.m[id]; ok && now.Before(expiry) {
		return false, nil
	}
	// Sweeping costs a pass over the map, so it runs once a minute, or
	// when the map is full.
	if len(u.m) >= u.max || !now.Before(u.nextSweep) {
		for k, expiry := range u.m {
			if !now.Before(expiry) {
				delete(u.m, k)
			}
		}
		u.nextSweep = now.Add(time.Minute)
	}
	if len(u.m) >= u.max {
		return false, ErrUsedRecordFull
	}
	u.m[id] = until
	return true, nil
}

// UsedKeyPrefix starts every key RedisUsed writes.
const UsedKeyPrefix = "hubspot-conversations-mcp:confirm-used:"

// RedisUsed is a UsedRecord in Redis, shared by every replica using the
// same Redis: one SET NX with a time to live per spent confirmation, so
// Redis decides atomically which attempt is first, and forgets the record
// when the confirmation has expired anyway.
type RedisUsed struct {
	rdb redis.Cmdable
}

// NewRedisUsed returns a UsedRecord kept in rdb.
func NewRedisUsed(rdb redis.Cmdable) *RedisUsed { return &RedisUsed{rdb: rdb} }

// MarkUsed implements UsedRecord. The record lives until until on this
// process's clock, at least a second.
//
// It stores a value unique to this call: when go-redis retries a SET whose
// answer was lost, the retry finds the key taken, and only the value tells
// that it was this call that took it.
func (u *RedisUsed) MarkUsed(ctx context.Context, id string, until time.Time) (bool, error) {
	key, mine := UsedKeyPrefix+id, rand.Text()
	ttl := max(time.Until(until), time.Second)
	first, err := u.rdb.SetNX(ctx, key, mine, ttl).Result()
	if err != nil || first {
		return first, err
	}
	holder, err := u.rdb.Get(ctx, key).Result()
	switch {
	case errors.Is(err, redis.Nil):
		// Taken and already expired: it was spent, by someone.
		return false, nil
	case err != nil:
		return false, err
	}
	return holder == mine, nil
}

// DirUsed is a UsedRecord in a directory, one file per spent
// confirmation, for processes that run one after another on one machine
// and share no memory, such as the `call` command: creating a file with
// O_EXCL decides atomically, on every operating system, which attempt is
// first. Files of expired confirmations are removed as new ones are
// recorded.
type DirUsed struct {
	dir string
}

// NewDirUsed returns a UsedRecord kept in dir, which it creates (mode
// 0700) if needed.
func NewDirUsed(dir string) (*DirUsed, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &DirUsed{dir: dir}, nil
}

// MarkUsed implements UsedRecord.
func (u *DirUsed) MarkUsed(_ context.Context, id string, until time.Time) (bool, error) {
	u.sweep(time.Now())
	// The hex of the ID: file names on case-insensitive file systems
	// would merge IDs that differ only in case.
	f, err := os.OpenFile(filepath.Join(u.dir, hex.EncodeToString([]byte(id))), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		return false, nil
	case err != nil:
		return false, err
	}
	_, err = f.WriteString(strconv.FormatInt(until.Unix(), 10))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	// The file exists, so the confirmation is spent even if its expiry
	// could not be written: sweep then keeps it until it is a day old.
	return true, err
}

// sweep removes the records of confirmations expired before now.
func (u *DirUsed) sweep(now time.Time) {
	entries, err := os.ReadDir(u.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(u.dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		expiry, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			// Unreadable: keep it as long as any confirmation could live.
			info, ierr := e.Info()
			if ierr != nil || now.Sub(info.ModTime()) < 24*time.Hour {
				continue
			}
		} else if now.Unix() <= expiry {
			continue
		}
		_ = os.Remove(path)
	}
}
