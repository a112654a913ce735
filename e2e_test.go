package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// binPath is the server binary the end-to-end tests drive, built once.
var binPath string

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		os.Exit(m.Run()) // only listing: no binary needed
	}
	// E2E_BIN runs the end-to-end tests against another build, such as
	// one from before a fix, to see its tests fail there.
	if bin := os.Getenv("E2E_BIN"); bin != "" {
		binPath = bin
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "hubspot-conversations-mcp-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "hubspot-conversations-mcp")
	args := []string{"build", "-o", binPath}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the server: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// connect starts the built server with env (on top of a clean environment)
// and connects the official Go SDK client to it over stdio.
func connect(t *testing.T, protocol string, env []string) *gomcp.ClientSession {
	t.Helper()
	return connectWith(t, protocol, nil, env)
}

// connectWith is connect with client options (notification handlers).
func connectWith(t *testing.T, protocol string, opts *gomcp.ClientOptions, env []string) *gomcp.ClientSession {
	t.Helper()
	cmd := exec.Command(binPath)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LOG_LEVEL=warn"}, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	client := gomcp.NewClient(&gomcp.Implementation{Name: "e2e", Version: "1"}, opts)
	cs, err := client.Connect(t.Context(), &gomcp.CommandTransport{Command: cmd}, &gomcp.ClientSessionOptions{ProtocolVersion: protocol})
	if err != nil {
		t.Fatalf("connect: %v\nserver stderr:\n%s", err, stderr.String())
	}
	t.Cleanup(func() {
		_ = cs.Close()
		if t.Failed() {
			t.Logf("server stderr:\n%s", stderr.String())
		}
	})
	return cs
}

func callOK(t *testing.T, cs *gomcp.ClientSession, name string, args map[string]any) map[string]any {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s(%v): tool error: %s", name, args, contentText(res))
	}
	// The first content item is the JSON; a note may follow it.
	text := ""
	if tc, ok := res.Content[0].(*gomcp.TextContent); ok {
		text = tc.Text
	}
	sc, ok := res.StructuredContent.(map[string]any)
	if !ok {
		t.Fatalf("%s: structuredContent = %T, want an object", name, res.StructuredContent)
	}
	var fromText map[string]any
	if err := json.Unmarshal([]byte(text), &fromText); err != nil {
		t.Fatalf("%s: text content is not JSON: %v\n%s", name, err, text)
	}
	if diff := cmp.Diff(sc, fromText); diff != "" {
		t.Errorf("%s: text and structuredContent differ (-structured +text):\n%s", name, diff)
	}
	return sc
}

func callError(t *testing.T, cs *gomcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: want an isError result, got a protocol error: %v", name, err)
	}
	if !res.IsError {
		t.Fatalf("%s(%v): want an isError result, got %s", name, args, contentText(res))
	}
	return contentText(res)
}

