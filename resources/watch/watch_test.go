package watch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// The engine's tests use fakes of its four seams: what checks read is a
// version number per target, set by the test.

var errTrouble = errors.New("HubSpot is unavailable")

// account is what the fake checker reads.
type account struct {
	mu       sync.Mutex
	versions map[Target]int
	gone     map[Target]bool
	trouble  bool
	list     string
	lists    int      // how many times List was called
	checks   []Target // every Check, in order
	at       []time.Time
	probes   []Target
}

func newAccount() *account {
	return &account{versions: map[Target]int{}, gone: map[Target]bool{}, list: "a,b"}
}

func (a *account) set(t Target, v int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.versions[t] = v
}

func (a *account) setGone(t Target, gone bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gone[t] = gone
}

func (a *account) setTrouble(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.trouble = on
}

func (a *account) setList(l string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.list = l
}

// checked returns how many checks were made so far.
func (a *account) checked() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.checks)
}

// checker is the fake Checker. A check first takes a turn from the budget
// in its context, as the service's requests do.
type checker struct{ a *account }

func (c checker) Probe(_ context.Context, t Target) (State, error) {
	c.a.mu.Lock()
	defer c.a.mu.Unlock()
	c.a.probes = append(c.a.probes, t)
	if c.a.gone[t] {
		return nil, fmt.Errorf("%s %s: 404 not found", t.Kind, t.ID)
	}
	return c.a.versions[t], nil
}

func (c checker) Check(ctx context.Context, t Target, prev State) (State, bool, error) {
	if err := takeTurn(ctx); err != nil {
		return prev, false, err
	}
	c.a.mu.Lock()
	defer c.a.mu.Unlock()
	c.a.checks = append(c.a.checks, t)
	c.a.at = append(c.a.at, time.Now())
	switch {
	case c.a.trouble:
		return prev, false, errTrouble
	case c.a.gone[t]:
		return prev, false, fmt.Errorf("%s %s: %w", t.Kind, t.ID, ErrTargetGone)
	}
	v := c.a.versions[t]
	return v, v != prev.(int), nil
}

func (c checker) List(ctx context.Context) (string, error) {
	if err := takeTurn(ctx); err != nil {
		return "", err
	}
	c.a.mu.Lock()
	defer c.a.mu.Unlock()
	c.a.lists++
	if c.a.trouble {
		return "", errTrouble
	}
	return c.a.list, nil
}

type budgetKey struct{}

// withBudget is Config.Budget for the fake checker.
func withBudget(ctx context.Context, l hubspot.Limiter) context.Context {
	return context.WithValue(ctx, budgetKey{}, l)
}

// takeTurn waits for a turn of the context's budget, if any.
func takeTurn(ctx context.Context) error {
	l, ok := ctx.Value(budgetKey{}).(hubspot.Limiter)
	if !ok {
		return nil
	}
	d, _, err := l.Reserve(ctx)
	if err != nil {
		return err
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type credKey struct{}

// credentials name the credential a context carries.
type credentials struct{}

func (credentials) Credential(ctx context.Context) (string, error) {
	if c, ok := ctx.Value(credKey{}).(string); ok {
		return c, nil
	}
	return "", errors.New("no HubSpot token in this request")
}

func as(ctx context.Context, credential string) context.Context {
	return context.WithValue(ctx, credKey{}, credential)
}

// recorder is a Notifier that keeps what it was told, "<sink> <event>
// <uri>"; gone makes it answer ErrSinkGone.
type recorder struct {
	mu   sync.Mutex
	sent []string
	gone bool
}

type sinkNotifier struct {
	r   *recorder
	key string
}

func (n sinkNotifier) Notify(_ context.Context, note Notification) error {
	n.r.mu.Lock()
	defer n.r.mu.Unlock()
	if n.r.gone {
		return fmt.Errorf("session %s: %w", n.key, ErrSinkGone)
	}
	line := n.key + " " + note.Event.String()
	if note.URI != "" {
		line += " " + note.URI
	}
	n.r.sent = append(n.r.sent, line)
	return nil
}

// drain returns what was sent since the last drain, sorted.
func (r *recorder) drain() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Sorted(slices.Values(r.sent))
	r.sent = nil
	return out
}

func (r *recorder) sinkFor(ctx context.Context, key string) Sink {
	return Sink{Key: key, Context: ctx, Notifier: sinkNotifier{r, key}}
}

// fixture is a Watcher over a fake account.
type fixture struct {
	*Watcher
	a           *account
	r           *recorder
	mu          sync.Mutex
	invalidated []string
}

func newFixture(t *testing.T, rate hubspot.Rate) *fixture {
	f := &fixture{a: newAccount(), r: &recorder{}}
	f.Watcher = New(Config{
		Checker: checker{f.a}, Credentials: credentials{},
		Invalidate: func(c string) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.invalidated = append(f.invalidated, c)
		},
		Budget:   withBudget,
		Interval: time.Minute,
		Rate:     rate,
	})
	t.Cleanup(f.Close)
	return f
}

