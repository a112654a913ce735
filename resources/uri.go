package resources

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// The resource URIs. Templates follow RFC 6570; no two of them can match
// the same URI (mcp-go would pick one at random), which uri_test.go checks.
const (
	// InboxesURI lists every inbox with its channel accounts (JSON).
	InboxesURI = "hubspot://inboxes"
	// InboxTemplate is one inbox, its channel accounts and its most
	// recently active open threads (JSON).
	InboxTemplate = "hubspot://inboxes/{inboxId}"
	// InboxThreadsTemplate is a page of an inbox's threads (JSON).
	InboxThreadsTemplate = "hubspot://inboxes/{inboxId}/threads{?status,after}"
	// ThreadsTemplate is a page of threads across all inboxes (JSON).
	ThreadsTemplate = "hubspot://threads{?status,after}"
	// ThreadTemplate is a thread as a readable transcript (Markdown).
	ThreadTemplate = "hubspot://threads/{threadId}"
	// ThreadJSONTemplate is the same thread and history as JSON.
	ThreadJSONTemplate = "hubspot://threads/{threadId}/json"
)

const (
	scheme      = "hubspot://"
	mimeJSON    = "application/json"
	mimeMD      = "text/markdown"
	maxAfterLen = 512
)

// kind says which resource a URI names.
type kind int

const (
	kindInboxes kind = iota + 1
	kindInbox
	kindInboxThreads
	kindThreads
	kindThread
	kindThreadJSON
)

// ref is a parsed resource URI.
type ref struct {
	kind     kind
	inboxID  string
	threadID string
	// status is OPEN, CLOSED or empty (both) for the thread listings.
	status string
	// after is the HubSpot paging cursor of the thread listings.
	after string
}

// parseURI parses and validates a resource URI. It is the one place that
// reads IDs out of URIs: mcp-go hands template variables over as []string
// and its RFC 6570 matcher loses them when query parameters come in
// another order, so handlers parse the URI itself. IDs are checked with
// hubspot.ValidateNumericID before anything is sent.
func parseURI(raw string) (ref, error) {
	rest, ok := strings.CutPrefix(raw, scheme)
	if !ok {
		return ref{}, fmt.Errorf("resource URI %s: must start with %s", quoteURI(raw), scheme)
	}
	if strings.ContainsAny(rest, "#") {
		return ref{}, fmt.Errorf("resource URI %s: must not contain a fragment", quoteURI(raw))
	}
	path, query, hasQuery := strings.Cut(rest, "?")
	segs := strings.Split(path, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return ref{}, fmt.Errorf("resource URI %s: bad escape in the path", quoteURI(raw))
		}
		segs[i] = u
	}
	var r ref
	switch {
	case len(segs) == 1 && segs[0] == "inboxes":
		r.kind = kindInboxes
	case len(segs) == 2 && segs[0] == "inboxes":
		r.kind, r.inboxID = kindInbox, segs[1]
	case len(segs) == 3 && segs[0] == "inboxes" && segs[2] == "threads":
		r.kind, r.inboxID = kindInboxThreads, segs[1]
	case len(segs) == 1 && segs[0] == "threads":
		r.kind = kindThreads
	case len(segs) == 2 && segs[0] == "threads":
		r.kind, r.threadID = kindThread, segs[1]
	case len(segs) == 3 && segs[0] == "threads" && segs[2] == "json":
		r.kind, r.threadID = kindThreadJSON, segs[1]
	default:
		return ref{}, fmt.Errorf("resource URI %s: unknown resource; the forms are %s, %s, %s, %s, %s and %s",
			quoteURI(raw), InboxesURI, InboxTemplate, InboxThreadsTemplate, ThreadsTemplate, ThreadTemplate, ThreadJSONTemplate)
	}
	switch r.kind {
	case kindInbox, kindInboxThreads:
		if err := hubspot.ValidateNumericID("inboxId", r.inboxID); err != nil {
			return ref{}, err
		}
	case kindThread, kindThreadJSON:
		if err := hubspot.ValidateNumericID("threadId", r.threadID); err != nil {
			return ref{}, err
		}
	}
	if !hasQuery {
		return r, nil
	}
	if r.kind != kindInboxThreads && r.kind != kindThreads {
		return ref{}, fmt.Errorf("resource URI %s: takes no query parameters", quoteURI(raw))
	}
	if err := r.parseQuery(query); err != nil {
		return ref{}, fmt.Errorf("resource URI %s: %w", quoteURI(raw), err)
	}
	return r, nil
}

func (r *ref) parseQuery(query string) error {
	if query == "" {
		return nil
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return errors.New("malformed query")
	}
	for k, vs := range q {
		if len(vs) != 1 {
			return fmt.Errorf("%s may appear only once", quoteURI(k))
		}
		v := vs[0]
		switch k {
		case "status":
			switch s := strings.ToUpper(v); s {
			case hubspot.StatusOpen, hubspot.StatusClosed:
				r.status = s
			case "":
			default:
				return fmt.Errorf("status must be OPEN or CLOSED, got %s", quoteURI(v))
			}
		case "after":
			if len(v) > maxAfterLen {
				return errors.New("after is too long")
			}
			for i := 0; i < len(v); i++ {
				if c := v[i]; c <= ' ' || c >= 0x7f {
					return errors.New("after must be a cursor from a previous page's nextCursor")
				}
			}
			r.after = v
		default:
			return fmt.Errorf("unknown query parameter %s; allowed are status and after", quoteURI(k))
		}
	}
	return nil
}

// uri renders the canonical URI of r.
func (r ref) uri() string {
	var s string
	switch r.kind {
	case kindInboxes:
		return InboxesURI
	case kindInbox:
		return InboxesURI + "/" + r.inboxID
	case kindInboxThreads:
		s = InboxesURI + "/" + r.inboxID + "/threads"
	case kindThreads:
		s = scheme + "threads"
	case kindThread:
		return threadURI(r.threadID)
	case kindThreadJSON:
		return threadURI(r.threadID) + "/json"
	default:
		return ""
	}
	q := url.Values{}
	if r.status != "" {
		q.Set("status", r.status)
	}
	if r.after != "" {
		q.Set("after", r.after)
	}
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

func threadURI(id string) string { return scheme + "threads/" + id }
func inboxURI(id string) string  { return InboxesURI + "/" + id }

// quoteURI renders untrusted input for an error message.
func quoteURI(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}
