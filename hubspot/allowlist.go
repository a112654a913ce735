package hubspot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// ownerTTL is how long the allowlist trusts a recorded inbox of a thread
// or channel account when the client has no cache (WithCache): a thread
// rarely moves to another inbox, and the limit bounds how long a moved
// thread keeps its old inbox here.
const ownerTTL = 10 * time.Minute

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
// inbox; the client records it (for the cache's TTL, or ownerTTL without
// a cache), and lists and reads record it for free. Channels,
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

// inboxGuard is the allowlist. Which inbox a thread or channel account is
// in is recorded by the client (noteThreads, noteChannelAccounts).
type inboxGuard struct {
	inboxes []string
}

func newInboxGuard(inboxIDs []string) *inboxGuard {
	ids := slices.Clone(inboxIDs)
	slices.Sort(ids)
	return &inboxGuard{inboxes: slices.Compact(ids)}
}

func (g *inboxGuard) allows(inboxID string) bool { return slices.Contains(g.inboxes, inboxID) }

// allowedThreads returns the threads of allowed inboxes.
func (g *inboxGuard) allowedThreads(threads []Thread) []Thread {
	return slices.DeleteFunc(slices.Clone(threads), func(th Thread) bool { return !g.allows(th.InboxID) })
}

// allowedChannelAccounts returns the channel accounts of allowed inboxes.
func (g *inboxGuard) allowedChannelAccounts(accounts []ChannelAccount) []ChannelAccount {
	return slices.DeleteFunc(slices.Clone(accounts), func(ca ChannelAccount) bool { return !g.allows(ca.InboxID) })
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
	inboxID, ok := c.knownInbox(keyThreadInbox + threadID)
	if !ok {
		var th Thread
		if err := c.lookup(ctx, method, path, threadPath(threadID), &th); err != nil {
			return err
		}
		inboxID = th.InboxID
		c.noteThreads(th)
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
	inboxID, ok := c.knownInbox(keyAccountInbox + channelAccountID)
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
		c.noteChannelAccounts(ca)
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
