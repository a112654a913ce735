package tools

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestListChannelsTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got listOutput[channelOutput]
	e.ok(t, "list_channels", `{"sort":["id"]}`, &got)
	three := 3
	want := listOutput[channelOutput]{Results: []channelOutput{
		{ID: sandbox.LiveChatChannelID, Name: "Live chat"}, {ID: sandbox.MessengerChannelID, Name: "Facebook Messenger"}, {ID: sandbox.EmailChannelID, Name: "Email"},
	}, Total: &three}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"GET /conversations/v3/conversations/channels?limit=20&sort=id"}, e.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	e.fails(t, "list_channels", `{"sort":["name;drop"]}`, `sort[0] must be a field name such as name or id`)
	e.fails(t, "list_channels", `{"limit":0}`, "limit must be from 1 to 100, got 0")
}

func TestGetChannelTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got channelOutput
	e.ok(t, "get_channel", `{"channelId":"1000"}`, &got)
	if diff := cmp.Diff(channelOutput{ID: "1000", Name: "Live chat"}, got); diff != "" {
		t.Errorf("channel (-want +got):\n%s", diff)
	}
	e.fails(t, "get_channel", `{}`, "channelId is required")
	e.ok(t, "get_channel", `{"channelId":1000}`, &got) // a number is read as the ID it spells
	e.fails(t, "get_channel", `{"channelId":"email"}`, `channelId must contain only digits`)
}
