package tools

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// What a model reads must cost less context than HubSpot's raw JSON for the
// same data. TestModelFacingSize measures the text content of tool answers
// against HubSpot's answer bodies on the sandbox (figures in BENCHMARKS.md,
// "Model-facing size"); tools/list itself is measured through the protocol
// in TestThroughMCPServer.
const maxAnswerShare = 0.5

// rawHubSpot returns the body the sandbox (HubSpot) answers to a request.
func rawHubSpot(t *testing.T, e *env, method, path, body string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+sandbox.DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, err)
	}
	return answer
}

// answerText is the text a model reads from a tool: every text item.
func answerText(t *testing.T, e *env, name, args string) string {
	t.Helper()
	res := e.call(t, t.Context(), name, args)
	if res.IsError {
		t.Fatalf("%s(%s): %s", name, args, text(res))
	}
	return text(res)
}

func TestModelFacingSize(t *testing.T) {
	t.Parallel()
	share := func(t *testing.T, what string, tool string, raw []byte) {
		t.Helper()
		s := float64(len(tool)) / float64(len(raw))
		t.Logf("%s: tool text %d bytes, HubSpot JSON %d bytes, share %.2f", what, len(tool), len(raw), s)
		if s > maxAnswerShare {
			t.Errorf("%s: the tool's text is %.2f of HubSpot's JSON, over %.2f", what, s, maxAnswerShare)
		}
	}

	t.Run("list_threads of 20 threads", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		tool := answerText(t, e, "list_threads", `{"limit":20}`)
		var page listOutput[json.RawMessage]
		if err := json.Unmarshal([]byte(tool), &page); err != nil || len(page.Results) != 20 {
			t.Fatalf("want 20 threads, got %d (%v)", len(page.Results), err)
		}
		// The same data from HubSpot: the page of threads, and the batch
		// read of the customers and assignees it names.
		threads := rawHubSpot(t, e, http.MethodGet, "/conversations/v3/conversations/threads?limit=20", "")
		var p hubspot.Page[hubspot.Thread]
		if err := json.Unmarshal(threads, &p); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, id := range view.ThreadActors(p.Results) {
			if id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		inputs, _ := json.Marshal(map[string][]string{"inputs": ids})
		actors := rawHubSpot(t, e, http.MethodPost, "/conversations/v3/conversations/actors/batch/read", string(inputs))
		t.Logf("list_threads (20 threads): HubSpot's thread page alone is %d bytes; the tool's text is %.2f of it", len(threads), float64(len(tool))/float64(len(threads)))
		share(t, "list_threads (20 threads, with names)", tool, append(threads, actors...))
	})

	t.Run("list_messages of a 30-entry thread", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, withSender(sandbox.AgentActorID))
		// The chat thread with every entry type has 16 entries; the customer and the agent
		// exchange 7 more messages each, as in a longer chat.
		acct := e.sb.Account(sandbox.DefaultToken)
		for i := range 7 {
			if _, err := acct.AddIncomingMessage(sandbox.AllTypesThreadID, fmt.Sprintf("Thanks! One more question (%d): do the Talus Mid boots come in a half size for wide feet?", i+1)); err != nil {
				t.Fatal(err)
			}
			answerText(t, e, "send_message", fmt.Sprintf(`{"threadId":%q,"type":"MESSAGE","text":"Good question (%d): yes, the wide fit comes in half sizes from 8 to 13, and the 10.5 wide is back on Monday."}`,
				sandbox.AllTypesThreadID, i+1))
		}
		tool := answerText(t, e, "list_messages", `{"threadId":"`+sandbox.AllTypesThreadID+`","limit":30}`)
		var page listOutput[json.RawMessage]
		if err := json.Unmarshal([]byte(tool), &page); err != nil || len(page.Results) != 30 || page.NextCursor != "" {
			t.Fatalf("want all 30 entries, got %d, cursor %q (%v)", len(page.Results), page.NextCursor, err)
		}
		share(t, "list_messages (30 entries)", tool, rawHubSpot(t, e, http.MethodGet, "/conversations/v3/conversations/threads/"+sandbox.AllTypesThreadID+"/messages?limit=30", ""))
	})
}
