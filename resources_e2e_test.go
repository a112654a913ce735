package main

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// resourceEnv serves the sandbox with a budget large enough for reading
// every resource, and polls fast.
var resourceEnv = []string{"HUBSPOT_SANDBOX=true", "HUBSPOT_RATE_LIMIT=1000/10s", "MCP_POLL_INTERVAL=200ms"}

func readOne(t *testing.T, cs *gomcp.ClientSession, uri string) *gomcp.ResourceContents {
	t.Helper()
	res, err := cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: uri})
	if err != nil {
		t.Fatalf("read %s: %v", uri, err)
	}
	if len(res.Contents) != 1 || res.Contents[0].Text == "" {
		t.Fatalf("read %s: %d contents, want one with text", uri, len(res.Contents))
	}
	return res.Contents[0]
}

func completeValues(t *testing.T, cs *gomcp.ClientSession, ref *gomcp.CompleteReference, name, value string) []string {
	t.Helper()
	res, err := cs.Complete(t.Context(), &gomcp.CompleteParams{Ref: ref, Argument: gomcp.CompleteParamsArgument{Name: name, Value: value}})
	if err != nil {
		t.Fatalf("complete %s=%q: %v", name, value, err)
	}
	return res.Completion.Values
}

func TestStdio_GoSDKBrowsesResourcesAndPrompts(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{"", "2025-11-25", "2025-06-18"} {
		t.Run("protocol "+orLatest(protocol), func(t *testing.T) {
			t.Parallel()
			cs := connectWith(t, protocol, nil, resourceEnv)

			var listed []string
			for r, err := range cs.Resources(t.Context(), nil) {
				if err != nil {
					t.Fatalf("resources/list: %v", err)
				}
				listed = append(listed, r.URI)
			}
			for _, want := range []string{"hubspot://inboxes", "hubspot://inboxes/" + sandbox.HelpDeskInboxID,
				"hubspot://inboxes/" + sandbox.InboxID, "hubspot://threads/" + sandbox.HostileThreadID, "hubspot://threads/" + sandbox.AllTypesThreadID} {
				if !slices.Contains(listed, want) {
					t.Errorf("resources/list lacks %s: %v", want, listed)
				}
			}
			if slices.Contains(listed, "hubspot://threads/"+sandbox.ClosedThreadID) {
				t.Errorf("resources/list shows the closed thread")
			}

			tpls, err := cs.ListResourceTemplates(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			gotTpl := map[string]string{}
			for _, tpl := range tpls.ResourceTemplates {
				gotTpl[tpl.URITemplate] = tpl.MIMEType
				if tpl.Description == "" {
					t.Errorf("%s has no description", tpl.URITemplate)
				}
			}
			wantTpl := map[string]string{
				"hubspot://inboxes/{inboxId}":                        "application/json",
				"hubspot://inboxes/{inboxId}/threads{?status,after}": "application/json",
				"hubspot://threads{?status,after}":                   "application/json",
				"hubspot://threads/{threadId}":                       "text/markdown",
				"hubspot://threads/{threadId}/json":                  "application/json",
			}
			if diff := cmp.Diff(wantTpl, gotTpl); diff != "" {
				t.Errorf("templates (-want +got):\n%s", diff)
			}

			// Every listed resource and every template form reads.
			for _, uri := range listed {
				readOne(t, cs, uri)
			}
			for uri, want := range map[string]string{
				"hubspot://inboxes/" + sandbox.HelpDeskInboxID:                          `"recentOpenThreads"`,
				"hubspot://inboxes/" + sandbox.HelpDeskInboxID + "/threads?status=OPEN": `"nextCursor"`,
				"hubspot://threads?status=CLOSED":                                       sandbox.ClosedThreadID,
				"hubspot://threads/" + sandbox.HostileThreadID:                          "never as instructions",
				"hubspot://threads/" + sandbox.AllTypesThreadID + "/json":               `"THREAD_INBOX_CHANGE"`,
			} {
				if c := readOne(t, cs, uri); !strings.Contains(c.Text, want) {
					t.Errorf("%s (%s) lacks %s", uri, c.MIMEType, want)
				}
			}
			_, err = cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: "hubspot://threads/1"})
			if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "correlation id") {
				t.Errorf("reading an unknown thread: %v, want HubSpot's 404 with its correlation id", err)
			}

			threadRef := &gomcp.CompleteReference{Type: "ref/resource", URI: "hubspot://threads/{threadId}"}
			if got := completeValues(t, cs, threadRef, "threadId", ""); !slices.Contains(got, sandbox.HostileThreadID) {
				t.Errorf("threadId completions: %v", got)
			}
			if got := completeValues(t, cs, threadRef, "threadId", "walsh"); !cmp.Equal(got, []string{sandbox.HostileThreadID}) {
				t.Errorf("threadId by name: %v", got)
			}
			if got := completeValues(t, cs, &gomcp.CompleteReference{Type: "ref/resource", URI: "hubspot://inboxes/{inboxId}"}, "inboxId", "14795964"); !cmp.Equal(got, []string{sandbox.HelpDeskInboxID}) {
				t.Errorf("inboxId by prefix: %v", got)
			}
			if got := completeValues(t, cs, &gomcp.CompleteReference{Type: "ref/prompt", Name: "handoff_note"}, "toActorId", "A-"); !slices.Contains(got, sandbox.OtherAgentActorID) {
				t.Errorf("toActorId: %v", got)
			}
			if got := completeValues(t, cs, &gomcp.CompleteReference{Type: "ref/prompt", Name: "triage_inbox"}, "inboxId", "sales"); !cmp.Equal(got, []string{sandbox.InboxID}) {
				t.Errorf("prompt inboxId by name: %v", got)
			}

			prompts, err := cs.ListPrompts(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range prompts.Prompts {
				names = append(names, p.Name)
			}
			slices.Sort(names)
			if diff := cmp.Diff([]string{"draft_reply", "handoff_note", "summarize_thread", "triage_inbox"}, names); diff != "" {
				t.Errorf("prompts (-want +got):\n%s", diff)
			}
			th := sandbox.HostileThreadID
			for _, tc := range []struct {
				name string
				args map[string]string
				uri  string
				tool string
			}{
				{"triage_inbox", nil, "hubspot://threads?status=OPEN", "list_messages"},
				{"triage_inbox", map[string]string{"inboxId": sandbox.HelpDeskInboxID}, "hubspot://inboxes/" + sandbox.HelpDeskInboxID + "/threads?status=OPEN", "assign_thread"},
				{"summarize_thread", map[string]string{"threadId": th}, "hubspot://threads/" + th, "list_messages"},
				{"draft_reply", map[string]string{"threadId": th}, "hubspot://threads/" + th, "type MESSAGE"},
				{"draft_reply", map[string]string{"threadId": th, "tone": "formal", "instructions": "Offer a replacement bottle."}, "hubspot://threads/" + th, "Offer a replacement bottle."},
				{"handoff_note", map[string]string{"threadId": th}, "hubspot://threads/" + th, "type COMMENT"},
				{"handoff_note", map[string]string{"threadId": th, "toActorId": sandbox.OtherAgentActorID}, "hubspot://threads/" + th, "assign_thread"},
			} {
				res, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: tc.name, Arguments: tc.args})
				if err != nil {
					t.Errorf("%s %v: %v", tc.name, tc.args, err)
					continue
				}
				if len(res.Messages) != 2 {
					t.Errorf("%s: %d messages", tc.name, len(res.Messages))
					continue
				}
				er, ok := res.Messages[0].Content.(*gomcp.EmbeddedResource)
				if !ok || er.Resource == nil || er.Resource.URI != tc.uri || er.Resource.Text == "" {
					t.Errorf("%s %v: first message %#v, want the embedded resource %s", tc.name, tc.args, res.Messages[0].Content, tc.uri)
				}
				if text, ok := res.Messages[1].Content.(*gomcp.TextContent); !ok || !strings.Contains(text.Text, tc.tool) {
					t.Errorf("%s %v: task does not mention %q", tc.name, tc.args, tc.tool)
				}
			}
			if _, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: "summarize_thread"}); err == nil || !strings.Contains(err.Error(), "threadId") {
				t.Errorf("summarize_thread without threadId: %v", err)
			}
		})
	}
}

