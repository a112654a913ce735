package inbox

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Trace collects the requests a caller's calls sent, for an audit log:
// method, path, status and HubSpot's correlation ID of each attempt, never
// headers, query strings or bodies. Safe for concurrent use.
type Trace struct {
	mu    sync.Mutex
	calls []TracedCall
	// write is the write the client was about to send (see beforeWrite):
	// its attempts are marked Write.
	write *hubspot.Write
}

// TracedCall is one request sent to HubSpot.
type TracedCall struct {
	Method string
	Path   string
	// Status is the HTTP status; 0 when no answer came.
	Status int
	// CorrelationID is HubSpot's X-HubSpot-Correlation-Id.
	CorrelationID string
	// Write is set for requests that change something.
	Write bool
}

type traceKey struct{}

// WithTrace returns a context whose HubSpot requests are recorded in t.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

func traceOf(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}

// LastWrite returns the latest request that was not a read, if any.
func (t *Trace) LastWrite() (TracedCall, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.calls) - 1; i >= 0; i-- {
		if t.calls[i].Write {
			return t.calls[i], true
		}
	}
	return TracedCall{}, false
}

// writing notes the write about to be sent.
func (t *Trace) writing(w hubspot.Write) {
	t.mu.Lock()
	t.write = &w
	t.mu.Unlock()
}

func (t *Trace) record(r *http.Request, status int, correlationID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := TracedCall{Method: r.Method, Path: r.URL.Path, Status: status, CorrelationID: correlationID}
	if w := t.write; w != nil {
		path, _, _ := strings.Cut(w.Path, "?")
		c.Write = r.Method == w.Method && strings.HasSuffix(r.URL.EscapedPath(), path)
	}
	t.calls = append(t.calls, c)
}

// tracer is a credential's transport: it records each attempt in the
// call's Trace, if any, and notes whether HubSpot refused the token.
type tracer struct {
	next http.RoundTripper
	cred *credential
}

func (t *tracer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	status, correlationID := 0, ""
	if err == nil {
		// The canonical form of X-HubSpot-Correlation-Id, which Get would
		// otherwise build on every answer.
		status, correlationID = resp.StatusCode, resp.Header.Get("X-Hubspot-Correlation-Id")
	}
	switch {
	case status == http.StatusUnauthorized:
		t.cred.refusedAt.Store(time.Now().UnixNano())
	case status >= 200 && status < 300:
		t.cred.refusedAt.Store(0)
	}
	if tr := traceOf(r.Context()); tr != nil {
		tr.record(r, status, correlationID)
	}
	return resp, err
}
