// Package redislimit is a hubspot.Limiter shared through Redis, so several
// server replicas using one HubSpot credential stay within one budget.
//
// It keeps, per credential, a sorted set of granted send times and grants
// each call the earliest slot that leaves at most Calls sends in any window
// of length Per (plus hubspot.Rate.Guard), exactly like
// hubspot.WindowLimiter does in one process. A
// Lua script reserves the slot atomically on Redis's own clock (TIME), so
// replicas with skewed clocks still share one window. A GCRA or token
// bucket (such as go-redis/redis_rate) would admit up to twice the budget
// inside one rolling window, which HubSpot answers with 429s.
//
// When Redis cannot be reached, Reserve fails and nothing is sent: the budget
// is never exceeded because its keeper is away.
package redislimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// reserve grants the next slot. KEYS[1] is the set of granted slots
// (scores in microseconds); ARGV: calls, window µs, max wait µs (-1: no
// limit), a unique member. It returns {granted (0/1), wait µs, slot µs}.
var reserve = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local calls = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local maxwait = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
local n = redis.call('ZCARD', KEYS[1])
local at = now
if n > 0 then
  local newest = tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
  if newest > at then at = newest end
end
if n >= calls then
  local free = tonumber(redis.call('ZRANGE', KEYS[1], n - calls, n - calls, 'WITHSCORES')[2]) + per
  if free > at then at = free end
end
local wait = at - now
if maxwait >= 0 and wait > maxwait then
  return {0, wait, at}
end
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil((wait + per) / 1000) + 1000)
return {1, wait, at}
`)

// KeyPrefix starts every key the limiter writes.
const KeyPrefix = "hubspot-conversations-mcp:rate:"

// Limiter is a hubspot.Limiter whose state lives in Redis. It is safe for
// concurrent use, and any number of processes may share one key.
type Limiter struct {
	rdb  redis.UniversalClient
	key  string
	rate hubspot.Rate
}

// New returns a limiter for the credential credentialID (see
// inbox.CredentialID; never the token itself) enforcing r.
func New(rdb redis.UniversalClient, credentialID string, r hubspot.Rate) *Limiter {
	return &Limiter{rdb: rdb, key: KeyPrefix + credentialID, rate: r}
}

// Reserve implements hubspot.Limiter: it books the next slot and says how
// long until it. It returns *hubspot.BudgetError at once when no slot comes
// before ctx's deadline, and an error when Redis cannot be asked; in every
// error case nothing may be sent. A slot released because its caller gave
// up stays spent: unlike the in-process limiter, it is not handed to
// another caller.
func (l *Limiter) Reserve(ctx context.Context) (time.Duration, func(), error) {
	_, wait, err := l.reserve(ctx)
	if err != nil {
		return 0, nil, err
	}
	return max(wait, 0), func() {}, nil
}

// reserve asks Redis for a slot and returns its time on Redis's clock and
// how long to wait for it.
func (l *Limiter) reserve(ctx context.Context) (time.Time, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, 0, err
	}
	maxWait := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(0, time.Until(dl).Microseconds())
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	res, err := reserve.Run(ctx, l.rdb, []string{l.key},
		l.rate.Calls, (l.rate.Per + l.rate.Guard()).Microseconds(), maxWait, hex.EncodeToString(b[:])).Int64Slice()
	if err != nil {
		if ctx.Err() != nil {
			return time.Time{}, 0, ctx.Err()
		}
		return time.Time{}, 0, fmt.Errorf("the shared rate-limit store (Redis) did not answer, so nothing was sent: %w", err)
	}
	if len(res) != 3 {
		return time.Time{}, 0, fmt.Errorf("the shared rate-limit store (Redis) gave an unexpected answer %v", res)
	}
	wait := time.Duration(res[1]) * time.Microsecond
	if res[0] == 0 {
		return time.Time{}, 0, &hubspot.BudgetError{Rate: l.rate, Wait: wait}
	}
	return time.UnixMicro(res[2]), wait, nil
}
