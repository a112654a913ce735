package resources

import (
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
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

type listed struct {
	Resources  []mcp.Resource `json:"resources"`
	NextCursor string         `json:"nextCursor"`
}

// listAll pages through resources/list and returns every URI and the
// number of pages.
func listAll(t *testing.T, cat *Catalog) ([]string, int) {
	t.Helper()
	s := newTestServer(t, cat)
	var uris []string
	cursor, pages := "", 0
	for {
		params := map[string]any{}
		if cursor != "" {
			params["cursor"] = cursor
		}
		res, rerr := call(t, t.Context(), s, "resources/list", params)
		if rerr != nil {
			t.Fatalf("resources/list page %d: %+v", pages+1, rerr)
		}
		var page listed
		if err := json.Unmarshal(res, &page); err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page.Resources {
			uris = append(uris, r.URI)
		}
		if cursor = page.NextCursor; cursor == "" || pages > 50 {
			return uris, pages
		}
	}
}

func TestListResources_InboxesAndRecentOpenThreads(t *testing.T) {
	t.Parallel()
	cat, _, c := newTestCatalog(t, Options{})
	uris, pages := listAll(t, cat)
	if pages != 1 {
		t.Errorf("%d pages, want 1", pages)
	}
	open, _, err := listOpenThreads(t.Context(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{InboxesURI, inboxURI(sandbox.InboxID), inboxURI(sandbox.HelpDeskInboxID)}
	for _, th := range open {
		want = append(want, threadURI(th.ID))
	}
	if diff := cmp.Diff(want, uris); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	if slices.Contains(uris, threadURI(sandbox.ClosedThreadID)) || slices.Contains(uris, inboxURI(sandbox.ArchivedInboxID)) {
		t.Errorf("closed threads or archived inboxes listed: %v", uris)
	}
	for i := 4; i < len(open); i++ {
		if open[i].LatestMessageTimestamp.After(open[i-1].LatestMessageTimestamp.Time) {
			t.Errorf("threads not most recent first at %d", i)
		}
	}
}

func TestListResources_PagesWithOurCursorAndCaches(t *testing.T) {
	t.Parallel()
	cat, sb, _ := newTestCatalog(t, Options{PageSize: 4, RecentThreads: 10})
	all, pages := listAll(t, cat)
	if len(all) != 13 || pages != 4 {
		t.Errorf("%d resources in %d pages, want 13 in 4 (1 static + 2 inboxes + 10 threads)", len(all), pages)
	}
	if seen := slices.Compact(slices.Sorted(slices.Values(all))); len(seen) != len(all) {
		t.Errorf("duplicates across pages: %v", all)
	}

	// A second listing within the TTL reuses the snapshot: no HubSpot calls.
	sb.ResetRequests()
	again, _ := listAll(t, cat)
	if n := len(sb.Requests()); n != 0 {
		t.Errorf("second listing made %d HubSpot calls, want 0", n)
	}
	if diff := cmp.Diff(all, again); diff != "" {
		t.Errorf("second listing differs (-first +second):\n%s", diff)
	}

	s := newTestServer(t, cat)
	for _, bad := range []string{"bm90LW91cnM=", "%%%"} {
		_, rerr := call(t, t.Context(), s, "resources/list", map[string]any{"cursor": bad})
		if rerr == nil || !strings.Contains(rerr.Message, "cursor") {
			t.Errorf("cursor %q: error %+v, want one about the cursor", bad, rerr)
		}
	}
}

// TestListResources_KeyedByCredential: snapshots belong to a credential,
// not to a client: another user never sees one, and a client rebuilt for
// the same credential (as the service's pool does) finds it.
func TestListResources_KeyedByCredential(t *testing.T) {
	t.Parallel()
	cat, sb, c := newTestCatalog(t, Options{})
	if _, err := cat.cache.get(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if cat.cache.peek(t.Context(), newService(t, sb, "another-users-token")) != nil {
		t.Errorf("another credential sees the first one's snapshot")
	}
	if cat.cache.peek(t.Context(), newService(t, sb, sandbox.DefaultToken)) == nil {
		t.Errorf("a client rebuilt for the same credential does not find its snapshot")
	}
}

func TestRead_EveryForm(t *testing.T) {
	t.Parallel()
	cat, _, _ := newTestCatalog(t, Options{})
	for _, tc := range []struct {
		uri, mime string
		want      []string
	}{
		{InboxesURI, mimeJSON, []string{`"inboxes"`, sandbox.HelpDeskInboxID, `"channelAccounts"`, sandbox.EmailChannelAccountID}},
		{inboxURI(sandbox.HelpDeskInboxID), mimeJSON, []string{`"recentOpenThreads"`, `"channelAccounts"`, `"HELP_DESK"`}},
		{inboxURI(sandbox.HelpDeskInboxID) + "/threads?status=OPEN", mimeJSON, []string{`"threads"`, `"status":"OPEN"`, `"customer"`}},
		{inboxURI(sandbox.HelpDeskInboxID) + "/threads", mimeJSON, []string{`"OPEN and CLOSED"`}},
		{"hubspot://threads?status=CLOSED", mimeJSON, []string{sandbox.ClosedThreadID}},
		{threadURI(sandbox.EmailThreadID), mimeMD, []string{"# Conversation thread " + sandbox.EmailThreadID, "get_message_original_content"}},
		{threadURI(sandbox.EmailThreadID) + "/json", mimeJSON, []string{`"messages"`, `"truncated":true`}},
	} {
		text, mime := readText(t, t.Context(), cat, tc.uri)
		if mime != tc.mime {
			t.Errorf("%s: MIME %q, want %q", tc.uri, mime, tc.mime)
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not contain %s", tc.uri, w)
			}
		}
		if tc.mime == mimeJSON && !json.Valid([]byte(text)) {
			t.Errorf("%s: invalid JSON", tc.uri)
		}
	}
}

func TestRead_ListingPagesFollowNextURI(t *testing.T) {
	t.Parallel()
	cat, _, _ := newTestCatalog(t, Options{})
	uri, seen := "hubspot://threads", map[string]bool{}
	for range 10 {
		text, _ := readText(t, t.Context(), cat, uri)
		var page struct {
			Threads []struct{ ID string }
			NextURI string `json:"nextUri"`
		}
		if err := json.Unmarshal([]byte(text), &page); err != nil {
			t.Fatal(err)
		}
		for _, th := range page.Threads {
			if seen[th.ID] {
				t.Errorf("thread %s on two pages", th.ID)
			}
			seen[th.ID] = true
		}
		if uri = page.NextURI; uri == "" {
			break
		}
	}
	if len(seen) < 30 {
		t.Errorf("%d threads over all pages, want the sandbox's 30+", len(seen))
	}
}

func TestRead_UnknownOrRefusedIsAnErrorWithHubSpotsMessage(t *testing.T) {
	t.Parallel()
	cat, sb, _ := newTestCatalog(t, Options{})
	for _, tc := range []struct {
		uri  string
		want []string
	}{
		{threadURI("1"), []string{"404", "Thread 1", "correlation id"}},
		{threadURI("1") + "/json", []string{"404", "correlation id"}},
		{inboxURI("1"), []string{"404", "correlation id"}},
		{inboxURI("1") + "/threads", []string{"404"}},
		{threadURI(sandbox.ArchivedThreadID), []string{"404"}},
	} {
		_, err := cat.Read(t.Context(), tc.uri)
		if err == nil {
			t.Errorf("%s: no error", tc.uri)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tc.uri, err, w)
			}
		}
	}

	sb.ResetRequests()
	if _, err := cat.Read(t.Context(), "hubspot://threads/1%2F..%2Finboxes"); err == nil || !strings.Contains(err.Error(), "threadId") {
		t.Errorf("a bad ID: %v", err)
	}
	if n := len(sb.Requests()); n != 0 {
		t.Errorf("a bad ID made %d HubSpot calls", n)
	}

	sb.InjectFault(sandbox.Fault{Status: 403, Path: "/conversations/v3/conversations/threads/{threadId}"})
	if _, err := cat.Read(t.Context(), threadURI(sandbox.EmailThreadID)); err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "scope") {
		t.Errorf("a refused read: %v", err)
	}

	// Through the protocol it is a JSON-RPC error, never an empty resource.
	s := newTestServer(t, cat)
	res, rerr := call(t, t.Context(), s, "resources/read", map[string]any{"uri": threadURI("1")})
	if rerr == nil || !strings.Contains(rerr.Message, "404") {
		t.Errorf("resources/read of an unknown thread: result %s, error %+v", res, rerr)
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	cat, _, c := newTestCatalog(t, Options{Agents: []string{sandbox.AgentActorID}})
	s := newTestServer(t, cat)
	complete := func(ref map[string]any, name, value string, ctxArgs map[string]string) mcp.Completion {
		t.Helper()
		params := map[string]any{"ref": ref, "argument": map[string]any{"name": name, "value": value}}
		if ctxArgs != nil {
			params["context"] = map[string]any{"arguments": ctxArgs}
		}
		res, rerr := call(t, t.Context(), s, "completion/complete", params)
		if rerr != nil {
			t.Fatalf("complete %s=%q: %+v", name, value, rerr)
		}
		var out struct{ Completion mcp.Completion }
		if err := json.Unmarshal(res, &out); err != nil {
			t.Fatal(err)
		}
		return out.Completion
	}
	threadTpl := map[string]any{"type": "ref/resource", "uri": ThreadTemplate}
	prompt := map[string]any{"type": "ref/prompt", "name": "handoff_note"}

	open, _, _ := listOpenThreads(t.Context(), c, nil)
	all := complete(threadTpl, "threadId", "", nil)
	if len(all.Values) != len(open) || all.Values[0] != open[0].ID {
		t.Errorf("threadId with no prefix: %v, want the %d open threads, most recent first", all.Values, len(open))
	}
	if got := complete(threadTpl, "threadId", sandbox.HostileThreadID[:9], nil); !slices.Contains(got.Values, sandbox.HostileThreadID) {
		t.Errorf("threadId by prefix: %v", got.Values)
	}
	// By the contact's name: Erin Walsh wrote the hostile thread.
	if got := complete(threadTpl, "threadId", "wal", nil); !slices.Contains(got.Values, sandbox.HostileThreadID) {
		t.Errorf("threadId by name: %v", got.Values)
	}
	if got := complete(threadTpl, "threadId", "", map[string]string{"inboxId": sandbox.InboxID}); slices.Contains(got.Values, sandbox.HostileThreadID) || len(got.Values) == 0 {
		t.Errorf("threadId within inbox %s: %v", sandbox.InboxID, got.Values)
	}
	if got := complete(map[string]any{"type": "ref/resource", "uri": InboxTemplate}, "inboxId", "cust", nil); !cmp.Equal(got.Values, []string{sandbox.HelpDeskInboxID}) {
		t.Errorf("inboxId by name: %v", got.Values)
	}
	if got := complete(map[string]any{"type": "ref/resource", "uri": ThreadsTemplate}, "status", "o", nil); !cmp.Equal(got.Values, []string{"OPEN"}) {
		t.Errorf("status: %v", got.Values)
	}
	if got := complete(prompt, "toActorId", "", nil); !slices.Contains(got.Values, sandbox.AgentActorID) || !slices.Contains(got.Values, sandbox.OtherAgentActorID) {
		t.Errorf("toActorId: %v", got.Values)
	}
	if got := complete(prompt, "toActorId", "sam", nil); !cmp.Equal(got.Values, []string{sandbox.OtherAgentActorID}) {
		t.Errorf("toActorId by name: %v", got.Values)
	}
	if got := complete(prompt, "tone", "f", nil); len(got.Values) != 0 {
		t.Errorf("unknown argument: %v", got.Values)
	}
}

// TestComplete_ThreadByNameSearchesOncePerName: completion is asked on
// every keystroke; typing a customer's name costs one search (the
// contacts search and the contacts' lists), not one per letter, and each
// answer is what search_threads finds for that value.
func TestComplete_ThreadByNameSearchesOncePerName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cat, sb, _ := newTestCatalog(t, Options{CacheTTL: 30 * time.Second})
		s := newTestServer(t, cat)
		_, fresh := newSandboxClient(t) // the same account, for what search_threads finds
		threadTpl := map[string]any{"type": "ref/resource", "uri": ThreadTemplate}
		// typing completes value and returns the HubSpot calls it cost,
		// actor reads aside (names are cached anyway).
		typing := func(value string) int {
			t.Helper()
			mark := len(sb.Requests())
			res, rerr := call(t, t.Context(), s, "completion/complete", map[string]any{"ref": threadTpl, "argument": map[string]any{"name": "threadId", "value": value}})
			if rerr != nil {
				t.Fatalf("complete %q: %+v", value, rerr)
			}
			var out struct{ Completion mcp.Completion }
			if err := json.Unmarshal(res, &out); err != nil {
				t.Fatal(err)
			}
			want, err := fresh.SearchThreads(t.Context(), inbox.ThreadSearch{Customer: value, Status: hubspot.StatusOpen, Limit: maxCompletions})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, th := range want.Threads {
				ids = append(ids, th.ID)
			}
			if !slices.Equal(out.Completion.Values, ids) && !(len(ids) == 0 && len(out.Completion.Values) == 0) {
				t.Errorf("%q: completion %v, search_threads finds %v", value, out.Completion.Values, ids)
			}
			n := 0
			for _, r := range sb.Requests()[mark:] {
				if !strings.HasSuffix(r.Path, "/actors/batch/read") {
					n++
				}
			}
			return n
		}
		if n := typing("tho"); n != 3 {
			t.Errorf(`"tho": %d HubSpot calls, want 3 (the contacts search, Maya's and Owen's open threads)`, n)
		}
		for _, v := range []string{"thom", "thomp", "thompson", "thom", "tho"} {
			if n := typing(v); n != 0 {
				t.Errorf("%q: %d HubSpot calls, want none: the search for \"tho\" holds its answer", v, n)
			}
		}
		// "exa" (example.com) matches more contacts than a search lists: a
		// longer value searches again, until an answer holds all.
		if n := typing("exa"); n != 4 {
			t.Errorf(`"exa": %d HubSpot calls, want 4 (the search and the first 3 contacts' open threads)`, n)
		}
		if n := typing("exam"); n == 0 {
			t.Errorf(`"exam": no HubSpot call, but "exa" listed only 3 of the contacts it matched`)
		}
		if n := typing("may"); n == 0 {
			t.Errorf(`"may": no HubSpot call`)
		}
		if n := typing("maya t"); n != 0 {
			t.Errorf(`"maya t": %d HubSpot calls, want none`, n)
		}
		// Kept for the TTL only.
		time.Sleep(30 * time.Second)
		if n := typing("thom"); n == 0 {
			t.Errorf(`"thom" after the TTL: no HubSpot call`)
		}
	})
}

