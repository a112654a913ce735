package main

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// TestNoClientThatCannotAskWritesInOneCall: under the default
// configuration, a client whose user the server cannot ask (no
// elicitation, protocol 2025-03-26, legacy SSE, no sessions) never gets a
// customer-visible MESSAGE sent or a thread archived by one call, whatever
// the arguments try: the type in another case, dryRun false in every
// spelling, an empty, made-up or other request's confirmationToken, or an
// answer and a request state put into tools/call by the client itself.
// The official Go SDK client speaks every protocol over every transport;
// the sandbox's request log must hold no such write.
func TestNoClientThatCannotAskWritesInOneCall(t *testing.T) {
	t.Parallel()
	type tool struct {
		name   string
		args   map[string]any
		method string
		path   string
	}
	send := tool{"send_message", sendArgs("Sent in one call?"), "POST", messagesPath}
	archive := tool{"archive_thread", map[string]any{"threadId": sandbox.ClosedThreadID}, "DELETE", "/conversations/v3/conversations/threads/" + sandbox.ClosedThreadID}
	tricks := []struct {
		name string
		args map[string]any
	}{
		{"plain", nil},
		{"dryRun false", map[string]any{"dryRun": false}},
		{`dryRun "false"`, map[string]any{"dryRun": "false"}},
		{"dryRun null", map[string]any{"dryRun": nil}},
		{"empty token", map[string]any{"confirmationToken": ""}},
		{"made-up token", map[string]any{"confirmationToken": strings.Repeat("A", 88)}},
		{"null token", map[string]any{"confirmationToken": nil}},
	}
	for _, transport := range []string{"stdio", "http", "stateless", "sse"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			sb, url := startTestSandbox(t)
			env := append(confirmEnv(url, ""), "MCP_CONFIRM_SECRET="+testConfirmSecret)
			p := startServerOver(t, transport, env)
			calls := 0
			defer func() {
				if calls < 40 {
					t.Errorf("%d calls tried, want every kind of client that cannot ask", calls)
				}
			}()
			for _, protocol := range []string{"2025-03-26", "2025-06-18", "2025-11-25", ""} {
				for _, elicits := range []bool{false, true} {
					k := kindOfClient{transport, protocol, elicits}
					if k.cannotAsk() == "" || (transport == "stdio" && protocol == "2025-03-26") {
						continue // it can ask: TestConfirmationModesOnEveryKindOfClient
					}
					var opts *gomcp.ClientOptions
					if elicits {
						opts = &gomcp.ClientOptions{ElicitationHandler: (&asker{action: "accept"}).handle}
					}
					cs := connectKind(t, p, env, k, opts)
					for _, tl := range []tool{send, archive} {
						// A token issued for another request: a preview of
						// other text, or of another thread.
						other := maps.Clone(tl.args)
						if tl.name == "send_message" {
							other["text"] = "Other text."
						} else {
							other["threadId"] = sandbox.EmailThreadID
						}
						preview := callOK(t, cs, tl.name, other)
						all := append(tricks, struct {
							name string
							args map[string]any
						}{"another request's token", map[string]any{"confirmationToken": preview["confirmationToken"]}})
						if tl.name == "send_message" {
							all = append(all, struct {
								name string
								args map[string]any
							}{"type in lower case", map[string]any{"type": "message"}})
						}
						for _, trick := range all {
							args := maps.Clone(tl.args)
							maps.Copy(args, trick.args)
							params := &gomcp.CallToolParams{Name: tl.name, Arguments: args}
							res, err := cs.CallTool(t.Context(), params)
							calls++
							if err != nil {
								t.Errorf("%v %s %s: %v", k, tl.name, trick.name, err)
								continue
							}
							if n := writesTo(sb, tl.method, tl.path); n != 0 {
								t.Fatalf("%v %s %s: %d writes (%s)", k, tl.name, trick.name, n, contentText(res))
							}
						}
						// The client answers a question it was never asked.
						res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: tl.name, Arguments: tl.args,
							InputResponses: gomcp.InputResponseMap{"confirm": &gomcp.ElicitResult{Action: "accept"}},
							RequestState:   fmt.Sprint(preview["confirmationToken"])})
						if n := writesTo(sb, tl.method, tl.path); err == nil && n != 0 {
							t.Fatalf("%v %s with inputResponses: %d writes (%s)", k, tl.name, n, contentText(res))
						}
					}
				}
			}
		})
	}
}
