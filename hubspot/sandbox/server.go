package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Response headers HubSpot sends.
const (
	headerCorrelationID = "X-HubSpot-Correlation-Id"
	contentTypeJSON     = "application/json;charset=utf-8"
)

// maxBodyBytes bounds a request body; larger bodies get a 413.
const maxBodyBytes = 1 << 20

// Server is an in-memory HubSpot Conversations API: an http.Handler serving
// HubSpot's paths, JSON shapes, status codes, paging cursors and error bodies
// for one or more isolated accounts, each selected by its bearer token.
//
// A Server is safe for concurrent use. One mutex guards all state, so HTTP
// traffic, the account hooks, fault injection and the request log may be
// used from any goroutine.
type Server struct {
	cfg config
	mux *http.ServeMux

	mu       sync.Mutex
	accounts map[string]*Account // by token
	created  int                 // accounts ever created; gives each its profile
	faults   []*pendingFault
	requests []Request
	// requestsHead is the oldest entry of requests once it is full.
	requestsHead int
}

// New returns a Server holding one seeded account, the Juniper Outdoor Co.
// described in ids.go, reachable with DefaultToken (or WithToken's token).
func New(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.token == "" {
		cfg.token = DefaultToken
	}
	s := &Server{cfg: cfg, accounts: make(map[string]*Account)}
	s.routes()
	s.AddAccount(cfg.token, DefaultCompany)
	return s
}

// exchange is what the front door learned about a request, handed to route
// handlers through the request context.
type exchange struct {
	account       *Account
	correlationID string
}

type exchangeKey struct{}

// ServeHTTP answers one API call: the latency of WithLatency,
// authentication, fault injection, rate limiting, routing, the token's
// scopes, then the endpoint itself. Every call is recorded, except one
// whose caller gave up during the latency.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hold(r) {
		return
	}
	start := s.cfg.clock()
	ex := &exchange{correlationID: newUUID()}
	sw := &statusWriter{ResponseWriter: w}
	sw.Header().Set(headerCorrelationID, ex.correlationID)

	ex.account = s.authenticate(r)
	body, bodyErr := readBody(r)
	defer func() { s.finish(r, body, ex, sw.status, start) }()

	switch {
	case ex.account == nil:
		writeError(sw, ex.correlationID, &apiError{
			status: http.StatusUnauthorized, category: categoryAuth, message: authMessage,
		})
	case bodyErr != nil:
		writeError(sw, ex.correlationID, &apiError{
			status: http.StatusRequestEntityTooLarge, category: categoryTooLarge,
			message: fmt.Sprintf("Request body is larger than %d bytes", maxBodyBytes),
		})
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.serveAccount(sw, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, ex)), ex)
	}
}

// serveAccount handles an authenticated call.
func (s *Server) serveAccount(w *statusWriter, r *http.Request, ex *exchange) {
	_, pattern := s.mux.Handler(r)
	search := pattern == contactSearchRoute
	if f := s.takeFault(r, ex.account); f != nil {
		s.rateHeaders(ex.account, w.Header(), false, search)
		if s.applyFault(w, r, f, ex.correlationID) {
			return
		}
	}
	if limited := s.rateHeaders(ex.account, w.Header(), true, search); limited != nil {
		writeRateLimited(w, ex.correlationID, limited)
		return
	}
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		writeError(w, ex.correlationID, invalidParam("query", "Malformed query string: %v", err))
		return
	}
	if pattern == "" {
		s.unrouted(w, r, ex.correlationID)
		return
	}
	s.mu.Lock()
	missing := ex.account.missingScope(pattern)
	s.mu.Unlock()
	if missing != nil {
		writeError(w, ex.correlationID, missing)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// authenticate returns the account the bearer token selects, or nil.
func (s *Server) authenticate(r *http.Request) *Account {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[token]
}

// unrouted answers a request no route matched: HubSpot-shaped 404, or 405
// when the path exists for other methods.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request, correlationID string) {
	probe := &probeWriter{header: make(http.Header)}
	s.mux.ServeHTTP(probe, r)
	switch probe.status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", probe.header.Get("Allow"))
		writeError(w, correlationID, &apiError{
			status: http.StatusMethodNotAllowed, category: categoryMethod,
			message: fmt.Sprintf("HTTP method %s is not supported by this resource", r.Method),
		})
	case http.StatusNotFound:
		writeError(w, correlationID, &apiError{
			status: http.StatusNotFound, category: categoryNotFound,
			message: fmt.Sprintf("Unable to find a resource for %s %s", r.Method, r.URL.Path),
		})
	default: // the mux's own answers, such as redirects to a clean path
		for k, v := range probe.header {
			w.Header()[k] = v
		}
		w.WriteHeader(probe.status)
		_, _ = w.Write(probe.body.Bytes())
	}
}

// reply is a successful endpoint answer.
type reply struct {
	status   int // 200 when zero
	body     any // nil for no body
	location string
}

// handlerFunc is an endpoint. It runs with s.mu held and must not block.
type handlerFunc func(a *Account, r *http.Request) (reply, error)

// handle adapts an endpoint to http.Handler: it runs the endpoint under the
// lock, encodes the answer while the state is still consistent, then writes.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ex, _ := r.Context().Value(exchangeKey{}).(*exchange)
		if ex == nil || ex.account == nil { // only reachable if the mux is used directly
			writeError(w, newUUID(), &apiError{status: http.StatusUnauthorized, category: categoryAuth, message: authMessage})
			return
		}
		s.mu.Lock()
		rep, err := h(ex.account, r)
		var payload []byte
		if err == nil && rep.body != nil {
			payload, err = encodeJSON(rep.body)
		}
		s.mu.Unlock()
		if err != nil {
			writeError(w, ex.correlationID, err)
			return
		}
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		if rep.location != "" {
			w.Header().Set("Location", rep.location)
		}
		if payload == nil {
			w.WriteHeader(rep.status)
			return
		}
		writeJSON(w, rep.status, payload)
	}
}

// encodeJSON encodes v as HubSpot does: compact, without HTML escaping.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeJSON(w http.ResponseWriter, status int, payload []byte) {
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}

// writeError writes err as HubSpot's error body; errors that are not
// *apiError become a 500.
func writeError(w http.ResponseWriter, correlationID string, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, category: categoryInternal, message: "internal error"}
	}
	payload, encErr := encodeJSON(ae.body(correlationID))
	if encErr != nil {
		payload = []byte(`{"status":"error","message":"internal error","category":"INTERNAL_ERROR"}`)
	}
	writeJSON(w, ae.status, payload)
}

// readBody reads at most maxBodyBytes of the request body.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return b, err
	}
	if len(b) > maxBodyBytes {
		return b[:maxBodyBytes], errors.New("request body too large")
	}
	return b, nil
}

// finish records the call and logs it.
func (s *Server) finish(r *http.Request, body []byte, ex *exchange, status int, start time.Time) {
	s.record(r, body, ex, status, start)
	s.cfg.logger.LogAttrs(r.Context(), slog.LevelDebug, "sandbox request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.String("correlation_id", ex.correlationID),
		slog.Duration("duration", s.cfg.clock().Sub(start)),
	)
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for Drop faults).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// probeWriter captures what the mux would answer for an unrouted request.
type probeWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *probeWriter) Header() http.Header { return p.header }

func (p *probeWriter) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return p.body.Write(b)
}

func (p *probeWriter) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
