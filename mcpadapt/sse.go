package mcpadapt

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// SSEStreams lets a server shut the legacy SSE transport down without
// losing answers: Drain waits until every stream has written the answer of
// every request its session made, and what was queued before them, and only
// then may the server call SSEServer.CloseSessions.
//
// The misbehaviour (TestPinned_SSEAnswerIsQueuedAfterItsHooks and
// TestPinned_SSECloseDropsWhatIsQueued): mcp-go v1.2.1 answers a call on
// the SSE transport by queueing the response on the session's stream after
// the request's hooks and handler middleware have returned (and after
// marshalling it, which takes a while for a large result), so a server that
// waited for its calls to finish cannot know the answers are written; and
// ending a session drops what is still queued.
//
// So SSEStreams notes each request of an SSE session (a
// request-initialization hook, which mcp-go runs for every request it will
// answer) and watches the session's stream for the answers: Drain waits
// until none is owed. mcp-go writes a session's queue in order, so Drain
// then queues a notice (a log message saying the server is shutting down,
// through SendEventToSession) and waits until each stream has written it,
// which writes whatever was queued before it; if an answer was owed again
// meanwhile, it goes round once more. Telling answers and the notice from
// other events means reading the stream's bytes: that is the part that
// depends on mcp-go's wire format (one event per Write, JSON on its data
// line).
//
// Delete it when mcp-go's SSE server drains each session's queue, answers
// included, before it closes the stream on CloseSessions (or offers a
// graceful Shutdown that does), and the pinned tests fail.
type SSEStreams struct {
	mu       sync.Mutex
	sessions map[string]*sseStream // by session ID
	streams  map[*sseStream]struct{}
}

// NewSSEStreams tracks the SSE sessions of the MCP server whose hooks are h.
func NewSSEStreams(h *server.Hooks) *SSEStreams {
	s := &SSEStreams{sessions: map[string]*sseStream{}, streams: map[*sseStream]struct{}{}}
	h.AddOnRegisterSession(func(ctx context.Context, cs server.ClientSession) {
		// mcp-go registers an SSE session with its stream's request
		// context, which Stream marked.
		st, ok := ctx.Value(streamKey{}).(*sseStream)
		if !ok {
			return
		}
		s.mu.Lock()
		s.sessions[cs.SessionID()] = st
		s.mu.Unlock()
	})
	h.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		delete(s.sessions, cs.SessionID())
		s.mu.Unlock()
	})
	h.AddOnRequestInitialization(func(ctx context.Context, id any, _ any) error {
		cs := server.ClientSessionFromContext(ctx)
		if id == nil || cs == nil {
			return nil
		}
		s.mu.Lock()
		st := s.sessions[cs.SessionID()]
		s.mu.Unlock()
		if st != nil {
			st.owe(idKey(id))
		}
		return nil
	})
	return s
}

// streamKey marks the context of an SSE stream's request with its stream.
type streamKey struct{}

// shutdownNotice is the last event of every SSE stream.
var shutdownNotice = mcp.JSONRPCNotification{JSONRPC: mcp.JSONRPC_VERSION, Notification: mcp.Notification{
	Method: string(mcp.MethodNotificationMessage),
	Params: mcp.NotificationParams{AdditionalFields: map[string]any{
		"level": mcp.LoggingLevelNotice, "logger": "hubspot-conversations-mcp", "data": "the server is shutting down",
	}},
}}

// noticeJSON is shutdownNotice as SendEventToSession marshals it.
var noticeJSON, _ = json.Marshal(shutdownNotice)

// Stream wraps the SSE stream handler (SSEServer.SSEHandler) to watch each
// stream's writes.
func (s *SSEStreams) Stream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &sseStream{ResponseWriter: w, owed: map[string]int{}, changed: make(chan struct{})}
		s.mu.Lock()
		s.streams[st] = struct{}{}
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.streams, st)
			s.mu.Unlock()
			st.end()
		}()
		next.ServeHTTP(st, r.WithContext(context.WithValue(r.Context(), streamKey{}, st)))
	})
}

