package hubspot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a call budget: at most Calls requests in any window of length Per.
type Rate struct {
	Calls int
	Per   time.Duration
}

// DefaultRate is the connector's published throttle: 100 calls per 60 s per
// connection. HubSpot's own burst limit is 100 per 10 s on Free and Starter
// (190 on Professional and Enterprise).
var DefaultRate = Rate{Calls: 100, Per: time.Minute}

// MaxRateCalls bounds Rate.Calls; the limiter keeps one timestamp per call.
const MaxRateCalls = 1_000_000

// ParseRate parses "calls/duration": "100/10s", "100/60s", "100/1m",
// "190/10s", "5/s", "6000/h". The duration is a Go duration or a bare unit
// (s, m, min, h, d).
func ParseRate(s string) (Rate, error) {
	calls, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: want calls/duration, such as 100/10s", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(calls))
	if err != nil || n < 1 || n > MaxRateCalls {
		return Rate{}, fmt.Errorf("rate %q: calls must be a whole number from 1 to %d", s, MaxRateCalls)
	}
	per = strings.TrimSpace(per)
	var d time.Duration
	switch strings.ToLower(per) {
	case "s", "sec", "second":
		d = time.Second
	case "m", "min", "minute":
		d = time.Minute
	case "h", "hour":
		d = time.Hour
	case "d", "day":
		d = 24 * time.Hour
	default:
		d, err = time.ParseDuration(per)
		if err != nil {
			return Rate{}, fmt.Errorf("rate %q: duration must be like 10s, 1m or 1h", s)
		}
	}
	if d < time.Millisecond || d > 7*24*time.Hour {
		return Rate{}, fmt.Errorf("rate %q: duration must be from 1ms to 168h", s)
	}
	return Rate{Calls: n, Per: d}, nil
}

func (r Rate) String() string {
	per := r.Per.String()
	if r.Per%time.Second == 0 {
		per = strconv.FormatInt(int64(r.Per/time.Second), 10) + "s"
	}
	return strconv.Itoa(r.Calls) + " calls per " + per
}

// Limiter decides when a request may be sent. Reserve books a turn for one
// request and says how long until it comes: the caller waits that long
// (the client with its rate wait, see WithRateWait), then sends. A caller
// that gives up before its turn calls release, which may hand the turn to
// another caller. An error means no turn was booked and nothing may be
// sent: ctx.Err() when ctx has ended, *BudgetError when no turn comes
// before ctx's deadline, or the limiter's own failure.
type Limiter interface {
	Reserve(ctx context.Context) (delay time.Duration, release func(), err error)
}

// Take takes a turn from l and waits for it with wait (the client's rate
// wait, see WithRateWait, or Sleep), releasing the turn if the wait fails.
// When it returns nil, a request may be sent now; an error (l's, or the
// wait's, such as ctx.Err()) means nothing may be sent.
func Take(ctx context.Context, l Limiter, wait func(context.Context, time.Duration) error) error {
	delay, release, err := l.Reserve(ctx)
	if err != nil || delay <= 0 {
		return err
	}
	if err := wait(ctx, delay); err != nil {
		release()
		return err
	}
	return nil
}

// Guard is the margin kept between a send and the one Calls places after
// it, beyond Per: Per/20, at most 250 ms. HubSpot counts requests when they
// arrive, and a request granted on time may arrive a little late; without
// the margin, a late one and an on-time one could land in one window.
func (r Rate) Guard() time.Duration {
	return min(r.Per/20, 250*time.Millisecond)
}

// WindowLimiter is the in-process Limiter: a token bucket from
// golang.org/x/time/rate (rate Calls/Per, burst Calls) meters the average
// rate, and a log of the last Calls send times holds the hard bound that
// HubSpot enforces: at most Calls sends in ANY window of length Per (plus
// Rate.Guard). A bucket alone admits a full burst plus its refill inside
// one window (up to twice the budget), which HubSpot answers with 429s.
//
// A caller that gives up while waiting (its context ends) leaves the queue
// and sends nothing; the slot it was granted goes to the next caller that
// can use it at that very time, so cancelled calls waste no budget and the
// send times stay those the log allowed. It is safe for concurrent use.
type WindowLimiter struct {
	rate   Rate
	bucket *rate.Limiter

	mu   sync.Mutex
	sent []int64 // unix nanos of granted slots, a ring of Calls entries
	next int
	// freed are future slots whose callers gave up, unix nanos.
	freed []int64
}

// NewWindowLimiter returns a limiter for r, which must be valid (see ParseRate).
func NewWindowLimiter(r Rate) *WindowLimiter {
	if r.Calls < 1 || r.Per <= 0 {
		r = DefaultRate
	}
	return &WindowLimiter{
		rate:   r,
		bucket: rate.NewLimiter(rate.Limit(float64(r.Calls)/r.Per.Seconds()), r.Calls),
		sent:   make([]int64, r.Calls),
	}
}

// Rate returns the limiter's budget.
func (l *WindowLimiter) Rate() Rate { return l.rate }

// Reserve implements Limiter.
func (l *WindowLimiter) Reserve(ctx context.Context) (time.Duration, func(), error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	l.mu.Lock()
	now := time.Now()
	if at, ok := l.takeFreed(ctx, now); ok {
		l.mu.Unlock()
		return at.Sub(now), l.releaser(at), nil
	}
	res := l.bucket.ReserveN(now, 1)
	at := now.Add(res.DelayFrom(now))
	if oldest := l.sent[l.next]; oldest != 0 {
		if free := time.Unix(0, oldest).Add(l.rate.Per + l.rate.Guard()); free.After(at) {
			at = free
		}
	}
	if dl, ok := ctx.Deadline(); ok && at.After(dl) {
		res.CancelAt(now)
		l.mu.Unlock()
		return 0, nil, &BudgetError{Rate: l.rate, Wait: at.Sub(now)}
	}
	l.sent[l.next] = at.UnixNano()
	l.next = (l.next + 1) % len(l.sent)
	l.mu.Unlock()
	return at.Sub(now), l.releaser(at), nil
}

// releaser returns the release of the slot at: a slot still in the future
// is freed for another caller.
func (l *WindowLimiter) releaser(at time.Time) func() {
	return func() {
		l.mu.Lock()
		if at.After(time.Now()) {
			l.freed = append(l.freed, at.UnixNano())
		}
		l.mu.Unlock()
	}
}

// takeFreed takes the earliest freed slot still in the future that ctx's
// deadline allows, dropping those that passed unused. l.mu is held.
func (l *WindowLimiter) takeFreed(ctx context.Context, now time.Time) (time.Time, bool) {
	l.freed = slices.DeleteFunc(l.freed, func(t int64) bool { return t <= now.UnixNano() })
	if len(l.freed) == 0 {
		return time.Time{}, false
	}
	i := slices.Index(l.freed, slices.Min(l.freed))
	at := time.Unix(0, l.freed[i])
	if dl, ok := ctx.Deadline(); ok && at.After(dl) {
		return time.Time{}, false
	}
	l.freed = slices.Delete(l.freed, i, i+1)
	return at, true
}
