package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// writes counts the sandbox's requests that change something.
func (e *env) writes() int {
	n := 0
	for _, r := range e.sb.Requests() {
		if r.Method != "GET" && !strings.HasSuffix(r.Path, "/batch/read") {
			n++
		}
	}
	return n
}

func TestDryRunAnswersMatchTheOutputSchema(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: ConfirmAlways}))
	for _, tc := range []struct{ tool, args, method, path string }{
		{"send_message", `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Hi","dryRun":true}`, "POST", "/threads/" + sandbox.EmailThreadID + "/messages"},
		{"archive_thread", `{"threadId":"` + sandbox.ClosedThreadID + `","dryRun":"true"}`, "DELETE", "/threads/" + sandbox.ClosedThreadID},
		{"update_thread", `{"threadId":"` + sandbox.EmailThreadID + `","status":"closed","dryRun":true}`, "PATCH", "/threads/" + sandbox.EmailThreadID},
		{"assign_thread", `{"threadId":"` + sandbox.EmailThreadID + `","actorId":"` + sandbox.OtherAgentActorID + `","dryRun":true}`, "PUT", "/assignee"},
		{"unassign_thread", `{"threadId":"` + sandbox.EmailThreadID + `","dryRun":true}`, "DELETE", "/assignee"},
		{"create_visitor_token", `{"email":"a@example.com","dryRun":true}`, "POST", "/tokens/create"},
	} {
		var out notSentOutput
		e.ok(t, tc.tool, tc.args, &out) // also validates against the output schema
		if out.Sent || out.Reason != "dry_run" || out.Request.Method != tc.method || !strings.HasSuffix(out.Request.Path, tc.path) {
			t.Errorf("%s: %+v", tc.tool, out)
		}
	}
	if n := e.writes(); n != 0 {
		t.Errorf("dry runs made %d writes", n)
	}
}

func TestConfirmAlwaysRefusesWithoutAClientThatCanAsk(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: ConfirmAlways, Audit: slog.New(slog.NewTextHandler(&log, nil))}))
	e.fails(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"MESSAGE","text":"Hi"}`,
		"Nothing was sent", "MCP_CONFIRM_WRITES=always", "elicitation", "MCP_CONFIRM_WRITES=elicit")
	e.fails(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, "archive thread "+sandbox.ClosedThreadID)
	// Writes no customer sees are not covered.
	var out, th map[string]any
	e.ok(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"COMMENT","text":"note"}`, &out)
	e.ok(t, "update_thread", `{"threadId":"`+sandbox.EmailThreadID+`","status":"CLOSED"}`, &th)
	if n := e.writes(); n != 2 {
		t.Errorf("%d writes, want the COMMENT and the update", n)
	}
	if got := strings.Count(log.String(), "outcome=refused reason=confirmation_unavailable"); got != 2 {
		t.Errorf("audit log:\n%s", log.String())
	}
}

func TestConfirmElicitAndNeverProceedWithoutAClientThatCanAsk(t *testing.T) {
	t.Parallel()
	for _, policy := range []string{"", ConfirmElicit, ConfirmNever} {
		e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: policy}))
		var out archiveThreadOutput
		e.ok(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, &out)
		if n := e.writes(); n != 1 {
			t.Errorf("policy %q: %d writes", policy, n)
		}
	}
}

func TestAuditClassify(t *testing.T) {
	t.Parallel()
	apiErr := &hubspot.Error{StatusCode: 404, CorrelationID: "c-1"}
	for _, tc := range []struct {
		err     error
		outcome string
		reason  string
	}{
		{&hubspot.ArgumentError{Name: "threadId", Reason: "bad"}, outcomeRefused, "invalid_arguments"},
		{&inbox.StepError{Action: "x", Err: &hubspot.ArgumentError{Name: "recipients", Reason: "missing"}}, outcomeRefused, "invalid_arguments"},
		{inbox.ErrWriteChanged, outcomeRefused, "changed_since_confirmed"},
		{fmt.Errorf("wrapped: %w", apiErr), outcomeFailed, "hubspot_error"},
		{&inbox.StepError{Action: "x", Err: apiErr}, outcomeFailed, "lookup_failed"},
		{&hubspot.BudgetError{}, outcomeFailed, "rate_budget"},
		{&hubspot.RequestError{MaybeSent: true, Err: errors.New("reset")}, outcomeFailed, "no_answer"},
		{context.Canceled, outcomeFailed, "cancelled"},
		{errors.New("odd"), outcomeFailed, "error"},
	} {
		var a audit
		a.classify(tc.err)
		if a.outcome != tc.outcome || a.reason != tc.reason {
			t.Errorf("%v: %s/%s, want %s/%s", tc.err, a.outcome, a.reason, tc.outcome, tc.reason)
		}
	}
}

func TestAuditRecordsNoText(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{Audit: slog.New(slog.NewTextHandler(&log, nil))}))
	var out sendMessageOutput
	const text = "Private: the customer's card ending 4242 was refunded."
	e.ok(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"MESSAGE","text":"`+text+`","subject":"Refund 4242"}`, &out)
	got := log.String()
	for _, want := range []string{"audit=true", "tool=send_message", "outcome=sent", "thread_id=" + sandbox.EmailThreadID, "message_id=" + out.ID,
		"type=MESSAGE", "channel_id=1002", "recipient_actor_ids=[" + sandbox.VisitorActorID + "]", "status=201", "correlation_id="} {
		if !strings.Contains(got, want) {
			t.Errorf("audit record lacks %s:\n%s", want, got)
		}
	}
	for _, secret := range []string{"4242", sandbox.DefaultToken, "@example.com", "credential="} {
		if strings.Contains(got, secret) {
			t.Errorf("audit record contains %q:\n%s", secret, got)
		}
	}
	var list map[string]any
	e.ok(t, "list_threads", `{"limit":1}`, &list)
	if n := strings.Count(log.String(), "audit=true"); n != 1 {
		t.Errorf("%d audit records after a write and a read, want 1", n)
	}
}
