package inbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// The inbox allowlist (Config.InboxAllowlist) confines the service to some
// inboxes: nothing of another inbox can be read or changed through it.
// Lists leave out the inboxes, threads and channel accounts of other
// inboxes (HubSpot filters threads and channel accounts by inbox where it
// can, so pages stay full), and a thread, message or channel account of
// another inbox fails exactly as an unknown ID does: with a 404
// *hubspot.Error worded like HubSpot's, so its existence is not revealed.
// A thread moved from or to another inbox shows the move without that
// inbox's ID.
//
// Calls addressed by thread or channel account first learn the object's
// inbox; the service records it per credential (for the cache's TTL, or
// ownerTTL without a cache), and lists and reads record it for free. An
// object of another inbox costs the HubSpot calls an unknown ID costs,
// whether its inbox was recorded or not (see pad): the same requests, in
// the same order, so that only HubSpot's own time to answer "found" rather
// than "not found" differs.
// Channels, actors, CRM contacts, agents and visitor tokens belong to no
// inbox and are not filtered. Writes are checked in beforeWrite, after the client checked
// their arguments, so a dry run is refused exactly as the write would be.

// ownerTTL is how long the allowlist trusts a recorded inbox of a thread
// or channel account when there is no cache: a thread rarely moves to
// another inbox, and the limit bounds how long a moved thread keeps its
// old inbox here.
const ownerTTL = 10 * time.Minute

// HiddenByAllowlist tells whether err is a not-found answer the inbox
// allowlist gave for an object of another inbox. The error is otherwise
// identical to HubSpot's own 404; this is for the operator's logs and the
// audit only.
func HiddenByAllowlist(err error) bool {
	var h *hiddenError
	return errors.As(err, &h)
}

// hiddenError is a *hubspot.Error the allowlist gave in HubSpot's place.
type hiddenError struct{ err *hubspot.Error }

func (e *hiddenError) Error() string { return e.err.Error() }
func (e *hiddenError) Unwrap() error { return e.err }

// guard is the allowlist: the inboxes allowed, sorted.
type guard struct {
	inboxes []string
}

func newGuard(inboxIDs []string) (*guard, error) {
	if err := hubspot.ValidateNumericIDs("inbox allowlist", inboxIDs); err != nil {
		return nil, err
	}
	ids := slices.Clone(inboxIDs)
	slices.Sort(ids)
	return &guard{inboxes: slices.Compact(ids)}, nil
}

// allows tells whether inboxID may be seen; a nil guard allows all.
func (g *guard) allows(inboxID string) bool {
	return g == nil || slices.Contains(g.inboxes, inboxID)
}

// inboxFilter is the inboxId filter to send with a list under the
// allowlist: the caller's allowed inboxes, or all allowed inboxes when the
// caller named none. none is true when the caller named only inboxes
// outside the list: the answer is then an empty list, as for unknown IDs.
// The requested IDs are checked first, so a malformed one is refused
// (*hubspot.ArgumentError for inboxId) as it would be without the
// allowlist.
func (g *guard) inboxFilter(requested []string) (ids []string, none bool, err error) {
	if err := hubspot.ValidateNumericIDs("inboxId", requested); err != nil {
		return nil, false, err
	}
	if len(requested) == 0 {
		return slices.Clone(g.inboxes), false, nil
	}
	for _, id := range requested {
		if g.allows(id) {
			ids = append(ids, id)
		}
	}
	return ids, len(ids) == 0, nil
}

// redact blanks the inbox of another inbox that a thread's move
// (THREAD_INBOX_CHANGE) names: the move shows, the other inbox does not.
func (g *guard) redact(m *hubspot.Message) {
	if !g.allows(m.FromInboxID) {
		m.FromInboxID = ""
	}
	if !g.allows(m.ToInboxID) {
		m.ToInboxID = ""
	}
}

