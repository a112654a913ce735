package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
)

// Trace collects the requests a caller's calls sent, for an audit log:
// method, path, status and HubSpot's correlation ID of each attempt, never
// headers, query strings or bodies. Safe for concurrent use.
type Trace struct {
	mu    sync.Mutex
	calls []TracedCall
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

// Calls returns the requests recorded so far, oldest first.
func (t *Trace) Calls() []TracedCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]TracedCall(nil), t.calls...)
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

func traceCall(ctx context.Context, req request, status int, header http.Header) {
	t, ok := ctx.Value(traceKey{}).(*Trace)
	if !ok || t == nil {
		return
	}
	c := TracedCall{Method: req.method, Path: req.path, Status: status, Write: !req.isRead()}
	if header != nil {
		c.CorrelationID = header.Get("X-HubSpot-Correlation-Id")
	}
	t.mu.Lock()
	t.calls = append(t.calls, c)
	t.mu.Unlock()
}

// PlannedRequest is a write as the client would send it in a dry run.
type PlannedRequest struct {
	Method string `json:"method"`
	// Path is the path and query string, relative to the API host.
	Path string `json:"path"`
	// Body is the JSON body; absent when the request has none.
	Body json.RawMessage `json:"body,omitempty"`
}

// ErrDryRun is what a write method returns in a dry run (see WithDryRun).
var ErrDryRun = errors.New("dry run: nothing was sent to HubSpot")

type dryRunKey struct{}

// WithDryRun returns a context in which the client sends reads as usual
// (the look-ups a write needs, the inbox allowlist's checks) but no write:
// a write method validates its arguments, stores the request it would have
// sent in p, and returns ErrDryRun.
func WithDryRun(ctx context.Context, p *PlannedRequest) context.Context {
	return context.WithValue(ctx, dryRunKey{}, p)
}

// planned stores req in the context's dry run, if there is one, and tells
// whether it did.
func planned(ctx context.Context, req request, body []byte) bool {
	p, ok := ctx.Value(dryRunKey{}).(*PlannedRequest)
	if !ok || p == nil || req.isRead() {
		return false
	}
	path := req.path
	if q := req.query.Encode(); q != "" {
		path += "?" + q
	}
	*p = PlannedRequest{Method: req.method, Path: path, Body: json.RawMessage(body)}
	return true
}
