package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestService_DryRunSendsNoWrite(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	c := newSandboxService(t, sb, Config{InboxAllowlist: []string{sandbox.HelpDeskInboxID}})
	no := false
	for _, tc := range []struct {
		name  string
		write func(context.Context) error
		want  PlannedRequest
	}{
		{"send", func(ctx context.Context) error {
			_, err := c.SendMessage(ctx, sandbox.EmailThreadID, hubspot.SendMessageRequest{Type: "COMMENT", Text: "note"})
			return err
		}, PlannedRequest{Method: "POST", Path: "/conversations/v3/conversations/threads/" + sandbox.EmailThreadID + "/messages",
			Body: json.RawMessage(`{"type":"COMMENT","text":"note","attachments":[]}`)}},
		{"restore", func(ctx context.Context) error {
			_, err := c.UpdateThread(ctx, sandbox.ArchivedThreadID, hubspot.UpdateThreadRequest{Archived: &no})
			return err
		}, PlannedRequest{Method: "PATCH", Path: "/conversations/v3/conversations/threads/" + sandbox.ArchivedThreadID + "?archived=true",
			Body: json.RawMessage(`{"archived":false}`)}},
		{"archive", func(ctx context.Context) error { return c.ArchiveThread(ctx, sandbox.EmailThreadID) },
			PlannedRequest{Method: "DELETE", Path: "/conversations/v3/conversations/threads/" + sandbox.EmailThreadID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got PlannedRequest
			var trace Trace
			ctx := WithTrace(WithDryRun(t.Context(), &got), &trace)
			if err := tc.write(ctx); !errors.Is(err, ErrDryRun) {
				t.Fatalf("err = %v, want ErrDryRun", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("planned request (-want +got):\n%s", diff)
			}
			for _, call := range trace.Calls() {
				if call.Write || call.Method != "GET" || call.CorrelationID == "" {
					t.Errorf("a dry run sent %+v", call)
				}
			}
			if _, ok := trace.LastWrite(); ok {
				t.Error("the trace has a write")
			}
		})
	}
	for _, r := range sb.Requests() {
		if r.Method != "GET" {
			t.Errorf("the sandbox received %s %s", r.Method, r.Path)
		}
	}

	// Without a dry run, the trace names the write and its correlation ID.
	var trace Trace
	if err := c.UnassignThread(WithTrace(t.Context(), &trace), sandbox.AssignedThreadID); err != nil {
		t.Fatal(err)
	}
	w, ok := trace.LastWrite()
	reqs := sb.Requests()
	if last := reqs[len(reqs)-1]; !ok || w.Method != "DELETE" || w.Status != 204 || w.CorrelationID != last.CorrelationID {
		t.Errorf("LastWrite() = %+v, %v; the sandbox saw %s %s %s", w, ok, last.Method, last.Path, last.CorrelationID)
	}
}

// TestService_ConfirmationSendsOnlyThatRequestOnce: a confirmed write goes
// out only if it is the very request confirmed, for the credential it was
// confirmed for, and only once; the first attempt spends it even when the
// send then fails.
func TestService_ConfirmationSendsOnlyThatRequestOnce(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	c := newSandboxService(t, sb, Config{})
	var planned PlannedRequest
	req := hubspot.SendMessageRequest{Type: "COMMENT", Text: "note"}
	if _, err := c.SendMessage(WithDryRun(t.Context(), &planned), sandbox.EmailThreadID, req); !errors.Is(err, ErrDryRun) {
		t.Fatalf("dry run: %v", err)
	}
	token, err := c.IssueConfirmation(t.Context(), FlowPreview, planned)
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithConfirmation(t.Context(), FlowPreview, token)
	other := req
	other.Text = "another note"
	if _, err := c.SendMessage(ctx, sandbox.EmailThreadID, other); !errors.Is(err, ErrConfirmationOtherRequest) {
		t.Errorf("another request: err = %v, want ErrConfirmationOtherRequest", err)
	}
	if _, err := c.SendMessage(WithConfirmation(t.Context(), FlowInputRequired, token), sandbox.EmailThreadID, req); !errors.Is(err, ErrConfirmationOtherFlow) {
		t.Errorf("through another flow: err = %v, want ErrConfirmationOtherFlow", err)
	}
	if n := len(sb.Requests()); n != 0 {
		t.Errorf("%d requests sent before the confirmed one", n)
	}
	if _, err := c.SendMessage(ctx, sandbox.EmailThreadID, req); err != nil {
		t.Errorf("the confirmed request: %v", err)
	}
	if _, err := c.SendMessage(ctx, sandbox.EmailThreadID, req); !errors.Is(err, ErrConfirmationUsed) {
		t.Errorf("the confirmed request again: err = %v, want ErrConfirmationUsed", err)
	}
	if n := len(sb.Requests()); n != 1 {
		t.Errorf("%d requests sent, want 1", n)
	}

	// A write that fails at HubSpot spent its confirmation all the same.
	var bad PlannedRequest
	gone := hubspot.SendMessageRequest{Type: "COMMENT", Text: "to a thread HubSpot does not know"}
	if _, err := c.SendMessage(WithDryRun(t.Context(), &bad), "9000000999", gone); !errors.Is(err, ErrDryRun) {
		t.Fatalf("dry run: %v", err)
	}
	token, err = c.IssueConfirmation(t.Context(), FlowPreview, bad)
	if err != nil {
		t.Fatal(err)
	}
	ctx = WithConfirmation(t.Context(), FlowPreview, token)
	for i, want := range []error{nil, ErrConfirmationUsed} {
		_, err := c.SendMessage(ctx, "9000000999", gone)
		var apiErr *hubspot.Error
		switch {
		case want == nil && !errors.As(err, &apiErr):
			t.Errorf("attempt %d: err = %v, want HubSpot's 404", i, err)
		case want != nil && !errors.Is(err, want):
			t.Errorf("attempt %d: err = %v, want %v", i, err, want)
		}
	}
	if n := len(sb.Requests()); n != 2 {
		t.Errorf("%d requests sent, want 2", n)
	}
}
