package resources

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Subscriptions are served by polling. The subscription engine is this
// file (the watcher and its pollers), poll.go (what a poll checks) and
// hooks.go (how subscribe, unsubscribe and listen requests reach the
// watcher); nothing else starts or stops polling.
//
// Ownership: the watcher alone starts a poller (add, when a subscription
// is established) and stops it (when its last URI is unsubscribed, its
// session ends, its listen stream ends, or the catalog closes); pollers
// are keyed by sink and HubSpot credential ID, and so are the polling
// budgets.
//
// Each sink (a session, or one subscriptions/listen stream of the
// 2026-07-28 protocol) with something to watch has one poller per
// credential; it checks its targets every PollInterval through the service
// with the subscriber's context (which names the credential), each HubSpot
// request taking a turn from a limiter shared by all pollers of that
// credential and sized to PollRate (inbox.WithBudget). With many
// subscriptions the budget, not the interval, sets the pace: a cycle
// simply takes longer.

// sub is one subscribed URI, with the state its probe saw.
type sub struct {
	uri    string
	target target
	state  state
}

// sink is where a poller's notifications go.
type sink struct {
	// key identifies the sink: "session <id>", or "listen <n>" for the
	// n-th subscriptions/listen stream.
	key string
	// sessionID is the MCP session; notifications of a legacy session go
	// to it by ID.
	sessionID string
	// listen is the subscriptions/listen request's context; its
	// notifications go through it, and the poller ends with it.
	listen context.Context
	// base carries the subscribing request's values (such as a per-user
	// HubSpot token) without its cancellation, for a session's poller.
	base context.Context
	// listChanged asks for notifications/resources/list_changed.
	listChanged bool
	// open is the open-thread set taken when the subscription was made:
	// the list_changed baseline of a new poller, so a change right after
	// subscribing is not mistaken for the starting point.
	open string
}

type pollerKey struct {
	sink       string
	credential string // inbox.CredentialID
}

// poller polls one sink's subscriptions with one client.
type poller struct {
	w      *watcher
	key    pollerKey
	sink   sink
	budget *pollBudget
	cancel context.CancelFunc

	mu   sync.Mutex
	subs map[string]*sub // by URI
	// states holds what the last poll of each target saw. A target keeps
	// its state while any URI watches it: a later subscription to the same
	// thread or inbox joins it rather than resetting it, so a change is
	// never lost (at worst reported to the newcomer too).
	states map[target]state
	// open is the last open-thread set seen, for list_changed; guarded by mu.
	open string
}

// pollBudget is the limiter all pollers of one credential share.
type pollBudget struct {
	limiter   hubspot.Limiter
	refs      int
	idleSince time.Time
}

// notifier sends a notification to a sink. Tests replace it.
type notifier func(s sink, method string, params map[string]any) error

// watcher owns the pollers.
type watcher struct {
	cat    *Catalog
	notify notifier

	mu      sync.Mutex
	closed  bool
	pollers map[pollerKey]*poller
	budgets map[string]*pollBudget // by credential ID
	pending map[pendingKey]pending
	wg      sync.WaitGroup
}

// pending is a subscription probed at request initialization, waiting for
// mcp-go to accept the request.
type pending struct {
	credential  string
	subs        []*sub
	listChanged bool
	open        string
	at          time.Time
}

func newWatcher(c *Catalog) *watcher {
	w := &watcher{cat: c, pollers: map[pollerKey]*poller{}, budgets: map[string]*pollBudget{}, pending: map[pendingKey]pending{}}
	w.notify = w.send
	return w
}

// send delivers a notification through the MCP server.
func (w *watcher) send(s sink, method string, params map[string]any) error {
	srv := w.cat.srv
	if srv == nil {
		return errors.New("catalog not attached to a server")
	}
	if s.listen != nil {
		return srv.SendNotificationToClient(s.listen, method, params)
	}
	return srv.SendNotificationToSpecificClient(s.sessionID, method, params)
}

func (w *watcher) enabled() bool { return w.cat.opts.PollRate.Calls > 0 }

// hold parks a probed subscription until the request succeeds.
func (w *watcher) hold(key pendingKey, p pending) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, old := range w.pending {
		if time.Since(old.at) > time.Minute {
			delete(w.pending, k)
		}
	}
	p.at = time.Now()
	w.pending[key] = p
}

