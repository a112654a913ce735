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
// losing answers: Drain waits until every stream has written what is queued
// for it, and only then may the server call SSEServer.CloseSessions.
//
// The misbehaviour (TestPinned_SSEAnswerIsQueuedAfterItsHooks and
// TestPinned_SSECloseDropsWhatIsQueued): mcp-go v1.2.1 answers a call on
// the SSE transport by queueing the response on the session's stream just
// after the request's hooks and handler middleware have returned, so a
// server that waited for its calls to finish cannot know the answers are
// written; and ending a session drops what is still queued. mcp-go writes a
// session's queue in order, so Drain queues a notice behind the responses
// (a log message saying the server is shutting down, through
// SendEventToSession) and watches each stream's writes until it has written
// the notice; it repeats until a round passes in which no stream wrote
// anything else, so that a response queued a moment after its call ended is
// not lost either. Spotting the notice means reading the stream's bytes:
// that is the part that depends on mcp-go's wire format.
//
// Delete it when mcp-go's SSE server drains each session's queue before it
// closes the stream on CloseSessions (or offers a graceful Shutdown that
// does), and the pinned tests fail.
type SSEStreams struct {
	mu       sync.Mutex
	sessions map[string]struct{}
	streams  map[*noticeWatcher]struct{}
}

// NewSSEStreams tracks the SSE sessions of the MCP server whose hooks are h.
func NewSSEStreams(h *server.Hooks) *SSEStreams {
	s := &SSEStreams{sessions: map[string]struct{}{}, streams: map[*noticeWatcher]struct{}{}}
	h.AddOnRegisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		s.sessions[cs.SessionID()] = struct{}{}
		s.mu.Unlock()
	})
	h.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		delete(s.sessions, cs.SessionID())
		s.mu.Unlock()
	})
	return s
}

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
		nw := &noticeWatcher{ResponseWriter: w}
		s.mu.Lock()
		s.streams[nw] = struct{}{}
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.streams, nw)
			s.mu.Unlock()
			nw.end()
		}()
		next.ServeHTTP(nw, r)
	})
}

// Drain waits, at most until ctx ends, until every stream has written what
// is queued for it (see SSEStreams).
func (s *SSEStreams) Drain(ctx context.Context, srv *server.SSEServer) {
	s.mu.Lock()
	ids := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	watchers := make([]*noticeWatcher, 0, len(s.streams))
	for w := range s.streams {
		watchers = append(watchers, w)
	}
	s.mu.Unlock()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		before := make([]watchState, len(watchers))
		for i, w := range watchers {
			before[i] = w.state()
		}
		for _, id := range ids {
			_ = srv.SendEventToSession(id, shutdownNotice)
		}
		quiet := true
		for i, w := range watchers {
			for {
				now := w.state()
				if now.ended || now.notices > before[i].notices {
					quiet = quiet && (now.ended || now.others == before[i].others)
					break
				}
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
			}
		}
		if quiet {
			return
		}
	}
}

// noticeWatcher is an SSE stream's response writer; it counts the
// shutdown notices it has written and flushed, and the other writes.
type noticeWatcher struct {
	http.ResponseWriter
	pending bool // a notice was written, not yet flushed (stream goroutine only)

	mu sync.Mutex
	watchState
}

type watchState struct {
	notices, others int
	ended           bool
}

func (w *noticeWatcher) Write(p []byte) (int, error) {
	if bytes.Contains(p, noticeJSON) {
		w.pending = true
	} else {
		w.mu.Lock()
		w.others++
		w.mu.Unlock()
	}
	return w.ResponseWriter.Write(p)
}

func (w *noticeWatcher) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	if w.pending {
		w.pending = false
		w.mu.Lock()
		w.notices++
		w.mu.Unlock()
	}
}

func (w *noticeWatcher) state() watchState {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.watchState
}

func (w *noticeWatcher) end() {
	w.mu.Lock()
	w.ended = true
	w.mu.Unlock()
}

// SetWriteDeadline lets mcp-go bound a stalled client's writes.
func (w *noticeWatcher) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(w.ResponseWriter).SetWriteDeadline(t)
}

func (w *noticeWatcher) Unwrap() http.ResponseWriter { return w.ResponseWriter }