func (f *fixture) takeInvalidated() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.invalidated
	f.invalidated = nil
	return out
}

// subscribe prepares and starts subs for the sink as credential.
func (f *fixture) subscribe(t *testing.T, ctx context.Context, key string, listChanged bool, subs ...Sub) *Prepared {
	t.Helper()
	p, err := f.Prepare(ctx, key, subs, listChanged)
	if err != nil {
		t.Fatal(err)
	}
	f.Start(f.r.sinkFor(ctx, key), p)
	return p
}

var (
	rate   = hubspot.Rate{Calls: 100, Per: time.Minute}
	thread = Target{"thread", "1"}
	other  = Target{"thread", "2"}
)

// tick lets one interval pass and every poller finish its cycle.
func tick(n int) {
	time.Sleep(time.Duration(n) * time.Minute)
	synctest.Wait()
}

func TestWatcher_ReportsAChangeToEveryURIOfItsTarget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		ctx := as(t.Context(), "cred-a")
		f.subscribe(t, ctx, "session a", false,
			Sub{"hubspot://threads/1", thread}, Sub{"hubspot://threads/1/json", thread}, Sub{"hubspot://threads/2", other})
		tick(3)
		if got := f.r.drain(); len(got) != 0 {
			t.Errorf("notifications with nothing new: %v", got)
		}
		if n := f.a.checked(); n != 6 {
			t.Errorf("%d checks in three cycles of two targets; URIs of one target share its checks", n)
		}
		f.a.set(thread, 1)
		tick(1)
		want := []string{"session a updated hubspot://threads/1", "session a updated hubspot://threads/1/json"}
		if diff := cmp.Diff(want, f.r.drain()); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"cred-a"}, f.takeInvalidated()); diff != "" {
			t.Errorf("a change invalidates its credential's caches (-want +got):\n%s", diff)
		}
		tick(2)
		if got := f.r.drain(); len(got) != 0 {
			t.Errorf("a change reported twice: %v", got)
		}
	})
}

func TestWatcher_RemovingTheLastURIStopsPolling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		ctx := as(t.Context(), "cred-a")
		f.subscribe(t, ctx, "session a", false, Sub{"md", thread}, Sub{"json", thread})
		if n := f.Count("session a"); n != 2 {
			t.Fatalf("Count = %d, want 2", n)
		}
		f.Remove("session a", "md")
		f.a.set(thread, 1)
		tick(1)
		if diff := cmp.Diff([]string{"session a updated json"}, f.r.drain()); diff != "" {
			t.Errorf("after removing one form (-want +got):\n%s", diff)
		}
		f.Remove("session a", "json")
		synctest.Wait()
		before := f.a.checked()
		f.a.set(thread, 2)
		tick(10)
		if n := f.a.checked() - before; n != 0 {
			t.Errorf("%d checks after the last URI was removed", n)
		}
		if n := len(f.pollers); n != 0 {
			t.Errorf("%d pollers left", n)
		}
	})
}

func TestWatcher_TroubleIsNoChangeAndGoneIsReportedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		f.subscribe(t, as(t.Context(), "cred-a"), "session a", false, Sub{"t1", thread})

		f.a.setTrouble(true)
		tick(5)
		if got := f.r.drain(); len(got) != 0 {
			t.Errorf("notifications while HubSpot is in trouble: %v", got)
		}
		f.a.setTrouble(false)

		f.a.setGone(thread, true)
		tick(5)
		if diff := cmp.Diff([]string{"session a updated t1"}, f.r.drain()); diff != "" {
			t.Errorf("a target that is gone (-want +got):\n%s", diff)
		}
		if got := f.takeInvalidated(); len(got) != 0 {
			t.Errorf("a target gone is no activity, yet %v were invalidated", got)
		}
		f.a.setGone(thread, false)
		tick(3)
		if diff := cmp.Diff([]string{"session a updated t1"}, f.r.drain()); diff != "" {
			t.Errorf("a target back (-want +got):\n%s", diff)
		}
	})
}

