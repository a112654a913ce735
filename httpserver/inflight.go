package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// errCutOff is what a tool, resource or prompt call still running when
// MCP_SHUTDOWN_TIMEOUT ends answers: mcp-go sends it to the client as a
// JSON-RPC error through its usual path, on every transport.
var errCutOff = errors.New("the server shut down before this call finished (MCP_SHUTDOWN_TIMEOUT); it may or may not have taken effect: check before retrying")

// Calls counts the requests mcp-go is handling, from its hooks (between
// a request's before hook and its success or error hook), the same on
// every transport; and cuts off the tool, resource and prompt calls still
// running at shutdown, through handler middleware whose context it
// cancels.
type Calls struct {
	mu    sync.Mutex
	calls map[any]struct{} // the request values mcp-go passes its hooks
	zero  chan struct{}    // closed while calls is empty

	cut    context.Context // cancelled by cutOff
	cutAll context.CancelFunc
}

// NewCalls returns a counter to install on the MCP server: Hooks on its
// server.Hooks and ServerOptions among its options.
func NewCalls() *Calls {
	z := make(chan struct{})
	close(z)
	cut, cancel := context.WithCancel(context.Background())
	return &Calls{calls: map[any]struct{}{}, zero: z, cut: cut, cutAll: cancel}
}

// Hooks counts requests. mcp-go passes the before hook and the success or
// error hook the same pointer to the decoded request, which keys the count;
// an error hook for a request that failed to decode (no before hook) finds
// nothing to remove. A subscriptions/listen stream lasts until its client
// or shutdown ends it, so it is not a call to wait for.
func (t *Calls) Hooks(h *server.Hooks) {
	h.AddBeforeAny(func(_ context.Context, id any, method mcp.MCPMethod, message any) {
		if id == nil || method == mcp.MethodSubscriptionsListen {
			return
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		if len(t.calls) == 0 {
			t.zero = make(chan struct{})
		}
		t.calls[message] = struct{}{}
	})
	h.AddOnSuccess(func(_ context.Context, _ any, _ mcp.MCPMethod, message any, _ any) { t.done(message) })
	h.AddOnError(func(_ context.Context, _ any, _ mcp.MCPMethod, message any, _ error) { t.done(message) })
}

func (t *Calls) done(message any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.calls[message]; !ok {
		return
	}
	delete(t.calls, message)
	if len(t.calls) == 0 {
		close(t.zero)
	}
}

func (t *Calls) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.calls)
}

// wait blocks until nothing is in flight (true) or ctx ends (false).
func (t *Calls) wait(ctx context.Context) bool {
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

// cutOff makes every tool, resource and prompt call still running, and any
// started later, return errCutOff at once.
func (t *Calls) cutOff() { t.cutAll() }

// guard runs a handler with a context that cutOff cancels; a call cut off
// answers errCutOff, whatever the handler made of its cancelled context.
func guard[Req, Res any](t *Calls, next func(context.Context, Req) (Res, error)) func(context.Context, Req) (Res, error) {
	return func(ctx context.Context, req Req) (Res, error) {
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		stop := context.AfterFunc(t.cut, func() { cancel(errCutOff) })
		defer stop()
		res, err := next(ctx, req)
		if errors.Is(context.Cause(ctx), errCutOff) {
			var zero Res
			return zero, errCutOff
		}
		return res, err
	}
}

// ServerOptions installs the cut-off on tool, resource and prompt handlers.
func (t *Calls) ServerOptions() []server.ServerOption {
	return []server.ServerOption{
		server.WithToolHandlerMiddleware(func(next server.ToolHandlerFunc) server.ToolHandlerFunc { return guard(t, next) }),
		server.WithResourceHandlerMiddleware(func(next server.ResourceHandlerFunc) server.ResourceHandlerFunc { return guard(t, next) }),
		server.WithPromptHandlerMiddleware(func(next server.PromptHandlerFunc) server.PromptHandlerFunc { return guard(t, next) }),
	}
}

// sseStreams lets shutdown close the legacy SSE transport's streams only
// once each has written what was queued for it. mcp-go answers a call
// there by queueing the response on the session's stream just after the
// request's hooks have run, and ending a session drops what is still
// queued. mcp-go writes a session's queue in order, so shutdown queues a
// notice behind the responses (a log message saying the server is shutting
// down, through mcp-go's SendEventToSession) and waits until every stream
// has written it; it repeats this until a round passes in which no stream
// wrote anything else, so a response queued a moment after its hook is not
// lost either.
type sseStreams struct {
	mu       sync.Mutex
	sessions map[string]struct{}
	streams  map[*noticeWatcher]struct{}
}

func newSSEStreams(h *server.Hooks) *sseStreams {
	s := &sseStreams{sessions: map[string]struct{}{}, streams: map[*noticeWatcher]struct{}{}}
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

// stream watches one SSE stream's writes.
func (s *sseStreams) stream(next http.Handler) http.Handler {
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

// flush waits, at most until ctx ends, until every stream has written what
// is queued for it (see sseStreams).
func (s *sseStreams) flush(ctx context.Context, srv *server.SSEServer) {
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
