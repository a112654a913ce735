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
)

// What a subscription poll checks, and how it tells that something changed.

// targetKind is what a poll checks.
type targetKind int

const (
	// targetThread: the newest entry of a thread's history (any of the six
	// types), by ListMessages with limit 1.
	targetThread targetKind = iota + 1
	// targetActivity: threads of an inbox (or all inboxes) with a message
	// since the last poll, by ListThreads sorted by latestMessageTimestamp
	// with latestMessageTimestampAfter. A new thread counts: it has one.
	targetActivity
	// targetInboxes: the set of inboxes and their names.
	targetInboxes
)

type target struct {
	kind targetKind
	id   string // thread ID, inbox ID, or "" for all inboxes
}

func targetOf(r ref) target {
	switch r.kind {
	case kindThread, kindThreadJSON:
		return target{targetThread, r.threadID}
	case kindInbox, kindInboxThreads:
		return target{targetActivity, r.inboxID}
	case kindThreads:
		return target{targetActivity, ""}
	}
	return target{targetInboxes, ""}
}

// lookback is how far before the subscription an activity watch starts,
// so a HubSpot clock a little behind ours loses nothing.
const lookback = 5 * time.Minute

// maxSubscriptions bounds one sink's subscriptions.
const maxSubscriptions = 100

// state is what the last poll of a target saw.
type state struct {
	newest      string               // targetThread: newest history entry
	since       time.Time            // targetActivity: watermark
	seen        map[string]time.Time // targetActivity: latest message per thread at or after since
	fingerprint string               // targetInboxes
	failed      bool                 // the last poll failed (reported once)
}

// probe takes a target's first state. Subscribing calls it with the
// request's context, so an unknown ID fails the subscription with
// HubSpot's error. Polls run with polling's budget in the context (see
// inbox.WithBudget): every HubSpot request of a check takes a turn from it.
func probe(ctx context.Context, svc *inbox.Service, t target) (state, error) {
	switch t.kind {
	case targetThread:
		return checkThread(ctx, svc, t.id, state{})
	case targetActivity:
		if t.id != "" {
			if _, err := svc.GetInbox(ctx, t.id, false); err != nil {
				return state{}, err
			}
		}
		return checkActivity(ctx, svc, t.id, state{since: time.Now().Add(-lookback), seen: map[string]time.Time{}})
	}
	return checkInboxes(ctx, svc)
}

// check polls a target; changed tells whether it differs from st.
func check(ctx context.Context, svc *inbox.Service, t target, st state) (state, bool, error) {
	var next state
	var err error
	switch t.kind {
	case targetThread:
		next, err = checkThread(ctx, svc, t.id, st)
		return next, err == nil && next.newest != st.newest, err
	case targetActivity:
		next, err = checkActivity(ctx, svc, t.id, st)
		return next, err == nil && changedSince(st.seen, next.seen), err
	}
	next, err = checkInboxes(ctx, svc)
	return next, err == nil && next.fingerprint != st.fingerprint, err
}

func checkThread(ctx context.Context, svc *inbox.Service, threadID string, st state) (state, error) {
	p, err := svc.ListMessages(ctx, threadID, &hubspot.ListMessagesOptions{
		ListOptions: hubspot.ListOptions{Limit: 1, Sort: []string{"-createdAt"}}})
	if err != nil {
		return st, err
	}
	next := state{}
	if len(p.Results) > 0 {
		next.newest = p.Results[0].ID
	}
	return next, nil
}

// checkActivity reads the threads whose latest message is at or after the
// watermark, up to three pages, and moves the watermark to the newest.
func checkActivity(ctx context.Context, svc *inbox.Service, inboxID string, st state) (state, error) {
	next := state{since: st.since, seen: maps.Clone(st.seen)}
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

func checkInboxes(ctx context.Context, svc *inbox.Service) (state, error) {
	inboxes, err := listInboxes(ctx, svc)
	if err != nil {
		return state{}, err
	}
	var b strings.Builder
	for _, in := range inboxes {
		fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s\n", in.ID, in.Name, in.Type, in.UpdatedAt.Format(time.RFC3339Nano))
	}
	return state{fingerprint: b.String()}, nil
}

// openSet lists the IDs of the open threads, for list_changed.
func openSet(ctx context.Context, svc *inbox.Service) (string, error) {
	threads, more, err := listOpenThreads(ctx, svc, nil)
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