// Drain waits, at most until ctx ends, until every stream has written what
// is owed and queued for it (see SSEStreams).
func (s *SSEStreams) Drain(ctx context.Context, srv *server.SSEServer) {
	for {
		s.mu.Lock()
		ids := make([]string, 0, len(s.sessions))
		for id := range s.sessions {
			ids = append(ids, id)
		}
		streams := make([]*sseStream, 0, len(s.streams))
		for st := range s.streams {
			streams = append(streams, st)
		}
		s.mu.Unlock()
		// The answers.
		for _, st := range streams {
			if !st.await(ctx, func(v streamState) bool { return v.owed == 0 }) {
				return
			}
		}
		// What was queued before them, and the notice last.
		before := make([]int, len(streams))
		for i, st := range streams {
			before[i] = st.state().notices
		}
		for _, id := range ids {
			_ = srv.SendEventToSession(id, shutdownNotice)
		}
		settled := true
		for i, st := range streams {
			if !st.await(ctx, func(v streamState) bool { return v.notices > before[i] }) {
				return
			}
			settled = settled && st.state().owed == 0
		}
		if settled {
			return
		}
	}
}

// sseStream is an SSE stream's response writer. It counts the answers its
// session owes and the shutdown notices it has written and flushed.
type sseStream struct {
	http.ResponseWriter
	// Written, not yet flushed (the stream's goroutine only).
	flushNotices int
	flushAnswers []string

	mu      sync.Mutex
	owed    map[string]int // answers owed, by request ID
	v       streamState
	changed chan struct{} // closed and replaced on every change of v
}

type streamState struct {
	owed    int // answers owed
	notices int // notices written and flushed
	ended   bool
}

// owe notes that the session owes the answer of request id.
func (st *sseStream) owe(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.owed[id]++
	st.v.owed++
	st.signal()
}

func (st *sseStream) Write(p []byte) (int, error) {
	switch {
	case bytes.Contains(p, noticeJSON):
		st.flushNotices++
	case st.owes():
		if id, ok := answerID(p); ok {
			st.flushAnswers = append(st.flushAnswers, id)
		}
	}
	return st.ResponseWriter.Write(p)
}

func (st *sseStream) Flush() {
	if f, ok := st.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	if st.flushNotices == 0 && len(st.flushAnswers) == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.v.notices += st.flushNotices
	for _, id := range st.flushAnswers {
		if st.owed[id] > 0 {
			st.owed[id]--
			st.v.owed--
			if st.owed[id] == 0 {
				delete(st.owed, id)
			}
		}
	}
	st.flushNotices, st.flushAnswers = 0, st.flushAnswers[:0]
	st.signal()
}

func (st *sseStream) owes() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.v.owed > 0
}

func (st *sseStream) state() streamState {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.v
}

func (st *sseStream) end() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.v.ended = true
	st.signal()
}

// signal wakes whoever awaits a change; st.mu must be held.
func (st *sseStream) signal() {
	close(st.changed)
	st.changed = make(chan struct{})
}

// await waits until done holds for the stream's state or the stream ended
// (true), or ctx ends (false).
func (st *sseStream) await(ctx context.Context, done func(streamState) bool) bool {
	for {
		st.mu.Lock()
		v, changed := st.v, st.changed
		st.mu.Unlock()
		if v.ended || done(v) {
			return true
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return false
		}
	}
}

// SetWriteDeadline lets mcp-go bound a stalled client's writes.
func (st *sseStream) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(st.ResponseWriter).SetWriteDeadline(t)
}

func (st *sseStream) Unwrap() http.ResponseWriter { return st.ResponseWriter }

// idKey is the canonical JSON of a request ID.
func idKey(id any) string {
	b, err := json.Marshal(id)
	if err != nil {
		return ""
	}
	return string(b)
}

// answerID reads an SSE event as mcp-go writes it ("event: message\ndata:
// {…}\n\n") and returns the request ID it answers, if it is an answer (a
// JSON-RPC message with an id and no method). It reads the JSON only up to
// where it can tell, which for mcp-go's field order (jsonrpc, id, then
// result, error or method) is its start.
func answerID(event []byte) (string, bool) {
	_, data, ok := bytes.Cut(event, []byte("data:"))
	if !ok {
		return "", false
	}
	data, _, _ = bytes.Cut(data, []byte("\n"))
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	var id any
	hasID, answered := false, false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return "", false
		}
		switch t {
		case "method":
			return "", false
		case "id":
			if dec.Decode(&id) != nil {
				return "", false
			}
			hasID = id != nil
		case "result", "error":
			answered = true
			if hasID {
				return idKey(id), true
			}
			fallthrough
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return "", false
			}
		}
	}
	if hasID && answered {
		return idKey(id), true
	}
	return "", false
}