// TestWatcher_ALaterSubscriptionLosesNoChange subscribes to a second form of
// a target after a change the first has not been told about yet: the
// target keeps its state, so the first still hears of it.
func TestWatcher_ALaterSubscriptionLosesNoChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		ctx := as(t.Context(), "cred-a")
		f.subscribe(t, ctx, "session a", false, Sub{"md", thread})
		f.a.set(thread, 1)
		f.subscribe(t, ctx, "session a", false, Sub{"json", thread}) // its probe sees version 1
		tick(1)
		if got := f.r.drain(); !slices.Contains(got, "session a updated md") {
			t.Errorf("notifications %v lack md", got)
		}
	})
}

func TestWatcher_ListChanged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		f.subscribe(t, as(t.Context(), "cred-a"), "session a", true, Sub{"t1", thread})
		// The list changes before the first cycle: the baseline taken when
		// subscribing still sees it.
		f.a.setList("a")
		tick(1)
		if diff := cmp.Diff([]string{"session a list_changed"}, f.r.drain()); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"cred-a"}, f.takeInvalidated()); diff != "" {
			t.Errorf("invalidated (-want +got):\n%s", diff)
		}
		tick(3)
		if got := f.r.drain(); len(got) != 0 {
			t.Errorf("notifications with nothing new: %v", got)
		}
		// Trouble reading the list is no change, and keeps the baseline.
		f.a.setTrouble(true)
		tick(2)
		f.a.setTrouble(false)
		f.a.setList("a,c")
		tick(1)
		if diff := cmp.Diff([]string{"session a list_changed"}, f.r.drain()); diff != "" {
			t.Errorf("after trouble (-want +got):\n%s", diff)
		}

		// A sink that did not ask for it hears nothing of the list.
		f.subscribe(t, as(t.Context(), "cred-a"), "session b", false, Sub{"t2", other})
		f.a.setList("z")
		tick(1)
		if diff := cmp.Diff([]string{"session a list_changed"}, f.r.drain()); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestWatcher_ASessionTakesTheListsBaselineOnce subscribes one session to
// several URIs, each asking for list changes (as every legacy subscribe
// does): only the first reads the list, whose reading costs HubSpot calls;
// the others find the baseline in the session's poller. Another session,
// or the same one with another credential, takes its own.
func TestWatcher_ASessionTakesTheListsBaselineOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		lists := func() int {
			f.a.mu.Lock()
			defer f.a.mu.Unlock()
			return f.a.lists
		}
		for i := range 5 {
			f.subscribe(t, as(t.Context(), "cred-a"), "session a", true, Sub{fmt.Sprint("t", i), Target{"thread", fmt.Sprint(i)}})
		}
		if n := lists(); n != 1 {
			t.Errorf("%d readings of the list for 5 subscriptions of one session, want 1", n)
		}
		f.subscribe(t, as(t.Context(), "cred-a"), "session b", true, Sub{"t1", thread})
		f.subscribe(t, as(t.Context(), "cred-b"), "session a", true, Sub{"t1", thread})
		if n := lists(); n != 3 {
			t.Errorf("%d readings of the list, want 3: one per sink and credential", n)
		}
		// The baseline is still the one the first subscription took.
		f.a.setList("a")
		tick(1)
		want := []string{"session a list_changed", "session a list_changed", "session b list_changed"}
		if diff := cmp.Diff(want, f.r.drain()); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}
	})
}

func TestWatcher_AGoneSinkStopsItsPoller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		f.subscribe(t, as(t.Context(), "cred-a"), "session a", false, Sub{"t1", thread})
		f.r.mu.Lock()
		f.r.gone = true
		f.r.mu.Unlock()
		f.a.set(thread, 1)
		tick(1)
		before := f.a.checked()
		f.a.set(thread, 2)
		tick(5)
		if n := f.a.checked() - before; n != 0 {
			t.Errorf("%d checks for a sink that is gone", n)
		}
		if n := f.Count("session a"); n != 0 {
			t.Errorf("Count = %d for a sink that is gone", n)
		}
	})
}

