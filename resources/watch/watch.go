// Package watch is the subscription engine: it polls what MCP clients
// subscribed to and tells them when it changed. It knows nothing of MCP
// (package resources adapts it to mcp-go) and nothing of what a check reads
// (a Checker does: resources' reads HubSpot through the service).
//
// The engine is four small seams and the state between them:
//
//   - a Checker reads a target (a thread, an inbox's activity, the list of
//     inboxes) and says whether it changed;
//   - a Notifier delivers a sink's notifications (a session, or one
//     subscriptions/listen stream);
//   - Credentials names the HubSpot credential a subscriber's context uses:
//     pollers and polling budgets are per credential;
//   - Invalidate is told when polling saw a credential's account change, so
//     that caches of what resources/list shows refresh.
//
// Ownership: the Watcher alone starts a poller (Start, when a subscription
// is established) and stops it (when its last URI is removed, its sink is
// dropped or its context ends, or the Watcher closes). Each sink has one
// poller per credential; it checks its targets every Interval, each HubSpot
// request of a check taking a turn from a limiter that all pollers of that
// credential share, sized to Rate (Config.Budget). With many subscriptions
// the budget, not the interval, sets the pace: a cycle simply takes longer.
package watch

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Target is what one check reads. Subscriptions whose URIs share a target
// (a thread as Markdown and as JSON) share its checks and its state.
type Target struct {
	Kind string // the Checker's word for what it reads, such as "thread"
	ID   string
}

// Sub is one subscribed URI and the target its checks read.
type Sub struct {
	URI    string
	Target Target
}

// State is what the last check of a target saw. Only the Checker reads it:
// the engine keeps it and hands it back to the next check.
type State any

// ErrTargetGone, wrapped in a check's error, says that the target now reads
// as an error (deleted, archived): a change, reported once, rather than
// trouble to retry.
var ErrTargetGone = errors.New("the subscribed resource is gone")

// ErrSinkGone, wrapped in a Notifier's error, says that nobody receives the
// sink's notifications any more (its session ended): its poller stops.
var ErrSinkGone = errors.New("the subscriber is gone")

// Checker reads targets. Its calls get the subscriber's context: its values
// name the credential, and during polls they carry polling's budget.
type Checker interface {
	// Probe reads a target's first state, when it is subscribed to.
	Probe(ctx context.Context, t Target) (State, error)
	// Check reads a target again; changed tells whether it differs from
	// prev. An error wrapping ErrTargetGone means the target now reads as
	// an error; any other error is trouble, and the next cycle retries.
	Check(ctx context.Context, t Target, prev State) (next State, changed bool, err error)
	// List fingerprints the listing whose changes the list-changed
	// notification reports; equal fingerprints mean no change.
	List(ctx context.Context) (string, error)
}

// Credentials names the credential a context's requests use.
// *inbox.Service is one.
type Credentials interface {
	Credential(ctx context.Context) (string, error)
}

// Event is what a notification says.
type Event int

const (
	// Updated: the resource URI names changed.
	Updated Event = iota + 1
	// ListChanged: the list of resources changed.
	ListChanged
)

// Notification is what the engine tells a sink.
type Notification struct {
	Event Event
	URI   string // for Updated
}

// Notifier delivers one sink's notifications. Notify must not block: the
// poller sends while it holds its lock, so that no notification follows
// the answer to an unsubscribe. An error wrapping ErrSinkGone stops the
// sink's poller; other errors are logged.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// Sink is where one subscriber's notifications go.
type Sink struct {
	// Key identifies the sink, such as "session <id>"; the adapter chooses
	// it, and removes and drops subscriptions by it.
	Key string
	// Context carries the subscriber's values (such as a per-user HubSpot
	// token) to every check; the sink's poller ends when it ends. A
	// session's sink passes a context without cancellation.
	Context context.Context
	// Notifier delivers the sink's notifications.
	Notifier Notifier
}