// filtered keeps the items of allowed inboxes; when it drops some, the
// total becomes the count of what is left if this one page is the whole
// list, else unknown.
func filtered[T any](g *guard, p *hubspot.Page[T], first bool, inbox func(T) string) {
	if g == nil {
		return
	}
	all := len(p.Results)
	p.Results = slices.DeleteFunc(slices.Clone(p.Results), func(v T) bool { return !g.allows(inbox(v)) })
	if len(p.Results) == all {
		return
	}
	p.Total = nil
	if first && p.NextAfter() == "" {
		n := len(p.Results)
		p.Total = &n
	}
}

// hiddenNotFound is the 404 HubSpot gives for an unknown object, for an
// object of an inbox outside the allowlist, as the answer to method and
// path (empty when the request is not known here). Its correlation ID is
// a fresh UUID like HubSpot's; the request was never sent.
func hiddenNotFound(method, path, kind, id string) error {
	return &hiddenError{&hubspot.Error{
		StatusCode: http.StatusNotFound, Method: method, Path: path,
		Message: kind + " " + id + " not found", Category: "OBJECT_NOT_FOUND",
		CorrelationID: newCorrelationID(), Context: map[string][]string{"id": {id}},
		Attempts: 1,
	}}
}

// newCorrelationID returns a random version 4 UUID, the format of
// HubSpot's correlation IDs.
func newCorrelationID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// target names what a write concerns, for the allowlist's check in
// beforeWrite.
type target struct {
	threadID, channelAccountID string
}

type targetKey struct{}

func withTarget(ctx context.Context, t target) context.Context {
	return context.WithValue(ctx, targetKey{}, t)
}

// checkWrite refuses a write to a thread or channel account outside the
// allowlist, as HubSpot would answer for an unknown one.
func (s *Service) checkWrite(ctx context.Context, cr *credential, w hubspot.Write) error {
	t, ok := ctx.Value(targetKey{}).(target)
	if !ok || s.guard == nil {
		return nil
	}
	path, _, _ := strings.Cut(w.Path, "?")
	if t.threadID != "" {
		if err := s.checkThread(ctx, cr, w.Method, path, t.threadID); err != nil {
			return err
		}
	}
	return s.checkChannelAccount(ctx, cr, w.Method, path, t.channelAccountID)
}

// checkThread fails with HubSpot's not-found error when the thread belongs
// to an inbox outside the allowlist; method and path are those of the call
// about to be made, so the error reads as that call's answer. A thread of
// another inbox costs the HubSpot calls an unknown one does (see
// lookupCost).
func (s *Service) checkThread(ctx context.Context, cr *credential, method, path, threadID string) error {
	if s.guard == nil {
		return nil
	}
	get := func(ctx context.Context, archived bool) (*hubspot.Thread, error) {
		return cr.client.GetThread(ctx, threadID, &hubspot.GetThreadOptions{Archived: archived})
	}
	inboxID, ok := cr.owners.Get(keyThread + threadID)
	calls := 0
	if !ok {
		th, n, err := lookup(ctx, method, path, get)
		if err != nil {
			return err
		}
		inboxID, calls = th.InboxID, n
		cr.noteThreads(*th)
	}
	if !s.guard.allows(inboxID) {
		pad(ctx, calls, get)
		return hiddenNotFound(method, path, "Thread", threadID)
	}
	return nil
}

// checkChannelAccount is checkThread for a channel account named in a
// message being sent. HubSpot rejects an unknown channel account in a send
// as invalid; under the allowlist the service gives that answer itself,
// for an unknown channel account as for one of another inbox, at the same
// cost, in a dry run as in a send.
func (s *Service) checkChannelAccount(ctx context.Context, cr *credential, method, path, channelAccountID string) error {
	if s.guard == nil || channelAccountID == "" {
		return nil
	}
	get := func(ctx context.Context, archived bool) (*hubspot.ChannelAccount, error) {
		return cr.client.GetChannelAccount(ctx, channelAccountID, archived)
	}
	inboxID, ok := cr.owners.Get(keyAccount + channelAccountID)
	calls := 0
	if !ok {
		ca, n, err := lookup(ctx, method, path, get)
		switch {
		case hubspot.IsNotFound(err):
			return noSuchChannelAccount(method, path, channelAccountID)
		case err != nil:
			return err
		}
		inboxID, calls = ca.InboxID, n
		cr.noteChannelAccounts(*ca)
	}
	if s.guard.allows(inboxID) {
		return nil
	}
	pad(ctx, calls, get)
	return noSuchChannelAccount(method, path, channelAccountID)
}

