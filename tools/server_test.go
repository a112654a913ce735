package tools

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/mcptest"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// maxToolsListBytes bounds the size of tools/list's result: every byte of
// it sits in the model's context on every turn (issue 14: 24 KiB with the
// people tools and the safety issue's confirmation parameter).
const maxToolsListBytes = 24 << 10

// TestThroughMCPServer registers every tool on a real mcp-go server, with
// its output validation on, and calls some over the stdio protocol. It is
// not parallel: mcp-go's stdio session is a process-wide singleton.
func TestThroughMCPServer(t *testing.T) {
	e := newEnv(t)
	svc, err := inbox.New(inbox.Config{Token: sandbox.DefaultToken, SenderActorID: sandbox.AgentActorID,
		ClientOptions: []hubspot.Option{hubspot.WithBaseURL(e.url)},
		Limiter: func(string) hubspot.Limiter {
			return hubspot.NewWindowLimiter(hubspot.Rate{Calls: 1000, Per: time.Second})
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv := mcptest.NewUnstartedServer(t)
	srv.AddTools(All(svc, Config{})...)
	srv.AddServerOptions(server.WithOutputSchemaValidation())
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := srv.Client()

	list, err := client.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != len(wantTools) {
		t.Fatalf("tools/list has %d tools, want %d", len(list.Tools), len(wantTools))
	}
	// The size is the answer's bytes as the server writes them.
	wire := server.NewMCPServer("size", "1", server.WithToolCapabilities(false))
	wire.AddTools(All(svc, Config{})...)
	raw, err := json.Marshal(wire.HandleMessage(t.Context(), json.RawMessage(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tools/list: %d tools, %d bytes, %d under the budget", len(list.Tools), len(raw), maxToolsListBytes-len(raw))
	if len(raw) > maxToolsListBytes {
		t.Errorf("tools/list is %d bytes, over the budget of %d", len(raw), maxToolsListBytes)
	}

	for _, c := range []struct {
		tool, args string
		isError    bool
		want       string
	}{
		{"get_thread", validCalls["get_thread"], false, `"id":"9000000101"`},
		{"list_messages", `{"threadId":"` + sandbox.AllTypesThreadID + `","limit":100}`, false, `"type":"THREAD_INBOX_CHANGE"`},
		// This client cannot ask its user: a preview, which conforms to the
		// output schema too.
		{"send_message", `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Thanks, Maya!"}`, false, `"reason":"confirmation_required"`},
		{"get_thread", `{"threadId":9000000101}`, false, `"id":"9000000101"`},
		{"get_thread", `{"threadId":"ninety"}`, true, "threadId must contain only digits"},
		{"list_threads", `{"limit":500}`, true, "limit must be from 1 to 100, got 500"},
	} {
		var args map[string]any
		if err := json.Unmarshal([]byte(c.args), &args); err != nil {
			t.Fatal(err)
		}
		res, err := client.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: c.tool, Arguments: args}})
		if err != nil {
			t.Fatalf("%s: %v", c.tool, err)
		}
		got := res.Content[0].(mcp.TextContent).Text
		if res.IsError != c.isError || !strings.Contains(got, c.want) {
			t.Errorf("%s(%s): isError %v, text %.300s; want isError %v and %q", c.tool, c.args, res.IsError, got, c.isError, c.want)
		}
		if !c.isError && res.StructuredContent == nil {
			t.Errorf("%s: no structuredContent", c.tool)
		}
	}
}

// TestInputSchemasCompile calls every tool once, so that each input
// schema, compiled on the tool's first call, compiles (a schema that does
// not panics).
func TestInputSchemasCompile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if len(e.tools) < 19 {
		t.Fatalf("%d tools, want at least 19", len(e.tools))
	}
	for name, st := range e.tools {
		if _, err := st.Handler(t.Context(), request(t, name, `{}`)); err != nil {
			t.Errorf("%s({}): protocol error %v", name, err)
		}
	}
}
