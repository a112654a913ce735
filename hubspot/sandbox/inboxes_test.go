package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type objectList struct {
	Results []map[string]any `json:"results"`
	Total   *int             `json:"total"`
	Paging  *pagingJSON      `json:"paging"`
}

func ids(l objectList, field string) []string {
	var out []string
	for _, r := range l.Results {
		out = append(out, r[field].(string))
	}
	return out
}

func TestListsWithTotal(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const base = "/conversations/v3/conversations/"
	for _, tc := range []struct {
		name, path string
		wantIDs    []string
		wantTotal  int
	}{
		{"live inboxes by id", "inboxes", []string{InboxID, HelpDeskInboxID}, 2},
		{"archived inboxes", "inboxes?archived=true", []string{ArchivedInboxID}, 1},
		{"inboxes by name descending", "inboxes?sort=-name", []string{InboxID, HelpDeskInboxID}, 2},
		{"inboxes by type then name", "inboxes?sort=type&sort=name", []string{HelpDeskInboxID, InboxID}, 2},
		{"channels", "channels", []string{LiveChatChannelID, MessengerChannelID, EmailChannelID}, 3},
		{"channels by name", "channels?sort=name", []string{EmailChannelID, MessengerChannelID, LiveChatChannelID}, 3},
		{"channel accounts", "channel-accounts", []string{ChatChannelAccountID, EmailChannelAccountID, MessengerChannelAccountID, SalesEmailChannelAccountID}, 4},
		{"channel accounts of the email channel", "channel-accounts?channelId=1002", []string{EmailChannelAccountID, SalesEmailChannelAccountID}, 2},
		{"channel accounts of two inboxes and a channel", "channel-accounts?inboxId=" + InboxID + "&inboxId=" + HelpDeskInboxID + "&channelId=1001", []string{MessengerChannelAccountID}, 1},
		{"channel accounts by channel then name desc", "channel-accounts?sort=channelId&sort=-name", []string{ChatChannelAccountID, MessengerChannelAccountID, EmailChannelAccountID, SalesEmailChannelAccountID}, 4},
		{"archived channel accounts", "channel-accounts?archived=true", []string{archivedChannelAccountID}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var l objectList
			h.get(base+tc.path, &l)
			if diff := cmp.Diff(tc.wantIDs, ids(l, "id")); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if l.Total == nil || *l.Total != tc.wantTotal {
				t.Errorf("total = %v, want %d", l.Total, tc.wantTotal)
			}
			if l.Paging != nil {
				t.Errorf("single page has paging %+v", l.Paging)
			}
		})
	}
}

func TestListPagingForwardAndBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	path := "/conversations/v3/conversations/channel-accounts?limit=1"
	var pages [][]string
	var prevLinks []string
	for range 10 {
		var l objectList
		h.get(path, &l)
		if l.Total == nil || *l.Total != 4 {
			t.Fatalf("total = %v on every page, want 4", l.Total)
		}
		pages = append(pages, ids(l, "id"))
		if l.Paging != nil && l.Paging.Prev != nil {
			prevLinks = append(prevLinks, l.Paging.Prev.Link)
		}
		if l.Paging == nil || l.Paging.Next == nil {
			break
		}
		u, err := url.Parse(l.Paging.Next.Link)
		if err != nil || u.Query().Get("after") != l.Paging.Next.After || u.Query().Get("limit") != "1" {
			t.Fatalf("next link %q does not carry the cursor and limit", l.Paging.Next.Link)
		}
		path = strings.TrimPrefix(l.Paging.Next.Link, h.url)
	}
	want := [][]string{{ChatChannelAccountID}, {EmailChannelAccountID}, {MessengerChannelAccountID}, {SalesEmailChannelAccountID}}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}
	if len(prevLinks) != 3 {
		t.Fatalf("prev links on pages 2-4: %d, want 3", len(prevLinks))
	}
	// Following the last page's prev link yields the third page.
	var l objectList
	h.get(strings.TrimPrefix(prevLinks[2], h.url), &l)
	if diff := cmp.Diff([]string{MessengerChannelAccountID}, ids(l, "id")); diff != "" {
		t.Errorf("prev page (-want +got):\n%s", diff)
	}
}

func TestListLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var l objectList
	h.get("/conversations/v3/conversations/channels?defaultPageLength=2", &l)
	if len(l.Results) != 2 || l.Paging == nil || l.Paging.Next == nil {
		t.Errorf("defaultPageLength=2: %d results, paging %+v", len(l.Results), l.Paging)
	}
	h.get("/conversations/v3/conversations/channels?defaultPageLength=2&limit=3", &l)
	if len(l.Results) != 3 {
		t.Errorf("limit overrides defaultPageLength: %d results", len(l.Results))
	}
	for _, q := range []string{"limit=0", "limit=-3", "limit=ten", "defaultPageLength=x", "sort=color", "after=%25%25", "after=bm90LWpzb24", "archived=maybe"} {
		h.call(http.MethodGet, "/conversations/v3/conversations/inboxes?"+q, "").wantParamError(t, strings.Split(q, "=")[0])
	}
	h.call(http.MethodGet, "/conversations/v3/conversations/channel-accounts?inboxId=abc", "").wantParamError(t, "inboxId")
	h.call(http.MethodGet, "/conversations/v3/conversations/inboxes?after=%zz", "").wantParamError(t, "query")
}

func TestGetSingleObjects(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const base = "/conversations/v3/conversations/"
	for _, tc := range []struct {
		path   string
		status int
		want   map[string]any
	}{
		{"inboxes/" + HelpDeskInboxID, 200, map[string]any{"id": HelpDeskInboxID, "name": "Customer support", "type": "HELP_DESK", "archived": false}},
		{"inboxes/" + InboxID, 200, map[string]any{"id": InboxID, "name": "Sales & general", "type": "INBOX", "archived": false}},
		{"inboxes/" + ArchivedInboxID, 404, nil},
		{"inboxes/" + ArchivedInboxID + "?archived=true", 200, map[string]any{"id": ArchivedInboxID, "archived": true}},
		{"inboxes/1", 404, nil},
		{"channels/1002", 200, map[string]any{"id": "1002", "name": "Email"}},
		{"channels/1003", 404, nil},
		{"channel-accounts/" + EmailChannelAccountID, 200, map[string]any{"id": EmailChannelAccountID, "name": "support@juniper-outdoor.example",
			"channelId": "1002", "inboxId": HelpDeskInboxID, "active": true, "authorized": true, "archived": false,
			"deliveryIdentifier": map[string]any{"type": "HS_EMAIL_ADDRESS", "value": "support@juniper-outdoor.example"}}},
		{"channel-accounts/" + ChatChannelAccountID, 200, map[string]any{"channelId": "1000",
			"deliveryIdentifier": map[string]any{"type": "CHANNEL_SPECIFIC_OPAQUE_ID", "value": "livechat-48151600-website"}}},
		{"channel-accounts/" + archivedChannelAccountID, 404, nil},
		{"channel-accounts/" + archivedChannelAccountID + "?archived=true", 200, map[string]any{"archived": true, "active": false}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			r := h.call(http.MethodGet, base+tc.path, "")
			if tc.status == http.StatusNotFound {
				e := r.wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
				if !strings.HasSuffix(e.Message, "not found") {
					t.Errorf("message = %q", e.Message)
				}
				return
			}
			r.want(t, tc.status)
			var got map[string]any
			r.decode(t, &got)
			for k, v := range tc.want {
				if diff := cmp.Diff(v, got[k]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", k, diff)
				}
			}
		})
	}
}
