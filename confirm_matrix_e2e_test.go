package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// kindOfClient is one row of docs/safe-writes.md's table: a transport, a
// protocol version and whether the client declares elicitation.
type kindOfClient struct {
	transport string // stdio, http, stateless (Streamable HTTP without sessions) or sse
	protocol  string // "" is the SDK's latest, 2026-07-28
	elicits   bool
}

func (k kindOfClient) String() string {
	return fmt.Sprintf("%s %s %s", k.transport, orLatest(k.protocol), map[bool]string{true: "asks", false: "cannot ask"}[k.elicits])
}

// cannotAsk is why the server cannot ask this client's user, as its
// answers say it, or "" when it can.
func (k kindOfClient) cannotAsk() string {
	legacy := k.protocol != ""
	switch {
	case legacy && k.transport == "sse":
		return "legacy SSE transport (MCP_TRANSPORT=sse) cannot carry a question"
	case legacy && k.transport == "stateless":
		return "keeps no sessions (MCP_STATELESS=true)"
	case k.protocol == "2025-03-26":
		return "has no elicitation (2025-06-18 added it)"
	case !k.elicits:
		return "does not support elicitation"
	}
	return ""
}

// TestConfirmationModesOnEveryKindOfClient drives the official Go SDK
// client against the server in each confirmation mode, over stdio,
// Streamable HTTP with and without sessions, and legacy SSE, speaking
// 2025-03-26, 2025-11-25 and 2026-07-28, with and without elicitation, and
// checks what docs/safe-writes.md's table says for each: a MESSAGE is sent
// at once only under never; a client that can ask asks its user once and
// sends once; one that cannot gets a preview and a token in the default
// mode (nothing sent; the call with the token sends once, a replay of it
// nothing) and a refusal that gives the true reason under elicit-only.
func TestConfirmationModesOnEveryKindOfClient(t *testing.T) {
	t.Parallel()
	var kinds []kindOfClient
	for _, transport := range []string{"stdio", "http", "stateless", "sse"} {
		for _, protocol := range []string{"2025-03-26", "2025-11-25", ""} {
			if transport == "stdio" && protocol == "2025-03-26" {
				continue // as over HTTP; one process per stdio client
			}
			for _, elicits := range []bool{true, false} {
				kinds = append(kinds, kindOfClient{transport, protocol, elicits})
			}
		}
	}
	for _, mode := range []inbox.ConfirmMode{inbox.ConfirmNever, inbox.ConfirmElicitOrPreview, inbox.ConfirmElicitOnly} {
		for _, transport := range []string{"stdio", "http", "stateless", "sse"} {
			t.Run(string(mode)+" over "+transport, func(t *testing.T) {
				t.Parallel()
				sb, url := startTestSandbox(t)
				env := append(confirmEnv(url, string(mode)), "MCP_CONFIRM_SECRET="+testConfirmSecret)
				p := startServerOver(t, transport, env)
				for _, k := range kinds {
					if k.transport != transport {
						continue
					}
					user := &asker{action: "accept"}
					var opts *gomcp.ClientOptions
					if k.elicits {
						opts = &gomcp.ClientOptions{ElicitationHandler: user.handle}
					}
					checkMode(t, sb, connectKind(t, p, env, k, opts), user, mode, k)
				}
			})
		}
	}
}

// startServerOver starts the server with env over transport (http,
// stateless or sse). Over stdio it starts none and returns nil: each stdio
// client starts its own (connectKind).
func startServerOver(t *testing.T, transport string, env []string) *serverProc {
	t.Helper()
	switch transport {
	case "http":
		return startServer(t, append(env, "MCP_TRANSPORT=http")...)
	case "stateless":
		return startServer(t, append(env, "MCP_TRANSPORT=http", "MCP_STATELESS=true")...)
	case "sse":
		return startServer(t, append(env, "MCP_TRANSPORT=sse")...)
	}
	return nil
}

