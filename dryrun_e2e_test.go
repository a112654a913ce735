package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// TestStdio_DryRunOnEveryWriteTool calls every write tool with dryRun: the
// sandbox receives no write, and each answer is the request. Then the same
// calls without dryRun: the sandbox receives exactly those requests, so a
// dry run shows what would really be sent, defaults resolved.
func TestStdio_DryRunOnEveryWriteTool(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	cs := connect(t, "2025-11-25", confirmEnv(url, "never"))
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "Your exchange is approved."}},
		{"send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "COMMENT", "text": "Approved by Sam."}},
		{"assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": sandbox.OtherAgentActorID}},
		{"unassign_thread", map[string]any{"threadId": sandbox.EmailThreadID}},
		{"update_thread", map[string]any{"threadId": sandbox.EmailThreadID, "status": "CLOSED"}},
		{"update_thread", map[string]any{"threadId": sandbox.ArchivedThreadID, "archived": false}},
		{"archive_thread", map[string]any{"threadId": sandbox.ClosedThreadID}},
		{"create_visitor_token", map[string]any{"email": "jordan.lee@example.com", "firstName": "Jordan"}},
	}
	covered := map[string]bool{}
	for _, c := range calls {
		covered[c.tool] = true
	}
	for name, h := range wantTools {
		if isWrite := !h[0]; isWrite != covered[name] {
			t.Fatalf("%s: write tool %v, dry-run tested %v", name, isWrite, covered[name])
		}
	}
	type planned struct {
		Method string          `json:"method"`
		Path   string          `json:"path"`
		Body   json.RawMessage `json:"body"`
	}
	var plans []planned
	for _, c := range calls {
		args := map[string]any{"dryRun": true}
		for k, v := range c.args {
			args[k] = v
		}
		out := callOK(t, cs, c.tool, args)
		if out["sent"] != false || out["reason"] != "dry_run" {
			t.Errorf("%s dry run: %v", c.tool, out)
		}
		b, _ := json.Marshal(out["request"])
		var p planned
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
	}
	for _, r := range sb.Requests() {
		if r.Method != "GET" && !strings.HasSuffix(r.Path, "/batch/read") {
			t.Fatalf("a dry run sent %s %s", r.Method, r.Path)
		}
	}
	var msg struct {
		ChannelID        string `json:"channelId"`
		ChannelAccountID string `json:"channelAccountId"`
		SenderActorID    string `json:"senderActorId"`
		Subject          string `json:"subject"`
		Recipients       []struct {
			Name string `json:"name"`
		} `json:"recipients"`
	}
	if err := json.Unmarshal(plans[0].Body, &msg); err != nil || msg.ChannelID != sandbox.EmailChannelID || msg.ChannelAccountID != sandbox.EmailChannelAccountID ||
		msg.SenderActorID != sandbox.AgentActorID || msg.Subject == "" || len(msg.Recipients) != 1 || msg.Recipients[0].Name != "Maya Thompson" {
		t.Errorf("the MESSAGE's dry run does not resolve its defaults: %s", plans[0].Body)
	}

	sb.ResetRequests()
	for _, c := range calls {
		callOK(t, cs, c.tool, c.args)
	}
	var sent []planned
	for _, r := range sb.Requests() {
		if r.Method == "GET" || r.Path == "/conversations/v3/conversations/actors/batch/read" {
			continue
		}
		p := planned{Method: r.Method, Path: r.Path, Body: r.Body}
		if r.RawQuery != "" {
			p.Path += "?" + r.RawQuery
		}
		if len(p.Body) == 0 {
			p.Body = nil
		}
		sent = append(sent, p)
	}
	normalize := func(ps []planned) []map[string]any {
		var out []map[string]any
		for _, p := range ps {
			var body any
			if len(p.Body) > 0 {
				_ = json.Unmarshal(p.Body, &body)
			}
			out = append(out, map[string]any{"method": p.Method, "path": p.Path, "body": body})
		}
		return out
	}
	if diff := cmp.Diff(normalize(plans), normalize(sent)); diff != "" {
		t.Errorf("what was sent differs from the dry runs (-dry run +sent):\n%s", diff)
	}
}