func (w *watcher) take(key pendingKey) (pending, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pending[key]
	delete(w.pending, key)
	return p, ok
}

// dropPending forgets what a session that ended left waiting.
func (w *watcher) dropPending(s server.ClientSession) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k := range w.pending {
		if k.session == s {
			delete(w.pending, k)
		}
	}
}

// count returns how many subscriptions the sink has.
func (w *watcher) count(sinkKey string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for k, p := range w.pollers {
		if k.sink == sinkKey {
			p.mu.Lock()
			n += len(p.subs)
			p.mu.Unlock()
		}
	}
	return n
}

// add starts watching subs for the sink with the credential of the
// subscriber, creating the sink's poller if needed. A listen sink's poller
// ends with its context.
func (w *watcher) add(s sink, credential string, subs []*sub) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || !w.enabled() {
		return
	}
	key := pollerKey{s.key, credential}
	p, ok := w.pollers[key]
	if !ok {
		base := context.Background()
		switch {
		case s.listen != nil:
			base = s.listen
		case s.base != nil:
			base = context.WithoutCancel(s.base)
		}
		ctx, cancel := context.WithCancel(base)
		p = &poller{w: w, key: key, sink: s, budget: w.acquire(key.credential), cancel: cancel, subs: map[string]*sub{}, states: map[target]state{}}
		w.pollers[key] = p
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			p.run(ctx)
		}()
	}
	p.mu.Lock()
	for _, sb := range subs {
		p.subs[sb.uri] = sb
		if _, ok := p.states[sb.target]; !ok {
			p.states[sb.target] = sb.state
		}
	}
	p.sink.listChanged = p.sink.listChanged || s.listChanged
	if p.open == "" {
		p.open = s.open
	}
	p.mu.Unlock()
}

// remove stops watching uri for the sink; a poller left with nothing to
// do stops.
func (w *watcher) remove(sinkKey, uri string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, p := range w.pollers {
		if k.sink != sinkKey {
			continue
		}
		p.mu.Lock()
		if sb, ok := p.subs[uri]; ok {
			delete(p.subs, uri)
			if !p.watches(sb.target) {
				delete(p.states, sb.target)
			}
		}
		idle := len(p.subs) == 0
		p.mu.Unlock()
		if idle {
			w.stopLocked(p)
		}
	}
}

// watches tells whether any URI still watches t; p.mu must be held.
func (p *poller) watches(t target) bool {
	for _, sb := range p.subs {
		if sb.target == t {
			return true
		}
	}
	return false
}

// drop stops every poller of a sink (a session that ended). Pollers of
// listen streams end with their streams.
func (w *watcher) drop(sinkKey string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, p := range w.pollers {
		if k.sink == sinkKey {
			w.stopLocked(p)
		}
	}
}

func (w *watcher) stopLocked(p *poller) {
	if w.pollers[p.key] != p {
		return
	}
	delete(w.pollers, p.key)
	p.cancel()
	w.release(p.key.credential)
}

// acquire returns a credential's polling budget. Budgets outlive their
// pollers by one window, so resubscribing cannot reset the window.
func (w *watcher) acquire(c string) *pollBudget {
	per := w.cat.opts.PollRate.Per
	for k, b := range w.budgets {
		if b.refs == 0 && time.Since(b.idleSince) > per && k != c {
			delete(w.budgets, k)
		}
	}
	b, ok := w.budgets[c]
	if !ok {
		b = &pollBudget{limiter: hubspot.NewWindowLimiter(w.cat.opts.PollRate)}
		w.budgets[c] = b
	}
	b.refs++
	return b
}

func (w *watcher) release(c string) {
	if b, ok := w.budgets[c]; ok {
		b.refs--
		if b.refs == 0 {
			b.idleSince = time.Now()
		}
	}
}

// forget drops a credential's polling budget if no poller holds it.
func (w *watcher) forget(c string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if b, ok := w.budgets[c]; ok && b.refs == 0 {
		delete(w.budgets, c)
	}
}

