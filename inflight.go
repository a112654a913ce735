package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// errCutOff is what a handler's late writes get once its call was cut off.
var errCutOff = errors.New("the call was cut off at shutdown")

// cutOffError is the JSON-RPC error a call still running when
// MCP_SHUTDOWN_TIMEOUT ends receives, so its client learns what happened
// instead of seeing a connection drop. -32000 is the first of JSON-RPC's
// server-defined codes.
func cutOffError(id json.RawMessage) []byte {
	b, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": id,
		"error": map[string]any{
			"code":    -32000,
			"message": "the server shut down before this call finished (MCP_SHUTDOWN_TIMEOUT); it may or may not have taken effect: check before retrying",
		},
	})
	return b
}

// inflight counts calls whose responses are not yet written, so shutdown
// can wait for them, and cuts off those still running when it cannot.
type inflight struct {
	mu    sync.Mutex
	n     int
	zero  chan struct{} // closed while n == 0
	calls map[*trackedCall]struct{}
}

func newInflight() *inflight {
	z := make(chan struct{})
	close(z)
	return &inflight{zero: z, calls: map[*trackedCall]struct{}{}}
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
// has written the response, and keeps requests (messages with an id and a
// method) where cutOff can answer them.
func (t *inflight) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		t.add(1)
		defer t.add(-1)
		id, ok := requestID(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		c := &trackedCall{w: w, id: id, header: http.Header{}}
		t.mu.Lock()
		t.calls[c] = struct{}{}
		t.mu.Unlock()
		defer func() {
			t.mu.Lock()
			delete(t.calls, c)
			t.mu.Unlock()
			c.finish()
		}()
		next.ServeHTTP(c, r)
	})
}

// cutOff answers every tracked call still running with cutOffError.
func (t *inflight) cutOff() {
	t.mu.Lock()
	calls := make([]*trackedCall, 0, len(t.calls))
	for c := range t.calls {
		calls = append(calls, c)
	}
	t.mu.Unlock()
	for _, c := range calls {
		c.cutOff()
	}
}

// requestID reads the id of a JSON-RPC request in r's (buffered) body;
// notifications and responses have none to answer.
func requestID(r *http.Request) (json.RawMessage, bool) {
	body, err := readAndRestore(r)
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if err != nil || json.Unmarshal(body, &msg) != nil || msg.Method == "" || len(msg.ID) == 0 || string(msg.ID) == "null" {
		return nil, false
	}
	return msg.ID, true
}

// trackedCall is the response writer of one Streamable HTTP request. It
// lets cutOff answer the request while its handler still runs: the answer
// is a JSON body of known length if nothing was written yet, or one more
// event if the response is already an event stream; whatever the handler
// writes afterwards is dropped.
type trackedCall struct {
	id json.RawMessage
	// header is the handler's own header map, copied to w's when the
	// response starts, so cutOff never shares a map with the handler.
	header http.Header

	mu      sync.Mutex
	w       http.ResponseWriter
	started bool
	stream  bool // the response is text/event-stream
	done    bool // answered: by the handler (finish) or by cutOff
}

func (c *trackedCall) Header() http.Header { return c.header }

func (c *trackedCall) WriteHeader(code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.started {
		return
	}
	c.start()
	c.w.WriteHeader(code)
}

func (c *trackedCall) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return 0, errCutOff
	}
	if !c.started {
		c.start()
	}
	return c.w.Write(p)
}

// start sends the handler's headers; c.mu is held.
func (c *trackedCall) start() {
	c.started = true
	h := c.w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	c.stream = strings.HasPrefix(h.Get("Content-Type"), "text/event-stream")
}

func (c *trackedCall) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// SetWriteDeadline lets mcp-go bound a stalled client's writes.
func (c *trackedCall) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(c.w).SetWriteDeadline(t)
}

func (c *trackedCall) finish() {
	c.mu.Lock()
	c.done = true
	c.mu.Unlock()
}

func (c *trackedCall) cutOff() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done = true
	msg := cutOffError(c.id)
	switch {
	case !c.started:
		h := c.w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(msg)))
		h.Set("Connection", "close")
		// 200, as for any JSON-RPC error answer: clients read the body of
		// a 200 as the call's outcome, and of a 503 as a transport failure.
		c.w.WriteHeader(http.StatusOK)
		_, _ = c.w.Write(msg)
	case c.stream:
		_, _ = io.WriteString(c.w, "event: message\ndata: "+string(msg)+"\n\n")
	default:
		// A JSON answer is written whole; nothing is left to add.
		return
	}
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// sseTracker counts calls on the legacy SSE transport, where a POST to
// /message is answered 202 at once and the response travels later on the
// session's event stream: a call is in flight from its POST until its
// response event is written to the stream, or the stream ends.
type sseTracker struct {
	t       *inflight
	mu      sync.Mutex
	pending map[string]map[string]int // session ID → request ID → responses not yet written
	streams map[string]*sseWatcher    // session ID → its event stream
}

