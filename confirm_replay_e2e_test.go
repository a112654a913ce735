package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// The tests in this file reproduce finding 1 of issue 15: a person's "yes"
// could be replayed or forged. Each failed on the code before the
// confirmation capability (package inbox) was wired into the write tools.

// sendArgs is a customer-visible MESSAGE on the sandbox's email thread.
func sendArgs(text string) map[string]any {
	return map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": text}
}

// TestStdio_AnAcceptedConfirmationSendsOnce: a 2026-07-28 client gets the
// question as an input-required result, the person accepts, and the
// message goes out. Sending the same accepted retry again, 3 times one
// after the other and 5 times at once, sends nothing more.
func TestStdio_AnAcceptedConfirmationSendsOnce(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	cs := connectWith(t, "", &gomcp.ClientOptions{
		ElicitationHandler: (&asker{action: "accept"}).handle,
		MultiRoundTrip:     &gomcp.MultiRoundTripOptions{Disabled: true},
	}, confirmEnv(url, "always"))
	params := &gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs("Your replacement ships today.")}
	res, err := cs.CallTool(t.Context(), params)
	if err != nil || !res.NeedsInput() || len(res.InputRequests) != 1 {
		t.Fatalf("first answer: %v %+v, want an input-required result", err, res)
	}
	for id := range res.InputRequests {
		params.InputResponses = gomcp.InputResponseMap{id: &gomcp.ElicitResult{Action: "accept"}}
	}
	params.RequestState = res.RequestState
	if res, err = cs.CallTool(t.Context(), params); err != nil || res.IsError || res.NeedsInput() {
		t.Fatalf("accepted retry: %v %+v", err, res)
	}
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Fatalf("%d POSTs after the accepted retry, want 1", n)
	}

	// The SDK writes into the params it sends: each call gets its own.
	replay := func() *gomcp.CallToolParams {
		return &gomcp.CallToolParams{Name: params.Name, Arguments: sendArgs("Your replacement ships today."),
			InputResponses: params.InputResponses, RequestState: params.RequestState}
	}
	for i := range 3 {
		res, err := cs.CallTool(t.Context(), replay())
		if err != nil {
			t.Fatalf("replay %d: %v", i, err)
		}
		if !res.IsError && !res.NeedsInput() {
			t.Errorf("replay %d answered as sent: %s", i, contentText(res))
		}
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := cs.CallTool(t.Context(), replay()); err != nil {
				t.Errorf("concurrent replay: %v", err)
			}
		})
	}
	wg.Wait()
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs after 3 replays and 5 concurrent ones, want 1", n)
	}
}

// plannedDigest is the request state the server used before the
// confirmation capability, computed from a dry run's answer: what anyone
// who can call the tool can compute without asking a person.
func plannedDigest(t *testing.T, cs *gomcp.ClientSession, args map[string]any) string {
	t.Helper()
	dry := map[string]any{"dryRun": true}
	for k, v := range args {
		dry[k] = v
	}
	out := callOK(t, cs, "send_message", dry)
	b, err := json.Marshal(out["request"])
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Method string          `json:"method"`
		Path   string          `json:"path"`
		Body   json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	// The client encodes the body from its struct, in field order.
	var body hubspot.SendMessageRequest
	if err := json.Unmarshal(p.Body, &body); err != nil {
		t.Fatal(err)
	}
	encoded, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	// The request state before the confirmation capability: a plain
	// digest of the planned request.
	h := sha256.New()
	for _, part := range [][]byte{[]byte(p.Method), []byte(p.Path), encoded} {
		h.Write([]byte(strconv.Itoa(len(part)) + ":"))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// sendSelfConfirmed calls send_message with args and, with no question
// asked, answers the confirmation itself: "accept", with the request state
// computed from a dry run (plannedDigest).
func sendSelfConfirmed(t *testing.T, cs *gomcp.ClientSession, args map[string]any) *gomcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args,
		InputResponses: gomcp.InputResponseMap{"confirm": &gomcp.ElicitResult{Action: "accept"}},
		RequestState:   plannedDigest(t, cs, args)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestStdio_AStateComputedFromADryRunIsNoConfirmation: a 2026-07-28 client
// that computes the request state from a dry run and answers "accept"
// itself, with no question ever asked, sends nothing.
func TestStdio_AStateComputedFromADryRunIsNoConfirmation(t *testing.T) {
	t.Parallel()
	for _, policy := range []string{"", "always"} {
		t.Run("policy "+cmp.Or(policy, "default"), func(t *testing.T) {
			t.Parallel()
			sb, url := startTestSandbox(t)
			user := &asker{action: "decline"}
			cs := connectWith(t, "", &gomcp.ClientOptions{
				ElicitationHandler: user.handle,
				MultiRoundTrip:     &gomcp.MultiRoundTripOptions{Disabled: true},
			}, confirmEnv(url, policy))
			res := sendSelfConfirmed(t, cs, sendArgs("Refund approved, no one asked."))
			if n := writesTo(sb, "POST", messagesPath); n != 0 {
				t.Errorf("%d POSTs from a self-made confirmation, want 0 (result: %s)", n, contentText(res))
			}
			if !res.IsError && !res.NeedsInput() {
				t.Errorf("answered as sent: %s", contentText(res))
			}
		})
	}
}

// TestStdio_A2025ClientCannotAnswerItsOwnQuestion: before 2026-07-28 the
// server asks through elicitation/create and mcp-go calls the tool again
// with the answer. A 2025-06-18 client that puts inputResponses and
// requestState into tools/call itself skips the question; with a person
// who declines every question, nothing may be sent.
func TestStdio_A2025ClientCannotAnswerItsOwnQuestion(t *testing.T) {
	t.Parallel()
	for _, policy := range []string{"", "always"} {
		t.Run("policy "+cmp.Or(policy, "default"), func(t *testing.T) {
			t.Parallel()
			sb, url := startTestSandbox(t)
			user := &asker{action: "decline"}
			cs := connectWith(t, "2025-06-18", &gomcp.ClientOptions{ElicitationHandler: user.handle}, confirmEnv(url, policy))
			res := sendSelfConfirmed(t, cs, sendArgs("Sent with no question asked."))
			if n := writesTo(sb, "POST", messagesPath); n != 0 {
				t.Errorf("%d POSTs, %d questions asked, want no POST (result: %s)", n, len(user.asked()), contentText(res))
			}
			if out, _ := json.Marshal(res.StructuredContent); !res.IsError && !strings.Contains(string(out), `"sent":false`) {
				t.Errorf("answered as sent: %s", out)
			}
		})
	}
}

// TestStdio_APreviewTokenSendsOnce: a client without elicitation gets a
// preview; its token, sent back 5 times at once, sends one message.
func TestStdio_APreviewTokenSendsOnce(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{"2025-11-25", ""} {
		t.Run("protocol "+orLatest(protocol), func(t *testing.T) {
			t.Parallel()
			sb, url := startTestSandbox(t)
			cs := connect(t, protocol, confirmEnv(url, ""))
			preview := callOK(t, cs, "send_message", sendArgs("Sent once, whatever the retries."))
			token, _ := preview["confirmationToken"].(string)
			if token == "" || writesTo(sb, "POST", messagesPath) != 0 {
				t.Fatalf("preview: %v", preview)
			}
			var wg sync.WaitGroup
			for range 5 {
				wg.Go(func() {
					args := sendArgs("Sent once, whatever the retries.")
					args["confirmationToken"] = token
					if _, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args}); err != nil {
						t.Errorf("concurrent call with the token: %v", err)
					}
				})
			}
			wg.Wait()
			if n := writesTo(sb, "POST", messagesPath); n != 1 {
				t.Errorf("%d POSTs from 5 concurrent calls with one token, want 1", n)
			}
		})
	}
}

