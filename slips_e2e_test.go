package main

import (
	"strings"
	"testing"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// TestStdio_CommonSlipsSucceed: the calls a model typically gets slightly
// wrong do what they mean, through the official Go SDK, which is not the
// library the server is built on.
func TestStdio_CommonSlipsSucceed(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	cs := connect(t, "", []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken,
		"HUBSPOT_SENDER_ACTOR_ID=" + sandbox.AgentActorID})
	for _, c := range []struct {
		name, tool string
		args       map[string]any
		check      func(map[string]any) bool
	}{
		{"a thread ID as a number", "get_thread", map[string]any{"threadId": 9000000101}, idIs("9000000101")},
		{"a thread ID with spaces", "get_thread", map[string]any{"threadId": " 9000000101 "}, idIs("9000000101")},
		{"one inbox ID where a list belongs", "list_threads", map[string]any{"inboxId": "147959640"}, allHave("inboxId", "147959640")},
		{"an inbox ID as a number", "list_threads", map[string]any{"inboxId": 147959640}, allHave("inboxId", "147959640")},
		{"a status in lower case", "list_threads", map[string]any{"threadStatus": "open"}, allHave("status", "OPEN")},
		{"a limit as a string", "list_threads", map[string]any{"limit": "3"}, count(3)},
		{"a boolean as a string", "list_threads", map[string]any{"archived": "false", "limit": 5}, count(5)},
		{"a bare date", "list_threads", map[string]any{"latestMessageTimestampAfter": "2026-11-19", "sort": []any{"latestMessageTimestamp"}}, nonEmpty},
		{"status for threadStatus", "list_threads", map[string]any{"limit": 2, "status": "OPEN"}, allHave("status", "OPEN")},
		{"a thread ID as a number for its messages", "list_messages", map[string]any{"threadId": 9000000101, "limit": 3}, count(3)},
		{"one actor ID where a list belongs", "batch_get_actors", map[string]any{"inputs": sandbox.AgentActorID}, count(1)},
		{"newest first, one sort key as a string", "list_threads", map[string]any{"sort": "-latestMessageTimestamp", "limit": 3}, count(3)},
		{"a message ID with spaces", "get_message", map[string]any{"threadId": 9000000101, "messageId": " " + sandbox.TruncatedMessageID + " "}, idIs(sandbox.TruncatedMessageID)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if out := callOK(t, cs, c.tool, c.args); !c.check(out) {
				t.Errorf("%s(%v) = %v", c.tool, c.args, out)
			}
		})
	}

	t.Run("a read-only tool refuses an unknown parameter and sends nothing", func(t *testing.T) {
		before := len(sb.Requests())
		text := callError(t, cs, "get_thread", map[string]any{"threadId": "9000000101", "verbose": true})
		if !strings.Contains(text, `"verbose" is not a known parameter`) || !strings.Contains(text, "Nothing was sent") {
			t.Errorf("error %q", text)
		}
		if got := sb.Requests()[before:]; len(got) != 0 {
			t.Errorf("the refused call reached HubSpot: %+v", got)
		}
	})

	t.Run("a write tool with an unknown parameter sends nothing", func(t *testing.T) {
		before := len(sb.Requests())
		text := callError(t, cs, "send_message", map[string]any{"threadId": 9000000101, "type": "COMMENT", "text": "hi", "dry_run": true})
		if !strings.Contains(text, `"dry_run" is not a known parameter`) || !strings.Contains(text, "Nothing was sent") {
			t.Errorf("error %q", text)
		}
		if got := sb.Requests()[before:]; len(got) != 0 {
			t.Errorf("the refused call reached HubSpot: %+v", got)
		}
	})
}

func idIs(id string) func(map[string]any) bool {
	return func(out map[string]any) bool { return out["id"] == id }
}

func results(out map[string]any) []any { r, _ := out["results"].([]any); return r }

func count(n int) func(map[string]any) bool {
	return func(out map[string]any) bool { return len(results(out)) == n }
}

func nonEmpty(out map[string]any) bool { return len(results(out)) > 0 }

func allHave(key, value string) func(map[string]any) bool {
	return func(out map[string]any) bool {
		for _, r := range results(out) {
			if r.(map[string]any)[key] != value {
				return false
			}
		}
		return len(results(out)) > 0
	}
}
