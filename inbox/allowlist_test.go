package inbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// TestService_InboxAllowlistCachesThreadInboxes checks that the allowlist
// costs few calls: a thread's inbox is looked up once, and reads and lists
// teach it for free; but a foreign thread costs, every time, the two calls
// an unknown one costs (issue 15, finding 6).
func TestService_InboxAllowlistCachesThreadInboxes(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	c := newSandboxService(t, sb, Config{InboxAllowlist: []string{sandbox.HelpDeskInboxID}})
	ctx := context.Background()
	var err error
	calls := func(step string, want int, f func() error) error {
		t.Helper()
		sb.ResetRequests()
		err := f()
		if got := len(sb.Requests()); got != want {
			t.Errorf("%s: %d HubSpot calls, want %d", step, got, want)
		}
		return err
	}
	foreign := sandbox.AllTypesThreadID

	_ = calls("first message list of a thread looks its inbox up", 2, func() error {
		_, err := c.ListMessages(ctx, sandbox.EmailThreadID, nil)
		return err
	})
	_ = calls("the second does not", 1, func() error {
		_, err := c.ListMessages(ctx, sandbox.EmailThreadID, nil)
		return err
	})
	err = calls("a foreign thread costs what an unknown one does", lookupCost, func() error {
		_, err := c.ListMessages(ctx, foreign, nil)
		return err
	})
	if !HiddenByAllowlist(err) {
		t.Errorf("foreign thread: err = %v, want one hidden by the allowlist", err)
	}
	var apiErr *hubspot.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Message != "Thread "+foreign+" not found" || apiErr.Category != "OBJECT_NOT_FOUND" {
		t.Errorf("foreign thread: err = %#v, want HubSpot's 404 for the thread", err)
	}
	err = calls("a write to it is refused as the write's own answer, at the same cost", lookupCost, func() error { return c.UnassignThread(ctx, foreign) })
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Method != "DELETE" || !HiddenByAllowlist(err) {
		t.Errorf("foreign thread: err = %#v, want HubSpot's 404 for the DELETE", err)
	}
	_ = calls("recorded or not", lookupCost, func() error { return c.ArchiveThread(ctx, foreign) })

	var threads []hubspot.Thread
	_ = calls("a list is filtered by HubSpot, in one call", 1, func() error {
		p, err := c.ListThreads(ctx, &hubspot.ListThreadsOptions{ListOptions: hubspot.ListOptions{Limit: 100}})
		if p != nil {
			threads = p.Results
		}
		return err
	})
	if len(threads) == 0 {
		t.Fatal("no threads listed")
	}
	for _, th := range threads {
		if th.InboxID != sandbox.HelpDeskInboxID {
			t.Errorf("listed thread %s of inbox %s", th.ID, th.InboxID)
		}
	}
	_ = calls("and teaches the inboxes of its threads", 1, func() error {
		_, err := c.ListMessages(ctx, threads[len(threads)-1].ID, nil)
		return err
	})
	err = calls("an unknown thread is HubSpot's own 404 (read, and read as archived)", 2, func() error { return c.UnassignThread(ctx, "9000000999") })
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || HiddenByAllowlist(err) || apiErr.Method != "DELETE" {
		t.Errorf("unknown thread: %#v", err)
	}
	if got := c.InboxAllowlist(); len(got) != 1 || got[0] != sandbox.HelpDeskInboxID {
		t.Errorf("InboxAllowlist() = %v", got)
	}
}

func TestService_InboxAllowlistHidesTheOtherInboxOfAMove(t *testing.T) {
	t.Parallel()
	// AllTypesThreadID moved from the help desk to the general inbox.
	c := newSandboxService(t, sandbox.New(), Config{InboxAllowlist: []string{sandbox.InboxID}})
	p, err := c.ListMessages(context.Background(), sandbox.AllTypesThreadID, &hubspot.ListMessagesOptions{ListOptions: hubspot.ListOptions{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	moves := 0
	for _, m := range p.Results {
		if m.Type != "THREAD_INBOX_CHANGE" {
			continue
		}
		moves++
		if m.FromInboxID != "" || m.ToInboxID != sandbox.InboxID {
			t.Errorf("move from %q to %q, want from nothing to %s", m.FromInboxID, m.ToInboxID, sandbox.InboxID)
		}
		one, err := c.GetMessage(context.Background(), sandbox.AllTypesThreadID, m.ID, "")
		if err != nil || one.FromInboxID != "" {
			t.Errorf("GetMessage: %v, from %q", err, one.FromInboxID)
		}
	}
	if moves == 0 {
		t.Error("no THREAD_INBOX_CHANGE in the thread")
	}
}

// TestService_AllowlistRecordsFollowWrites: threads a listing read are
// checked without a call, and a write to a thread forgets its inbox (an
// archived thread may be gone from the next read).
func TestService_AllowlistRecordsFollowWrites(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	c := newSandboxService(t, sb, Config{InboxAllowlist: []string{sandbox.HelpDeskInboxID}, CacheTTL: time.Minute})
	if _, err := c.ListThreads(t.Context(), &hubspot.ListThreadsOptions{ThreadStatus: hubspot.StatusOpen}); err != nil {
		t.Fatal(err)
	}
	sb.ResetRequests()
	if _, err := c.ListMessages(t.Context(), sandbox.EmailThreadID, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(sb.Requests()); n != 1 {
		t.Errorf("messages of a listed thread: %d calls, want 1 (no look-up)", n)
	}
	if err := c.ArchiveThread(t.Context(), sandbox.EmailThreadID); err != nil {
		t.Fatal(err)
	}
	sb.ResetRequests()
	if _, err := c.ListMessages(t.Context(), sandbox.EmailThreadID, &hubspot.ListMessagesOptions{Archived: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(sb.Requests()); n < 2 {
		t.Errorf("after archiving: %d calls, want the look-up again", n)
	}
}
