package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxRecorded bounds the request log; the oldest entries go first.
const maxRecorded = 10_000

// Request is one call the server received, as Requests reports it.
type Request struct {
	// Time is when the call arrived, by the server's clock.
	Time time.Time
	// Method, Path and RawQuery are the request line.
	Method   string
	Path     string
	RawQuery string
	// Header holds the request headers with the Authorization value redacted.
	Header http.Header
	// Body is the request body (at most 1 MiB).
	Body []byte
	// Account is the company of the account the token selected; empty when
	// the token was missing or unknown.
	Account string
	// Status is the status code answered; 0 when the connection was dropped.
	Status int
	// CorrelationID is the X-HubSpot-Correlation-Id answered.
	CorrelationID string
}

// Requests returns the calls received so far (at most the latest 10,000),
// oldest first. The result is a copy.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	// The log is a ring once full: the oldest entry is at requestsHead.
	ordered := append(s.requests[s.requestsHead:len(s.requests):len(s.requests)], s.requests[:s.requestsHead]...)
	for i, r := range ordered {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// ResetRequests forgets the recorded calls.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.requestsHead = 0
}

func (s *Server) record(r *http.Request, body []byte, ex *exchange, status int, at time.Time) {
	h := r.Header.Clone()
	if auth := h.Get("Authorization"); auth != "" {
		scheme, _, _ := strings.Cut(auth, " ")
		h.Set("Authorization", scheme+" REDACTED")
	}
	rec := Request{
		Time: at, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: h, Body: body, Status: status, CorrelationID: ex.correlationID,
	}
	if ex.account != nil {
		rec.Account = ex.account.profile.company
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) < maxRecorded {
		s.requests = append(s.requests, rec)
		return
	}
	// Full: overwrite the oldest, in constant time.
	s.requests[s.requestsHead] = rec
	s.requestsHead = (s.requestsHead + 1) % maxRecorded
}