// close stops all pollers and waits for them.
func (w *watcher) close() {
	w.mu.Lock()
	w.closed = true
	for _, p := range w.pollers {
		w.stopLocked(p)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

// run polls every interval until ctx ends.
func (p *poller) run(ctx context.Context) {
	defer func() {
		// A listen stream that ended takes its poller with it.
		p.w.mu.Lock()
		p.w.stopLocked(p)
		p.w.mu.Unlock()
	}()
	t := time.NewTimer(p.w.cat.opts.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !p.cycle(ctx) {
			return
		}
		t.Reset(p.w.cat.opts.PollInterval)
	}
}

// cycle checks every target once; it returns false when the sink is gone.
// The subscriber's context names the credential, so a pool of per-user
// credentials sees it in use and keeps it.
func (p *poller) cycle(ctx context.Context) bool {
	logger := p.w.cat.logger
	svc := p.w.cat.svc
	ctx = inbox.WithBudget(ctx, p.budget.limiter)

	p.mu.Lock()
	byTarget := map[target][]*sub{}
	for _, sb := range p.subs {
		byTarget[sb.target] = append(byTarget[sb.target], sb)
	}
	states := maps.Clone(p.states)
	listChanged := p.sink.listChanged
	p.mu.Unlock()

	targets := slices.SortedFunc(maps.Keys(byTarget), func(a, b target) int {
		return strings.Compare(fmt.Sprint(a.kind, a.id), fmt.Sprint(b.kind, b.id))
	})
	activity := false
	for _, t := range targets {
		subs := byTarget[t]
		prev := states[t]
		next, changed, err := check(ctx, svc, t, prev)
		if ctx.Err() != nil {
			return true
		}
		switch {
		case err != nil && !gone(err):
			// Budget, network or HubSpot trouble: try again next cycle.
			logger.WarnContext(ctx, "subscription poll failed", "sink", p.sink.key, "id", t.id, "error", err)
			continue
		case err != nil:
			// The resource now reads as an error (deleted, archived): say
			// so once.
			changed, next = !prev.failed, prev
			next.failed = true
		case prev.failed:
			changed = true
		}
		p.mu.Lock()
		if _, ok := p.states[t]; ok {
			p.states[t] = next
		}
		p.mu.Unlock()
		if !changed {
			continue
		}
		activity = activity || err == nil
		// Holding the lock while sending (which never blocks) means no
		// notification follows an unsubscribe's answer.
		p.mu.Lock()
		alive := true
		for _, sb := range subs {
			if p.subs[sb.uri] == sb && ctx.Err() == nil && alive {
				alive = p.deliver(ctx, mcp.MethodNotificationResourceUpdated, map[string]any{"uri": sb.uri})
			}
		}
		p.mu.Unlock()
		if !alive {
			return false
		}
	}
	if activity {
		p.w.cat.cache.invalidate(p.key.credential)
	}
	if listChanged {
		set, err := openSet(ctx, svc)
		p.mu.Lock()
		prev := p.open
		if err == nil {
			p.open = set
		}
		p.mu.Unlock()
		switch {
		case err != nil:
			logger.DebugContext(ctx, "open-thread poll failed", "error", err)
		case prev == "":
			// No baseline yet (it could not be taken at subscribe time).
		case set != prev:
			p.w.cat.cache.invalidate(p.key.credential)
			if !p.deliver(ctx, mcp.MethodNotificationResourcesListChanged, nil) {
				return false
			}
		}
	}
	return true
}

// gone tells whether HubSpot answered that the resource does not exist.
func gone(err error) bool {
	var apiErr *hubspot.Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// deliver sends a notification; it returns false when the session is gone.
func (p *poller) deliver(ctx context.Context, method string, params map[string]any) bool {
	err := p.w.notify(p.sink, method, params)
	switch {
	case err == nil:
		p.w.cat.logger.DebugContext(ctx, "subscription notification sent", "method", method, "sink", p.sink.key)
		return true
	case errors.Is(err, server.ErrSessionNotFound):
		p.w.cat.logger.InfoContext(ctx, "subscription session is gone; polling stops", "sink", p.sink.key)
		return false
	}
	p.w.cat.logger.WarnContext(ctx, "subscription notification not sent", "method", method, "sink", p.sink.key, "error", err)
	return true
}