func TestWatcher_ASinkEndsWithItsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		ctx, cancel := context.WithCancel(as(t.Context(), "cred-a"))
		f.subscribe(t, ctx, "listen 1", false, Sub{"t1", thread})
		tick(1)
		cancel()
		synctest.Wait()
		if n := f.Count("listen 1"); n != 0 {
			t.Errorf("Count = %d after the sink's context ended", n)
		}
		before := f.a.checked()
		tick(5)
		if n := f.a.checked() - before; n != 0 {
			t.Errorf("%d checks after the sink's context ended", n)
		}
	})
}

func TestWatcher_DropAndClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		f.subscribe(t, as(t.Context(), "cred-a"), "session a", false, Sub{"t1", thread})
		f.subscribe(t, as(t.Context(), "cred-b"), "session a", false, Sub{"t2", other})
		f.subscribe(t, as(t.Context(), "cred-a"), "session b", false, Sub{"t1", thread})
		if n := len(f.pollers); n != 3 {
			t.Fatalf("%d pollers, want one per sink and credential", n)
		}
		if n := f.Count("session a"); n != 2 {
			t.Errorf("Count(session a) = %d, want 2 (both credentials)", n)
		}
		f.Drop("session a")
		synctest.Wait()
		if n := len(f.pollers); n != 1 {
			t.Errorf("%d pollers after dropping session a, want 1", n)
		}
		f.Close()
		if n := len(f.pollers); n != 0 {
			t.Errorf("%d pollers after Close", n)
		}
		// Nothing starts after Close.
		f.subscribe(t, as(t.Context(), "cred-a"), "session c", false, Sub{"t1", thread})
		if n := len(f.pollers); n != 0 {
			t.Errorf("%d pollers started after Close", n)
		}
	})
}

func TestWatcher_PrepareRefusesWhatItCannotProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, rate)
		f.a.setGone(other, true)
		p, err := f.Prepare(as(t.Context(), "cred-a"), "session a", []Sub{{"md", thread}, {"x", other}, {"json", thread}, {"y", other}}, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"md", "json"}, p.URIs()); diff != "" {
			t.Errorf("URIs (-want +got):\n%s", diff)
		}
		var refused []string
		for _, r := range p.Refused {
			refused = append(refused, r.Sub.URI)
		}
		if diff := cmp.Diff([]string{"x", "y"}, refused); diff != "" {
			t.Errorf("refused (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]Target{thread, other}, f.a.probes); diff != "" {
			t.Errorf("each target is probed once (-want +got):\n%s", diff)
		}
		if _, err := f.Prepare(t.Context(), "session a", []Sub{{"md", thread}}, false); err == nil {
			t.Error("Prepare without a credential succeeded")
		}
		nothing, err := f.Prepare(as(t.Context(), "cred-a"), "session a", []Sub{{"y", other}}, false)
		if err != nil || !nothing.Empty() {
			t.Errorf("Prepare of a target that is gone: %v, empty %v", err, nothing.Empty())
		}
	})
}

func TestWatcher_WithoutABudgetNothingIsWatched(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, hubspot.Rate{})
		if f.Enabled() {
			t.Error("Enabled with no polling budget")
		}
		f.subscribe(t, as(t.Context(), "cred-a"), "session a", true, Sub{"t1", thread})
		tick(5)
		if n := f.a.checked(); n != 0 || len(f.pollers) != 0 {
			t.Errorf("%d checks and %d pollers without a budget", n, len(f.pollers))
		}
	})
}

// TestWatcher_StaysWithinItsBudget subscribes two sinks of one credential to
// more targets than the budget allows per interval: the cycles stretch and
// no window holds more checks than the budget, which both sinks share.
func TestWatcher_StaysWithinItsBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		budget := hubspot.Rate{Calls: 4, Per: time.Minute}
		f := newFixture(t, budget)
		f.cfg.Interval = time.Second
		for i := range 6 {
			f.subscribe(t, as(t.Context(), "cred-a"), fmt.Sprint("session ", i%2), false, Sub{fmt.Sprint("t", i), Target{"thread", fmt.Sprint(i)}})
		}
		time.Sleep(30 * time.Minute)
		synctest.Wait()
		f.a.mu.Lock()
		at := f.a.at
		f.a.mu.Unlock()
		if len(at) < 29*budget.Calls {
			t.Errorf("%d checks in 30 minutes; the budget allows %d", len(at), 30*budget.Calls)
		}
		for i := range at {
			j := i
			for j < len(at) && at[j].Sub(at[i]) < budget.Per {
				j++
			}
			if n := j - i; n > budget.Calls {
				t.Fatalf("%d checks within %s from %s; the budget is %v", n, budget.Per, at[i], budget)
			}
		}
	})
}
