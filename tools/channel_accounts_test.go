package tools

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

var salesEmailAccount = view.ChannelAccount{
	ID: sandbox.SalesEmailChannelAccountID, Name: "sales@juniper-outdoor.example", ChannelID: sandbox.EmailChannelID, InboxID: sandbox.InboxID,
	Active: true, Authorized: true, CreatedAt: at("2025-03-19T01:00:00Z"), Address: "sales@juniper-outdoor.example",
}

func TestListChannelAccountsTool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		args        string
		wantIDs     []string
		wantRequest string
	}{
		{"all", `{}`, []string{sandbox.ChatChannelAccountID, sandbox.EmailChannelAccountID, sandbox.MessengerChannelAccountID, sandbox.SalesEmailChannelAccountID},
			"GET /conversations/v3/conversations/channel-accounts?limit=20"},
		{"by channel", `{"channelId":["` + sandbox.EmailChannelID + `"]}`, []string{sandbox.EmailChannelAccountID, sandbox.SalesEmailChannelAccountID},
			"GET /conversations/v3/conversations/channel-accounts?channelId=1002&limit=20"},
		{"by inbox", `{"inboxId":["` + sandbox.InboxID + `"]}`, []string{sandbox.SalesEmailChannelAccountID},
			"GET /conversations/v3/conversations/channel-accounts?inboxId=147959634&limit=20"},
		{"by channels and inboxes, sorted", `{"channelId":["1000","1002"],"inboxId":["` + sandbox.HelpDeskInboxID + `"],"sort":["-name"]}`,
			[]string{sandbox.EmailChannelAccountID, sandbox.ChatChannelAccountID},
			"GET /conversations/v3/conversations/channel-accounts?channelId=1000&channelId=1002&inboxId=147959640&limit=20&sort=-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			var got listOutput[view.ChannelAccount]
			e.ok(t, "list_channel_accounts", tt.args, &got)
			if diff := cmp.Diff(tt.wantIDs, mapSlice(got.Results, func(c view.ChannelAccount) string { return c.ID })); diff != "" {
				t.Errorf("IDs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{tt.wantRequest}, e.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "list_channel_accounts", `{"channelId":{"id":"1002"}}`, `channelId[0] must be a string ID such as "123", got an object`)
		e.fails(t, "list_channel_accounts", `{"inboxId":["x"]}`, `inboxId[0] must contain only digits`)
		e.fails(t, "list_channel_accounts", `{"limit":1000}`, "limit must be from 1 to 100, got 1000")
	})
}

func TestGetChannelAccountTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got view.ChannelAccount
	e.ok(t, "get_channel_account", `{"channelAccountId":"`+sandbox.SalesEmailChannelAccountID+`"}`, &got)
	if diff := cmp.Diff(salesEmailAccount, got); diff != "" {
		t.Errorf("channel account (-want +got):\n%s", diff)
	}
	e.fails(t, "get_channel_account", `{"channelAccountId":"240000104","archived":"no"}`, `archived must be true or false, got the string "no"`)
	e.fails(t, "get_channel_account", `{"channelAccountId":"-1"}`, `channelAccountId must contain only digits`)
}