func contentText(res *gomcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*gomcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// hints are a tool's four annotations: readOnly, destructive, idempotent, openWorld.
type hints [4]bool

var wantTools = map[string]hints{
	"list_inboxes":                 {true, false, true, true},
	"get_inbox":                    {true, false, true, true},
	"list_channels":                {true, false, true, true},
	"get_channel":                  {true, false, true, true},
	"list_channel_accounts":        {true, false, true, true},
	"get_channel_account":          {true, false, true, true},
	"list_threads":                 {true, false, true, true},
	"search_threads":               {true, false, true, true},
	"get_thread":                   {true, false, true, true},
	"update_thread":                {false, false, true, true},
	"archive_thread":               {false, true, true, true},
	"assign_thread":                {false, false, true, true},
	"unassign_thread":              {false, false, true, true},
	"list_messages":                {true, false, true, true},
	"get_message":                  {true, false, true, true},
	"get_message_original_content": {true, false, true, true},
	"send_message":                 {false, true, false, true},
	"list_agents":                  {true, false, true, true},
	"get_actor":                    {true, false, true, true},
	"batch_get_actors":             {true, false, true, true},
	"create_visitor_token":         {false, false, false, true},
}

func TestStdio_GoSDKListsEveryToolWithSchemasAndAnnotations(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{"", "2025-11-25", "2025-06-18", "2024-11-05"} {
		t.Run("protocol "+orLatest(protocol), func(t *testing.T) {
			t.Parallel()
			cs := connect(t, protocol, []string{"HUBSPOT_SANDBOX=true"})
			res, err := cs.ListTools(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]hints{}
			for _, tool := range res.Tools {
				an := tool.Annotations
				if an == nil || an.DestructiveHint == nil || an.OpenWorldHint == nil {
					t.Errorf("%s: annotations not all set: %+v", tool.Name, an)
					continue
				}
				got[tool.Name] = hints{an.ReadOnlyHint, *an.DestructiveHint, an.IdempotentHint, *an.OpenWorldHint}
				if tool.Description == "" || tool.Title == "" {
					t.Errorf("%s: missing description or title", tool.Name)
				}
				in, _ := tool.InputSchema.(map[string]any)
				if in["type"] != "object" {
					t.Errorf("%s: inputSchema = %v", tool.Name, tool.InputSchema)
				}
				if protocol != "2024-11-05" {
					out, _ := tool.OutputSchema.(map[string]any)
					if out["type"] != "object" {
						t.Errorf("%s: outputSchema = %v", tool.Name, tool.OutputSchema)
					}
				}
			}
			if diff := cmp.Diff(wantTools, got); diff != "" {
				t.Errorf("tools and their hints (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStdio_GoSDKCallsEveryToolOnTheSandbox(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{"", "2025-11-25"} {
		t.Run("protocol "+orLatest(protocol), func(t *testing.T) {
			t.Parallel()
			cs := connect(t, protocol, []string{"HUBSPOT_SANDBOX=true"})
			called := map[string]bool{}
			call := func(name string, args map[string]any) map[string]any {
				called[name] = true
				out := callOK(t, cs, name, args)
				// This client cannot ask its user: a MESSAGE or an archive
				// answers with a preview, and goes out when called again
				// with its token, as a model does once the user agreed.
				if tok, _ := out["confirmationToken"].(string); out["reason"] == "confirmation_required" && tok != "" {
					args = maps.Clone(args)
					args["confirmationToken"] = tok
					out = callOK(t, cs, name, args)
				}
				return out
			}
			results := func(out map[string]any) []any {
				r, _ := out["results"].([]any)
				return r
			}

			if r := results(call("list_inboxes", map[string]any{})); len(r) < 2 {
				t.Errorf("list_inboxes: %d results", len(r))
			}
			call("get_inbox", map[string]any{"inboxId": sandbox.HelpDeskInboxID})
			if r := results(call("list_channels", map[string]any{})); len(r) < 3 {
				t.Errorf("list_channels: %d results", len(r))
			}
			call("get_channel", map[string]any{"channelId": sandbox.EmailChannelID})
			call("list_channel_accounts", map[string]any{"inboxId": []string{sandbox.HelpDeskInboxID}})
			call("get_channel_account", map[string]any{"channelAccountId": sandbox.EmailChannelAccountID})
			page := call("list_threads", map[string]any{"threadStatus": "OPEN", "limit": 5})
			if r := results(page); len(r) != 5 || page["nextCursor"] == "" {
				t.Errorf("list_threads: %d results, nextCursor %v", len(r), page["nextCursor"])
			}
			call("list_threads", map[string]any{"threadStatus": "OPEN", "limit": 5, "after": page["nextCursor"]})
			call("get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
			before := results(call("list_messages", map[string]any{"threadId": sandbox.EmailThreadID, "limit": 50}))
			call("get_message", map[string]any{"threadId": sandbox.EmailThreadID, "messageId": sandbox.TruncatedMessageID})
			call("get_message_original_content", map[string]any{"threadId": sandbox.EmailThreadID, "messageId": sandbox.TruncatedMessageID})
			if r := results(call("search_threads", map[string]any{"customer": "maya.thompson@example.com"})); len(r) < 2 {
				t.Errorf("search_threads: %d results", len(r))
			}
			if a, _ := call("list_agents", map[string]any{"query": "dana"})["agents"].([]any); len(a) != 1 {
				t.Errorf("list_agents dana: %v", a)
			}
			call("get_actor", map[string]any{"actorId": sandbox.AgentActorID})
			call("batch_get_actors", map[string]any{"inputs": []string{sandbox.AgentActorID, sandbox.VisitorActorID, sandbox.BotActorID}})
			call("create_visitor_token", map[string]any{"email": "jordan.lee@example.com", "firstName": "Jordan"})

			// Writes change later reads.
			call("send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "Thanks Jordan, a new pole is on its way."})
			call("send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "COMMENT", "text": "Replacement shipped, tracking in the ticket."})
			after := results(call("list_messages", map[string]any{"threadId": sandbox.EmailThreadID, "limit": 50}))
			if len(after) != len(before)+2 {
				t.Errorf("list_messages: %d messages after two sends, want %d", len(after), len(before)+2)
			}
			call("assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": sandbox.OtherAgentActorID})
			if th := call("get_thread", map[string]any{"threadId": sandbox.EmailThreadID}); !strings.HasSuffix(th["assignedTo"].(string), "("+sandbox.OtherAgentActorID+")") {
				t.Errorf("after assign_thread, assignedTo = %v", th["assignedTo"])
			}
			call("unassign_thread", map[string]any{"threadId": sandbox.EmailThreadID})
			if th := call("update_thread", map[string]any{"threadId": sandbox.EmailThreadID, "status": "CLOSED"}); th["status"] != "CLOSED" {
				t.Errorf("update_thread: status = %v", th["status"])
			}
			call("archive_thread", map[string]any{"threadId": sandbox.ClosedThreadID})
			callError(t, cs, "get_thread", map[string]any{"threadId": sandbox.ClosedThreadID})
			// A restored thread is not archived, and the view leaves false flags out.
			if th := call("update_thread", map[string]any{"threadId": sandbox.ArchivedThreadID, "archived": false}); th["archived"] != nil {
				t.Errorf("restore: archived = %v", th["archived"])
			}
			call("get_thread", map[string]any{"threadId": sandbox.ArchivedThreadID})

			for name := range wantTools {
				if !called[name] {
					t.Errorf("%s was not called", name)
				}
			}
		})
	}
}

// startSandbox serves a sandbox for one test, for failures the product's
// embedded sandbox cannot be told to produce.
func startTestSandbox(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, string) {
	t.Helper()
	sb := sandbox.New(opts...)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv.URL
}

func TestStdio_ErrorsReachTheModel(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	env := []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=Bearer " + sandbox.DefaultToken, "HUBSPOT_TIMEOUT=5s"}
	cs := connect(t, "", env)

	for _, tc := range []struct {
		name string
		tool string
		args map[string]any
		want []string
	}{
		{"bad input names the parameter", "get_thread", map[string]any{"threadId": "12ab"}, []string{"threadId", "digits"}},
		{"a missing parameter is named", "get_thread", map[string]any{}, []string{"threadId"}},
		{"a bad enum lists what is allowed", "list_threads", map[string]any{"threadStatus": "PENDING"}, []string{"threadStatus", "OPEN", "CLOSED"}},
		{"an unknown ID is a not-found error", "get_thread", map[string]any{"threadId": "1"}, []string{"404", "list_threads"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := callError(t, cs, tc.tool, tc.args)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("error %q does not mention %q", text, w)
				}
			}
		})
	}

	t.Run("a 5xx after retries says HubSpot is unavailable", func(t *testing.T) {
		sb.InjectFault(sandbox.Fault{Status: 503, Times: 10})
		text := callError(t, cs, "get_inbox", map[string]any{"inboxId": sandbox.InboxID})
		if !strings.Contains(text, "503") {
			t.Errorf("error %q does not mention 503", text)
		}
		sb.ClearFaults()
	})
	t.Run("a 429 with Retry-After is retried and succeeds", func(t *testing.T) {
		sb.InjectFault(sandbox.Fault{Status: 429, Header: map[string][]string{"Retry-After": {"1"}},
			Body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING","correlationId":"8e3c3a43-3c1f-4b8a-9f3e-6a1d2c3b4a5f"}`})
		start := time.Now()
		callOK(t, cs, "get_inbox", map[string]any{"inboxId": sandbox.InboxID})
		if time.Since(start) < time.Second {
			t.Errorf("retried after %s, before Retry-After", time.Since(start))
		}
	})
	t.Run("a daily-limit 429 tells the user what to do", func(t *testing.T) {
		sb.InjectFault(sandbox.Fault{Status: 429,
			Body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY","correlationId":"c033cdaa-0b2d-4b0e-9a8c-2f6b1d2e3f40"}`})
		text := callError(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
		for _, w := range []string{"429", "daily", "c033cdaa-0b2d-4b0e-9a8c-2f6b1d2e3f40", "midnight"} {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
				t.Errorf("error %q does not mention %q", text, w)
			}
		}
	})
}

func TestStdio_WrongTokenTellsWhatToFix(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	cs := connect(t, "", []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=pat-na1-wrong-token"})
	text := callError(t, cs, "list_inboxes", map[string]any{})
	for _, w := range []string{"401", "token"} {
		if !strings.Contains(text, w) {
			t.Errorf("error %q does not mention %q", text, w)
		}
	}
	if strings.Contains(text, "pat-na1-wrong-token") {
		t.Errorf("the token leaked into the tool result: %q", text)
	}
}

func TestStdio_ReadOnlyModeRegistersOnlyReads(t *testing.T) {
	t.Parallel()
	cs := connect(t, "", []string{"HUBSPOT_SANDBOX=true", "MCP_READ_ONLY=true"})
	res, err := cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
		if !tool.Annotations.ReadOnlyHint {
			t.Errorf("read-only mode lists %s", tool.Name)
		}
	}
	if !slices.Contains(names, "list_threads") || !slices.Contains(names, "search_threads") || !slices.Contains(names, "list_agents") || len(names) != 15 {
		t.Errorf("read-only tools = %v", names)
	}
}

func orLatest(protocol string) string {
	if protocol == "" {
		return "latest"
	}
	return protocol
}
