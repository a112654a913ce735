package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A Fault makes the server misbehave for matching calls, to test a client's
// handling of failures. Faults are checked after authentication (a call
// with a bad token gets its 401 and consumes nothing) and before rate
// limiting and the endpoint, so a faulted call changes no state and does not
// count against the limits. Pending faults are tried in the order they were
// injected; the first that matches is used.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string
	// Path is an http.ServeMux pattern without method or host, such as
	// "/conversations/v3/conversations/threads/{threadId}" or, ending in a
	// slash, a prefix such as "/conversations/"; empty matches any path.
	Path string
	// Token limits the fault to the account of this token; empty matches any.
	Token string
	// Times is how many calls the fault applies to: 0 means once, a negative
	// value means until ClearFaults.
	Times int

	// Delay holds the answer back (or until the client gives up). A fault
	// with only a Delay then lets the endpoint answer normally.
	Delay time.Duration
	// Status is the status code to answer instead of the endpoint. With an
	// empty Body, 4xx and 5xx get HubSpot's error body for the status (429
	// gets HubSpot's rate-limit body).
	Status int
	// Header is added to the answer, e.g. Retry-After.
	Header http.Header
	// Body replaces the answer's body.
	Body string
	// Malformed answers Status (200 when zero) with a JSON body cut short.
	Malformed bool
	// Drop closes the connection without answering. Note that net/http
	// clients transparently retry an idempotent request whose reused
	// keep-alive connection is closed this way.
	Drop bool
}

// RateLimitFault returns a Fault answering the next call with HubSpot's 429
// (TEN_SECONDLY_ROLLING). A positive retryAfter adds a Retry-After header
// in whole seconds; zero leaves it out, as HubSpot usually does.
func RateLimitFault(retryAfter time.Duration) Fault {
	f := Fault{Status: http.StatusTooManyRequests}
	if retryAfter > 0 {
		secs := int((retryAfter + time.Second - 1) / time.Second)
		f.Header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	}
	return f
}

// pendingFault is an injected fault and what is left of it.
type pendingFault struct {
	Fault
	left    int // < 0: forever
	matcher *http.ServeMux
}

// InjectFault queues f. It panics if f.Path is not a valid http.ServeMux
// pattern, like http.ServeMux.Handle.
func (s *Server) InjectFault(f Fault) {
	pf := &pendingFault{Fault: f, left: f.Times}
	if pf.left == 0 {
		pf.left = 1
	}
	if f.Path != "" {
		pf.matcher = http.NewServeMux()
		pf.matcher.Handle(f.Path, http.NotFoundHandler())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, pf)
}

// ClearFaults drops every pending fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault consumes and returns the first pending fault matching the call.
func (s *Server) takeFault(r *http.Request, a *Account) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, pf := range s.faults {
		if !pf.matches(r, a) {
			continue
		}
		if pf.left > 0 {
			pf.left--
			if pf.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		f := pf.Fault
		return &f
	}
	return nil
}

func (pf *pendingFault) matches(r *http.Request, a *Account) bool {
	if pf.Method != "" && !strings.EqualFold(pf.Method, r.Method) {
		return false
	}
	if pf.Token != "" && pf.Token != a.token {
		return false
	}
	if pf.matcher == nil {
		return true
	}
	_, pattern := pf.matcher.Handler(r)
	return pattern != ""
}

// truncatedJSON is what a Malformed fault sends when it has no Body.
const truncatedJSON = `{"results":[{"id":"147959634","name":"Sales & gen`

// applyFault carries out f and reports whether it answered the call (false
// means a pure delay: the endpoint answers next).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault, correlationID string) bool {
	if f.Delay > 0 {
		timer := time.NewTimer(f.Delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return true
		}
	}
	if f.Drop {
		dropConnection(w)
		return true
	}
	if f.Status == 0 && !f.Malformed {
		return false
	}
	for k, vs := range f.Header {
		w.Header()[http.CanonicalHeaderKey(k)] = vs
	}
	status, body := f.Status, []byte(f.Body)
	switch {
	case f.Malformed:
		if status == 0 {
			status = http.StatusOK
		}
		if len(body) == 0 {
			body = []byte(truncatedJSON)
		}
	case len(body) == 0 && status == http.StatusTooManyRequests:
		body, _ = encodeJSON(newRateLimitBody(correlationID, policyRolling, ""))
	case len(body) == 0 && status >= 400:
		writeError(w, correlationID, faultError(status))
		return true
	}
	if len(body) == 0 {
		w.WriteHeader(status)
		return true
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", contentTypeJSON)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return true
}

// faultError is the HubSpot error body of an injected status.
func faultError(status int) *apiError {
	e := &apiError{status: status, category: categoryInternal, message: http.StatusText(status)}
	switch {
	case status == http.StatusBadRequest:
		e.category = categoryValidation
	case status == http.StatusUnauthorized:
		e.category, e.message = categoryAuth, authMessage
	case status == http.StatusForbidden:
		e.category = categoryForbidden
	case status == http.StatusNotFound:
		e.category = categoryNotFound
	case status < 500:
		e.category = "BAD_REQUEST"
	}
	if e.message == "" {
		e.message = "HTTP " + strconv.Itoa(status)
	}
	return e
}

// dropConnection closes the client's connection without an answer. Where
// the connection cannot be hijacked (HTTP/2, recorders) it aborts the
// handler, which net/http turns into a reset.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
