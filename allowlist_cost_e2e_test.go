package main

import (
	"maps"
	"slices"
	"strings"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// TestStdio_AForeignIDCostsWhatAnUnknownOneCosts (issue 15, finding 6):
// under the inbox allowlist, every tool addressed by a thread or a channel
// account answers an ID of another inbox exactly as an unknown one, dry
// runs included, and asks HubSpot the same requests for it, in the same
// order, whether the server has already seen the object or not: the
// answer, the number of calls and what they are tell nothing.
func TestStdio_AForeignIDCostsWhatAnUnknownOneCosts(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	const (
		foreignThread  = sandbox.AllTypesThreadID // moved to the general inbox
		unknownThread  = "9000000999"
		foreignAccount = sandbox.SalesEmailChannelAccountID
		unknownAccount = "240000999"
	)
	cs := connect(t, "2025-11-25", append(confirmEnv(url, ""), "HUBSPOT_INBOX_ALLOWLIST="+sandbox.HelpDeskInboxID))
	// The thread the channel-account cases write to is known already.
	callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})

	recipients := []map[string]any{{"deliveryIdentifiers": []map[string]any{{"type": "HS_EMAIL_ADDRESS", "value": "a@example.com"}}}}
	for _, tc := range []struct {
		name             string
		args             map[string]any
		idKey            string
		foreign, unknown string
	}{
		{"get_thread", nil, "threadId", foreignThread, unknownThread},
		{"list_messages", nil, "threadId", foreignThread, unknownThread},
		{"get_message", map[string]any{"messageId": sandbox.TruncatedMessageID}, "threadId", foreignThread, unknownThread},
		{"get_message_original_content", map[string]any{"messageId": sandbox.TruncatedMessageID}, "threadId", foreignThread, unknownThread},
		{"send_message", map[string]any{"type": "COMMENT", "text": "note"}, "threadId", foreignThread, unknownThread},
		{"send_message", map[string]any{"type": "COMMENT", "text": "note", "dryRun": true}, "threadId", foreignThread, unknownThread},
		{"send_message", map[string]any{"type": "MESSAGE", "text": "Hello"}, "threadId", foreignThread, unknownThread},
		{"update_thread", map[string]any{"status": "CLOSED"}, "threadId", foreignThread, unknownThread},
		{"update_thread", map[string]any{"status": "CLOSED", "dryRun": true}, "threadId", foreignThread, unknownThread},
		{"archive_thread", nil, "threadId", foreignThread, unknownThread},
		{"assign_thread", map[string]any{"actorId": sandbox.OtherAgentActorID}, "threadId", foreignThread, unknownThread},
		{"unassign_thread", nil, "threadId", foreignThread, unknownThread},
		{"get_channel_account", nil, "channelAccountId", foreignAccount, unknownAccount},
		{"send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "Hello", "channelId": sandbox.EmailChannelID,
			"recipients": recipients, "dryRun": true}, "channelAccountId", foreignAccount, unknownAccount},
		{"send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "Hello", "channelId": sandbox.EmailChannelID,
			"recipients": recipients}, "channelAccountId", foreignAccount, unknownAccount},
	} {
		// What one call answers and asks HubSpot, with the ID masked.
		call := func(id string) (answer string, requests []string) {
			args := maps.Clone(tc.args)
			if args == nil {
				args = map[string]any{}
			}
			args[tc.idKey] = id
			sb.ResetRequests()
			res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: tc.name, Arguments: args})
			if err != nil {
				t.Fatalf("%s(%v): %v", tc.name, args, err)
			}
			for _, r := range sb.Requests() {
				line := r.Method + " " + r.Path
				if r.RawQuery != "" {
					line += "?" + r.RawQuery
				}
				requests = append(requests, strings.ReplaceAll(line, id, "<ID>"))
			}
			return sameAnswer(contentText(res), id), requests
		}
		// First seen, then seen before (its inbox recorded).
		for _, round := range []string{"first", "again"} {
			fa, fr := call(tc.foreign)
			ua, ur := call(tc.unknown)
			if fa != ua {
				t.Errorf("%s %v (%s): a foreign ID answers\n%s\nan unknown one\n%s", tc.name, tc.args, round, fa, ua)
			}
			if !slices.Equal(fr, ur) {
				t.Errorf("%s %v (%s): a foreign ID costs %q\nan unknown one %q", tc.name, tc.args, round, fr, ur)
			}
			if !strings.Contains(fa, "not found") && !strings.Contains(fa, "does not exist") {
				t.Errorf("%s %v (%s): %s", tc.name, tc.args, round, fa)
			}
		}
	}
	for _, r := range sb.Requests() {
		if r.Method != "GET" {
			t.Errorf("the sandbox received %s %s", r.Method, r.Path)
		}
	}
}
