package main

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// asker is a user behind an MCP client that supports elicitation: it
// answers every question with action and remembers the questions.
type asker struct {
	action    string
	mu        sync.Mutex
	questions []string
}

func (a *asker) handle(_ context.Context, req *gomcp.ElicitRequest) (*gomcp.ElicitResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.questions = append(a.questions, req.Params.Message)
	return &gomcp.ElicitResult{Action: a.action}, nil
}

func (a *asker) asked() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.questions...)
}

// writesTo counts the sandbox's writes (method path) since the start.
func writesTo(sb *sandbox.Server, method, path string) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

const messagesPath = "/conversations/v3/conversations/threads/" + sandbox.EmailThreadID + "/messages"

// confirmEnv serves a test sandbox to the server with policy.
func confirmEnv(url, policy string) []string {
	env := []string{"HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken, "HUBSPOT_BASE_URL=" + url,
		"HUBSPOT_SENDER_ACTOR_ID=" + sandbox.AgentActorID, "HUBSPOT_RATE_LIMIT=1000/10s"}
	if policy != "" {
		env = append(env, "MCP_CONFIRM_WRITES="+policy)
	}
	return env
}

// TestStdio_ConfirmationOfCustomerVisibleWrites drives the official Go SDK
// client, which supports elicitation, against the sandbox: through
// elicitation/create (2025-11-25, 2025-06-18) and through the
// input-required result of 2026-07-28. A confirmed MESSAGE is sent once;
// a declined or cancelled one never (the sandbox's request log has no
// POST), and the result says the user declined.
func TestStdio_ConfirmationOfCustomerVisibleWrites(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{"2025-11-25", "2025-06-18", ""} {
		for _, action := range []string{"accept", "decline", "cancel"} {
			t.Run("protocol "+orLatest(protocol)+" "+action, func(t *testing.T) {
				t.Parallel()
				sb, url := startTestSandbox(t)
				user := &asker{action: action}
				cs := connectWith(t, protocol, &gomcp.ClientOptions{ElicitationHandler: user.handle}, confirmEnv(url, ""))
				const text = "Hi Jordan, a replacement pole ships today."

				res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message",
					Arguments: map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": text}})
				if err != nil {
					t.Fatal(err)
				}
				q := user.asked()
				if len(q) != 1 {
					t.Fatalf("%d questions, want 1", len(q))
				}
				for _, want := range []string{"Maya Thompson <maya.thompson@example.com>", "Channel: email", "Subject: Re: ", text, "cannot be taken back", sandbox.EmailThreadID} {
					if !strings.Contains(q[0], want) {
						t.Errorf("the question lacks %q:\n%s", want, q[0])
					}
				}
				posts := writesTo(sb, "POST", messagesPath)
				out, _ := json.Marshal(res.StructuredContent)
				switch action {
				case "accept":
					if res.IsError || posts != 1 || !strings.Contains(string(out), `"direction":"OUTGOING"`) {
						t.Errorf("accepted: %d POSTs, result %s %s", posts, out, contentText(res))
					}
				default:
					want := map[string]string{"decline": `"reason":"declined"`, "cancel": `"reason":"cancelled"`}[action]
					if res.IsError || posts != 0 || !strings.Contains(string(out), `"sent":false`) || !strings.Contains(string(out), want) ||
						!strings.Contains(contentText(res), "Do not try again unless the user asks") {
						t.Errorf("%s: %d POSTs, result %s", action, posts, out)
					}
				}

				// A COMMENT reaches no customer: no question.
				callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "COMMENT", "text": "internal"})
				if n := len(user.asked()); n != 1 {
					t.Errorf("a COMMENT asked: %d questions", n)
				}

				// Archiving asks which thread, whose, and about the 30 days.
				res, err = cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "archive_thread", Arguments: map[string]any{"threadId": sandbox.ClosedThreadID}})
				if err != nil {
					t.Fatal(err)
				}
				q = user.asked()
				if len(q) != 2 || !strings.Contains(q[1], "Archive thread "+sandbox.ClosedThreadID) || !strings.Contains(q[1], "for good after 30 days") || !strings.Contains(q[1], "<") {
					t.Errorf("archive question: %q", q[1:])
				}
				deletes := writesTo(sb, "DELETE", "/conversations/v3/conversations/threads/"+sandbox.ClosedThreadID)
				if (action == "accept") != (deletes == 1) || res.IsError {
					t.Errorf("%s archive: %d DELETEs, %s", action, deletes, contentText(res))
				}
			})
		}
	}
}

// TestStdio_ConfirmationIsAnInputRequiredResult checks the 2026-07-28 flow
// on the wire: with the SDK's automatic handling off, the first answer is
// an input-required result that sends nothing, and the retry with the
// user's answer and the echoed state sends the message once.
func TestStdio_ConfirmationIsAnInputRequiredResult(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	cs := connectWith(t, "", &gomcp.ClientOptions{
		ElicitationHandler: (&asker{action: "accept"}).handle,
		MultiRoundTrip:     &gomcp.MultiRoundTripOptions{Disabled: true},
	}, confirmEnv(url, "elicit"))
	params := &gomcp.CallToolParams{Name: "send_message", Arguments: map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "Your refund is on its way."}}
	res, err := cs.CallTool(t.Context(), params)
	if err != nil {
		t.Fatal(err)
	}
	if !res.NeedsInput() || len(res.InputRequests) != 1 || res.RequestState == "" {
		t.Fatalf("first answer: %+v, want an input-required result", res)
	}
	if n := writesTo(sb, "POST", messagesPath); n != 0 {
		t.Fatalf("%d POSTs before the answer", n)
	}
	for id := range res.InputRequests {
		params.InputResponses = gomcp.InputResponseMap{id: &gomcp.ElicitResult{Action: "accept"}}
	}
	params.RequestState = res.RequestState
	if res, err = cs.CallTool(t.Context(), params); err != nil || res.IsError || res.NeedsInput() {
		t.Fatalf("retry: %v %+v", err, res)
	}
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs after the answer, want 1", n)
	}
	// An answer to another question (a stale state) is not a confirmation.
	params.RequestState = "0123456789abcdef"
	if res, err = cs.CallTool(t.Context(), params); err != nil || !res.NeedsInput() {
		t.Errorf("stale state: %v %+v, want the question again", err, res)
	}
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs after a stale answer, want 1", n)
	}
}
