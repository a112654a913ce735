package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// listChannelAccountsInput holds list_channel_accounts' arguments.
type listChannelAccountsInput struct {
	pageInput
	Sort      []sortField `json:"sort,omitempty" jsonschema:"Such as name or -name"`
	Archived  bool        `json:"archived,omitempty"`
	ChannelID []numericID `json:"channelId,omitempty" jsonschema:"Only these channels, e.g. 1002 (email)"`
	InboxID   []numericID `json:"inboxId,omitempty" jsonschema:"Only these inboxes"`
}

func listChannelAccounts(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[listChannelAccountsInput, listOutput[view.ChannelAccount]]{
		name:        "list_channel_accounts",
		description: "List channel accounts: the chat widgets, email addresses and social pages connected to inboxes. " + pagingHint,
		title:       "List channel accounts",
		scope:       scopeRead,
		action:      func(listChannelAccountsInput) string { return "list channel accounts" },
		run: func(ctx context.Context, svc *inbox.Service, in listChannelAccountsInput) (listOutput[view.ChannelAccount], error) {
			page, err := svc.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{
				ListOptions: options(in.pageInput, in.Sort), ChannelIDs: strs(in.ChannelID), InboxIDs: strs(in.InboxID), Archived: in.Archived,
			})
			return newListOutput(page, err, view.NewChannelAccount)
		},
	})
}

// getChannelAccountInput holds get_channel_account's arguments.
type getChannelAccountInput struct {
	ChannelAccountID numericID `json:"channelAccountId"`
	Archived         bool      `json:"archived,omitempty"`
}

func getChannelAccount(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[getChannelAccountInput, view.ChannelAccount]{
		name:        "get_channel_account",
		description: "Get one channel account: name, channel, inbox, address and state.",
		title:       "Get channel account",
		scope:       scopeRead,
		action:      func(in getChannelAccountInput) string { return "get channel account " + string(in.ChannelAccountID) },
		notFound: notFoundIn("channel account", "list_channel_accounts",
			func(in getChannelAccountInput) string { return string(in.ChannelAccountID) }),
		run: func(ctx context.Context, svc *inbox.Service, in getChannelAccountInput) (view.ChannelAccount, error) {
			ca, err := svc.GetChannelAccount(ctx, string(in.ChannelAccountID), in.Archived)
			return convert(ca, err, view.NewChannelAccount)
		},
	})
}