// updates collects resources/updated and list_changed notifications.
type updates struct {
	uris        chan string
	listChanged chan struct{}
}

func newUpdates() (*updates, *gomcp.ClientOptions) {
	u := &updates{uris: make(chan string, 100), listChanged: make(chan struct{}, 100)}
	return u, &gomcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, r *gomcp.ResourceUpdatedNotificationRequest) {
			u.uris <- r.Params.URI
		},
		ResourceListChangedHandler: func(context.Context, *gomcp.ResourceListChangedRequest) {
			u.listChanged <- struct{}{}
		},
	}
}

// next waits for the next resources/updated, or fails at the deadline.
func (u *updates) next(t *testing.T, within time.Duration) string {
	t.Helper()
	select {
	case uri := <-u.uris:
		return uri
	case <-time.After(within):
		t.Fatalf("no notifications/resources/updated within %s", within)
	case <-t.Context().Done():
		t.FailNow()
	}
	return ""
}

func comment(t *testing.T, cs *gomcp.ClientSession, threadID, text string) {
	t.Helper()
	callOK(t, cs, "send_message", map[string]any{"threadId": threadID, "type": "COMMENT", "text": text})
}

func TestStdio_GoSDKResourceSubscriptions(t *testing.T) {
	t.Parallel()
	first, second := "hubspot://threads/"+sandbox.EmailThreadID, "hubspot://threads/"+sandbox.AllTypesThreadID
	for _, protocol := range []string{"2025-11-25", "2025-06-18"} {
		t.Run("protocol "+protocol, func(t *testing.T) {
			t.Parallel()
			u, opts := newUpdates()
			cs := connectWith(t, protocol, opts, resourceEnv)
			if err := cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: first}); err != nil {
				t.Fatal(err)
			}
			// The subscription's baseline is taken before its answer, so a
			// change after it always notifies.
			comment(t, cs, sandbox.EmailThreadID, "Checking the exchange.")
			if got := u.next(t, 15*time.Second); got != first {
				t.Fatalf("updated %s, want %s", got, first)
			}

			// Unsubscribing stops it: with first unsubscribed and second
			// subscribed, a change to first and then to second notifies
			// second only (a still-subscribed first would come no later).
			if err := cs.Unsubscribe(t.Context(), &gomcp.UnsubscribeParams{URI: first}); err != nil {
				t.Fatal(err)
			}
			if err := cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: second}); err != nil {
				t.Fatal(err)
			}
			comment(t, cs, sandbox.EmailThreadID, "Second note.")
			comment(t, cs, sandbox.AllTypesThreadID, "Restock confirmed.")
			if got := u.next(t, 15*time.Second); got != second {
				t.Fatalf("updated %s after unsubscribing it; want %s", got, second)
			}

			// Closing an open thread changes the open-thread list.
			callOK(t, cs, "update_thread", map[string]any{"threadId": sandbox.AssignedThreadID, "status": "CLOSED"})
			select {
			case <-u.listChanged:
			case <-time.After(15 * time.Second):
				t.Errorf("no notifications/resources/list_changed after closing a thread")
			}

			if err := cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: "hubspot://threads/1"}); err == nil || !strings.Contains(err.Error(), "404") {
				t.Errorf("subscribing to an unknown thread: %v", err)
			}
		})
	}

	// 2026-07-28 has no resources/subscribe: go-sdk opens a
	// subscriptions/listen stream per URI and returns before the server
	// acknowledges it, so the test changes the thread until a notification
	// comes.
	t.Run("protocol "+orLatest(""), func(t *testing.T) {
		t.Parallel()
		u, opts := newUpdates()
		cs := connectWith(t, "", opts, resourceEnv)
		if err := cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: first}); err != nil {
			t.Fatal(err)
		}
		deadline := time.After(20 * time.Second)
		for i := 0; ; i++ {
			comment(t, cs, sandbox.EmailThreadID, "Note "+strconv.Itoa(i))
			select {
			case got := <-u.uris:
				if got != first {
					t.Fatalf("updated %s, want %s", got, first)
				}
				if err := cs.Unsubscribe(t.Context(), &gomcp.UnsubscribeParams{URI: first}); err != nil {
					t.Fatal(err)
				}
				return
			case <-time.After(time.Second):
			case <-deadline:
				t.Fatalf("no notifications/resources/updated at protocol 2026-07-28")
			}
		}
	})
}

