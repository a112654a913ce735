package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// channelOutput is a channel: a kind of conversation such as live chat
// (1000), Facebook Messenger (1001) or email (1002).
type channelOutput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func newChannelOutput(ch hubspot.Channel) channelOutput {
	return channelOutput(ch)
}

// listChannelsInput holds list_channels' arguments.
type listChannelsInput struct {
	pageInput
	Sort []sortField `json:"sort,omitempty" jsonschema:"Such as name or -name"`
}

func listChannels(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[listChannelsInput, listOutput[channelOutput]]{
		name:        "list_channels",
		description: "List the channel types connected to the account, such as live chat (1000), Messenger (1001) and email (1002). " + pagingHint,
		title:       "List channels",
		scope:       scopeRead,
		action:      func(listChannelsInput) string { return "list channels" },
		run: func(ctx context.Context, svc *inbox.Service, in listChannelsInput) (listOutput[channelOutput], error) {
			page, err := svc.ListChannels(ctx, &hubspot.ListChannelsOptions{ListOptions: options(in.pageInput, in.Sort)})
			return newListOutput(page, err, newChannelOutput)
		},
	})
}

// getChannelInput holds get_channel's arguments.
type getChannelInput struct {
	ChannelID numericID `json:"channelId" jsonschema:"Such as 1002 (email), from list_channels"`
}

func getChannel(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[getChannelInput, channelOutput]{
		name:        "get_channel",
		description: "Get one channel type: its name, such as live chat or email.",
		title:       "Get channel",
		scope:       scopeRead,
		action:      func(in getChannelInput) string { return "get channel " + string(in.ChannelID) },
		notFound:    notFoundIn("channel", "list_channels", func(in getChannelInput) string { return string(in.ChannelID) }),
		run: func(ctx context.Context, svc *inbox.Service, in getChannelInput) (channelOutput, error) {
			ch, err := svc.GetChannel(ctx, string(in.ChannelID))
			return convert(ch, err, newChannelOutput)
		},
	})
}
