package mcpadapt

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// inputServer has one static resource, one template whose variable takes
// any run of unreserved characters, a tool and a prompt; reads counts the
// template's reads. bound installs CheckRequests (its bounds check,
// boundInput).
func inputServer(bound bool) (*server.MCPServer, *atomic.Int64) {
	h := &server.Hooks{}
	var reads atomic.Int64
	static := server.ServerResource{
		Resource: mcp.NewResource("test://list", "list"),
		Handler: func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: "test://list", Text: "list"}}, nil
		},
	}
	tmpl := server.ServerResourceTemplate{
		Template: mcp.NewResourceTemplate("test://items/{id}", "item"),
		Handler: func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			reads.Add(1)
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "item"}}, nil
		},
	}
	if bound {
		CheckRequests(h, []server.ServerResource{static}, []server.ServerResourceTemplate{tmpl}, ResourceChecks{})
	}
	s := server.NewMCPServer("input", "1", server.WithHooks(h), server.WithResourceCapabilities(false, false), server.WithPromptCapabilities(false))
	s.AddResources(static)
	s.AddResourceTemplates(tmpl)
	s.AddTool(mcp.NewTool("t"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("ok"), nil
	})
	s.AddPrompt(mcp.NewPrompt("p"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return mcp.NewGetPromptResult("p", nil), nil
	})
	return s, &reads
}

// call sends one request through mcp-go, as every transport does, and
// returns the JSON-RPC error code and message (0 and "" on success).
func call(s *server.MCPServer, method string, params map[string]any) (int, string) {
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	resp := s.HandleMessage(context.Background(), msg)
	if e, ok := resp.(mcp.JSONRPCError); ok {
		return e.Error.Code, e.Error.Message
	}
	return 0, ""
}

// TestPinned_ErrorsQuoteTheWholeInput pins that mcp-go v1.2.1's errors
// quote a resource URI, a tool or prompt name and a method whole, whatever
// their length. When this test fails, mcp-go bounds what it quotes:
// boundInput's quoting limits may go (keep a length limit of our own).
func TestPinned_ErrorsQuoteTheWholeInput(t *testing.T) {
	t.Parallel()
	s, _ := inputServer(false)
	long := strings.Repeat("z", 10_000)
	for _, tc := range []struct {
		method string
		params map[string]any
	}{
		{"resources/read", map[string]any{"uri": "test://nothing/" + long}},
		{"tools/call", map[string]any{"name": long, "arguments": map[string]any{}}},
		{"prompts/get", map[string]any{"name": long}},
		{"no/such/" + long, nil},
	} {
		if _, msg := call(s, tc.method, tc.params); !strings.Contains(msg, long) {
			t.Errorf("%.20s: mcp-go's error no longer quotes the whole input (%d bytes): boundInput's quoting may be obsolete", tc.method, len(msg))
		}
	}
}

// TestPinned_LongURIReachesTheTemplateMatcher pins that mcp-go v1.2.1
// matches a URI of any length against the templates and hands it to the
// template's handler: nothing bounds it first.
func TestPinned_LongURIReachesTheTemplateMatcher(t *testing.T) {
	t.Parallel()
	s, reads := inputServer(false)
	if code, msg := call(s, "resources/read", map[string]any{"uri": "test://items/" + strings.Repeat("1", 100_000)}); code != 0 || reads.Load() != 1 {
		t.Errorf("a 100 KB URI matching a template: error %d %.80s, %d reads; want it matched and read: boundInput's limit may be mcp-go's now", code, msg, reads.Load())
	}
}

