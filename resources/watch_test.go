package resources

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/resources/watch"
)

// The engine (package watch) has its own tests with fakes; these run it
// with the catalog's checker over the sandbox, and through the protocol.

// recorder collects the notifications the engine sends to its sinks, as
// "<sink> <method> <uri>".
type recorder struct{ ch chan string }

func newRecorder() *recorder { return &recorder{ch: make(chan string, 100)} }

type recordingNotifier struct {
	r   *recorder
	key string
}

func (n recordingNotifier) Notify(_ context.Context, note watch.Notification) error {
	method, params := notification(note)
	n.r.ch <- strings.TrimSpace(fmt.Sprintf("%s %s %v", n.key, method, params["uri"]))
	return nil
}

// drain returns what was sent so far.
func (r *recorder) drain() []string {
	var out []string
	for {
		select {
		case s := <-r.ch:
			out = append(out, strings.TrimSuffix(s, " <nil>"))
		default:
			return out
		}
	}
}

// subscribe prepares uris and starts them for the sink key, as the hooks
// do, with notifications going to r.
func subscribe(t *testing.T, cat *Catalog, r *recorder, key string, listChanged bool, uris ...string) {
	t.Helper()
	subs, err := subsOf(uris)
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.watch.Prepare(t.Context(), key, subs, listChanged)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Refused) > 0 {
		t.Fatalf("probe %s: %v", p.Refused[0].Sub.URI, p.Refused[0].Err)
	}
	cat.watch.Start(watch.Sink{Key: key, Context: t.Context(), Notifier: recordingNotifier{r, key}}, p)
}

const updated = mcp.MethodNotificationResourceUpdated

func TestPoller_NewMessageOnASubscribedThread(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb, c := newSandboxClient(t)
		cat := New(c, Options{PollInterval: time.Minute, PollRate: hubspot.Rate{Calls: 20, Per: time.Minute}})
		defer cat.Close()
		rec := newRecorder()
		md, js := threadURI(sandbox.EmailThreadID), threadURI(sandbox.EmailThreadID)+"/json"
		subscribe(t, cat, rec, "session a", false, md, js)

		time.Sleep(5 * time.Minute)
		synctest.Wait()
		if got := rec.drain(); len(got) != 0 {
			t.Errorf("notifications with nothing new: %v", got)
		}

		if _, err := sb.Account(sandbox.DefaultToken).AddIncomingMessage(sandbox.EmailThreadID, "Any news?"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		got := rec.drain()
		want := []string{"session a " + updated + " " + md, "session a " + updated + " " + js}
		if diff := cmp.Diff(want, slices.Sorted(slices.Values(got))); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}

		// A comment is history too.
		if _, err := c.SendMessage(t.Context(), sandbox.EmailThreadID, hubspot.SendMessageRequest{Type: "COMMENT", Text: "note"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := rec.drain(); len(got) != 2 {
			t.Errorf("after a comment: %v", got)
		}

		// Unsubscribing both forms stops the polling.
		cat.watch.Remove("session a", md)
		cat.watch.Remove("session a", js)
		synctest.Wait()
		sb.ResetRequests()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if n := len(sb.Requests()); n != 0 {
			t.Errorf("%d HubSpot calls after unsubscribing", n)
		}
	})
}

func TestPoller_AChangeRightAfterSubscribingIsReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, c := newSandboxClient(t)
		cat := New(c, Options{PollInterval: time.Minute, PollRate: hubspot.Rate{Calls: 20, Per: time.Minute}})
		defer cat.Close()
		rec := newRecorder()
		subscribe(t, cat, rec, "session a", true, threadURI(sandbox.EmailThreadID))
		// The open set changes before the poller's first cycle: the
		// baseline from subscribe time still sees the change.
		if _, err := c.UpdateThread(t.Context(), sandbox.AssignedThreadID, hubspot.UpdateThreadRequest{Status: "CLOSED"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		want := []string{"session a " + mcp.MethodNotificationResourcesListChanged}
		if diff := cmp.Diff(want, rec.drain()); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}
	})
}