// TestStdio_AnUncertainSendSpendsTheConfirmation: the first attempt to
// send spends the confirmation, whatever its outcome. A send whose answer
// is lost (HubSpot's connection closes without answering) or refused
// (500) leaves its confirmation used: the same token or accepted state
// again sends nothing and gets a new question, whose own confirmation
// then sends once.
func TestStdio_AnUncertainSendSpendsTheConfirmation(t *testing.T) {
	t.Parallel()
	for _, fault := range []sandbox.Fault{
		{Method: "POST", Path: messagesPath, Drop: true},
		{Method: "POST", Path: messagesPath, Status: 500},
	} {
		for _, protocol := range []string{"2025-11-25", ""} {
			name := fmt.Sprintf("status %d drop %v protocol %s", fault.Status, fault.Drop, orLatest(protocol))
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				sb, url := startTestSandbox(t)
				var opts *gomcp.ClientOptions
				if protocol == "" {
					// 2026-07-28: the input-required flow.
					opts = &gomcp.ClientOptions{ElicitationHandler: (&asker{action: "accept"}).handle,
						MultiRoundTrip: &gomcp.MultiRoundTripOptions{Disabled: true}}
				}
				cs := connectWith(t, protocol, opts, confirmEnv(url, ""))
				const text = "Sent once, even after a lost answer."
				// ask returns the call that confirms: the preview's token,
				// or the accepted answer with the request state.
				ask := func(res *gomcp.CallToolResult) *gomcp.CallToolParams {
					t.Helper()
					p := &gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs(text)}
					if protocol == "" {
						if !res.NeedsInput() {
							t.Fatalf("want an input-required result: %s", contentText(res))
						}
						p.InputResponses = gomcp.InputResponseMap{}
						for id := range res.InputRequests {
							p.InputResponses[id] = &gomcp.ElicitResult{Action: "accept"}
						}
						p.RequestState = res.RequestState
						return p
					}
					out, _ := res.StructuredContent.(map[string]any)
					tok, _ := out["confirmationToken"].(string)
					if tok == "" {
						t.Fatalf("want a preview with a token: %s", contentText(res))
					}
					args := sendArgs(text)
					args["confirmationToken"] = tok
					p.Arguments = args
					return p
				}
				call := func(p *gomcp.CallToolParams) *gomcp.CallToolResult {
					t.Helper()
					args := maps.Clone(p.Arguments.(map[string]any))
					res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: p.Name, Arguments: args, InputResponses: p.InputResponses, RequestState: p.RequestState})
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				confirm := ask(call(&gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs(text)}))
				sb.InjectFault(fault)
				if res := call(confirm); !res.IsError {
					t.Fatalf("the faulted send: %s", contentText(res))
				}
				again := call(confirm)
				said := contentText(again)
				for _, r := range again.InputRequests {
					if e, ok := r.(*gomcp.ElicitParams); ok {
						said += e.Message
					}
				}
				if again.IsError || !strings.Contains(said, "already used") {
					t.Errorf("the same confirmation again: %s", said)
				}
				if n := writesTo(sb, "POST", messagesPath); n != 1 {
					t.Errorf("%d POSTs after the faulted send and its replay, want the faulted one", n)
				}
				if res := call(ask(again)); res.IsError || res.NeedsInput() {
					t.Errorf("the new confirmation: %s", contentText(res))
				}
				if n := writesTo(sb, "POST", messagesPath); n != 2 {
					t.Errorf("%d POSTs, want the faulted one and the one sent", n)
				}
			})
		}
	}
}
