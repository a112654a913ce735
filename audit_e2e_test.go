package main

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

var logField = regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*"|\S*)`)

// auditRecords returns the audit records of a text log, each as its
// fields.
func auditRecords(log string) []map[string]string {
	var out []map[string]string
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, " audit=true") {
			continue
		}
		rec := map[string]string{}
		for _, m := range logField.FindAllStringSubmatch(line, -1) {
			v := m[2]
			if u, err := strconv.Unquote(v); err == nil {
				v = u
			}
			rec[m[1]] = v
		}
		out = append(out, rec)
	}
	return out
}

// TestHTTP_AuditRecordsEveryWriteAndNoSecret makes writes of every kind
// and outcome as one user with a per-user token, then reads the server's
// log: one audit record per attempt, with the session, the credential's
// fingerprint and HubSpot's correlation ID, and nowhere the token or the
// text the user wrote.
func TestHTTP_AuditRecordsEveryWriteAndNoSecret(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	const token = "pat-na1-11111111-2222-3333-4444-555555555555"
	sb.AddAccount(token, sandbox.DefaultCompany)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_TOKEN_SOURCE=header", "HUBSPOT_BASE_URL="+url,
		"HUBSPOT_INBOX_ALLOWLIST="+sandbox.HelpDeskInboxID, "HUBSPOT_SENDER_ACTOR_ID="+sandbox.AgentActorID, "HUBSPOT_RATE_LIMIT=1000/10s")
	// The user confirms the first MESSAGE and declines the last.
	user := &asker{action: "accept"}
	hc := &http.Client{Transport: headerTransport{base: http.DefaultTransport, headers: map[string]string{httpserver.TokenHeader: token}}}
	client := gomcp.NewClient(&gomcp.Implementation{Name: "audit", Version: "1"}, &gomcp.ClientOptions{ElicitationHandler: user.handle})
	cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp", HTTPClient: hc},
		&gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	const (
		reply   = "Hi Jordan, your replacement pole ships today: tracking JX-99812."
		note    = "Customer is upset; refund approved by Maria, see ticket 5521."
		subject = "Your replacement pole, order 77120"
	)
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": reply, "subject": subject})
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "COMMENT", "text": note})
	callOK(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": sandbox.OtherAgentActorID})
	callOK(t, cs, "unassign_thread", map[string]any{"threadId": sandbox.EmailThreadID})
	callOK(t, cs, "update_thread", map[string]any{"threadId": sandbox.EmailThreadID, "status": "CLOSED"})
	callOK(t, cs, "archive_thread", map[string]any{"threadId": sandbox.ClosedThreadID})
	callOK(t, cs, "create_visitor_token", map[string]any{"email": "jordan.lee@example.com", "firstName": "Jordan"})
	callError(t, cs, "send_message", map[string]any{"threadId": sandbox.AllTypesThreadID, "type": "COMMENT", "text": note})
	callError(t, cs, "send_message", map[string]any{"threadId": "9000000999", "type": "COMMENT", "text": note})
	callError(t, cs, "update_thread", map[string]any{"threadId": sandbox.EmailThreadID})
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": reply, "dryRun": true})
	user.mu.Lock()
	user.action = "decline"
	user.mu.Unlock()
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": reply})
	callOK(t, cs, "list_threads", map[string]any{"limit": 5}) // reads leave no audit record
	if n := len(user.asked()); n != 3 {
		t.Errorf("%d questions, want 3 (the MESSAGE, the archive, the declined MESSAGE)", n)
	}

	// Stop the server so that every line it wrote has been read.
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop")
	}
	log := p.log()
	for _, secret := range []string{token, reply, note, subject, "JX-99812", "jordan.lee@example.com"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}

	var writes []sandbox.Request
	for _, r := range sb.Requests() {
		if r.Method != "GET" && !strings.HasSuffix(r.Path, "/batch/read") {
			writes = append(writes, r)
		}
	}
	want := []struct{ tool, outcome, reason, thread, typ string }{
		{"send_message", "sent", "", sandbox.EmailThreadID, "MESSAGE"},
		{"send_message", "sent", "", sandbox.EmailThreadID, "COMMENT"},
		{"assign_thread", "sent", "", sandbox.EmailThreadID, ""},
		{"unassign_thread", "sent", "", sandbox.EmailThreadID, ""},
		{"update_thread", "sent", "", sandbox.EmailThreadID, ""},
		{"archive_thread", "sent", "", sandbox.ClosedThreadID, ""},
		{"create_visitor_token", "sent", "", "", ""},
		{"send_message", "refused", "inbox_allowlist", sandbox.AllTypesThreadID, "COMMENT"},
		{"send_message", "failed", "hubspot_error", "9000000999", "COMMENT"},
		{"update_thread", "refused", "invalid_arguments", sandbox.EmailThreadID, ""},
		{"send_message", "dry_run", "", sandbox.EmailThreadID, "MESSAGE"},
		{"send_message", "declined", "declined", sandbox.EmailThreadID, "MESSAGE"},
	}
	recs := auditRecords(log)
	if len(recs) != len(want) {
		t.Fatalf("%d audit records, want %d:\n%s", len(recs), len(want), log)
	}
	if len(writes) != 7 {
		t.Fatalf("the sandbox received %d writes, want 7", len(writes))
	}
	cred := inbox.CredentialID(token)
	var session string
	for i, w := range want {
		r := recs[i]
		got := []string{r["tool"], r["outcome"], r["reason"], r["thread_id"], r["type"]}
		if !slices.Equal(got, []string{w.tool, w.outcome, w.reason, w.thread, w.typ}) {
			t.Errorf("record %d: %v, want %v", i, got, w)
		}
		if r["level"] != "INFO" || r["credential"] != cred || r["session"] == "" {
			t.Errorf("record %d: level %q, credential %q (want %q), session %q", i, r["level"], r["credential"], cred, r["session"])
		}
		if session == "" {
			session = r["session"]
		} else if r["session"] != session {
			t.Errorf("record %d: session %q, want %q", i, r["session"], session)
		}
		if i < len(writes) && (r["correlation_id"] != writes[i].CorrelationID || r["status"] != strconv.Itoa(writes[i].Status)) {
			t.Errorf("record %d: correlation_id %q status %q, want those of %s %s: %q %d", i, r["correlation_id"], r["status"],
				writes[i].Method, writes[i].Path, writes[i].CorrelationID, writes[i].Status)
		}
	}
	if m := recs[0]; m["channel_id"] != sandbox.EmailChannelID || m["channel_account_id"] != sandbox.EmailChannelAccountID ||
		m["message_id"] == "" || m["recipient_actor_ids"] != "["+sandbox.VisitorActorID+"]" {
		t.Errorf("the MESSAGE's record: %v", m)
	}
	if r := recs[8]; r["status"] != "404" || r["correlation_id"] == "" {
		t.Errorf("the failed send's record: %v", r)
	}
	if r := recs[7]; r["correlation_id"] != "" || r["status"] != "" {
		t.Errorf("the refused send's record names a HubSpot answer: %v", r)
	}
}