// Config configures a Watcher. Checker and Credentials are required.
type Config struct {
	Checker     Checker
	Credentials Credentials
	// Invalidate is told that a poll saw a credential's account change (a
	// target's activity, or the list), so that what caches it refreshes.
	Invalidate func(credential string)
	// Budget returns ctx with l as the limiter every HubSpot request of a
	// check also takes a turn from (inbox.WithBudget).
	Budget func(ctx context.Context, l hubspot.Limiter) context.Context
	// Interval is the pause between two checks of a sink's targets
	// (default one minute).
	Interval time.Duration
	// Rate is the most polling may use per credential; zero Calls turns
	// polling off.
	Rate   hubspot.Rate
	Logger *slog.Logger
}

// Watcher owns the pollers. Safe for concurrent use.
type Watcher struct {
	cfg Config

	mu      sync.Mutex
	closed  bool
	pollers map[pollerKey]*poller
	budgets map[string]*budget // by credential
	wg      sync.WaitGroup
}

type pollerKey struct {
	sink       string
	credential string
}

// budget is the limiter all pollers of one credential share.
type budget struct {
	limiter   hubspot.Limiter
	refs      int
	idleSince time.Time
}

// New returns a Watcher.
func New(cfg Config) *Watcher {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Invalidate == nil {
		cfg.Invalidate = func(string) {}
	}
	if cfg.Budget == nil {
		cfg.Budget = func(ctx context.Context, _ hubspot.Limiter) context.Context { return ctx }
	}
	return &Watcher{cfg: cfg, pollers: map[pollerKey]*poller{}, budgets: map[string]*budget{}}
}

// Enabled tells whether polling has a budget: without one, Start watches
// nothing, and a server should not offer subscriptions.
func (w *Watcher) Enabled() bool { return w.cfg.Rate.Calls > 0 }

// Prepared is a subscription checked and probed, ready to Start.
type Prepared struct {
	credential  string
	subs        []*sub
	listChanged bool
	list        string // the list's fingerprint when prepared; "" if unknown

	// Refused are the subscriptions whose probe failed, with the error:
	// Start leaves them out.
	Refused []Refusal
}

// Refusal is a subscription left out, and why.
type Refusal struct {
	Sub Sub
	Err error
}

// URIs returns the URIs Start watches.
func (p *Prepared) URIs() []string {
	out := make([]string, len(p.subs))
	for i, sb := range p.subs {
		out[i] = sb.uri
	}
	return out
}

// Empty tells whether Start would watch nothing.
func (p *Prepared) Empty() bool { return len(p.subs) == 0 && !p.listChanged }

// sub is one subscribed URI with the state its probe saw.
type sub struct {
	uri    string
	target Target
	state  State
}

// Prepare names the subscriber's credential and probes each target once,
// with ctx (the subscribing request's: its budget, not polling's), for the
// sink sinkKey names. A target whose probe fails is refused. listChanged
// asks for list-changed notifications too, and takes the list's baseline
// now, so that a change right after subscribing is not mistaken for the
// starting point, unless the sink's poller for this credential already has
// one (a session's every subscription asks for list changes, and the list
// costs several HubSpot calls). Only the credential's failure is an error.
func (w *Watcher) Prepare(ctx context.Context, sinkKey string, subs []Sub, listChanged bool) (*Prepared, error) {
	cred, err := w.cfg.Credentials.Credential(ctx)
	if err != nil {
		return nil, err
	}
	p := &Prepared{credential: cred, listChanged: listChanged}
	probed := map[Target]State{}
	failed := map[Target]error{}
	for _, s := range subs {
		if err, ok := failed[s.Target]; ok {
			p.Refused = append(p.Refused, Refusal{s, err})
			continue
		}
		st, ok := probed[s.Target]
		if !ok {
			if st, err = w.cfg.Checker.Probe(ctx, s.Target); err != nil {
				failed[s.Target] = err
				p.Refused = append(p.Refused, Refusal{s, err})
				continue
			}
			probed[s.Target] = st
		}
		p.subs = append(p.subs, &sub{uri: s.URI, target: s.Target, state: st})
	}
	if listChanged && !w.hasList(sinkKey, cred) {
		// Without a baseline the poller takes one on its first cycle.
		p.list, _ = w.cfg.Checker.List(ctx)
	}
	return p, nil
}