// TestCheckRequestsBounds: URIs over MaxURI and names over MaxName are refused
// before mcp-go looks them up, and a long URI no resource matches before
// mcp-go quotes it; a long URI that a template matches is served, and short
// unknown ones keep mcp-go's own answer. No error quotes more than
// EchoLimit bytes of input.
func TestCheckRequestsBounds(t *testing.T) {
	t.Parallel()
	s, reads := inputServer(true)
	huge := strings.Repeat("1", 1<<20)
	long := strings.Repeat("z", 500)
	for _, tc := range []struct {
		name     string
		method   string
		params   map[string]any
		wantCode int
		wantMsg  string
	}{
		{"1 MB URI matching a template", "resources/read", map[string]any{"uri": "test://items/" + huge}, mcp.INVALID_REQUEST, "over the 2048"},
		{"1 MB URI to subscribe", "resources/subscribe", map[string]any{"uri": "test://items/" + huge}, mcp.INVALID_REQUEST, "over the 2048"},
		{"1 MB URI to complete", "completion/complete", map[string]any{"ref": map[string]any{"type": "ref/resource", "uri": huge}, "argument": map[string]any{"name": "id", "value": ""}}, mcp.INVALID_REQUEST, "over the 2048"},
		{"1 MB URI to listen to", "subscriptions/listen", map[string]any{"notifications": map[string]any{"resourceSubscriptions": []string{"test://list", huge}}}, mcp.INVALID_REQUEST, "over the 2048"},
		{"long unknown URI", "resources/read", map[string]any{"uri": "test://nothing/" + long}, mcp.INVALID_REQUEST, "no resource matches"},
		{"long tool name", "tools/call", map[string]any{"name": long}, mcp.INVALID_REQUEST, "params.name is 500 bytes"},
		{"long prompt name", "prompts/get", map[string]any{"name": long}, mcp.INVALID_REQUEST, "params.name is 500 bytes"},
		{"long method", "x/" + long, nil, mcp.INVALID_REQUEST, "method is 502 bytes"},
		{"long logging level", "logging/setLevel", map[string]any{"level": long}, mcp.INVALID_REQUEST, "params.level"},
		{"long reference type", "completion/complete", map[string]any{"ref": map[string]any{"type": long}}, mcp.INVALID_REQUEST, "params.ref.type"},
		{"name of the wrong type beside a long URI", "resources/read", map[string]any{"name": 7, "uri": "test://items/" + huge}, mcp.INVALID_REQUEST, "over the 2048"},
		{"short unknown URI: mcp-go's answer", "resources/read", map[string]any{"uri": "test://nothing"}, mcp.RESOURCE_NOT_FOUND, "test://nothing"},
		{"long URI matching a template", "resources/read", map[string]any{"uri": "test://items/" + strings.Repeat("1", 1500)}, 0, ""},
		{"static URI", "resources/read", map[string]any{"uri": "test://list"}, 0, ""},
	} {
		code, msg := call(s, tc.method, tc.params)
		if code != tc.wantCode || !strings.Contains(msg, tc.wantMsg) {
			t.Errorf("%s: %d %.300q, want %d with %q", tc.name, code, msg, tc.wantCode, tc.wantMsg)
		}
		if len(msg) > EchoLimit+len(tc.method)+200 {
			t.Errorf("%s: the error is %d bytes long", tc.name, len(msg))
		}
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("the template was read %d times, want once (the 1,500-byte URI)", n)
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"short":                           `"short"`,
		strings.Repeat("a", 64):           `"` + strings.Repeat("a", 64) + `"`,
		strings.Repeat("a", 65):           `"` + strings.Repeat("a", 64) + `"…`,
		strings.Repeat("é", 40):           `"` + strings.Repeat("é", 32) + `"…`,
		"a\x00" + strings.Repeat("b", 70): `"a\x00` + strings.Repeat("b", 62) + `"…`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%.10q…) = %s, want %s", in, got, want)
		}
	}
}

// BenchmarkRefuseLongURI: what refusing a resources/read of a 1 MB URI
// costs, through mcp-go's message handling (the URI refusal figure of
// BENCHMARKS.md comes from the server binary, `go run ./.ci/load uri`).
func BenchmarkRefuseLongURI(b *testing.B) {
	s, _ := inputServer(true)
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "resources/read",
		"params": map[string]any{"uri": "test://items/" + strings.Repeat("1", 1<<20)}})
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, ok := s.HandleMessage(context.Background(), msg).(mcp.JSONRPCError); !ok {
			b.Fatal("not refused")
		}
	}
}