func newSSETracker(t *inflight) *sseTracker {
	return &sseTracker{t: t, pending: map[string]map[string]int{}, streams: map[string]*sseWatcher{}}
}

// message counts a POSTed request (one with an id) until its response event.
func (s *sseTracker) message(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session := r.URL.Query().Get("sessionId")
		id, counted := requestID(r)
		counted = counted && session != ""
		if counted {
			s.change(session, id, 1)
		}
		sw := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if counted && sw.status != http.StatusAccepted {
			// Refused: no response event will come.
			s.change(session, id, -1)
		}
	})
}

// stream watches a session's event stream for response events.
func (s *sseTracker) stream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &sseWatcher{w: w, tracker: s}
		next.ServeHTTP(sw, r)
		sw.mu.Lock()
		sw.done = true
		session := sw.session
		sw.mu.Unlock()
		if session != "" {
			// The stream ended: its pending responses will never be written.
			s.mu.Lock()
			n := 0
			for _, k := range s.pending[session] {
				n += k
			}
			delete(s.pending, session)
			if s.streams[session] == sw {
				delete(s.streams, session)
			}
			s.mu.Unlock()
			s.t.add(-n)
		}
	})
}

// idKey is a request ID in one canonical spelling: a response may write
// the ID differently from its request.
func idKey(id json.RawMessage) string {
	var v any
	if json.Unmarshal(id, &v) != nil {
		return string(id)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *sseTracker) change(session string, id json.RawMessage, d int) {
	key := idKey(id)
	s.mu.Lock()
	ids := s.pending[session]
	if d < 0 && ids[key] == 0 {
		s.mu.Unlock()
		return
	}
	if ids == nil {
		ids = map[string]int{}
		s.pending[session] = ids
	}
	ids[key] += d
	if ids[key] == 0 {
		delete(ids, key)
	}
	s.mu.Unlock()
	s.t.add(d)
}

func (s *sseTracker) watch(session string, w *sseWatcher) {
	s.mu.Lock()
	s.streams[session] = w
	s.mu.Unlock()
}

// cutOff writes cutOffError on each session's stream for every request
// still waiting for its response.
func (s *sseTracker) cutOff() {
	s.mu.Lock()
	streams := make([]*sseWatcher, 0, len(s.streams))
	for _, w := range s.streams {
		streams = append(streams, w)
	}
	s.mu.Unlock()
	for _, w := range streams {
		w.cutOff()
	}
}

// waiting lists a session's requests still waiting for their response.
func (s *sseTracker) waiting(session string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, n := range s.pending[session] {
		for range n {
			ids = append(ids, id)
		}
	}
	return ids
}

// sseWatcher learns its session from the endpoint event and counts the
// response events written through it.
type sseWatcher struct {
	tracker *sseTracker

	mu      sync.Mutex
	w       http.ResponseWriter
	session string
	done    bool // cut off, or the stream ended
}

func (w *sseWatcher) Header() http.Header { return w.w.Header() }

func (w *sseWatcher) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.w.WriteHeader(code)
	}
}

func (w *sseWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return 0, errCutOff
	}
	n, err := w.w.Write(p)
	if err == nil {
		w.observe(p)
	}
	return n, err
}

// observe reads what was written to the stream; w.mu is held.
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
				w.tracker.watch(w.session, w)
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
				w.tracker.change(w.session, msg.ID, -1)
			}
		}
	}
}

func (w *sseWatcher) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if f, ok := w.w.(http.Flusher); !w.done && ok {
		f.Flush()
	}
}

// cutOff answers the requests still waiting on the stream and closes it
// to any later write. Holding w.mu, no response can be written meanwhile.
func (w *sseWatcher) cutOff() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done || w.session == "" {
		return
	}
	w.done = true
	for _, id := range w.tracker.waiting(w.session) {
		_, _ = io.WriteString(w.w, "event: message\ndata: "+string(cutOffError(json.RawMessage(id)))+"\n\n")
	}
	if f, ok := w.w.(http.Flusher); ok {
		f.Flush()
	}
}

// SetWriteDeadline lets mcp-go bound a stalled client's writes.
func (w *sseWatcher) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(w.w).SetWriteDeadline(t)
}

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

// readAndRestore reads a request body (already buffered by limitBody) and
// puts it back for the next handler.
func readAndRestore(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}