// noSuchChannelAccount is HubSpot's answer to a send through a channel
// account it does not know.
func noSuchChannelAccount(method, path, id string) error {
	msg := "Channel account " + id + " does not exist"
	return &hiddenError{&hubspot.Error{
		StatusCode: http.StatusBadRequest, Method: method, Path: path, Message: msg, Category: "VALIDATION_ERROR",
		CorrelationID: newCorrelationID(), Errors: []hubspot.ErrorDetail{{Message: msg, In: "channelAccountId", Code: "INVALID"}},
		Attempts: 1,
	}}
}

// lookup reads an object with get, archived or not: HubSpot finds archived
// threads and channel accounts only when asked. It returns how many reads
// it made (1, or 2 when the first found nothing). A 404 is returned as the
// answer to method and path, the call the look-up serves (as is when they
// are empty).
func lookup[T any](ctx context.Context, method, path string, get func(ctx context.Context, archived bool) (*T, error)) (*T, int, error) {
	v, err := get(ctx, false)
	calls := 1
	if hubspot.IsNotFound(err) {
		v, err = get(ctx, true)
		calls = 2
	}
	var apiErr *hubspot.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && method != "" {
		e := *apiErr
		e.Method, e.Path = method, path
		return nil, calls, &e
	}
	return v, calls, err
}

// costsACall returns the context for reading the object of key (a thread
// or a channel account) when its answer will be one HubSpot call's: a
// context whose read is sent to HubSpot when the object is recorded as of
// another inbox, so that, like an unknown ID, it is not answered from a
// listing or the cache.
func (s *Service) costsACall(ctx context.Context, cr *credential, key string) context.Context {
	if s.guard == nil {
		return ctx
	}
	if inboxID, ok := cr.owners.Get(key); ok && !s.guard.allows(inboxID) {
		return hubspot.Uncached(ctx)
	}
	return ctx
}

// lookupCost is what looking up an unknown ID costs: HubSpot is asked for
// it, then for it among the archived, and finds it neither time.
const lookupCost = 2

// pad makes, for an object of another inbox whose look-up made calls reads
// (0 when its inbox was recorded), the reads that remain of what an
// unknown ID's look-up makes, in the same order and uncached, and ignores
// their answers: both cost the same HubSpot calls, so the number of calls,
// and the time they take, tell them apart no more than HubSpot's own time
// to answer found or not found does.
func pad[T any](ctx context.Context, calls int, get func(ctx context.Context, archived bool) (*T, error)) {
	ctx = hubspot.Uncached(ctx)
	for i := calls; i < lookupCost; i++ {
		_, _ = get(ctx, i > 0)
	}
}

// Record keys: what an inbox is recorded for.
const (
	keyThread  = "thread "
	keyAccount = "channel-account "
)

// noteThreads records the inbox of each thread read or written.
func (cr *credential) noteThreads(ths ...hubspot.Thread) {
	for _, th := range ths {
		if th.ID != "" && th.InboxID != "" {
			cr.owners.Put(keyThread+th.ID, th.InboxID)
		}
	}
}

// noteChannelAccounts records the inbox of each channel account read.
func (cr *credential) noteChannelAccounts(cas ...hubspot.ChannelAccount) {
	for _, ca := range cas {
		if ca.ID != "" && ca.InboxID != "" {
			cr.owners.Put(keyAccount+ca.ID, ca.InboxID)
		}
	}
}
