package main

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// opaqueID looks like a chat visitor's channel-specific opaque ID.
var opaqueID = regexp.MustCompile(`\b[0-9a-f]{20,}\b`)

// TestStdio_TheQuestionIsReadable (issue 15, finding 11): the person is
// asked in words they can check. A chat recipient is a name with an
// address, never the chat's opaque ID; the sender is named; a refused
// archive says the thread was not archived, not that nothing was "sent".
func TestStdio_TheQuestionIsReadable(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	user := &asker{action: "decline"}
	cs := connectWith(t, "2025-11-25", &gomcp.ClientOptions{ElicitationHandler: user.handle}, confirmEnv(url, ""))
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.AllTypesThreadID, "type": "MESSAGE", "text": "We are on it."})
	q := user.asked()
	if len(q) != 1 {
		t.Fatalf("%d questions", len(q))
	}
	for _, want := range []string{"To: Daniel Ortiz <daniel.ortiz@example.com>", "Channel: live chat, from Juniper Outdoor Co. website chat", "From: Riley Chen <"} {
		if !strings.Contains(q[0], want) {
			t.Errorf("the question lacks %q:\n%s", want, q[0])
		}
	}
	if m := opaqueID.FindString(q[0]); m != "" || strings.Contains(q[0], "From agent:") {
		t.Errorf("the question shows an opaque ID (%q) or a bare agent ID:\n%s", m, q[0])
	}

	_, url = startTestSandbox(t)
	cs = connect(t, "2025-11-25", confirmEnv(url, "elicit-only"))
	refusal := callError(t, cs, "archive_thread", map[string]any{"threadId": sandbox.ClosedThreadID})
	if !strings.Contains(refusal, "Thread "+sandbox.ClosedThreadID+" was not archived") ||
		strings.Contains(refusal, "sent") || strings.Contains(refusal, "dryRun") {
		t.Errorf("the refused archive says: %s", refusal)
	}
}

// TestStdio_AQuestionShowsTheThreadAsItIsNow (issue 15, finding 10): a
// thread just listed, then closed and assigned by a colleague, is shown to
// the person asked to archive it as it is now, not as the listing saw it.
func TestStdio_AQuestionShowsTheThreadAsItIsNow(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	user := &asker{action: "decline"}
	cs := connectWith(t, "2025-11-25", &gomcp.ClientOptions{ElicitationHandler: user.handle}, confirmEnv(url, ""))
	listed := callOK(t, cs, "list_threads", map[string]any{"threadStatus": "OPEN", "limit": 100})
	// An open thread nobody has taken, as the listing saw it.
	id := ""
	for _, th := range listed["results"].([]any) {
		if th := th.(map[string]any); id == "" && th["status"] == "OPEN" && th["assignedTo"] == nil {
			id = th["id"].(string)
		}
	}
	if id == "" {
		t.Fatalf("the listing has no open unassigned thread: %v", listed)
	}
	// A colleague, through HubSpot directly.
	colleague, err := hubspot.NewClient(sandbox.DefaultToken, hubspot.WithBaseURL(url))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := colleague.AssignThread(t.Context(), id, sandbox.OtherAgentActorID); err != nil {
		t.Fatal(err)
	}
	if _, err := colleague.UpdateThread(t.Context(), id, hubspot.UpdateThreadRequest{Status: hubspot.StatusClosed}); err != nil {
		t.Fatal(err)
	}
	callOK(t, cs, "archive_thread", map[string]any{"threadId": id})
	q := user.asked()
	if len(q) != 1 || !strings.Contains(q[0], ", closed,") || !strings.Contains(q[0], "assigned to ") || !strings.Contains(q[0], sandbox.OtherAgentActorID) {
		t.Errorf("the question shows the thread as listed, not as it is: %q", q)
	}
}

// scripted is a user behind an MCP client that supports elicitation,
// whose answer to each question is given by answer.
type scripted struct {
	mu     sync.Mutex
	answer func(ctx context.Context) (*gomcp.ElicitResult, error)
	asked  chan struct{}
}

func (s *scripted) handle(ctx context.Context, _ *gomcp.ElicitRequest) (*gomcp.ElicitResult, error) {
	s.mu.Lock()
	answer := s.answer
	s.mu.Unlock()
	select {
	case s.asked <- struct{}{}:
	default:
	}
	return answer(ctx)
}

func (s *scripted) set(answer func(ctx context.Context) (*gomcp.ElicitResult, error)) {
	s.mu.Lock()
	s.answer = answer
	s.mu.Unlock()
}

// TestHTTP_AuditRecordsNormalizedValuesAndAbandonedQuestions (issue 15,
// finding 7): audit records hold the values the tool read, normalized
// (type=MESSAGE whatever its case), never an invalid argument as sent; a
// question the client failed to put to its user, or whose call ended
// before the answer, leaves outcome=abandoned.
func TestHTTP_AuditRecordsNormalizedValuesAndAbandonedQuestions(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, append(confirmEnv(url, ""), "MCP_TRANSPORT=http")...)
	user := &scripted{asked: make(chan struct{}, 1)}
	user.set(func(context.Context) (*gomcp.ElicitResult, error) { return &gomcp.ElicitResult{Action: "accept"}, nil })
	client := gomcp.NewClient(&gomcp.Implementation{Name: "audit", Version: "1"}, &gomcp.ClientOptions{ElicitationHandler: user.handle})
	cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp"}, &gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	callOK(t, cs, "send_message", map[string]any{"threadId": " " + sandbox.EmailThreadID, "type": "message", "text": "Lower case."})
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "Comment ", "text": "A note."})
	callError(t, cs, "send_message", map[string]any{"threadId": "maya.thompson@example.com", "type": "COMMENT", "text": "A note."})
	callError(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "Letter to maya.thompson@example.com", "text": "A note."})

	// The client cannot put the question to its user.
	user.set(func(context.Context) (*gomcp.ElicitResult, error) { return nil, errors.New("no window to show it in") })
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs("Never asked.")})
	if err == nil && !res.IsError {
		t.Errorf("a question that failed: %s", contentText(res))
	}
	// The call ends (the client gives up) while the user has not answered.
	user.set(func(ctx context.Context) (*gomcp.ElicitResult, error) { <-ctx.Done(); return nil, ctx.Err() })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = cs.CallTool(ctx, &gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs("Nobody answered.")})
	}()
	<-user.asked
	<-user.asked
	cancel()
	<-done
	// The server records the abandoned call when it ends; wait for it.
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(p.log(), "outcome=abandoned") < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}

	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop")
	}
	log := p.log()
	if strings.Contains(log, "maya.thompson") || strings.Contains(log, "Letter") {
		t.Errorf("the log holds an argument as the model sent it:\n%s", log)
	}
	recs := auditRecords(log)
	var got [][]string
	for _, r := range recs {
		got = append(got, []string{r["outcome"], r["reason"], r["thread_id"], r["type"], r["confirmation"]})
	}
	want := [][]string{
		{"sent", "", sandbox.EmailThreadID, "MESSAGE", "elicitation"},
		{"sent", "", sandbox.EmailThreadID, "COMMENT", ""},
		{"refused", "invalid_arguments", "", "COMMENT", ""},
		{"refused", "invalid_arguments", sandbox.EmailThreadID, "", ""},
		{"abandoned", "no_answer", sandbox.EmailThreadID, "MESSAGE", "elicitation"},
		{"abandoned", "no_answer", sandbox.EmailThreadID, "MESSAGE", "elicitation"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("audit records (outcome, reason, thread, type, confirmation):\n got %q\nwant %q\n%s", got, want, log)
	}
}
