package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const threadsPath = "/conversations/v3/conversations/threads"

// pageThreads follows next links from path and returns every thread ID in
// order, failing on a duplicate.
func (h *harness) pageThreads(path string) []string {
	h.t.Helper()
	var got []string
	seen := map[string]bool{}
	for range 200 {
		var l threadList
		h.get(path, &l)
		if l.Total != nil {
			h.t.Fatalf("thread list has a total")
		}
		for _, th := range l.Results {
			if seen[th.ID] {
				h.t.Fatalf("thread %s returned twice", th.ID)
			}
			seen[th.ID] = true
			got = append(got, th.ID)
		}
		if l.Paging == nil || l.Paging.Next == nil {
			return got
		}
		if l.Paging.Prev != nil {
			h.t.Errorf("thread list has paging.prev")
		}
		path = strings.TrimPrefix(l.Paging.Next.Link, h.url)
	}
	h.t.Fatalf("paging did not end")
	return nil
}

func TestListThreadsPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	all := h.pageThreads(threadsPath + "?limit=100")
	if len(all) < 30 {
		t.Fatalf("%d live threads, want at least 30", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b string) int { return strings.Compare(idKey(a), idKey(b)) }) {
		t.Errorf("threads not in ascending id order: %v", all)
	}
	var first threadList
	h.get(threadsPath, &first)
	if len(first.Results) != defaultLimit || first.Paging == nil || first.Paging.Next == nil {
		t.Errorf("default page: %d results, paging %+v", len(first.Results), first.Paging)
	}
	for _, limit := range []int{1, 3, 7, 20, 1000} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			t.Parallel()
			got := h.pageThreads(fmt.Sprintf("%s?limit=%d", threadsPath, limit))
			if diff := cmp.Diff(all, got); diff != "" {
				t.Errorf("pages differ from the full list (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListThreadsPagingIsStableUnderInserts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var l threadList
	h.get(threadsPath+"?limit=5", &l)
	seen := []string{}
	for _, th := range l.Results {
		seen = append(seen, th.ID)
	}
	acct := h.srv.Account(DefaultToken)
	newID, err := acct.AddThread(HelpDeskInboxID, LiveChatChannelID, "Hi, is anyone there?")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.AddIncomingMessage(AllTypesThreadID, "Hello again"); err != nil {
		t.Fatal(err)
	}
	rest := h.pageThreads(strings.TrimPrefix(l.Paging.Next.Link, h.url))
	got := append(seen, rest...)
	want := h.pageThreads(threadsPath + "?limit=100")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paging across inserts (-want +got):\n%s", diff)
	}
	if got[len(got)-1] != newID {
		t.Errorf("new thread %s not last: %v", newID, got[len(got)-3:])
	}
}

func TestListThreadsRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct{ query, param string }{
		{"associatedContactId=3501", "threadStatus"},
		{"associatedContactId=3501&threadStatus=OPEN&inboxId=" + HelpDeskInboxID, "associatedContactId"},
		{"associatedContactId=abc&threadStatus=OPEN", "associatedContactId"},
		{"sort=latestMessageTimestamp", "latestMessageTimestampAfter"},
		{"sort=-id", "sort"},
		{"sort=-latestMessageTimestamp&latestMessageTimestampAfter=2026-11-01T00:00:00Z", "sort"},
		{"sort=createdAt", "sort"},
		{"sort=id&sort=latestMessageTimestamp", "sort"},
		{"threadStatus=PENDING", "threadStatus"},
		{"threadStatus=open", "threadStatus"},
		{"limit=0", "limit"},
		{"limit=abc", "limit"},
		{"limit=99999999999", "limit"},
		{"after=not-a-cursor", "after"},
		{"after=" + encodeCursor([]string{"a", "b", "c"}), "after"},
		{"latestMessageTimestampAfter=yesterday", "latestMessageTimestampAfter"},
		{"association=CONTACT", "association"},
		{"inboxId=support", "inboxId"},
		{"archived=perhaps", "archived"},
		{"associatedTicketId=T-1", "associatedTicketId"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			h.call(http.MethodGet, threadsPath+"?"+tc.query, "").wantParamError(t, tc.param)
		})
	}
}

func TestListThreadsFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	all := map[string]threadJSON{}
	var l threadList
	h.get(threadsPath+"?limit=100&association=TICKET", &l)
	for _, th := range l.Results {
		all[th.ID] = th
	}
	where := func(keep func(threadJSON) bool) []string {
		var out []string
		for id, th := range all {
			if keep(th) {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	since := referenceTime.Add(-48 * time.Hour)
	sinceQ := url.QueryEscape(since.Format(time.RFC3339))
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"contact's open threads", "associatedContactId=3501&threadStatus=OPEN",
			[]string{EmailThreadID, "9000000107", "9000000109", "9000000120"}},
		{"contact's open threads newest id first", "associatedContactId=3501&threadStatus=OPEN&sort=-id",
			[]string{"9000000120", "9000000109", "9000000107", EmailThreadID}},
		{"contact's closed threads", "associatedContactId=3501&threadStatus=CLOSED", []string{ClosedThreadID, "9000000108"}},
		{"archived only", "archived=true", []string{ArchivedThreadID, "9000000131"}},
		{"closed", "threadStatus=CLOSED", where(func(th threadJSON) bool { return th.Status == "CLOSED" })},
		{"general inbox", "inboxId=" + InboxID, where(func(th threadJSON) bool { return th.InboxID == InboxID })},
		{"both inboxes", "inboxId=" + InboxID + "&inboxId=" + HelpDeskInboxID, where(func(threadJSON) bool { return true })},
		{"ticket", "associatedTicketId=71200451", []string{AssignedThreadID}},
		{"recent", "latestMessageTimestampAfter=" + sinceQ, where(func(th threadJSON) bool {
			ts, _ := time.Parse(time.RFC3339, th.LatestMessageTimestamp)
			return !ts.Before(since)
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := h.pageThreads(threadsPath + "?limit=2&" + tc.query)
			if len(tc.want) == 0 {
				t.Fatal("empty expectation")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("sort by latest message", func(t *testing.T) {
		t.Parallel()
		var l threadList
		h.get(threadsPath+"?limit=100&sort=latestMessageTimestamp&latestMessageTimestampAfter=2026-10-01T00:00:00Z", &l)
		if !slices.IsSortedFunc(l.Results, func(a, b threadJSON) int {
			return strings.Compare(a.LatestMessageTimestamp, b.LatestMessageTimestamp)
		}) || len(l.Results) != len(all) {
			t.Errorf("%d threads, not sorted by latestMessageTimestamp", len(l.Results))
		}
		got := h.pageThreads(threadsPath + "?limit=4&sort=latestMessageTimestamp&latestMessageTimestampAfter=2026-10-01T00:00:00Z")
		var want []string
		for _, th := range l.Results {
			want = append(want, th.ID)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("paged (-want +got):\n%s", diff)
		}
	})
	t.Run("tickets only with association", func(t *testing.T) {
		t.Parallel()
		withTicket := where(func(th threadJSON) bool { return th.ThreadAssociations != nil })
		want := []string{EmailThreadID, AssignedThreadID, "9000000112", "9000000116", "9000000119"}
		if diff := cmp.Diff(want, withTicket); diff != "" {
			t.Errorf("threads with tickets (-want +got):\n%s", diff)
		}
		var plain threadList
		h.get(threadsPath+"?limit=100", &plain)
		for _, th := range plain.Results {
			if th.ThreadAssociations != nil {
				t.Errorf("thread %s has threadAssociations without association=TICKET", th.ID)
			}
		}
	})
}

func TestGetThread(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const p = threadsPath + "/"
	e := h.call(http.MethodGet, p+"9000000999", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	if e.Message != "Thread 9000000999 not found" {
		t.Errorf("message = %q", e.Message)
	}
	h.call(http.MethodGet, p+"not-a-number", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	h.call(http.MethodGet, p+ArchivedThreadID, "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	h.call(http.MethodGet, p+ClosedThreadID+"?association=NOPE", "").wantParamError(t, "association")

	var th threadJSON
	h.get(p+ArchivedThreadID+"?archived=true", &th)
	if !th.Archived || th.ID != ArchivedThreadID {
		t.Errorf("archived thread = %+v", th)
	}
	h.get(p+AssignedThreadID+"?association=TICKET", &th)
	if th.ThreadAssociations == nil || th.ThreadAssociations.AssociatedTicketID != "71200451" {
		t.Errorf("threadAssociations = %+v", th.ThreadAssociations)
	}
	var plain threadJSON
	h.get(p+AssignedThreadID, &plain)
	if plain.ThreadAssociations != nil {
		t.Errorf("threadAssociations without association=TICKET")
	}
}
