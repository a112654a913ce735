package hubspot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// newSandboxClient serves a fresh sandbox over real HTTP and returns it
// with a client whose cache keeps answers for ttl (0: off).
func newSandboxClient(t *testing.T, ttl time.Duration, opts ...sandbox.Option) (*sandbox.Server, *Client) {
	t.Helper()
	sb := sandbox.New(opts...)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c, err := NewClient(sandbox.DefaultToken, WithBaseURL(srv.URL), WithCache(ttl),
		WithLimiter(NewWindowLimiter(Rate{Calls: 10_000, Per: time.Second})))
	if err != nil {
		t.Fatal(err)
	}
	return sb, c
}

// calls counts the sandbox's requests since the last count.
func calls(sb *sandbox.Server) int {
	n := len(sb.Requests())
	sb.ResetRequests()
	return n
}

func TestCache_ReadsThatRarelyChangeCostOneCall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		read func(context.Context, *Client) (any, error)
	}{
		{"list inboxes", func(ctx context.Context, c *Client) (any, error) { return c.ListInboxes(ctx, nil) }},
		{"get inbox", func(ctx context.Context, c *Client) (any, error) { return c.GetInbox(ctx, sandbox.InboxID, false) }},
		{"list channels", func(ctx context.Context, c *Client) (any, error) { return c.ListChannels(ctx, nil) }},
		{"get channel", func(ctx context.Context, c *Client) (any, error) { return c.GetChannel(ctx, sandbox.EmailChannelID) }},
		{"list channel accounts", func(ctx context.Context, c *Client) (any, error) {
			return c.ListChannelAccounts(ctx, &ListChannelAccountsOptions{InboxIDs: []string{sandbox.InboxID}})
		}},
		{"get channel account", func(ctx context.Context, c *Client) (any, error) {
			return c.GetChannelAccount(ctx, sandbox.ChatChannelAccountID, false)
		}},
		{"get actor", func(ctx context.Context, c *Client) (any, error) { return c.GetActor(ctx, sandbox.AgentActorID, "") }},
		{"batch get actors", func(ctx context.Context, c *Client) (any, error) {
			return c.BatchGetActors(ctx, []string{sandbox.AgentActorID, sandbox.VisitorActorID}, "")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sb, c := newSandboxClient(t, time.Minute)
			first, err := tc.read(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			if n := calls(sb); n != 1 {
				t.Fatalf("cold read made %d HubSpot calls, want 1", n)
			}
			second, err := tc.read(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			if n := calls(sb); n != 0 {
				t.Errorf("warm read made %d HubSpot calls, want 0", n)
			}
			// An answer made from the cache alone is timed now.
			if diff := cmp.Diff(first, second, cmpopts.IgnoreFields(ActorBatch{}, "RequestedAt", "StartedAt", "CompletedAt")); diff != "" {
				t.Errorf("cached answer differs (-first +second):\n%s", diff)
			}
		})
	}
}

func TestCache_OffAndThreadsAlwaysGoToHubSpot(t *testing.T) {
	t.Parallel()
	sb, off := newSandboxClient(t, 0)
	for range 2 {
		if _, err := off.ListInboxes(t.Context(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls(sb); n != 2 {
		t.Errorf("with the cache off, two reads made %d calls, want 2", n)
	}

	sb, c := newSandboxClient(t, time.Minute)
	for range 2 {
		if _, err := c.GetThread(t.Context(), sandbox.EmailThreadID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListMessages(t.Context(), sandbox.EmailThreadID, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls(sb); n != 4 {
		t.Errorf("threads and messages: %d calls, want 4 (never cached)", n)
	}
}

func TestCache_BatchAsksOnlyForUnknownActors(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, time.Minute)
	if _, err := c.GetActor(t.Context(), sandbox.AgentActorID, ""); err != nil {
		t.Fatal(err)
	}
	calls(sb)
	b, err := c.BatchGetActors(t.Context(), []string{sandbox.VisitorActorID, sandbox.AgentActorID, sandbox.VisitorActorID}, "")
	if err != nil {
		t.Fatal(err)
	}
	reqs := sb.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d calls, want 1", len(reqs))
	}
	if got, want := string(reqs[0].Body), `{"inputs":["`+sandbox.VisitorActorID+`"]}`; got != want {
		t.Errorf("batch body %s, want %s", got, want)
	}
	var ids []string
	for _, a := range b.Results {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff([]string{sandbox.VisitorActorID, sandbox.AgentActorID}, ids); diff != "" {
		t.Errorf("results in the order asked (-want +got):\n%s", diff)
	}
	// A property asks HubSpot for more than the cache holds.
	calls(sb)
	if _, err := c.GetActor(t.Context(), sandbox.AgentActorID, "email"); err != nil {
		t.Fatal(err)
	}
	if n := calls(sb); n != 1 {
		t.Errorf("read with a property made %d calls, want 1", n)
	}
}

func TestCache_UncachedActorReadsAskHubSpot(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, time.Minute)
	ctx := t.Context()
	if _, err := c.BatchGetActors(ctx, []string{sandbox.AgentActorID, sandbox.VisitorActorID}, ""); err != nil {
		t.Fatal(err)
	}
	calls(sb)
	if _, err := c.GetActor(Uncached(ctx), sandbox.AgentActorID, ""); err != nil {
		t.Fatal(err)
	}
	if n := calls(sb); n != 1 {
		t.Errorf("an uncached GetActor of a cached actor: %d calls, want 1", n)
	}
	b, err := c.BatchGetActors(Uncached(ctx), []string{sandbox.AgentActorID, sandbox.VisitorActorID}, "")
	if err != nil {
		t.Fatal(err)
	}
	reqs := sb.Requests()
	if len(reqs) != 1 {
		t.Fatalf("an uncached BatchGetActors of cached actors: %d calls, want 1", len(reqs))
	}
	if got, want := string(reqs[0].Body), `{"inputs":["`+sandbox.AgentActorID+`","`+sandbox.VisitorActorID+`"]}`; got != want {
		t.Errorf("batch body %s, want %s (every actor asked again)", got, want)
	}
	if len(b.Results) != 2 {
		t.Errorf("%d actors, want 2", len(b.Results))
	}
}

func TestCache_WritesShowInTheNextRead(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, time.Minute)
	ctx := t.Context()
	if _, err := c.GetThread(ctx, sandbox.EmailThreadID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateThread(ctx, sandbox.EmailThreadID, UpdateThreadRequest{Status: StatusClosed}); err != nil {
		t.Fatal(err)
	}
	th, err := c.GetThread(ctx, sandbox.EmailThreadID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if th.Status != StatusClosed {
		t.Errorf("status after closing: %s", th.Status)
	}
	before, err := c.ListMessages(ctx, sandbox.EmailThreadID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendMessage(ctx, sandbox.EmailThreadID, SendMessageRequest{Type: MessageTypeComment, Text: "note"}); err != nil {
		t.Fatal(err)
	}
	after, err := c.ListMessages(ctx, sandbox.EmailThreadID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Results) != len(before.Results)+1 {
		t.Errorf("messages after a comment: %d, want %d", len(after.Results), len(before.Results)+1)
	}
	// Changes made in the sandbox itself show too.
	if _, err := sb.Account(sandbox.DefaultToken).AddIncomingMessage(sandbox.EmailThreadID, "hello again"); err != nil {
		t.Fatal(err)
	}
	again, err := c.ListMessages(ctx, sandbox.EmailThreadID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Results) <= len(after.Results) {
		t.Errorf("messages after a sandbox change: %d, want more than %d", len(again.Results), len(after.Results))
	}
}

// heldHubSpot serves the sandbox in memory (no sockets, so it works in a
// synctest bubble), holding every request until release is closed.
type heldHubSpot struct {
	sb      *sandbox.Server
	release chan struct{}
}

func (h heldHubSpot) RoundTrip(r *http.Request) (*http.Response, error) {
	<-h.release
	rec := httptest.NewRecorder()
	h.sb.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func TestClient_ConcurrentIdenticalReadsShareOneRequest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		h := heldHubSpot{sb: sb, release: make(chan struct{})}
		c, err := NewClient(sandbox.DefaultToken, WithHTTPClient(&http.Client{Transport: h}), WithBaseURL("https://api.example.test"))
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		threads := make([]*Thread, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { threads[i], errs[i] = c.GetThread(t.Context(), sandbox.EmailThreadID, nil) })
		}
		// Every caller is now blocked: one in HubSpot's door, the rest
		// waiting for its answer. Another thread is another request.
		synctest.Wait()
		var other error
		wg.Go(func() { _, other = c.GetThread(t.Context(), sandbox.ClosedThreadID, nil) })
		synctest.Wait()
		close(h.release)
		wg.Wait()
		for i := range n {
			if errs[i] != nil || threads[i].ID != sandbox.EmailThreadID {
				t.Fatalf("caller %d: %v", i, errs[i])
			}
		}
		if other != nil {
			t.Fatal(other)
		}
		if threads[0] == threads[1] {
			t.Error("callers share one decoded value; each must get its own")
		}
		if got := len(sb.Requests()); got != 2 {
			t.Errorf("%d requests reached HubSpot, want 2", got)
		}
	})
}

func TestClient_SharedReadSurvivesTheSenderGivingUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		h := heldHubSpot{sb: sb, release: make(chan struct{})}
		c, err := NewClient(sandbox.DefaultToken, WithHTTPClient(&http.Client{Transport: h}), WithBaseURL("https://api.example.test"))
		if err != nil {
			t.Fatal(err)
		}
		leaderCtx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		var leaderErr, followerErr error
		wg.Go(func() { _, leaderErr = c.ListInboxes(leaderCtx, nil) })
		synctest.Wait()
		wg.Go(func() { _, followerErr = c.ListInboxes(t.Context(), nil) })
		synctest.Wait()
		cancel()
		synctest.Wait()
		close(h.release)
		wg.Wait()
		if leaderErr == nil {
			t.Error("the cancelled caller got an answer")
		}
		if followerErr != nil {
			t.Errorf("the other caller failed with its sender: %v", followerErr)
		}
	})
}

// memHubSpot serves the sandbox in memory, so it works in a synctest bubble.
type memHubSpot struct{ sb *sandbox.Server }

func (h memHubSpot) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	h.sb.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func TestCache_ListedThreadAnswersGetThreadForSeconds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		c, err := NewClient(sandbox.DefaultToken, WithBaseURL("https://api.hubapi.com"), WithCache(time.Minute),
			WithHTTPClient(&http.Client{Transport: memHubSpot{sb}}), WithLimiter(NewWindowLimiter(Rate{Calls: 10_000, Per: time.Second})))
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		ticket := &GetThreadOptions{Association: []string{"TICKET"}}
		page, err := c.ListThreads(ctx, &ListThreadsOptions{ThreadStatus: StatusOpen, Association: []string{"TICKET"}})
		if err != nil || len(page.Results) < 2 {
			t.Fatalf("ListThreads: %v, %d threads", err, len(page.Results))
		}
		calls(sb)
		first, second := page.Results[0], page.Results[1]

		th, err := c.GetThread(ctx, first.ID, ticket)
		if err != nil {
			t.Fatal(err)
		}
		if n := calls(sb); n != 0 {
			t.Errorf("GetThread right after the listing: %d calls, want 0", n)
		}
		if diff := cmp.Diff(first, *th); diff != "" {
			t.Errorf("GetThread answered with another thread than the listing's (-listed +got):\n%s", diff)
		}
		th.Extra = Extra{"changed": nil}
		if again, _ := c.GetThread(ctx, first.ID, ticket); again.Extra != nil {
			t.Error("a caller's change reached the kept thread")
		}
		calls(sb)
		// An uncached read asks HubSpot, listing or not.
		if _, err := c.GetThread(Uncached(ctx), second.ID, ticket); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetChannelAccount(ctx, sandbox.EmailChannelAccountID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetChannelAccount(Uncached(ctx), sandbox.EmailChannelAccountID, false); err != nil {
			t.Fatal(err)
		}
		if n := calls(sb); n != 3 {
			t.Errorf("an uncached GetThread of a listed thread, a channel account read, and read again uncached: %d calls, want 3", n)
		}
		if _, err := c.GetThread(ctx, first.ID, nil); err != nil {
			t.Fatal(err)
		}
		if n := calls(sb); n != 1 {
			t.Errorf("GetThread with other options than the listing's: %d calls, want 1", n)
		}

		if _, err := c.UpdateThread(ctx, first.ID, UpdateThreadRequest{Status: StatusClosed}); err != nil {
			t.Fatal(err)
		}
		calls(sb)
		if th, err := c.GetThread(ctx, first.ID, ticket); err != nil || th.Status != StatusClosed {
			t.Errorf("GetThread after a write: %v, %+v; want the thread CLOSED", err, th)
		}
		if n := calls(sb); n != 1 {
			t.Errorf("GetThread after a write to the thread: %d calls, want 1", n)
		}

		time.Sleep(ListedThreadTTL + time.Second)
		if _, err := c.GetThread(ctx, second.ID, ticket); err != nil {
			t.Fatal(err)
		}
		if n := calls(sb); n != 1 {
			t.Errorf("GetThread %v after the listing: %d calls, want 1", ListedThreadTTL+time.Second, n)
		}
	})

	sb, off := newSandboxClient(t, 0)
	page, err := off.ListThreads(t.Context(), nil)
	if err != nil || len(page.Results) == 0 {
		t.Fatalf("ListThreads: %v", err)
	}
	calls(sb)
	if _, err := off.GetThread(t.Context(), page.Results[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	if n := calls(sb); n != 1 {
		t.Errorf("with the cache off, GetThread after a listing made %d calls, want 1", n)
	}
}
