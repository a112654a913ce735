package resources

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
)

// handlerTransport serves requests with an http.Handler in memory: no
// sockets, so it also works inside a synctest bubble.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// newSandboxClient returns a fresh sandbox and a service for it.
func newSandboxClient(t testing.TB, opts ...sandbox.Option) (*sandbox.Server, *inbox.Service) {
	t.Helper()
	sb := sandbox.New(opts...)
	return sb, newService(t, sb, sandbox.DefaultToken)
}

// newService returns a service for token's account of sb.
func newService(t testing.TB, sb *sandbox.Server, token string) *inbox.Service {
	t.Helper()
	svc, err := inbox.New(inbox.Config{
		Token:         token,
		ClientOptions: []hubspot.Option{hubspot.WithBaseURL("http://sandbox.test")},
		Transport:     handlerTransport{sb},
		Limiter: func(string) hubspot.Limiter {
			return hubspot.NewWindowLimiter(hubspot.Rate{Calls: 1000, Per: time.Millisecond})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// newTestCatalog returns a catalog on a fresh sandbox, closed at cleanup.
func newTestCatalog(t testing.TB, opts Options) (*Catalog, *sandbox.Server, *inbox.Service) {
	t.Helper()
	sb, c := newSandboxClient(t)
	cat := New(c, opts)
	t.Cleanup(cat.Close)
	return cat, sb, c
}

// newTestServer builds an MCP server with the catalog installed, as main
// does.
func newTestServer(t testing.TB, cat *Catalog) *server.MCPServer {
	t.Helper()
	h := &server.Hooks{}
	s := server.NewMCPServer("test", "1",
		server.WithResourceCapabilities(cat.Polling(), cat.Polling()),
		server.WithCompletions(),
		server.WithResourceCompletionProvider(cat),
		server.WithPromptCompletionProvider(cat),
		server.WithHooks(h))
	mcpadapt.CheckRequests(h, cat.Resources(), cat.Templates(), cat.Checks())
	cat.Attach(s, h)
	s.AddResources(cat.Resources()...)
	s.AddResourceTemplates(cat.Templates()...)
	return s
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// call sends one JSON-RPC request to s and returns its result or error.
func call(t testing.TB, ctx context.Context, s *server.MCPServer, method string, params any) (json.RawMessage, *rpcError) {
	t.Helper()
	req, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := json.Marshal(s.HandleMessage(ctx, req))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *rpcError       `json:"error"`
	}
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatalf("%s: %v in %s", method, err, resp)
	}
	return out.Result, out.Error
}

// readText reads a resource through the catalog and returns its one text.
func readText(t testing.TB, ctx context.Context, cat *Catalog, uri string) (string, string) {
	t.Helper()
	contents, err := cat.Read(ctx, uri)
	if err != nil {
		t.Fatalf("read %s: %v", uri, err)
	}
	if len(contents) != 1 {
		t.Fatalf("read %s: %d contents, want 1", uri, len(contents))
	}
	tc, ok := contents[0].(mcp.TextResourceContents)
	if !ok {
		t.Fatalf("read %s: %T, want text", uri, contents[0])
	}
	return tc.Text, tc.MIMEType
}

// fakeSession is a registered MCP session whose notifications tests read.
type fakeSession struct {
	id string
	ch chan mcp.JSONRPCNotification

	mu          sync.Mutex
	initialized bool
}

func newFakeSession(id string) *fakeSession {
	return &fakeSession{id: id, ch: make(chan mcp.JSONRPCNotification, 100), initialized: true}
}

func (s *fakeSession) Initialize() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initialized = true
}

func (s *fakeSession) Initialized() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.initialized
}

func (s *fakeSession) NotificationChannel() chan<- mcp.JSONRPCNotification { return s.ch }
func (s *fakeSession) SessionID() string                                   { return s.id }
