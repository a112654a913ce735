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
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: inbox.ConfirmElicitOnly}))
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

func TestElicitOnlyRefusesWithoutAClientThatCanAsk(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: inbox.ConfirmElicitOnly, Audit: slog.New(slog.NewTextHandler(&log, nil))}))
	e.fails(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"MESSAGE","text":"Hi"}`,
		"Nothing was sent", "MCP_CONFIRM_WRITES=elicit-only", "elicitation", "MCP_CONFIRM_WRITES=elicit-or-preview")
	got := e.fails(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, "Thread "+sandbox.ClosedThreadID+" was not archived", "archive thread "+sandbox.ClosedThreadID)
	for _, wrong := range []string{"Nothing was sent", "would be sent"} {
		if strings.Contains(got, wrong) {
			t.Errorf("the archive's refusal says %q: %s", wrong, got)
		}
	}
	// A token from a preview is no answer of the user's in this mode.
	e.fails(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`","confirmationToken":"`+strings.Repeat("A", inbox.TokenLen)+`"}`, "was not archived")
	// Writes no customer sees are not covered.
	var out, th map[string]any
	e.ok(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"COMMENT","text":"note"}`, &out)
	e.ok(t, "update_thread", `{"threadId":"`+sandbox.EmailThreadID+`","status":"CLOSED"}`, &th)
	if n := e.writes(); n != 2 {
		t.Errorf("%d writes, want the COMMENT and the update", n)
	}
	if got := strings.Count(log.String(), "outcome=refused reason=confirmation_unavailable"); got != 3 {
		t.Errorf("audit log:\n%s", log.String())
	}
}

// TestPreviewThenConfirm: a client that cannot ask gets, in the default
// mode, a preview and a token; nothing is written until the call comes
// back with the token, which writes once; a replayed, altered or foreign
// token writes nothing and gets a new preview saying why.
func TestPreviewThenConfirm(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: inbox.ConfirmElicitOrPreview, Audit: slog.New(slog.NewTextHandler(&log, nil))}))
	const args = `"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Your exchange ships today."`
	var preview notSentOutput
	e.ok(t, "send_message", "{"+args+"}", &preview)
	if preview.Sent || preview.Reason != "confirmation_required" || len(preview.ConfirmationToken) != inbox.TokenLen || preview.Request != nil ||
		!strings.Contains(preview.Preview, "Maya Thompson <maya.thompson@example.com>") || !strings.Contains(preview.Note, "confirmationToken") {
		t.Fatalf("preview: %+v", preview)
	}
	if n := e.writes(); n != 0 {
		t.Fatalf("%d writes before the confirmation", n)
	}
	withToken := func(tok string) string { return "{" + args + `,"confirmationToken":"` + tok + `"}` }
	var sent sendMessageOutput
	e.ok(t, "send_message", withToken(preview.ConfirmationToken), &sent)
	if sent.ID == "" || e.writes() != 1 {
		t.Fatalf("confirmed: %+v, %d writes", sent, e.writes())
	}
	for _, tc := range []struct{ name, args, why string }{
		{"replayed", withToken(preview.ConfirmationToken), "already used"},
		{"for other text", `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Something else.","confirmationToken":"` + preview.ConfirmationToken + `"}`, "different request"},
		{"altered", withToken(alter(preview.ConfirmationToken, 20)), "not issued by this server"},
		{"cut short", withToken(preview.ConfirmationToken[:40]), "not a confirmation token"},
	} {
		var again notSentOutput
		e.ok(t, "send_message", tc.args, &again)
		if again.Reason != "confirmation_required" || again.ConfirmationToken == "" || again.ConfirmationToken == preview.ConfirmationToken || !strings.Contains(again.Note, tc.why) {
			t.Errorf("%s: %+v", tc.name, again)
		}
	}
	if n := e.writes(); n != 1 {
		t.Errorf("%d writes, want the one confirmed", n)
	}
	// A dry run spends no token and hands out none.
	var dry notSentOutput
	e.ok(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`","dryRun":true}`, &dry)
	if dry.Reason != "dry_run" || dry.ConfirmationToken != "" {
		t.Errorf("dry run: %+v", dry)
	}
	var archived archiveThreadOutput
	var archivePreview notSentOutput
	e.ok(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, &archivePreview)
	if strings.Contains(archivePreview.Note, "sent") || !strings.Contains(archivePreview.Note, "was not archived") {
		t.Errorf("archive preview's note: %s", archivePreview.Note)
	}
	e.ok(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`","confirmationToken":"`+archivePreview.ConfirmationToken+`"}`, &archived)
	if !archived.Archived || e.writes() != 2 {
		t.Errorf("archive: %+v, %d writes", archived, e.writes())
	}
	recs := log.String()
	for _, want := range []string{"outcome=asked thread_id=" + sandbox.EmailThreadID + " type=MESSAGE", "confirmation=preview", "cannot_ask=", "confirmation_refused=used",
		"confirmation_refused=other_request", "confirmation_refused=forged", "confirmation_refused=invalid"} {
		if !strings.Contains(recs, want) {
			t.Errorf("audit lacks %q:\n%s", want, recs)
		}
	}
	if n := strings.Count(recs, "outcome=sent"); n != 2 {
		t.Errorf("%d records of writes sent, want 2:\n%s", n, recs)
	}
	if strings.Contains(recs, preview.ConfirmationToken) {
		t.Error("the audit log holds a confirmation token")
	}
}

func TestNeverSendsAtOnce(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	e := newEnv(t, withSender(sandbox.AgentActorID), withConfig(Config{ConfirmWrites: inbox.ConfirmNever, Audit: slog.New(slog.NewTextHandler(&log, nil))}))
	var out archiveThreadOutput
	e.ok(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, &out)
	if n := e.writes(); n != 1 {
		t.Errorf("%d writes", n)
	}
	if !strings.Contains(log.String(), "outcome=sent thread_id="+sandbox.ClosedThreadID+" confirmation=disabled") {
		t.Errorf("audit: %s", log.String())
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
		{inbox.ErrConfirmationOtherRequest, outcomeRefused, "other_request"},
		{fmt.Errorf("%w: %w", inbox.ErrConfirmationUnrecorded, errors.New("redis down")), outcomeRefused, "unrecorded"},
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

// alter changes the token's character at i, whatever it is.
func alter(token string, i int) string {
	c := byte('x')
	if token[i] == c {
		c = 'y'
	}
	return token[:i] + string(c) + token[i+1:]
}