func TestMatch_CapsAtOneHundred(t *testing.T) {
	t.Parallel()
	var cands []candidate
	for i := range 250 {
		cands = append(cands, candidate{value: fmt.Sprintf("9%03d", i)})
	}
	got := match(cands, "9")
	if len(got.Values) != 100 || got.Total != 250 || !got.HasMore {
		t.Errorf("%d values, total %d, hasMore %v", len(got.Values), got.Total, got.HasMore)
	}
}

func TestPollRate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		budget hubspot.Rate
		share  float64
		want   hubspot.Rate
	}{
		{hubspot.Rate{Calls: 100, Per: time.Minute}, 0.2, hubspot.Rate{Calls: 20, Per: time.Minute}},
		{hubspot.Rate{Calls: 190, Per: 10 * time.Second}, 0.25, hubspot.Rate{Calls: 47, Per: 10 * time.Second}},
		{hubspot.Rate{Calls: 3, Per: time.Minute}, 0.2, hubspot.Rate{Calls: 1, Per: 100 * time.Second}},
		{hubspot.Rate{Calls: 100, Per: time.Minute}, 0, hubspot.Rate{}},
		{hubspot.Rate{Calls: 100, Per: time.Minute}, 1, hubspot.Rate{Calls: 100, Per: time.Minute}},
	} {
		if got := PollRate(tc.budget, tc.share); got != tc.want {
			t.Errorf("PollRate(%v, %v) = %v, want %v", tc.budget, tc.share, got, tc.want)
		}
	}
}
