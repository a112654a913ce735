package tools

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

var (
	salesInbox = view.Inbox{ID: sandbox.InboxID, Name: "Sales & general", Type: "INBOX",
		CreatedAt: at("2025-03-18T04:00:00Z"), UpdatedAt: at("2026-10-10T06:00:00Z")}
	archivedInbox = view.Inbox{ID: sandbox.ArchivedInboxID, Name: "Holiday returns 2025", Type: "INBOX", Archived: true,
		ArchivedAt: at("2026-02-25T05:00:00Z"), CreatedAt: at("2025-10-14T02:00:00Z"), UpdatedAt: at("2026-02-25T05:00:00Z")}
)

func TestListInboxesTool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		args        string
		wantIDs     []string
		wantTotal   int
		wantCursor  bool
		wantRequest string
	}{
		{"defaults to pages of 20", `{}`, []string{sandbox.InboxID, sandbox.HelpDeskInboxID}, 2, false,
			"GET /conversations/v3/conversations/inboxes?limit=20"},
		{"archived lists only archived inboxes", `{"archived":true}`, []string{sandbox.ArchivedInboxID}, 1, false,
			"GET /conversations/v3/conversations/inboxes?archived=true&limit=20"},
		{"sort descending with a page of one", `{"sort":["-name"],"limit":1}`, []string{sandbox.InboxID}, 2, true,
			"GET /conversations/v3/conversations/inboxes?limit=1&sort=-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			var got listOutput[view.Inbox]
			e.ok(t, "list_inboxes", tt.args, &got)
			if diff := cmp.Diff(tt.wantIDs, mapSlice(got.Results, func(i view.Inbox) string { return i.ID })); diff != "" {
				t.Errorf("inbox IDs (-want +got):\n%s", diff)
			}
			if got.Total == nil || *got.Total != tt.wantTotal {
				t.Errorf("total = %v, want %d", got.Total, tt.wantTotal)
			}
			if (got.NextCursor != "") != tt.wantCursor {
				t.Errorf("nextCursor = %q, want one: %v", got.NextCursor, tt.wantCursor)
			}
			if diff := cmp.Diff([]string{tt.wantRequest}, e.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("nextCursor pages through every inbox", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var first, second listOutput[view.Inbox]
		e.ok(t, "list_inboxes", `{"limit":1}`, &first)
		e.ok(t, "list_inboxes", `{"limit":1,"after":"`+first.NextCursor+`"}`, &second)
		if len(first.Results) != 1 || len(second.Results) != 1 || first.Results[0].ID == second.Results[0].ID || second.NextCursor != "" {
			t.Errorf("pages %+v then %+v: want two different inboxes and no cursor after the last", first, second)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "list_inboxes", `{"limit":101}`, "Invalid arguments: limit must be from 1 to 100, got 101")
		e.fails(t, "list_inboxes", `{"limit":"five"}`, `limit must be a whole number, got the string "five"`)
		e.fails(t, "list_inboxes", `{"sort":{"name":1}}`, "sort[0] must be a string, got an object")
		e.fails(t, "list_inboxes", `{"archived":1}`, "archived must be true or false, got the number 1")
		if got := e.requests(); len(got) != 0 {
			t.Errorf("bad input reached HubSpot: %v", got)
		}
	})
}

func TestGetInboxTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name string
		args string
		want view.Inbox
	}{
		{"an inbox", `{"inboxId":"` + sandbox.InboxID + `"}`, salesInbox},
		{"an archived inbox with archived=true", `{"inboxId":"` + sandbox.ArchivedInboxID + `","archived":true}`, archivedInbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got view.Inbox
			e.ok(t, "get_inbox", tt.args, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("inbox (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("an archived inbox is not found without archived=true", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "get_inbox", `{"inboxId":"`+sandbox.ArchivedInboxID+`"}`, "Inbox 147959611 not found; list_inboxes finds valid inbox IDs")
	})
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "get_inbox", `{}`, "inboxId is required")
		e.fails(t, "get_inbox", `{"inboxId":-147959634}`, `inboxId must be a string ID such as "123", got the number -147959634`)
		e.fails(t, "get_inbox", `{"inboxId":"sales"}`, `inboxId must contain only digits, such as 1234567, got "sales"`)
		e.fails(t, "get_inbox", `{"inboxId":"147959634","archive":true}`,
			`Invalid arguments: "archive" is not a known parameter (did you mean archived?); allowed: inboxId, archived. Nothing was sent to HubSpot.`)
	})
}
