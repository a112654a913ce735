package resources

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/resources/watch"
)

// What a subscription poll checks, and how it tells that something changed:
// the subscription engine's (package watch) Checker, reading HubSpot
// through the service.

// The kinds of target a poll checks.
const (
	// targetThread: the newest entry of a thread's history (any of the six
	// types), by ListMessages with limit 1.
	targetThread = "thread"
	// targetActivity: threads of an inbox (or all inboxes) with a message
	// since the last poll, by ListThreads sorted by latestMessageTimestamp
	// with latestMessageTimestampAfter. A new thread counts: it has one.
	targetActivity = "activity"
	// targetInboxes: the set of inboxes and their names.
	targetInboxes = "inboxes"
)

// targetOf is what a subscription to a resource checks.
func targetOf(r ref) watch.Target {
	switch r.kind {
	case kindThread, kindThreadJSON:
		return watch.Target{Kind: targetThread, ID: r.threadID}
	case kindInbox, kindInboxThreads:
		return watch.Target{Kind: targetActivity, ID: r.inboxID}
	case kindThreads:
		return watch.Target{Kind: targetActivity}
	}
	return watch.Target{Kind: targetInboxes}
}

// lookback is how far before the subscription an activity watch starts,
// so a HubSpot clock a little behind ours loses nothing.
const lookback = 5 * time.Minute

// maxSubscriptions bounds one sink's subscriptions.
const maxSubscriptions = 100

// pollState is what the last poll of a target saw.
type pollState struct {
	newest      string               // targetThread: newest history entry
	since       time.Time            // targetActivity: watermark
	seen        map[string]time.Time // targetActivity: latest message per thread at or after since
	fingerprint string               // targetInboxes
}

// checker reads targets through the service, with the subscriber's
// context: probes with the subscribing request's, polls with polling's
// budget in it (see inbox.WithBudget), so that every HubSpot request of a
// check takes a turn from it.
type checker struct{ svc *inbox.Service }

// Probe takes a target's first state. An unknown ID fails the
// subscription with HubSpot's error.
func (c checker) Probe(ctx context.Context, t watch.Target) (watch.State, error) {
	switch t.Kind {
	case targetThread:
		return checkThread(ctx, c.svc, t.ID, pollState{})
	case targetActivity:
		if t.ID != "" {
			if _, err := c.svc.GetInbox(ctx, t.ID, false); err != nil {
				return nil, err
			}
		}
		return checkActivity(ctx, c.svc, t.ID, pollState{since: time.Now().Add(-lookback), seen: map[string]time.Time{}})
	}
	return checkInboxes(ctx, c.svc)
}

// Check polls a target; changed tells whether it differs from prev. A
// target HubSpot answers 404 for is gone (deleted, archived).
func (c checker) Check(ctx context.Context, t watch.Target, prev watch.State) (watch.State, bool, error) {
	st, _ := prev.(pollState)
	var next pollState
	var err error
	changed := false
	switch t.Kind {
	case targetThread:
		next, err = checkThread(ctx, c.svc, t.ID, st)
		changed = next.newest != st.newest
	case targetActivity:
		next, err = checkActivity(ctx, c.svc, t.ID, st)
		changed = changedSince(st.seen, next.seen)
	default:
		next, err = checkInboxes(ctx, c.svc)
		changed = next.fingerprint != st.fingerprint
	}
	switch {
	case hubspot.IsNotFound(err):
		return prev, false, fmt.Errorf("%w: %w", watch.ErrTargetGone, err)
	case err != nil:
		return prev, false, err
	}
	return next, changed, nil
}

// List fingerprints the open threads, for list_changed.
func (c checker) List(ctx context.Context) (string, error) {
	threads, more, err := listOpenThreads(ctx, c.svc, nil)
	if err != nil {
		return "", err
	}
	ids := make([]string, len(threads))
	for i, th := range threads {
		ids[i] = th.ID
	}
	slices.Sort(ids)
	return fmt.Sprint(ids, more), nil
}

func checkThread(ctx context.Context, svc *inbox.Service, threadID string, st pollState) (pollState, error) {
	p, err := svc.ListMessages(ctx, threadID, &hubspot.ListMessagesOptions{
		ListOptions: hubspot.ListOptions{Limit: 1, Sort: []string{"-createdAt"}}})
	if err != nil {
		return st, err
	}
	next := pollState{}
	if len(p.Results) > 0 {
		next.newest = p.Results[0].ID
	}
	return next, nil
}

// checkActivity reads the threads whose latest message is at or after the
// watermark, up to three pages, and moves the watermark to the newest.
func checkActivity(ctx context.Context, svc *inbox.Service, inboxID string, st pollState) (pollState, error) {
	next := pollState{since: st.since, seen: maps.Clone(st.seen)}
	if next.seen == nil {
		next.seen = map[string]time.Time{}
	}
	opts := &hubspot.ListThreadsOptions{
		ListOptions:                 hubspot.ListOptions{Limit: pageLimit, Sort: []string{hubspot.SortByLatestMessageTimestamp}},
		LatestMessageTimestampAfter: st.since,
	}
	if inboxID != "" {
		opts.InboxIDs = []string{inboxID}
	}
	for range maxInboxPages {
		p, err := svc.ListThreads(ctx, opts)
		if err != nil {
			return st, err
		}
		for _, th := range p.Results {
			next.seen[th.ID] = th.LatestMessageTimestamp.Time
		}
		if opts.After = p.NextAfter(); opts.After == "" {
			break
		}
	}
	for _, ts := range next.seen {
		if ts.After(next.since) {
			next.since = ts
		}
	}
	for id, ts := range next.seen {
		if ts.Before(next.since) {
			delete(next.seen, id)
		}
	}
	return next, nil
}

// changedSince tells whether now holds a thread with a message newer than
// before knew of.
func changedSince(before, now map[string]time.Time) bool {
	for id, ts := range now {
		if old, ok := before[id]; !ok || !old.Equal(ts) {
			return true
		}
	}
	return false
}

func checkInboxes(ctx context.Context, svc *inbox.Service) (pollState, error) {
	inboxes, err := listInboxes(ctx, svc)
	if err != nil {
		return pollState{}, err
	}
	var b strings.Builder
	for _, in := range inboxes {
		fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s\n", in.ID, in.Name, in.Type, in.UpdatedAt.Format(time.RFC3339Nano))
	}
	return pollState{fingerprint: b.String()}, nil
}
