package hubspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestClient_DryRunSendsNoWrite(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c, err := hubspot.NewClient(sandbox.DefaultToken, hubspot.WithBaseURL(srv.URL), hubspot.WithInboxAllowlist([]string{sandbox.HelpDeskInboxID}))
	if err != nil {
		t.Fatal(err)
	}
	no := false
	for _, tc := range []struct {
		name  string
		write func(context.Context) error
		want  hubspot.PlannedRequest
	}{
		{"send", func(ctx context.Context) error {
			_, err := c.SendMessage(ctx, sandbox.EmailThreadID, hubspot.SendMessageRequest{Type: "COMMENT", Text: "note"})
			return err
		}, hubspot.PlannedRequest{Method: "POST", Path: "/conversations/v3/conversations/threads/" + sandbox.EmailThreadID + "/messages",
			Body: json.RawMessage(`{"type":"COMMENT","text":"note","attachments":[]}`)}},
		{"restore", func(ctx context.Context) error {
			_, err := c.UpdateThread(ctx, sandbox.ArchivedThreadID, hubspot.UpdateThreadRequest{Archived: &no})
			return err
		}, hubspot.PlannedRequest{Method: "PATCH", Path: "/conversations/v3/conversations/threads/" + sandbox.ArchivedThreadID + "?archived=true",
			Body: json.RawMessage(`{"archived":false}`)}},
		{"archive", func(ctx context.Context) error { return c.ArchiveThread(ctx, sandbox.EmailThreadID) },
			hubspot.PlannedRequest{Method: "DELETE", Path: "/conversations/v3/conversations/threads/" + sandbox.EmailThreadID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got hubspot.PlannedRequest
			var trace hubspot.Trace
			ctx := hubspot.WithTrace(hubspot.WithDryRun(t.Context(), &got), &trace)
			if err := tc.write(ctx); !errors.Is(err, hubspot.ErrDryRun) {
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
	var trace hubspot.Trace
	if err := c.UnassignThread(hubspot.WithTrace(t.Context(), &trace), sandbox.AssignedThreadID); err != nil {
		t.Fatal(err)
	}
	w, ok := trace.LastWrite()
	reqs := sb.Requests()
	if last := reqs[len(reqs)-1]; !ok || w.Method != "DELETE" || w.Status != 204 || w.CorrelationID != last.CorrelationID {
		t.Errorf("LastWrite() = %+v, %v; the sandbox saw %s %s %s", w, ok, last.Method, last.Path, last.CorrelationID)
	}
}
