package watch

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"
)

// poller polls one sink's subscriptions with one credential.
type poller struct {
	w      *Watcher
	key    pollerKey
	sink   Sink
	budget *budget
	cancel context.CancelFunc

	mu   sync.Mutex
	subs map[string]*sub // by URI
	// states holds what the last check of each target saw. A target keeps
	// its state while any URI watches it.
	states map[Target]seen
	// listChanged asks for list-changed notifications; list is the last
	// fingerprint of the list seen ("" before the first).
	listChanged bool
	list        string
}

// seen is the last check of a target: the Checker's state, and whether the
// target read as gone (reported once).
type seen struct {
	state  State
	failed bool
}

// add joins what p prepared.
func (pl *poller) add(p *Prepared) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for _, sb := range p.subs {
		pl.subs[sb.uri] = sb
		if _, ok := pl.states[sb.target]; !ok {
			pl.states[sb.target] = seen{state: sb.state}
		}
	}
	pl.listChanged = pl.listChanged || p.listChanged
	if pl.list == "" {
		pl.list = p.list
	}
}

// hasList tells whether the poller has a fingerprint of the list.
func (pl *poller) hasList() bool {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return pl.list != ""
}

// remove stops watching uri; it tells whether nothing is left to watch.
func (pl *poller) remove(uri string) bool {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if sb, ok := pl.subs[uri]; ok {
		delete(pl.subs, uri)
		if !pl.watches(sb.target) {
			delete(pl.states, sb.target)
		}
	}
	return len(pl.subs) == 0
}

// watches tells whether any URI still watches t; pl.mu must be held.
func (pl *poller) watches(t Target) bool {
	for _, sb := range pl.subs {
		if sb.target == t {
			return true
		}
	}
	return false
}

func (pl *poller) count() int {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return len(pl.subs)
}

// run polls every interval until ctx ends or the sink is gone.
func (pl *poller) run(ctx context.Context) {
	// A sink whose context ended takes its poller with it.
	defer pl.w.stop(pl)
	t := time.NewTimer(pl.w.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !pl.cycle(ctx) {
			return
		}
		t.Reset(pl.w.cfg.Interval)
	}
}

// cycle checks every target once, then the list; it returns false when the
// sink is gone. The sink's context names the credential, so a pool of
// per-user credentials sees it in use and keeps it.
func (pl *poller) cycle(ctx context.Context) bool {
	ctx = pl.w.cfg.Budget(ctx, pl.budget.limiter)
	work := pl.plan()
	activity := false
	for _, t := range work.targets {
		next, changed, ok := pl.check(ctx, t, work.states[t])
		if ctx.Err() != nil {
			return true
		}
		if !ok {
			continue
		}
		pl.record(t, next)
		if !changed {
			continue
		}
		activity = activity || !next.failed
		if !pl.announce(ctx, work.subs[t]) {
			return false
		}
	}
	if activity {
		pl.w.cfg.Invalidate(pl.key.credential)
	}
	if !work.listChanged {
		return true
	}
	return pl.checkList(ctx)
}

// work is what one cycle checks: the targets in a stable order, the URIs
// watching each, and the states the cycle starts from.
type work struct {
	targets     []Target
	subs        map[Target][]*sub
	states      map[Target]seen
	listChanged bool
}

// plan takes what the cycle checks, so that checking holds no lock.
func (pl *poller) plan() work {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	w := work{subs: map[Target][]*sub{}, states: maps.Clone(pl.states), listChanged: pl.listChanged}
	for _, sb := range pl.subs {
		w.subs[sb.target] = append(w.subs[sb.target], sb)
	}
	w.targets = slices.SortedFunc(maps.Keys(w.subs), func(a, b Target) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return w
}

// check reads a target and classifies what it saw: ok is false on trouble
// (the budget, the network, HubSpot), which the next cycle retries; a target
// that now reads as gone is a change once, and one that comes back is a
// change too.
func (pl *poller) check(ctx context.Context, t Target, prev seen) (next seen, changed, ok bool) {
	st, changed, err := pl.w.cfg.Checker.Check(ctx, t, prev.state)
	switch {
	case err == nil:
		return seen{state: st}, changed || prev.failed, true
	case errors.Is(err, ErrTargetGone):
		return seen{state: prev.state, failed: true}, !prev.failed, true
	}
	if ctx.Err() == nil {
		pl.w.cfg.Logger.WarnContext(ctx, "subscription poll failed", "sink", pl.sink.Key, "id", t.ID, "error", err)
	}
	return prev, false, false
}

// record keeps what a check saw, unless the target was unsubscribed
// meanwhile.
func (pl *poller) record(t Target, next seen) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if _, ok := pl.states[t]; ok {
		pl.states[t] = next
	}
}

// announce tells the sink that each URI watching a changed target changed,
// but for URIs unsubscribed meanwhile; it returns false when the sink is
// gone. It holds the lock while sending (which never blocks), so that no
// notification follows the answer to an unsubscribe.
func (pl *poller) announce(ctx context.Context, subs []*sub) bool {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for _, sb := range subs {
		if pl.subs[sb.uri] != sb || ctx.Err() != nil {
			continue
		}
		if !pl.deliver(ctx, Notification{Event: Updated, URI: sb.uri}) {
			return false
		}
	}
	return true
}

// checkList compares the list's fingerprint with the last one and tells
// the sink when it changed; it returns false when the sink is gone.
func (pl *poller) checkList(ctx context.Context) bool {
	list, err := pl.w.cfg.Checker.List(ctx)
	pl.mu.Lock()
	prev := pl.list
	if err == nil {
		pl.list = list
	}
	pl.mu.Unlock()
	switch {
	case err != nil:
		pl.w.cfg.Logger.DebugContext(ctx, "subscription list poll failed", "sink", pl.sink.Key, "error", err)
		return true
	case prev == "" || list == prev:
		// No baseline yet (it could not be taken at subscription), or no
		// change.
		return true
	}
	pl.w.cfg.Invalidate(pl.key.credential)
	return pl.deliver(ctx, Notification{Event: ListChanged})
}

// deliver sends a notification; it returns false when the sink is gone.
func (pl *poller) deliver(ctx context.Context, n Notification) bool {
	log := pl.w.cfg.Logger
	err := pl.sink.Notifier.Notify(ctx, n)
	switch {
	case err == nil:
		log.DebugContext(ctx, "subscription notification sent", "sink", pl.sink.Key, "event", n.Event, "uri", n.URI)
		return true
	case errors.Is(err, ErrSinkGone):
		log.InfoContext(ctx, "subscriber is gone; polling stops", "sink", pl.sink.Key)
		return false
	}
	log.WarnContext(ctx, "subscription notification not sent", "sink", pl.sink.Key, "event", n.Event, "uri", n.URI, "error", err)
	return true
}