// connectKind connects a client of kind k: over stdio to a server process
// of its own started with env, otherwise to p.
func connectKind(t *testing.T, p *serverProc, env []string, k kindOfClient, opts *gomcp.ClientOptions) *gomcp.ClientSession {
	t.Helper()
	if k.transport == "stdio" {
		return connectWith(t, k.protocol, opts, env)
	}
	var tr gomcp.Transport = &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp"}
	if k.transport == "sse" {
		tr = &gomcp.SSEClientTransport{Endpoint: p.url + "/sse"}
	}
	client := gomcp.NewClient(&gomcp.Implementation{Name: "modes", Version: "1"}, opts)
	cs, err := client.Connect(t.Context(), tr, &gomcp.ClientSessionOptions{ProtocolVersion: k.protocol})
	if err != nil {
		t.Fatalf("%v: connect: %v", k, err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

// checkMode sends one MESSAGE as a client of kind k under mode and checks
// what happens.
func checkMode(t *testing.T, sb *sandbox.Server, cs *gomcp.ClientSession, user *asker, mode inbox.ConfirmMode, k kindOfClient) {
	t.Helper()
	args := sendArgs(fmt.Sprintf("Hello from %v.", k))
	before := writesTo(sb, "POST", messagesPath)
	sent := func() int { return writesTo(sb, "POST", messagesPath) - before }
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args})
	if err != nil {
		t.Errorf("%v: %v", k, err)
		return
	}
	out, _ := json.Marshal(res.StructuredContent)
	why := k.cannotAsk()
	switch {
	case mode == inbox.ConfirmNever:
		if res.IsError || sent() != 1 || len(user.asked()) != 0 {
			t.Errorf("%v: %d sent, %d questions, %s", k, sent(), len(user.asked()), contentText(res))
		}
	case why == "":
		if res.IsError || sent() != 1 || len(user.asked()) != 1 {
			t.Errorf("%v: %d sent, %d questions, want 1 and 1: %s", k, sent(), len(user.asked()), contentText(res))
		}
	case mode == inbox.ConfirmElicitOnly:
		if !res.IsError || sent() != 0 || !strings.Contains(contentText(res), why) || !strings.Contains(contentText(res), "MCP_CONFIRM_WRITES=elicit-only") {
			t.Errorf("%v: %d sent, want a refusal saying %q: %s", k, sent(), why, contentText(res))
		}
	default:
		var preview struct {
			Sent              bool   `json:"sent"`
			Reason            string `json:"reason"`
			Preview           string `json:"preview"`
			ConfirmationToken string `json:"confirmationToken"`
		}
		_ = json.Unmarshal(out, &preview)
		if res.IsError || sent() != 0 || preview.Reason != "confirmation_required" || preview.ConfirmationToken == "" ||
			!strings.Contains(preview.Preview, "Maya Thompson <maya.thompson@example.com>") {
			t.Errorf("%v: %d sent, want a preview: %s", k, sent(), out)
			return
		}
		args["confirmationToken"] = preview.ConfirmationToken
		confirmed, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args})
		if err != nil || confirmed.IsError || sent() != 1 {
			t.Errorf("%v: the call with the token: %v, %d sent: %s", k, err, sent(), contentText(confirmed))
		}
		replayed, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args})
		if again, _ := json.Marshal(replayed.StructuredContent); err != nil || sent() != 1 || !strings.Contains(string(again), "already used") {
			t.Errorf("%v: the replay: %v, %d sent: %s", k, err, sent(), again)
		}
	}
}

// TestHTTP_ABatchNeverWaitsForAQuestion sends a confirmable write inside a
// JSON-RPC batch, on a 2025-03-26 session whose client declared
// elicitation, and on a 2025-11-25 session whose client sends its batch
// without the protocol header (which the server then takes for
// 2025-03-26): the batch is answered at once, with the preview (default
// mode) or the refusal (elicit-only), and nothing is sent.
func TestHTTP_ABatchNeverWaitsForAQuestion(t *testing.T) {
	t.Parallel()
	for _, mode := range []inbox.ConfirmMode{inbox.ConfirmElicitOrPreview, inbox.ConfirmElicitOnly} {
		for _, protocol := range []string{"2025-03-26", "2025-11-25"} {
			t.Run(string(mode)+" "+protocol, func(t *testing.T) {
				t.Parallel()
				sb, url := startTestSandbox(t)
				p := startServer(t, append(confirmEnv(url, string(mode)), "MCP_TRANSPORT=http")...)
				hc := &http.Client{Timeout: 15 * time.Second}
				post := func(session, body string, header bool) (*http.Response, []byte) {
					req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, p.url+"/mcp", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Accept", "application/json, text/event-stream")
					if session != "" {
						req.Header.Set("Mcp-Session-Id", session)
					}
					if header {
						req.Header.Set("Mcp-Protocol-Version", protocol)
					}
					resp, err := hc.Do(req)
					if err != nil {
						t.Fatalf("POST %s: %v (a batch that waits for a question never answers)", body[:min(len(body), 60)], err)
					}
					defer resp.Body.Close()
					var b strings.Builder
					_, _ = io.Copy(&b, resp.Body)
					return resp, []byte(b.String())
				}
				resp, _ := post("", `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"`+protocol+
					`","capabilities":{"elicitation":{"form":{}}},"clientInfo":{"name":"batch","version":"1"}}}`, false)
				session := resp.Header.Get("Mcp-Session-Id")
				post(session, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, true)
				call := func(id int, text string) string {
					return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"send_message","arguments":{"threadId":%q,"type":"MESSAGE","text":%q}}}`,
						id, sandbox.EmailThreadID, text)
				}
				// 2025-11-25 sends the batch without its header, as the
				// server would otherwise refuse it.
				_, body := post(session, "["+call(1, "First in a batch.")+","+call(2, "Second in a batch.")+"]", protocol == "2025-03-26")
				var answers []struct {
					ID     int `json:"id"`
					Result struct {
						IsError           bool            `json:"isError"`
						StructuredContent json.RawMessage `json:"structuredContent"`
						Content           []struct {
							Text string `json:"text"`
						} `json:"content"`
					} `json:"result"`
				}
				if err := json.Unmarshal(body, &answers); err != nil || len(answers) != 2 {
					t.Fatalf("batch answer: %v %s", err, body)
				}
				for _, a := range answers {
					switch mode {
					case inbox.ConfirmElicitOnly:
						if !a.Result.IsError || !strings.Contains(a.Result.Content[0].Text, "JSON-RPC batch") {
							t.Errorf("answer %d: %s", a.ID, body)
						}
					default:
						if a.Result.IsError || !strings.Contains(string(a.Result.StructuredContent), `"reason":"confirmation_required"`) {
							t.Errorf("answer %d: %s", a.ID, body)
						}
					}
				}
				if n := writesTo(sb, "POST", messagesPath); n != 0 {
					t.Errorf("%d messages sent from a batch", n)
				}
			})
		}
	}
}
