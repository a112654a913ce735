package hubspot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Owner look-ups kept by the inbox allowlist: how many, and for how long.
// A thread rarely moves to another inbox; the time limit bounds how long a
// moved thread keeps its old inbox here.
const (
	ownerCacheSize = 4096
	ownerCacheTTL  = 10 * time.Minute
)

// WithInboxAllowlist confines the client to the given inboxes: nothing of
// another inbox can be read or changed through it. Lists leave out the
// inboxes, threads and channel accounts of other inboxes (HubSpot filters
// them where it can, so pages stay full), and a thread, message or channel
// account of another inbox fails exactly as an unknown ID does: with a
// 404 *Error worded like HubSpot's, so its existence is not revealed. A
// thread moved from or to another inbox shows the move without that
// inbox's ID.
//
// Calls addressed by thread or channel account first learn the object's
// inbox; that look-up is cached per client (ownerCacheSize entries for
// ownerCacheTTL), and lists and reads fill the cache for free. Channels,
// actors and visitor tokens belong to no inbox and are not filtered.
func WithInboxAllowlist(inboxIDs []string) Option {
	return func(c *Client) error {
		if len(inboxIDs) == 0 {
			return nil
		}
		if err := validateNumericIDs("inbox allowlist", inboxIDs); err != nil {
			return err
		}
		c.guard = newInboxGuard(inboxIDs)
		return nil
	}
}

// InboxAllowlist returns the inboxes the client is confined to, or nil
// when it is not confined.
func (c *Client) InboxAllowlist() []string {
	if c.guard == nil {
		return nil
	}
	return slices.Clone(c.guard.inboxes)
}

// HiddenByAllowlist tells whether err is a not-found answer the inbox
// allowlist gave for an object of another inbox. The error is otherwise
// identical to HubSpot's own 404; this is for the operator's logs only.
func HiddenByAllowlist(err error) bool {
	var h *hiddenError
	return errors.As(err, &h)
}

// hiddenError is an *Error the allowlist gave in HubSpot's place.
type hiddenError struct{ err *Error }

func (e *hiddenError) Error() string { return e.err.Error() }
func (e *hiddenError) Unwrap() error { return e.err }

// inboxGuard is the allowlist and its small cache of which inbox a thread
// or channel account belongs to. Safe for concurrent use.
type inboxGuard struct {
	inboxes []string
	now     func() time.Time

	mu     sync.Mutex
	owners map[ownerKey]owner
}

type ownerKey struct {
	kind string // "thread" or "channel account"
	id   string
}

type owner struct {
	inboxID string
	at      time.Time
}

func newInboxGuard(inboxIDs []string) *inboxGuard {
	ids := slices.Clone(inboxIDs)
	slices.Sort(ids)
	return &inboxGuard{inboxes: slices.Compact(ids), now: time.Now, owners: map[ownerKey]owner{}}
}

func (g *inboxGuard) allows(inboxID string) bool { return slices.Contains(g.inboxes, inboxID) }

func (g *inboxGuard) owner(k ownerKey) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	o, ok := g.owners[k]
	if !ok || g.now().Sub(o.at) > ownerCacheTTL {
		return "", false
	}
	return o.inboxID, true
}

func (g *inboxGuard) learn(k ownerKey, inboxID string) {
	if k.id == "" || inboxID == "" {
		return
	}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.owners[k]; !ok && len(g.owners) >= ownerCacheSize {
		for old, o := range g.owners {
			if now.Sub(o.at) > ownerCacheTTL {
				delete(g.owners, old)
			}
		}
		for old := range g.owners {
			if len(g.owners) < ownerCacheSize {
				break
			}
			delete(g.owners, old)
		}
	}
	g.owners[k] = owner{inboxID: inboxID, at: now}
}

// learnThreads notes the inbox of each thread and returns those of
// allowed inboxes.
func (g *inboxGuard) learnThreads(threads []Thread) []Thread {
	out := threads[:0:0]
	for _, th := range threads {
		g.learn(ownerKey{"thread", th.ID}, th.InboxID)
		if g.allows(th.InboxID) {
			out = append(out, th)
		}
	}
	return out
}

func (g *inboxGuard) learnChannelAccounts(accounts []ChannelAccount) []ChannelAccount {
	out := accounts[:0:0]
	for _, ca := range accounts {
		g.learn(ownerKey{"channel account", ca.ID}, ca.InboxID)
		if g.allows(ca.InboxID) {
			out = append(out, ca)
		}
	}
	return out
}