// hasList tells whether the sink's poller for credential already has a
// baseline of the list, which Start keeps.
func (w *Watcher) hasList(sinkKey, credential string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	pl, ok := w.pollers[pollerKey{sinkKey, credential}]
	return ok && pl.hasList()
}

// Start watches what p prepared for the sink, creating the sink's poller
// for p's credential if needed. A URI the sink already watches is replaced;
// a target the poller already checks keeps its state, so a change is never
// lost (at worst it is reported to the newcomer too).
func (w *Watcher) Start(s Sink, p *Prepared) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || !w.Enabled() || p.Empty() {
		return
	}
	key := pollerKey{s.Key, p.credential}
	pl, ok := w.pollers[key]
	if !ok {
		base := s.Context
		if base == nil {
			base = context.Background()
		}
		ctx, cancel := context.WithCancel(base)
		pl = &poller{w: w, key: key, sink: s, budget: w.acquire(p.credential), cancel: cancel,
			subs: map[string]*sub{}, states: map[Target]seen{}}
		w.pollers[key] = pl
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			pl.run(ctx)
		}()
	}
	pl.add(p)
}

// Count returns how many URIs the sink watches.
func (w *Watcher) Count(sinkKey string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for k, p := range w.pollers {
		if k.sink == sinkKey {
			n += p.count()
		}
	}
	return n
}

// Remove stops watching uri for the sink; a poller left with nothing to
// watch stops.
func (w *Watcher) Remove(sinkKey, uri string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, p := range w.pollers {
		if k.sink == sinkKey && p.remove(uri) {
			w.stopLocked(p)
		}
	}
}

// Drop stops every poller of a sink (a session that ended).
func (w *Watcher) Drop(sinkKey string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, p := range w.pollers {
		if k.sink == sinkKey {
			w.stopLocked(p)
		}
	}
}

// Forget drops a credential's polling budget if no poller holds it (the
// credential was evicted).
func (w *Watcher) Forget(credential string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if b, ok := w.budgets[credential]; ok && b.refs == 0 {
		delete(w.budgets, credential)
	}
}

// Close stops all pollers and waits for them.
func (w *Watcher) Close() {
	w.mu.Lock()
	w.closed = true
	for _, p := range w.pollers {
		w.stopLocked(p)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

// stop stops p, if still running.
func (w *Watcher) stop(p *poller) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopLocked(p)
}

func (w *Watcher) stopLocked(p *poller) {
	if w.pollers[p.key] != p {
		return
	}
	delete(w.pollers, p.key)
	p.cancel()
	w.release(p.key.credential)
}

// acquire returns a credential's polling budget. Budgets outlive their
// pollers by one window, so resubscribing cannot reset the window. w.mu
// must be held.
func (w *Watcher) acquire(credential string) *budget {
	per := w.cfg.Rate.Per
	for k, b := range w.budgets {
		if b.refs == 0 && time.Since(b.idleSince) > per && k != credential {
			delete(w.budgets, k)
		}
	}
	b, ok := w.budgets[credential]
	if !ok {
		b = &budget{limiter: hubspot.NewWindowLimiter(w.cfg.Rate)}
		w.budgets[credential] = b
	}
	b.refs++
	return b
}

// release gives a poller's hold on a budget back; w.mu must be held.
func (w *Watcher) release(credential string) {
	if b, ok := w.budgets[credential]; ok {
		b.refs--
		if b.refs == 0 {
			b.idleSince = time.Now()
		}
	}
}

func (e Event) String() string {
	switch e {
	case Updated:
		return "updated"
	case ListChanged:
		return "list_changed"
	}
	return "unknown"
}