func TestPoller_NewThreadInASubscribedInbox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb, c := newSandboxClient(t)
		cat := New(c, Options{PollInterval: time.Minute, PollRate: hubspot.Rate{Calls: 20, Per: time.Minute}})
		defer cat.Close()
		rec := newRecorder()
		inbox := inboxURI(sandbox.HelpDeskInboxID)
		other := inboxURI(sandbox.InboxID) + "/threads?status=OPEN"
		subscribe(t, cat, rec, "session a", true, inbox, other)
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if got := rec.drain(); len(got) != 0 {
			t.Errorf("notifications with nothing new: %v", got)
		}

		id, err := sb.Account(sandbox.DefaultToken).AddThread(sandbox.HelpDeskInboxID, sandbox.LiveChatChannelID, "Hello, anyone there?")
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		want := []string{"session a " + mcp.MethodNotificationResourcesListChanged, "session a " + updated + " " + inbox}
		if diff := cmp.Diff(want, slices.Sorted(slices.Values(rec.drain()))); diff != "" {
			t.Errorf("after a new thread (-want +got):\n%s", diff)
		}
		// The new thread is listed at once: list_changed emptied the cache.
		snap, err := cat.cache.get(t.Context(), c)
		if err != nil || len(snap.open) == 0 || snap.open[0].ID != id {
			t.Errorf("after list_changed the newest open thread is not %s (%v)", id, err)
		}

		// Closing a thread changes the open set, not the inboxes' activity.
		if _, err := c.UpdateThread(t.Context(), id, hubspot.UpdateThreadRequest{Status: "CLOSED"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if diff := cmp.Diff([]string{"session a " + mcp.MethodNotificationResourcesListChanged}, rec.drain()); diff != "" {
			t.Errorf("after closing (-want +got):\n%s", diff)
		}
	})
}

// TestPoller_StaysWithinItsShareOfTheBudget subscribes to more threads than
// the polling budget allows per interval: the interval stretches and no
// window ever holds more polls than the budget.
func TestPoller_StaysWithinItsShareOfTheBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb, c := newSandboxClient(t)
		budget := PollRate(hubspot.Rate{Calls: 20, Per: time.Minute}, 0.2) // 4 per minute
		cat := New(c, Options{PollInterval: time.Second, PollRate: budget})
		defer cat.Close()
		rec := newRecorder()
		threads := []string{"9000000101", "9000000102", "9000000105", "9000000106", "9000000107", "9000000109"}
		for i, id := range threads {
			// Two sessions share the client's budget.
			subscribe(t, cat, rec, fmt.Sprint("session ", i%2), false, threadURI(id))
		}
		sb.ResetRequests()
		time.Sleep(30 * time.Minute)
		synctest.Wait()
		reqs := sb.Requests()
		if len(reqs) < 30*budget.Calls-budget.Calls {
			t.Errorf("%d polls in 30 minutes; the budget allows %d", len(reqs), 30*budget.Calls)
		}
		for i := range reqs {
			j := i
			for j < len(reqs) && reqs[j].Time.Sub(reqs[i].Time) < budget.Per {
				j++
			}
			if n := j - i; n > budget.Calls {
				t.Fatalf("%d polls within %s from %s; the share is %v", n, budget.Per, reqs[i].Time, budget)
			}
		}
	})
}

func TestPoller_FailureIsReportedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb, c := newSandboxClient(t)
		cat := New(c, Options{PollInterval: time.Minute, PollRate: hubspot.Rate{Calls: 20, Per: time.Minute}})
		defer cat.Close()
		rec := newRecorder()
		uri := threadURI(sandbox.EmailThreadID)
		subscribe(t, cat, rec, "session a", false, uri)

		// Trouble reaching HubSpot is not a change.
		sb.InjectFault(sandbox.Fault{Status: 503, Times: 20})
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		if got := rec.drain(); len(got) != 0 {
			t.Errorf("notifications while HubSpot answers 503: %v", got)
		}
		sb.ClearFaults()

		if err := c.ArchiveThread(t.Context(), sandbox.EmailThreadID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		if diff := cmp.Diff([]string{"session a " + updated + " " + uri}, rec.drain()); diff != "" {
			t.Errorf("an archived thread (-want +got):\n%s", diff)
		}
	})
}

