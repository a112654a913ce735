package mcpadapt

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// forgetful is a session ID manager that can forget an ID, as a server
// evicting a session at its cap does.
type forgetful struct {
	mu   sync.Mutex
	ids  map[string]bool
	next int
}

func (f *forgetful) Generate() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id := "s" + strings.Repeat("x", f.next)
	f.ids[id] = true
	return id
}

func (f *forgetful) Validate(id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.ids[id] {
		return false, errors.New("unknown")
	}
	return false, nil
}

func (f *forgetful) Terminate(id string) (bool, error) { f.forget(id); return false, nil }

func (f *forgetful) forget(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.ids, id)
}

// recorder is an HTTPResponseWriter that keeps the answer.
type recorder struct {
	h      http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) WriteHeader(s int)   { r.status = s }
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.body.Write(p)
}
func (r *recorder) Flush()          {}
func (r *recorder) CanStream() bool { return false }

// sessionServer serves Streamable HTTP with a forgetful manager and
// counts the sessions mcp-go registers and unregisters.
func sessionServer(t *testing.T) (*server.MCPServer, *server.StreamableHTTPServer, *forgetful, *atomic.Int64) {
	t.Helper()
	var registered atomic.Int64
	h := &server.Hooks{}
	h.AddOnRegisterSession(func(context.Context, server.ClientSession) { registered.Add(1) })
	h.AddOnUnregisterSession(func(context.Context, server.ClientSession) { registered.Add(-1) })
	s := server.NewMCPServer("pinned", "1", server.WithHooks(h))
	ids := &forgetful{ids: map[string]bool{}}
	return s, server.NewStreamableHTTPServer(s, server.WithSessionIdManager(ids)), ids, &registered
}

func initialize(t *testing.T, h *server.StreamableHTTPServer) string {
	t.Helper()
	rec := &recorder{h: http.Header{}}
	h.Handle(rec, &server.HTTPRequest{
		Method:  http.MethodPost,
		Header:  http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json, text/event-stream"}},
		Body:    []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`),
		Context: context.Background(),
	})
	id := rec.h.Get("Mcp-Session-Id")
	if rec.status != 200 || id == "" {
		t.Fatalf("initialize: %d %s", rec.status, rec.body.String())
	}
	return id
}

// TestPinned_ForgottenSessionStaysRegistered pins that mcp-go v1.2.1 keeps
// a session registered, with its state, after its SessionIdManager forgot
// the ID. When this test fails, forgetting an ID is enough: EndSession can
// go (or call mcp-go's own per-session termination, if it exports one).
func TestPinned_ForgottenSessionStaysRegistered(t *testing.T) {
	t.Parallel()
	s, h, ids, registered := sessionServer(t)
	id := initialize(t, h)
	ids.forget(id)
	if registered.Load() != 1 {
		t.Errorf("%d sessions registered after the manager forgot the ID, want mcp-go to still hold it (1): EndSession may be obsolete", registered.Load())
	}
	if err := s.SendNotificationToSpecificClient(id, "notifications/message", nil); err != nil {
		t.Errorf("mcp-go no longer finds the forgotten session (%v): EndSession may be obsolete", err)
	}
}

// TestEndSession_MCPGoForgetsTheSession: after EndSession mcp-go holds the
// session no more, and its ID is refused.
func TestEndSession_MCPGoForgetsTheSession(t *testing.T) {
	t.Parallel()
	s, h, ids, registered := sessionServer(t)
	id := initialize(t, h)
	other := initialize(t, h)
	EndSession(context.Background(), h, id)
	if registered.Load() != 1 {
		t.Errorf("%d sessions registered, want 1 (the other)", registered.Load())
	}
	if err := s.SendNotificationToSpecificClient(id, "notifications/message", nil); err == nil {
		t.Error("mcp-go still finds the ended session")
	}
	if _, err := ids.Validate(id); err == nil {
		t.Error("the manager still accepts the ended session's ID (Terminate was not called)")
	}
	if _, err := ids.Validate(other); err != nil {
		t.Error("the other session was ended too")
	}
}

// TestPinned_DeleteLeavesTheGETStreamOpen pins that mcp-go v1.2.1's
// handling of DELETE ends a session without ending its GET stream: the
// stream stays open until its client goes. httpserver ends the streams of
// the sessions it ends itself (sessionIDs.removeLocked); when this test
// fails, mcp-go does it and that code, with EndSession, can go.
func TestPinned_DeleteLeavesTheGETStreamOpen(t *testing.T) {
	t.Parallel()
	_, h, _, _ := sessionServer(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	id := initialize(t, h)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Mcp-Session-Id", id)
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: HTTP %d", resp.StatusCode)
	}
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		_, _ = io.Copy(io.Discard, resp.Body)
	}()
	EndSession(context.Background(), h, id)
	select {
	case <-ended:
		t.Error("the session's GET stream ended with its DELETE: mcp-go ends streams now; httpserver's own ending of them may go")
	case <-time.After(300 * time.Millisecond):
	}
}

// TestPinned_DeleteLeavesACallRunning pins that mcp-go v1.2.1's handling of
// DELETE ends a session without cancelling the calls of it that are still
// running: a tool waiting on its context (as one waiting for its user's
// answer to elicitation/create does) goes on waiting while the POST that
// carries it stays open, although no answer can reach the ended session.
// httpserver cancels the calls of the sessions that end
// (sessionIDs.endCall); when this test fails, mcp-go does it and that code
// can go.
func TestPinned_DeleteLeavesACallRunning(t *testing.T) {
	t.Parallel()
	s, h, _, _ := sessionServer(t)
	started, cancelled := make(chan struct{}), make(chan struct{})
	s.AddTool(mcp.NewTool("wait"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		close(started)
		select {
		case <-ctx.Done():
			close(cancelled)
		case <-t.Context().Done():
		}
		return mcp.NewToolResultText("done"), nil
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	id := initialize(t, h)
	post := func(body string) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Session-Id", id)
		req.Header.Set("MCP-Protocol-Version", "2025-11-25")
		return http.DefaultClient.Do(req)
	}
	go func() {
		if resp, err := post(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"wait","arguments":{}}}`); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	<-started
	EndSession(context.Background(), h, id)
	select {
	case <-cancelled:
		t.Error("the call was cancelled with its session's DELETE: mcp-go ends a session's calls now; httpserver's sessionIDs.endCall may go")
	case <-time.After(300 * time.Millisecond):
	}
}
