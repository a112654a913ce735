package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

var correlationID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// sameAnswer normalizes an answer about one ID so that it can be compared
// with the answer about another: the ID and correlation IDs are masked.
func sameAnswer(text, id string) string {
	return correlationID.ReplaceAllString(strings.ReplaceAll(text, id, "<ID>"), "<CID>")
}

// TestStdio_InboxAllowlistHidesOtherInboxes confines the server to the
// help desk and checks every tool, resource, template, completion, prompt
// and subscription with IDs of the general inbox: lists leave them out,
// and each answers exactly as an unknown ID does. The sandbox's request log
// shows that nothing of the other inbox was changed.
func TestStdio_InboxAllowlistHidesOtherInboxes(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	const (
		allowed        = sandbox.HelpDeskInboxID
		foreignInbox   = sandbox.InboxID
		unknownInbox   = "147959699"
		foreignThread  = sandbox.AllTypesThreadID // moved to the general inbox
		unknownThread  = "9000000999"
		foreignAccount = sandbox.SalesEmailChannelAccountID
		unknownAccount = "240000999"
	)
	cs := connect(t, "2025-11-25", []string{"HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken, "HUBSPOT_BASE_URL=" + url,
		"HUBSPOT_INBOX_ALLOWLIST=" + allowed, "HUBSPOT_SENDER_ACTOR_ID=" + sandbox.AgentActorID, "HUBSPOT_RATE_LIMIT=1000/10s", "MCP_POLL_INTERVAL=200ms"})

	// Tools: lists are filtered.
	results := func(name string, args map[string]any) []map[string]any {
		var out struct {
			Results []map[string]any `json:"results"`
		}
		b, _ := json.Marshal(callOK(t, cs, name, args))
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out.Results
	}
	if got := results("list_inboxes", map[string]any{}); len(got) != 1 || got[0]["id"] != allowed {
		t.Errorf("list_inboxes = %v, want only the help desk", got)
	}
	for _, args := range []map[string]any{{}, {"inboxId": []string{foreignInbox}}, {"inboxId": []string{foreignInbox, allowed}}} {
		for _, ca := range results("list_channel_accounts", args) {
			if ca["inboxId"] != allowed {
				t.Errorf("list_channel_accounts(%v) shows %v of inbox %v", args, ca["id"], ca["inboxId"])
			}
		}
	}
	if got := results("list_channel_accounts", map[string]any{"inboxId": []string{foreignInbox}}); len(got) != 0 {
		t.Errorf("list_channel_accounts of the other inbox: %v", got)
	}
	for _, args := range []map[string]any{
		{"limit": 100}, {"inboxId": []string{foreignInbox}}, {"threadStatus": "OPEN", "associatedContactId": sandbox.VisitorContactID},
		{"archived": true},
	} {
		for _, th := range results("list_threads", args) {
			if th["inboxId"] != allowed {
				t.Errorf("list_threads(%v) shows thread %v of inbox %v", args, th["id"], th["inboxId"])
			}
		}
	}

	// Tools addressed by ID: a foreign ID answers as an unknown one.
	for _, tc := range []struct {
		tool             string
		foreign, unknown map[string]any
		id, other        string
	}{
		{"get_inbox", map[string]any{"inboxId": foreignInbox}, map[string]any{"inboxId": unknownInbox}, foreignInbox, unknownInbox},
		{"get_channel_account", map[string]any{"channelAccountId": foreignAccount}, map[string]any{"channelAccountId": unknownAccount}, foreignAccount, unknownAccount},
	} {
		if f, u := sameAnswer(callError(t, cs, tc.tool, tc.foreign), tc.id), sameAnswer(callError(t, cs, tc.tool, tc.unknown), tc.other); f != u {
			t.Errorf("%s: foreign ID answers\n%s\nunknown ID answers\n%s", tc.tool, f, u)
		}
	}
	for _, tc := range []struct {
		tool string
		args map[string]any
	}{
		{"get_thread", nil},
		{"list_messages", nil},
		{"get_message", map[string]any{"messageId": sandbox.TruncatedMessageID}},
		{"get_message_original_content", map[string]any{"messageId": sandbox.TruncatedMessageID}},
		{"send_message", map[string]any{"type": "COMMENT", "text": "internal note"}},
		{"send_message", map[string]any{"type": "MESSAGE", "text": "Hello", "channelId": sandbox.EmailChannelID,
			"channelAccountId": sandbox.EmailChannelAccountID, "recipients": []map[string]any{{"deliveryIdentifiers": []map[string]any{{"type": "HS_EMAIL_ADDRESS", "value": "a@example.com"}}}}}},
		{"update_thread", map[string]any{"status": "CLOSED"}},
		{"archive_thread", nil},
		{"assign_thread", map[string]any{"actorId": sandbox.OtherAgentActorID}},
		{"unassign_thread", nil},
	} {
		args := func(id string) map[string]any {
			a := map[string]any{"threadId": id}
			for k, v := range tc.args {
				a[k] = v
			}
			return a
		}
		f := sameAnswer(callError(t, cs, tc.tool, args(foreignThread)), foreignThread)
		u := sameAnswer(callError(t, cs, tc.tool, args(unknownThread)), unknownThread)
		if f != u || !strings.Contains(f, "not found") {
			t.Errorf("%s: foreign thread answers\n%s\nunknown thread answers\n%s", tc.tool, f, u)
		}
	}
	// A channel account of another inbox cannot carry a message either.
	msg := callError(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "Hello",
		"channelId": sandbox.EmailChannelID, "channelAccountId": foreignAccount})
	if !strings.Contains(msg, "Channel account "+foreignAccount+" does not exist") {
		t.Errorf("send through another inbox's channel account: %s", msg)
	}

	// Resources, templates and the resource list.
	var listed []string
	for r, err := range cs.Resources(t.Context(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, r.URI)
	}
	if !slices.Contains(listed, "hubspot://inboxes/"+allowed) {
		t.Errorf("resources/list lacks the allowed inbox: %v", listed)
	}
	for _, uri := range listed {
		if strings.Contains(uri, foreignInbox) || strings.Contains(uri, foreignThread) {
			t.Errorf("resources/list shows %s", uri)
		}
		if c := readOne(t, cs, uri); strings.Contains(c.Text, foreignInbox) || strings.Contains(c.Text, foreignThread) || strings.Contains(c.Text, foreignAccount) {
			t.Errorf("%s mentions the other inbox", uri)
		}
	}
	for _, uri := range []string{"hubspot://threads?status=OPEN", "hubspot://threads?status=CLOSED"} {
		if c := readOne(t, cs, uri); strings.Contains(c.Text, `"inboxId":"`+foreignInbox) || strings.Contains(c.Text, foreignThread) {
			t.Errorf("%s shows the other inbox's threads", uri)
		}
	}
	readErr := func(uri string) string {
		_, err := cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: uri})
		if err == nil {
			t.Errorf("read %s: no error", uri)
			return ""
		}
		return err.Error()
	}
	for _, tpl := range []string{"hubspot://inboxes/%s", "hubspot://threads/%s", "hubspot://threads/%s/json"} {
		foreign, unknown := foreignInbox, unknownInbox
		if strings.Contains(tpl, "threads") {
			foreign, unknown = foreignThread, unknownThread
		}
		f := sameAnswer(readErr(strings.Replace(tpl, "%s", foreign, 1)), foreign)
		u := sameAnswer(readErr(strings.Replace(tpl, "%s", unknown, 1)), unknown)
		if f != u || !strings.Contains(f, "404") {
			t.Errorf("%s: foreign ID answers\n%s\nunknown ID answers\n%s", tpl, f, u)
		}
	}
	inboxThreads := func(id string) string {
		res, err := cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: "hubspot://inboxes/" + id + "/threads"})
		if err != nil {
			return sameAnswer(err.Error(), id)
		}
		return sameAnswer(res.Contents[0].Text, id)
	}
	if f, u := inboxThreads(foreignInbox), inboxThreads(unknownInbox); f != u {
		t.Errorf("inbox threads: foreign inbox answers\n%s\nunknown inbox answers\n%s", f, u)
	}

	// Completions offer nothing of the other inbox.
	for _, ref := range []*gomcp.CompleteReference{
		{Type: "ref/resource", URI: "hubspot://threads/{threadId}"},
		{Type: "ref/prompt", Name: "summarize_thread"},
	} {
		if got := completeValues(t, cs, ref, "threadId", ""); slices.Contains(got, foreignThread) || len(got) == 0 {
			t.Errorf("threadId completions %v: %v", ref, got)
		}
	}
	for _, ref := range []*gomcp.CompleteReference{
		{Type: "ref/resource", URI: "hubspot://inboxes/{inboxId}"},
		{Type: "ref/prompt", Name: "triage_inbox"},
	} {
		if got := completeValues(t, cs, ref, "inboxId", ""); !slices.Equal(got, []string{allowed}) {
			t.Errorf("inboxId completions %v: %v", ref, got)
		}
	}

	// Prompts.
	promptErr := func(name, arg, id string) string {
		res, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: name, Arguments: map[string]string{arg: id}})
		if err != nil {
			return sameAnswer(err.Error(), id)
		}
		b, _ := json.Marshal(res)
		return sameAnswer(string(b), id)
	}
	for _, tc := range []struct{ prompt, arg, foreign, unknown string }{
		{"summarize_thread", "threadId", foreignThread, unknownThread},
		{"draft_reply", "threadId", foreignThread, unknownThread},
		{"handoff_note", "threadId", foreignThread, unknownThread},
		{"triage_inbox", "inboxId", foreignInbox, unknownInbox},
	} {
		f, u := promptErr(tc.prompt, tc.arg, tc.foreign), promptErr(tc.prompt, tc.arg, tc.unknown)
		if f != u || strings.Contains(f, "Restock") {
			t.Errorf("prompt %s: foreign ID answers\n%s\nunknown ID answers\n%s", tc.prompt, f, u)
		}
	}

	// Subscriptions.
	subErr := func(uri, id string) string {
		err := cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: uri + id})
		if err == nil {
			t.Errorf("subscribing to %s%s: no error", uri, id)
			return ""
		}
		return sameAnswer(err.Error(), id)
	}
	for _, tc := range []struct{ uri, foreign, unknown string }{
		{"hubspot://threads/", foreignThread, unknownThread},
		{"hubspot://inboxes/", foreignInbox, unknownInbox},
	} {
		if f, u := subErr(tc.uri, tc.foreign), subErr(tc.uri, tc.unknown); f != u || !strings.Contains(f, "404") {
			t.Errorf("subscribe %s: foreign ID answers\n%s\nunknown ID answers\n%s", tc.uri, f, u)
		}
	}

	// Nothing of the other inbox was changed, or even addressed by a write.
	for _, r := range sb.Requests() {
		if r.Method != "GET" && !strings.HasSuffix(r.Path, "/batch/read") {
			t.Errorf("the sandbox received a write: %s %s", r.Method, r.Path)
		}
	}
}
