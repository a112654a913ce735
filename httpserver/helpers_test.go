package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/mcphttptest"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
)

// The tests serve a small MCP server of their own through the protections:
// httpserver knows no tool, so neither do its tests. Its tools:
//
//   - echo {text}: answers text;
//   - fail: answers an isError result;
//   - slow: waits until the test releases it (kit.release) or its context
//     ends; kit.started receives a value when it starts;
//   - progress: sends a progress notification, then answers;
//   - token: answers the credential ID of the request's HubSpot token.
type kit struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

// releaseAll lets every slow call, running or to come, answer.
func (k *kit) releaseAll() { k.once.Do(func() { close(k.release) }) }

func newMCP(t *testing.T) (*server.MCPServer, *Calls, *kit) {
	t.Helper()
	k := &kit{started: make(chan struct{}, 100), release: make(chan struct{})}
	calls := NewCalls()
	opts := append([]server.ServerOption{
		server.WithHooks(&server.Hooks{}),
		server.WithToolCapabilities(true),
		server.WithLogging(),
	}, calls.ServerOptions()...)
	s := server.NewMCPServer("httpserver-test", "1", opts...)
	s.AddTool(mcp.NewTool("echo", mcp.WithString("text")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(req.GetString("text", "")), nil
	})
	s.AddTool(mcp.NewTool("fail"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultError("bad input"), nil
	})
	s.AddTool(mcp.NewTool("slow"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		k.started <- struct{}{}
		select {
		case <-k.release:
			return mcp.NewToolResultText("done"), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	s.AddTool(mcp.NewTool("progress"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		n := mcpadapt.NewNotifier(ctx)
		_ = n.Notify(mcp.MethodNotificationProgress, map[string]any{"progressToken": "p", "progress": 1})
		return mcp.NewToolResultText("progressed"), nil
	})
	s.AddTool(mcp.NewTool("token"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		tok, ok := inbox.TokenFromContext(ctx)
		if !ok {
			return mcp.NewToolResultError("no token"), nil
		}
		return mcp.NewToolResultText(inbox.CredentialID(tok)), nil
	})
	return s, calls, k
}

// logBuffer collects a server's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is a Server serving on a loopback port until the test ends
// or stop is called.
type testServer struct {
	*Server
	url  string
	log  *logBuffer
	kit  *kit
	stop func() error // shuts down gracefully and returns Serve's error
}

// defaults fills the options a test leaves zero.
func defaults(o Options) Options {
	if o.MaxSessions == 0 {
		o.MaxSessions = 100
	}
	if o.SessionIdleTimeout == 0 {
		o.SessionIdleTimeout = 30 * time.Minute
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.BodyReadTimeout == 0 {
		o.BodyReadTimeout = 10 * time.Second
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = 5 * time.Second
	}
	return o
}

// serve starts a Server with opts on 127.0.0.1 (or on addr, when given).
func serve(t *testing.T, opts Options, addr ...string) *testServer {
	t.Helper()
	mcpSrv, calls, k := newMCP(t)
	logs := &logBuffer{}
	opts = defaults(opts)
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	listen := "127.0.0.1:0"
	if len(addr) > 0 {
		listen = addr[0]
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := New(mcpSrv, calls, ln.Addr(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ctx, ln) }()
	var once sync.Once
	var serveErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			serveErr = <-done
		})
		return serveErr
	}
	t.Cleanup(func() {
		k.releaseAll()
		_ = stop()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return &testServer{Server: hs, url: "http://127.0.0.1:" + port, log: logs, kit: k, stop: stop}
}

// answer is an HTTP answer read in full.
type answer struct {
	status int
	header http.Header
	body   string
}

// rpcCode is the JSON-RPC error code of the answer's body (0 if none).
func (a answer) rpcCode() int {
	var msg struct {
		Error *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(a.body), &msg) != nil || msg.Error == nil {
		return 0
	}
	return msg.Error.Code
}

// send makes one request to the test server's endpoint with the headers
// a client sends (a "Host" entry sets the Host) and reads the answer.
func (s *testServer) send(t *testing.T, method string, body io.Reader, headers map[string]string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.url+s.Endpoint(), body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if h, ok := headers["Host"]; ok {
		req.Host = h
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// post posts a JSON body.
func (s *testServer) post(t *testing.T, body string, headers map[string]string) answer {
	t.Helper()
	return s.send(t, http.MethodPost, strings.NewReader(body), headers)
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

// initialize opens a session with a bare initialize and returns its ID
// (empty when refused) and the answer.
func (s *testServer) initialize(t *testing.T, headers map[string]string) (string, answer) {
	t.Helper()
	a := s.post(t, initializeBody, headers)
	return a.header.Get("Mcp-Session-Id"), a
}

// inSession adds a session's headers to extra.
func inSession(id string, extra map[string]string) map[string]string {
	h := map[string]string{"Mcp-Session-Id": id, "MCP-Protocol-Version": "2025-11-25"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

// callTool calls a tool in a session over raw HTTP, with extra headers.
func (s *testServer) callTool(t *testing.T, session, name string, extra ...map[string]string) answer {
	t.Helper()
	var h map[string]string
	if len(extra) > 0 {
		h = extra[0]
	}
	return s.post(t, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"`+name+`","arguments":{}}}`, inSession(session, h))
}

// stream opens a session's GET stream; it stays open until the test ends
// or close is called. The answer's body is read only when it is refused.
func (s *testServer) stream(t *testing.T, session string) (answer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/mcp", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}, func() {}
	}
	closeIt := sync.OnceFunc(func() { cancel(); resp.Body.Close() })
	t.Cleanup(closeIt)
	return answer{status: resp.StatusCode, header: resp.Header}, closeIt
}

// headerTransport adds headers to every request of an MCP client.
type headerTransport map[string]string

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// connect connects the official Go SDK client, over Streamable HTTP or SSE
// as the server serves, at protocol (empty: the SDK's latest).
func (s *testServer) connect(t *testing.T, protocol string, headers map[string]string) (*gomcp.ClientSession, error) {
	t.Helper()
	hc := &http.Client{Transport: headerTransport(headers)}
	var tr gomcp.Transport = &gomcp.StreamableClientTransport{Endpoint: s.url + "/mcp", HTTPClient: hc}
	if s.sse != nil {
		tr = &gomcp.SSEClientTransport{Endpoint: s.url + "/sse", HTTPClient: hc}
	}
	c := gomcp.NewClient(&gomcp.Implementation{Name: "httpserver-test", Version: "1"}, nil)
	cs, err := c.Connect(t.Context(), tr, &gomcp.ClientSessionOptions{ProtocolVersion: protocol})
	if err == nil {
		t.Cleanup(func() { _ = cs.Close() })
	}
	return cs, err
}

// connectForShutdown connects the official Go SDK client for a shutdown
// test. Over SSE, the end of the server's stream reaches the client only
// once release is called (when every call has returned; at the latest 30 s
// after connecting): go-sdk v1.8.0's SSE client drops the events
// still queued in it when its stream ends (mcp/sse.go, sseClientConn.Read
// answers io.EOF once the stream is done), so it could not tell whether the
// server wrote every answer before closing the stream, which is what the
// shutdown tests check. An answer the server did not write still fails its
// call with EOF once released.
func (s *testServer) connectForShutdown(t *testing.T, protocol string) (*gomcp.ClientSession, func()) {
	t.Helper()
	if s.sse == nil {
		cs, err := s.connect(t, protocol, nil)
		if err != nil {
			t.Fatal(err)
		}
		return cs, func() {}
	}
	hc, release := mcphttptest.HoldStreamEnds(t)
	c := gomcp.NewClient(&gomcp.Implementation{Name: "httpserver-test", Version: "1"}, nil)
	cs, err := c.Connect(t.Context(), &gomcp.SSEClientTransport{Endpoint: s.url + "/sse", HTTPClient: hc}, &gomcp.ClientSessionOptions{ProtocolVersion: protocol})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs, release
}

// toolText calls a tool through a client and returns its text, or the error.
func toolText(ctx context.Context, cs *gomcp.ClientSession, name string, args map[string]any) (string, error) {
	res, err := cs.CallTool(ctx, &gomcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*gomcp.TextContent); ok {
			out.WriteString(tc.Text)
		}
	}
	return out.String(), nil
}

// waitFor polls cond, a bounded number of times, for something the server
// does after it has answered (closing a stream, writing a log line).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
