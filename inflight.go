package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// inflight counts calls whose responses are not yet written, so shutdown
// can wait for them.
type inflight struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed while n == 0
}

func newInflight() *inflight {
	z := make(chan struct{})
	close(z)
	return &inflight{zero: z}
}

func (t *inflight) add(d int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == 0 && d > 0 {
		t.zero = make(chan struct{})
	}
	t.n = max(0, t.n+d)
	if t.n == 0 && d < 0 {
		close(t.zero)
	}
}

func (t *inflight) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// wait blocks until nothing is in flight (true) or ctx ends (false).
func (t *inflight) wait(ctx context.Context) bool {
	t.mu.Lock()
	z := t.zero
	t.mu.Unlock()
	select {
	case <-z:
		return true
	case <-ctx.Done():
		return false
	}
}

// track counts a Streamable HTTP POST from its arrival until its handler
// has written the response.
func (t *inflight) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		t.add(1)
		defer t.add(-1)
		next.ServeHTTP(w, r)
	})
}

// sseTracker counts calls on the legacy SSE transport, where a POST to
// /message is answered 202 at once and the response travels later on the
// session's event stream: a call is in flight from its POST until its
// response event is written to the stream, or the stream ends.
type sseTracker struct {
	t       *inflight
	mu      sync.Mutex
	pending map[string]int // session ID → responses not yet written
}

func newSSETracker(t *inflight) *sseTracker {
	return &sseTracker{t: t, pending: map[string]int{}}
}

// message counts a POSTed request (one with an id) until its response event.
func (s *sseTracker) message(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session := r.URL.Query().Get("sessionId")
		body, err := readAndRestore(r)
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		counted := err == nil && json.Unmarshal(body, &msg) == nil && len(msg.ID) > 0 && string(msg.ID) != "null" && msg.Method != "" && session != ""
		if counted {
			s.change(session, 1)
		}
		sw := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if counted && sw.status != http.StatusAccepted {
			// Refused: no response event will come.
			s.change(session, -1)
		}
	})
}

// stream watches a session's event stream for response events.
func (s *sseTracker) stream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &sseWatcher{ResponseWriter: w, tracker: s}
		next.ServeHTTP(sw, r)
		if sw.session != "" {
			// The stream ended: its pending responses will never be written.
			s.mu.Lock()
			n := s.pending[sw.session]
			delete(s.pending, sw.session)
			s.mu.Unlock()
			s.t.add(-n)
		}
	})
}

func (s *sseTracker) change(session string, d int) {
	s.mu.Lock()
	n := s.pending[session]
	if d < 0 && n == 0 {
		s.mu.Unlock()
		return
	}
	s.pending[session] = n + d
	s.mu.Unlock()
	s.t.add(d)
}

// sseWatcher learns its session from the endpoint event and counts the
// response events written through it.
type sseWatcher struct {
	http.ResponseWriter
	tracker *sseTracker
	session string
}

func (w *sseWatcher) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	if err == nil {
		w.observe(p)
	}
	return n, err
}

func (w *sseWatcher) observe(p []byte) {
	sc := bufio.NewScanner(bytes.NewReader(p))
	sc.Buffer(nil, len(p)+1)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "endpoint" && w.session == "":
			if _, q, ok := strings.Cut(strings.TrimPrefix(line, "data: "), "sessionId="); ok {
				w.session, _, _ = strings.Cut(q, "&")
			}
		case strings.HasPrefix(line, "data: ") && event == "message" && w.session != "":
			var msg struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
				Result json.RawMessage `json:"result"`
				Error  json.RawMessage `json:"error"`
			}
			if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &msg) == nil &&
				msg.Method == "" && len(msg.ID) > 0 && (msg.Result != nil || msg.Error != nil) {
				w.tracker.change(w.session, -1)
			}
		}
	}
}

func (w *sseWatcher) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *sseWatcher) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// readAndRestore reads a request body (already limited by limitBody) and
// puts it back for the next handler.
func readAndRestore(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}
