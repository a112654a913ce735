package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
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

func listChannels(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[listChannelsInput, listOutput[channelOutput]]{
		name:        "list_channels",
		description: "List the channel types connected to the account, such as live chat (1000), Messenger (1001) and email (1002). " + pagingHint,
		hints:       readOnlyTool("List channels"),
		scope:       scopeRead,
		action:      func(listChannelsInput) string { return "list channels" },
		run: func(ctx context.Context, c *hubspot.Client, in listChannelsInput) (listOutput[channelOutput], error) {
			page, err := c.ListChannels(ctx, &hubspot.ListChannelsOptions{ListOptions: options(in.pageInput, in.Sort)})
			return newListOutput(page, err, newChannelOutput)
		},
	})
}

// getChannelInput holds get_channel's arguments.
type getChannelInput struct {
	ChannelID numericID `json:"channelId" jsonschema:"Such as 1002 (email), from list_channels"`
}

func getChannel(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[getChannelInput, channelOutput]{
		name:        "get_channel",
		description: "Get one channel type: its name, such as live chat or email.",
		hints:       readOnlyTool("Get channel"),
		scope:       scopeRead,
		action:      func(in getChannelInput) string { return "get channel " + string(in.ChannelID) },
		notFound:    notFoundIn("channel", "list_channels", func(in getChannelInput) string { return string(in.ChannelID) }),
		run: func(ctx context.Context, c *hubspot.Client, in getChannelInput) (channelOutput, error) {
			ch, err := c.GetChannel(ctx, string(in.ChannelID))
			return convert(ch, err, newChannelOutput)
		},
	})
}
