package hubspot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
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
	*p = plan(req, body)
	return true
}

func plan(req request, body []byte) PlannedRequest {
	path := req.path
	if q := req.query.Encode(); q != "" {
		path += "?" + q
	}
	return PlannedRequest{Method: req.method, Path: path, Body: json.RawMessage(body)}
}

// Digest identifies the request: equal requests, and only they, have
// equal digests.
func (p PlannedRequest) Digest() string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(p.Method), []byte(p.Path), p.Body} {
		h.Write([]byte(strconv.Itoa(len(part)) + ":"))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ErrWriteChanged is returned by a write whose request differs from the
// one a WithExpectedWrite context allows; nothing was sent.
var ErrWriteChanged = errors.New("the request differs from the one that was confirmed; nothing was sent")

type expectedWriteKey struct{}

// WithExpectedWrite returns a context in which the client sends a write
// only if it is exactly the request whose Digest is digest, such as the
// request a user confirmed; any other write fails with ErrWriteChanged.
func WithExpectedWrite(ctx context.Context, digest string) context.Context {
	return context.WithValue(ctx, expectedWriteKey{}, digest)
}

// unexpected tells whether req is a write other than the one the context
// allows.
func unexpected(ctx context.Context, req request, body []byte) bool {
	digest, ok := ctx.Value(expectedWriteKey{}).(string)
	if !ok || req.isRead() {
		return false
	}
	return plan(req, body).Digest() != digest
}
