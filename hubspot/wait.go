package hubspot

import (
	"context"
	"time"
)

// WaitObserver hears about a call waiting for its turn in the rate budget:
// it is called once the wait is known to outlast ObserveInterval, and then
// every ObserveInterval until the turn comes, with the time left. It runs
// on the waiting goroutine, so it must return quickly.
type WaitObserver func(left time.Duration)

// ObserveInterval is how often a WaitObserver hears about a long wait, and
// the shortest wait it hears about at all.
const ObserveInterval = time.Second

type waitObserverKey struct{}

// WithWaitObserver returns a context whose rate-budget waits are reported
// to obs, so a server can tell its client why a call is slow.
func WithWaitObserver(ctx context.Context, obs WaitObserver) context.Context {
	return context.WithValue(ctx, waitObserverKey{}, obs)
}

// Await waits d, or until ctx ends (returning ctx.Err()), reporting a wait
// longer than ObserveInterval to ctx's WaitObserver. Limiters call it to
// wait for a slot they granted.
func Await(ctx context.Context, d time.Duration) error {
	obs, _ := ctx.Value(waitObserverKey{}).(WaitObserver)
	if obs == nil || d <= ObserveInterval {
		return sleep(ctx, d)
	}
	until := time.Now().Add(d)
	t := time.NewTimer(d)
	defer t.Stop()
	tick := time.NewTicker(ObserveInterval)
	defer tick.Stop()
	obs(d)
	for {
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			if left := time.Until(until); left > 0 {
				obs(left)
			}
		}
	}
}