// redactMessage blanks the inbox of another inbox that a thread's move
// (THREAD_INBOX_CHANGE) names: the move shows, the other inbox does not.
func (g *inboxGuard) redactMessage(m *Message) {
	if !g.allows(m.FromInboxID) {
		m.FromInboxID = ""
	}
	if !g.allows(m.ToInboxID) {
		m.ToInboxID = ""
	}
}

// inboxFilter is the inboxId filter to send with a list under the
// allowlist: the caller's allowed inboxes, or all allowed inboxes when the
// caller named none. none is true when the caller named only inboxes
// outside the list: the answer is then an empty list, as for unknown IDs.
func (g *inboxGuard) inboxFilter(requested []string) (ids []string, none bool) {
	if len(requested) == 0 {
		return slices.Clone(g.inboxes), false
	}
	for _, id := range requested {
		if g.allows(id) {
			ids = append(ids, id)
		}
	}
	return ids, len(ids) == 0
}

// hiddenNotFound is the 404 HubSpot gives for an unknown object, for an
// object of an inbox outside the allowlist. Its correlation ID is a fresh
// UUID like HubSpot's; the request was never sent.
func hiddenNotFound(method, path, kind, id string) error {
	return &hiddenError{&Error{
		StatusCode: http.StatusNotFound, Method: method, Path: path,
		Message: kind + " " + id + " not found", Category: "OBJECT_NOT_FOUND",
		CorrelationID: newCorrelationID(), Context: map[string][]string{"id": {id}},
		Attempts: 1,
	}}
}

// checkThread fails with HubSpot's not-found error when the thread belongs
// to an inbox outside the allowlist; method and path are those of the call
// about to be made, so the error reads as that call's answer.
func (c *Client) checkThread(ctx context.Context, method, path, threadID string) error {
	if c.guard == nil {
		return nil
	}
	key := ownerKey{"thread", threadID}
	inboxID, ok := c.guard.owner(key)
	if !ok {
		var th Thread
		if err := c.lookup(ctx, method, path, threadPath(threadID), &th); err != nil {
			return err
		}
		inboxID = th.InboxID
		c.guard.learn(key, inboxID)
	}
	if !c.guard.allows(inboxID) {
		return hiddenNotFound(method, path, "Thread", threadID)
	}
	return nil
}

// checkChannelAccount is checkThread for a channel account named in a
// message being sent. HubSpot rejects an unknown channel account in a send
// as invalid, so that is how one of another inbox is answered.
func (c *Client) checkChannelAccount(ctx context.Context, method, path, channelAccountID string) error {
	if c.guard == nil || channelAccountID == "" {
		return nil
	}
	key := ownerKey{"channel account", channelAccountID}
	inboxID, ok := c.guard.owner(key)
	if !ok {
		var ca ChannelAccount
		err := c.lookup(ctx, method, path, conversationsPrefix+"/channel-accounts/"+url.PathEscape(channelAccountID), &ca)
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
			// Unknown everywhere: let HubSpot answer the send itself.
			return nil
		}
		if err != nil {
			return err
		}
		inboxID = ca.InboxID
		c.guard.learn(key, inboxID)
	}
	if c.guard.allows(inboxID) {
		return nil
	}
	msg := "Channel account " + channelAccountID + " does not exist"
	return &hiddenError{&Error{
		StatusCode: http.StatusBadRequest, Method: method, Path: path, Message: msg, Category: "VALIDATION_ERROR",
		CorrelationID: newCorrelationID(), Errors: []ErrorDetail{{Message: msg, In: "channelAccountId", Code: "INVALID"}},
		Attempts: 1,
	}}
}

// lookup reads the object at objPath into out, archived or not: HubSpot
// finds archived threads and channel accounts only when asked. A 404 is
// returned as the answer to method and path, the call the look-up serves.
func (c *Client) lookup(ctx context.Context, method, path, objPath string, out any) error {
	err := c.call(ctx, request{method: http.MethodGet, path: objPath}, out)
	var apiErr *Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		err = c.call(ctx, request{method: http.MethodGet, path: objPath, query: url.Values{"archived": {"true"}}}, out)
	}
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		e := *apiErr
		e.Method, e.Path = method, path
		return &e
	}
	return err
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