// TestSubscribe_ThroughTheProtocol drives the hooks with mcp-go itself: a
// legacy session's resources/subscribe and unsubscribe, a probe that
// fails, the session ending, and a 2026-07-28 subscriptions/listen stream.
func TestSubscribe_ThroughTheProtocol(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb, c := newSandboxClient(t)
		cat := New(c, Options{PollInterval: time.Minute, PollRate: hubspot.Rate{Calls: 20, Per: time.Minute}})
		defer cat.Close()
		s := newTestServer(t, cat)
		sess := newFakeSession("sess-1")
		if err := s.RegisterSession(t.Context(), sess); err != nil {
			t.Fatal(err)
		}
		ctx := s.WithContext(t.Context(), sess)
		uri := threadURI(sandbox.AllTypesThreadID)

		if _, rerr := call(t, ctx, s, "resources/subscribe", map[string]any{"uri": uri}); rerr != nil {
			t.Fatalf("subscribe: %+v", rerr)
		}
		_, rerr := call(t, ctx, s, "resources/subscribe", map[string]any{"uri": threadURI("1")})
		if rerr == nil || !strings.Contains(rerr.Message, "404") {
			t.Errorf("subscribing to an unknown thread: %+v", rerr)
		}
		_, rerr = call(t, ctx, s, "resources/subscribe", map[string]any{"uri": "hubspot://threads/x"})
		if rerr == nil || !strings.Contains(rerr.Message, "threadId") {
			t.Errorf("subscribing to a bad URI: %+v", rerr)
		}
		if _, err := sb.Account(sandbox.DefaultToken).AddIncomingMessage(sandbox.AllTypesThreadID, "Still there?"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := notifications(sess); !cmp.Equal(got, []string{updated + " " + uri}) {
			t.Errorf("legacy notifications: %v", got)
		}
		if _, rerr := call(t, ctx, s, "resources/unsubscribe", map[string]any{"uri": uri}); rerr != nil {
			t.Fatalf("unsubscribe: %+v", rerr)
		}
		if n := cat.watch.Count("session sess-1"); n != 0 {
			t.Errorf("%d subscriptions after unsubscribing", n)
		}

		// The session ending stops its polling.
		if _, rerr := call(t, ctx, s, "resources/subscribe", map[string]any{"uri": uri}); rerr != nil {
			t.Fatalf("subscribe: %+v", rerr)
		}
		s.UnregisterSession(t.Context(), sess.SessionID())
		synctest.Wait()
		if n := cat.watch.Count("session sess-1"); n != 0 {
			t.Errorf("%d subscriptions after the session ended", n)
		}
		sb.ResetRequests()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if n := len(sb.Requests()); n != 0 {
			t.Errorf("%d HubSpot calls after the session ended", n)
		}

		// 2026-07-28: subscriptions/listen holds the stream open; the
		// polling lives as long as it does.
		modern := newFakeSession("sess-2")
		if err := s.RegisterSession(t.Context(), modern); err != nil {
			t.Fatal(err)
		}
		listenCtx, cancel := context.WithCancel(s.WithContext(t.Context(), modern))
		done := make(chan *rpcError, 1)
		go func() {
			_, rerr := call(t, listenCtx, s, "subscriptions/listen", map[string]any{
				"_meta": map[string]any{
					mcp.MetaKeyProtocolVersion:    mcp.LATEST_PROTOCOL_VERSION,
					mcp.MetaKeyClientCapabilities: map[string]any{},
				},
				"notifications": map[string]any{"resourceSubscriptions": []string{uri}, "resourcesListChanged": true},
			})
			done <- rerr
		}()
		synctest.Wait()
		if got := notifications(modern); len(got) != 1 || !strings.HasPrefix(got[0], mcp.MethodNotificationSubscriptionsAcknowledged) {
			t.Fatalf("listen: %v, want the acknowledgement", got)
		}
		if _, err := sb.Account(sandbox.DefaultToken).AddIncomingMessage(sandbox.AllTypesThreadID, "Hello again"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := notifications(modern); !cmp.Equal(got, []string{updated + " " + uri}) {
			t.Errorf("modern notifications: %v", got)
		}
		cancel()
		if rerr := <-done; rerr != nil {
			t.Errorf("listen ended with %+v", rerr)
		}
		synctest.Wait()
		sb.ResetRequests()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if n := len(sb.Requests()); n != 0 {
			t.Errorf("%d HubSpot calls after the stream ended", n)
		}
	})
}

// notifications returns the methods (and URIs) a fake session received.
func notifications(s *fakeSession) []string {
	var out []string
	for {
		select {
		case n := <-s.ch:
			b, _ := json.Marshal(n.Params.AdditionalFields["uri"])
			line := n.Method
			if string(b) != "null" {
				var uri string
				_ = json.Unmarshal(b, &uri)
				line += " " + uri
			}
			out = append(out, line)
		default:
			return out
		}
	}
}
