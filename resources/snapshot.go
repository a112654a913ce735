package resources

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// snapshot is what resources/list and completion show for one HubSpot
// client: its inboxes and its open threads, most recently active first,
// with the names of their contacts and assignees.
type snapshot struct {
	seq      uint64
	taken    time.Time
	inboxes  []hubspot.Inbox
	open     []hubspot.Thread
	moreOpen bool
	actors   view.People
}

// fetchSnapshot costs three HubSpot calls for an account with up to 100
// inboxes and 100 open threads: inboxes, open threads, one actor batch.
// More inboxes take up to maxInboxPages calls; more open threads take 2 to
// inbox.NewestMaxCalls to find the openLimit most recently active.
func fetchSnapshot(ctx context.Context, svc *inbox.Service) (*snapshot, error) {
	inboxes, err := listInboxes(ctx, svc)
	if err != nil {
		return nil, err
	}
	open, more, err := listOpenThreads(ctx, svc, nil)
	if err != nil {
		return nil, err
	}
	return &snapshot{
		taken: time.Now(), inboxes: inboxes, open: open, moreOpen: more,
		actors: svc.People(ctx, view.ThreadActors(open)),
	}, nil
}

// snapshotCache keeps one snapshot per credential for a short time, so
// listing and completion don't hammer HubSpot. It is keyed by the
// credential's fingerprint (inbox.Service.Credential), never shared
// across credentials. The previous snapshot is kept too, so a client
// paging through resources/list sees one consistent list. Safe for
// concurrent use.
type snapshotCache struct {
	ttl   time.Duration
	fetch func(context.Context, *inbox.Service) (*snapshot, error)

	mu      sync.Mutex
	seq     uint64
	entries map[string]*cacheEntry // by credential ID
}

type cacheEntry struct {
	// refresh serializes fetches, so concurrent callers share one.
	refresh sync.Mutex

	mu       sync.Mutex
	cur      *snapshot
	prev     *snapshot
	stale    bool
	lastUsed time.Time
	// searches are completion's latest customer searches, newest first
	// (see Catalog.searchCompletion), kept like the snapshot.
	searches []searchMemo
}

// searchMemo is one customer search kept for completion.
type searchMemo struct {
	taken time.Time
	res   *inbox.ThreadSearchResult
}

// maxSearchMemos bounds the searches kept per credential.
const maxSearchMemos = 8

func newSnapshotCache(ttl time.Duration) *snapshotCache {
	return &snapshotCache{ttl: ttl, fetch: fetchSnapshot, entries: map[string]*cacheEntry{}}
}

// entry returns the entry of a credential, creating it, and drops entries
// nobody used for a long time (users who went away).
func (sc *snapshotCache) entry(cred string) *cacheEntry {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	now := time.Now()
	for k, e := range sc.entries {
		e.mu.Lock()
		idle := now.Sub(e.lastUsed) > 20*sc.ttl+10*time.Minute
		e.mu.Unlock()
		if idle && k != cred {
			delete(sc.entries, k)
		}
	}
	e, ok := sc.entries[cred]
	if !ok {
		e = &cacheEntry{}
		sc.entries[cred] = e
	}
	e.mu.Lock()
	e.lastUsed = now
	e.mu.Unlock()
	return e
}

func (e *cacheEntry) fresh(ttl time.Duration) *snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cur != nil && !e.stale && time.Since(e.cur.taken) < ttl {
		return e.cur
	}
	return nil
}

// get returns a fresh snapshot of the caller's credential, fetching one
// if needed.
func (sc *snapshotCache) get(ctx context.Context, svc *inbox.Service) (*snapshot, error) {
	cred, err := svc.Credential(ctx)
	if err != nil {
		return nil, err
	}
	e := sc.entry(cred)
	if s := e.fresh(sc.ttl); s != nil {
		return s, nil
	}
	e.refresh.Lock()
	defer e.refresh.Unlock()
	if s := e.fresh(sc.ttl); s != nil {
		return s, nil
	}
	s, err := sc.fetch(ctx, svc)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	sc.seq++
	s.seq = sc.seq
	sc.mu.Unlock()
	e.mu.Lock()
	e.prev, e.cur, e.stale = e.cur, s, false
	e.mu.Unlock()
	return s, nil
}

// find returns a credential's snapshot with sequence number seq, if still
// kept.
func (sc *snapshotCache) find(cred string, seq uint64) *snapshot {
	e := sc.entry(cred)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range []*snapshot{e.cur, e.prev} {
		if s != nil && s.seq == seq {
			return s
		}
	}
	return nil
}

// peek returns the caller's latest snapshot, however old, without
// fetching.
func (sc *snapshotCache) peek(ctx context.Context, svc *inbox.Service) *snapshot {
	cred, err := svc.Credential(ctx)
	if err != nil {
		return nil
	}
	sc.mu.Lock()
	e, ok := sc.entries[cred]
	sc.mu.Unlock()
	if !ok {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cur
}

// recallSearch answers the customer search q of the caller's credential
// from a search kept within the TTL that holds its answer (see
// inbox.ThreadSearchResult.Narrow), without calling HubSpot.
func (sc *snapshotCache) recallSearch(cred string, q inbox.ThreadSearch) (threads []hubspot.Thread, more, ok bool) {
	e := sc.entry(cred)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.searches {
		if time.Since(m.taken) >= sc.ttl {
			break
		}
		if threads, more, ok = m.res.Narrow(q); ok {
			return threads, more, true
		}
	}
	return nil, false, false
}

// keepSearch keeps a customer search of the credential for recallSearch.
func (sc *snapshotCache) keepSearch(cred string, res *inbox.ThreadSearchResult) {
	e := sc.entry(cred)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.searches = append([]searchMemo{{taken: time.Now(), res: res}}, e.searches[:min(len(e.searches), maxSearchMemos-1)]...)
}

// forget drops a credential's entry.
func (sc *snapshotCache) forget(credential string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.entries, credential)
}

// invalidate makes the credential's next get fetch again; paging cursors
// into the old snapshot keep working.
func (sc *snapshotCache) invalidate(cred string) {
	sc.mu.Lock()
	e, ok := sc.entries[cred]
	sc.mu.Unlock()
	if ok {
		e.mu.Lock()
		e.stale, e.searches = true, nil
		e.mu.Unlock()
	}
}

// A resources/list cursor names a snapshot and an offset in it
// (mcpadapt.ListResources wraps it for mcp-go).
const cursorPrefix = "hs1:"

func encodeCursor(seq uint64, offset int) string {
	return fmt.Sprintf("%s%d:%d", cursorPrefix, seq, offset)
}

func decodeCursor(cursor string) (seq uint64, offset int, err error) {
	rest, ok := strings.CutPrefix(cursor, cursorPrefix)
	s, o, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return 0, 0, fmt.Errorf("invalid cursor: not from a previous resources/list page")
	}
	seq, err1 := strconv.ParseUint(s, 10, 64)
	off, err2 := strconv.Atoi(o)
	if err1 != nil || err2 != nil || off < 0 || off > 1<<20 {
		return 0, 0, fmt.Errorf("invalid cursor: not from a previous resources/list page")
	}
	return seq, off, nil
}