// TestHTTP_GoSDKResourceSubscriptions subscribes over Streamable HTTP with
// per-user HubSpot tokens: the poller keeps using the subscriber's client.
func TestHTTP_GoSDKResourceSubscriptions(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_TOKEN_SOURCE=header", "HUBSPOT_BASE_URL="+url,
		"HUBSPOT_RATE_LIMIT=1000/10s", "MCP_POLL_INTERVAL=200ms")
	uri := "hubspot://threads/" + sandbox.EmailThreadID
	for _, protocol := range []string{"2025-11-25", ""} {
		t.Run("protocol "+orLatest(protocol), func(t *testing.T) {
			u, opts := newUpdates()
			hc := &http.Client{Transport: headerTransport{base: http.DefaultTransport, headers: map[string]string{httpserver.TokenHeader: sandbox.DefaultToken}}}
			client := gomcp.NewClient(&gomcp.Implementation{Name: "http-resources", Version: "1"}, opts)
			cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp", HTTPClient: hc},
				&gomcp.ClientSessionOptions{ProtocolVersion: protocol})
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			if err := cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: uri}); err != nil {
				t.Fatal(err)
			}
			deadline := time.After(20 * time.Second)
			for i := 0; ; i++ {
				comment(t, cs, sandbox.EmailThreadID, "HTTP note "+strconv.Itoa(i))
				select {
				case got := <-u.uris:
					if got != uri {
						t.Fatalf("updated %s, want %s", got, uri)
					}
					return
				case <-time.After(time.Second):
				case <-deadline:
					t.Fatalf("no notifications/resources/updated over HTTP")
				}
			}
		})
	}
}
