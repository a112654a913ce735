package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// allByActivity lists every thread matching args in one ascending HubSpot
// listing and returns their IDs, most recently active first: the order the
// newest-first listing must reproduce.
func allByActivity(t *testing.T, e *env, args string) []string {
	t.Helper()
	var all []view.Thread
	after := ""
	for {
		var page listOutput[view.Thread]
		a := `{"limit":100,"sort":["latestMessageTimestamp"]` + args
		if after != "" {
			a += `,"after":"` + after + `"`
		}
		e.ok(t, "list_threads", a+"}", &page)
		all = append(all, page.Results...)
		if after = page.NextCursor; after == "" {
			break
		}
	}
	slices.Reverse(all) // ascending by (time, ID) → newest first
	return mapSlice(all, func(th view.Thread) string { return th.ID })
}

func TestListThreadsNewestFirst(t *testing.T) {
	t.Parallel()
	for _, filter := range []string{``, `,"threadStatus":"OPEN"`, `,"inboxId":"` + sandbox.InboxID + `"`} {
		t.Run("filter "+filter, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			want := allByActivity(t, e, filter)
			if len(want) < 3 {
				t.Fatalf("the sandbox has too few threads for this test: %v", want)
			}
			var got []string
			after := ""
			for pages := 0; ; pages++ {
				e.sb.ResetRequests()
				var page listOutput[view.Thread]
				a := `{"limit":4,"sort":"-latestMessageTimestamp"` + filter
				if after != "" {
					a += `,"after":"` + after + `"`
				}
				e.ok(t, "list_threads", a+"}", &page)
				got = append(got, mapSlice(page.Results, func(th view.Thread) string { return th.ID })...)
				if n := len(e.requests()); n > inbox.NewestMaxCalls+1 {
					t.Errorf("page %d cost %d HubSpot calls, want at most %d", pages, n, inbox.NewestMaxCalls+1)
				}
				if after = page.NextCursor; after == "" || pages > 50 {
					break
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("newest first, page by page (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("threads that fit in one page cost one listing, and names everyone", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var page listOutput[view.Thread]
		e.ok(t, "list_threads", `{"sort":["-latestMessageTimestamp"],"threadStatus":"open","limit":"5"}`, &page)
		if len(page.Results) != 5 || page.NextCursor == "" {
			t.Fatalf("want 5 threads and a cursor, got %+v", page)
		}
		for i, th := range page.Results {
			if i > 0 && th.LatestMessageAt.After(page.Results[i-1].LatestMessageAt.Time) {
				t.Errorf("thread %s is newer than the one before it", th.ID)
			}
			if th.Status != "OPEN" || !strings.Contains(th.Customer, " <") || th.ContactID == "" {
				t.Errorf("thread %+v: want an open thread with the customer's name, email and contact ID", th)
			}
			if th.AssignedTo != "" && strings.HasPrefix(th.AssignedTo, "A-") {
				t.Errorf("thread %s: assignee %s without a name", th.ID, th.AssignedTo)
			}
		}
		reqs := e.requests()
		// The sandbox's open threads fit in one page of 100: one listing
		// (docs/tools.md, list_threads' description), then the names.
		if len(reqs) != 2 || reqs[1] != batchRead {
			t.Errorf("HubSpot calls: %v; want one listing and one batched actor read", reqs)
		}
	})

	t.Run("for one contact HubSpot sorts, in one call", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var page listOutput[view.Thread]
		e.ok(t, "list_threads", `{"sort":["-latestMessageTimestamp"],"associatedContactId":3501,"threadStatus":"OPEN"}`, &page)
		if len(page.Results) < 2 || page.Results[0].LatestMessageAt.Before(page.Results[1].LatestMessageAt.Time) {
			t.Errorf("want the contact's threads newest first, got %+v", page.Results)
		}
		if reqs := e.requests(); len(reqs) != 2 || !strings.Contains(reqs[0], "sort=-latestMessageTimestamp") ||
			!strings.Contains(reqs[0], "latestMessageTimestampAfter=1970-01-01T00%3A00%3A00Z") {
			t.Errorf("HubSpot calls: %v", reqs)
		}
	})

	t.Run("a foreign cursor is refused", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "list_threads", `{"sort":["-latestMessageTimestamp"],"after":"WyIwMDAiXQ"}`,
			"after must be the nextCursor of a previous list_threads call with the same sort")
	})
}

func TestThreadProperty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got view.Thread
	e.ok(t, "get_thread", `{"threadId":"`+sandbox.EmailThreadID+`","property":"subject"}`, &got)
	if diff := cmp.Diff(map[string]any{"subject": "Exchange for order JO-10433: Summit Shell jacket too small"}, got.Properties); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
	if reqs := e.requests(); !strings.Contains(reqs[0], "property=subject") {
		t.Errorf("the property was not asked of HubSpot: %v", reqs)
	}
	var page listOutput[view.Thread]
	e.ok(t, "list_threads", `{"inboxId":"`+sandbox.HelpDeskInboxID+`","property":"subject","limit":3}`, &page)
	if page.Results[0].Properties["subject"] == nil {
		t.Errorf("list_threads lost the requested property: %+v", page.Results[0])
	}
	var plain view.Thread
	e.ok(t, "get_thread", `{"threadId":"`+sandbox.EmailThreadID+`"}`, &plain)
	if plain.Properties != nil {
		t.Errorf("properties without a request: %+v", plain.Properties)
	}
}
