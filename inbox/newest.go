package inbox

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Newest first is the one listing of threads by recent activity, for
// list_threads' sort, the resources' open threads and polling.
//
// HubSpot lists threads by latest activity only in ascending order (except
// for one contact's threads), always from a lower bound
// latestMessageTimestampAfter. The newest threads are therefore found by
// choosing that bound: a window [T, now) whose threads fit in one page of
// probeLimit shows them all, newest last. newest first reads from the
// lower bound, which shows every thread at once when they fit in a page;
// otherwise it grows a window back from now until it holds a page's worth
// and bisects when it holds too many. A page costs one HubSpot request
// when the matching threads fit in one of probeLimit, and 2 to
// NewestMaxCalls otherwise.
const (
	// NewestMaxCalls bounds the HubSpot requests of one newest-first page.
	NewestMaxCalls = 6
	probeLimit     = 100
	firstWindow    = 24 * time.Hour
	growth         = 8
	// defaultLimit is the page size when the caller gives none.
	defaultLimit = 20
)

// newestCursorPrefix marks the cursors of the newest-first listing: they
// hold the position of the last thread shown, not a HubSpot cursor.
const newestCursorPrefix = "newest~"

// mark is a thread's place in the activity order.
type mark struct {
	at time.Time
	id string
}

func markOf(th hubspot.Thread) mark { return mark{th.LatestMessageTimestamp.Time, th.ID} }

// before reports whether a comes before b: earlier activity, then smaller ID.
func (a mark) before(b mark) bool {
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	return cmp.Or(cmp.Compare(len(a.id), len(b.id)), strings.Compare(a.id, b.id)) < 0
}

func (a mark) cursor() string {
	return newestCursorPrefix + base64.RawURLEncoding.EncodeToString([]byte(a.at.UTC().Format(time.RFC3339Nano)+"~"+a.id))
}

func parseNewestCursor(s string) (*mark, error) {
	if s == "" {
		return nil, nil
	}
	bad := &hubspot.ArgumentError{Name: "after", Reason: "must be the nextCursor of a previous list_threads call with the same sort, got " + hubspot.Quote(s)}
	rest, ok := strings.CutPrefix(s, newestCursorPrefix)
	if !ok {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, bad
	}
	at, id, _ := strings.Cut(string(raw), "~")
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil || hubspot.ValidateNumericID("after", id) != nil {
		return nil, bad
	}
	return &mark{t, id}, nil
}

// newest lists the threads matching base, most recently active first, one
// page of base.Limit after the cursor base.After.
func (s *Service) newest(ctx context.Context, cr *credential, base hubspot.ListThreadsOptions) (*hubspot.Page[hubspot.Thread], error) {
	upper, err := parseNewestCursor(base.After)
	if err != nil {
		return nil, err
	}
	limit := cmp.Or(base.Limit, defaultLimit)
	floor := base.LatestMessageTimestampAfter
	if floor.IsZero() {
		floor = time.Unix(0, 0)
	}
	// Everything from the lower bound, when it fits in one page.
	threads, complete, err := s.probe(ctx, cr, base, floor, upper)
	if err != nil {
		return nil, err
	}
	if complete {
		return newestPage(threads, limit, false), nil
	}
	end := time.Now()
	if upper != nil {
		end = upper.at
	}
	// tooEarly is a bound whose window held more than a page; tooLate one
	// whose window held fewer than limit threads (all of them in got).
	var (
		tooEarly, tooLate time.Time
		got               []hubspot.Thread
	)
	t := end.Add(-firstWindow)
	for range NewestMaxCalls - 1 {
		if t.Before(floor) {
			t = floor
		}
		threads, complete, err := s.probe(ctx, cr, base, t, upper)
		if err != nil {
			return nil, err
		}
		switch {
		case complete && (len(threads) >= limit || !t.After(floor)):
			return newestPage(threads, limit, t.After(floor)), nil
		case complete:
			tooLate, got = t, threads
		default:
			tooEarly = t
		}
		switch {
		case !tooEarly.IsZero() && !tooLate.IsZero():
			t = tooEarly.Add(tooLate.Sub(tooEarly) / 2)
		case tooLate.IsZero():
			t = tooEarly.Add(end.Sub(tooEarly) / 2)
		default:
			t = end.Add(-end.Sub(tooLate) * growth)
		}
	}
	if got != nil {
		// Fewer than a full page, but the newest ones: the cursor goes on.
		return newestPage(got, limit, true), nil
	}
	return nil, fmt.Errorf("more than %d threads share the latest activity times, so the newest could not be found in %d HubSpot calls; narrow the listing with inboxId or threadStatus", probeLimit, NewestMaxCalls)
}

// probe reads one page of the threads active at or after t, oldest first,
// and keeps those before upper. complete tells whether that is all of them.
func (s *Service) probe(ctx context.Context, cr *credential, base hubspot.ListThreadsOptions, t time.Time, upper *mark) ([]hubspot.Thread, bool, error) {
	opts := base
	opts.ListOptions = hubspot.ListOptions{Limit: probeLimit, Sort: []string{hubspot.SortByLatestMessageTimestamp}}
	opts.LatestMessageTimestampAfter = t
	page, err := s.listThreads(ctx, cr, &opts)
	if err != nil {
		return nil, false, err
	}
	complete := page.NextAfter() == ""
	var out []hubspot.Thread
	for _, th := range page.Results {
		if upper != nil && !markOf(th).before(*upper) {
			complete = true
			continue
		}
		out = append(out, th)
	}
	return out, complete, nil
}

// newestPage returns the newest limit of threads, newest first, with a
// cursor when older threads may follow.
func newestPage(threads []hubspot.Thread, limit int, olderMayExist bool) *hubspot.Page[hubspot.Thread] {
	slices.SortFunc(threads, func(a, b hubspot.Thread) int {
		if markOf(b).before(markOf(a)) {
			return -1
		}
		return 1
	})
	more := len(threads) > limit || olderMayExist
	threads = threads[:min(limit, len(threads))]
	p := &hubspot.Page[hubspot.Thread]{Results: threads}
	if more && len(threads) > 0 {
		p.Paging = &hubspot.Paging{Next: &hubspot.NextPage{After: markOf(threads[len(threads)-1]).cursor()}}
	}
	return p
}
