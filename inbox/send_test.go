package inbox

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// TestFillDefaults_ReplyToTheLatestIncomingMessage: a MESSAGE with only
// its text is completed from the configured sender and the thread's
// latest incoming email, in one read; a COMMENT is left as it is.
func TestFillDefaults_ReplyToTheLatestIncomingMessage(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{SenderActorID: sandbox.AgentActorID})
	comment := hubspot.SendMessageRequest{Type: hubspot.MessageTypeComment, Text: "note"}
	if from, err := s.FillDefaults(t.Context(), sandbox.EmailThreadID, &comment); err != nil || from != "" || comment.SenderActorID != "" {
		t.Errorf("a COMMENT: %q, %v, %+v", from, err, comment)
	}
	req := hubspot.SendMessageRequest{Type: hubspot.MessageTypeMessage, Text: "Thanks, on its way."}
	from, err := s.FillDefaults(t.Context(), sandbox.EmailThreadID, &req)
	if err != nil || from == "" {
		t.Fatalf("FillDefaults: %q, %v", from, err)
	}
	if n := len(sb.Requests()); n != 1 {
		t.Errorf("%d HubSpot calls, want the one read of the history", n)
	}
	if req.SenderActorID != sandbox.AgentActorID || req.ChannelID != hubspot.ChannelEmail || req.ChannelAccountID == "" ||
		len(req.Recipients) != 1 || req.Recipients[0].RecipientField != "TO" || req.Subject == "" {
		t.Errorf("completed request %+v", req)
	}
	if _, err := s.SendMessage(WithDryRun(t.Context(), new(PlannedRequest)), sandbox.EmailThreadID, req); !errors.Is(err, ErrDryRun) {
		t.Errorf("the completed request is not one the client accepts: %v", err)
	}
}

// TestNewest_OneCallWhenEverythingFits: newest first costs one HubSpot
// call when the matching threads fit in one page, and pages on with its
// own cursor.
func TestNewest_OneCallWhenEverythingFits(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{})
	opts := &hubspot.ListThreadsOptions{ListOptions: hubspot.ListOptions{Limit: 3, Sort: []string{"-latestMessageTimestamp"}}, ThreadStatus: hubspot.StatusOpen}
	var got []string
	for page := 0; page < 20; page++ {
		sb.ResetRequests()
		p, err := s.ListThreads(t.Context(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(sb.Requests()); n != 1 {
			t.Errorf("page %d: %d HubSpot calls, want 1", page, n)
		}
		for _, th := range p.Results {
			got = append(got, th.ID)
		}
		if opts.After = p.NextAfter(); opts.After == "" {
			break
		}
	}
	all, err := s.ListThreads(t.Context(), &hubspot.ListThreadsOptions{ListOptions: hubspot.ListOptions{Limit: 100, Sort: []string{"-latestMessageTimestamp"}}, ThreadStatus: hubspot.StatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, th := range all.Results {
		want = append(want, th.ID)
	}
	if len(want) < 4 {
		t.Fatalf("the sandbox has %d open threads; the test needs more than a page", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("page by page (-want +got):\n%s", diff)
	}
}
