package inbox

import (
	"context"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
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
// to obs, so a server can tell its client why a call is slow (MCP
// progress). Every wait of the budget counts: the limiter's turn,
// HubSpot's window reported spent, a 429's Retry-After.
func WithWaitObserver(ctx context.Context, obs WaitObserver) context.Context {
	return context.WithValue(ctx, waitObserverKey{}, obs)
}

// await waits d, or until ctx ends (returning ctx.Err()), reporting a wait
// longer than ObserveInterval to ctx's WaitObserver. It is every client's
// rate wait (hubspot.WithRateWait).
func await(ctx context.Context, d time.Duration) error {
	obs, _ := ctx.Value(waitObserverKey{}).(WaitObserver)
	if obs == nil || d <= ObserveInterval {
		return hubspot.Sleep(ctx, d)
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

type budgetKey struct{}

// WithBudget returns a context whose HubSpot requests each also take a
// turn from l before the credential's own limiter: subscription polling
// passes its share of the budget so, so that it never takes more than its
// share, however many requests a check makes. Answers from the client's
// cache take no turn.
func WithBudget(ctx context.Context, l hubspot.Limiter) context.Context {
	return context.WithValue(ctx, budgetKey{}, l)
}

// budgeted is a credential's limiter, which first takes a turn from the
// context's budget (WithBudget), if any.
type budgeted struct{ hubspot.Limiter }

func (b budgeted) Reserve(ctx context.Context) (time.Duration, func(), error) {
	if extra, ok := ctx.Value(budgetKey{}).(hubspot.Limiter); ok && extra != nil {
		if err := hubspot.Take(ctx, extra, await); err != nil {
			return 0, nil, err
		}
	}
	return b.Limiter.Reserve(ctx)
}
