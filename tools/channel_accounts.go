package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// channelAccountOutput is a channel account: one chat widget, email
// address or social page connected to an inbox.
type channelAccountOutput struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	ChannelID  string    `json:"channelId"`
	InboxID    string    `json:"inboxId"`
	Active     bool      `json:"active"`
	Authorized bool      `json:"authorized"`
	Archived   bool      `json:"archived,omitempty"`
	ArchivedAt view.Time `json:"archivedAt,omitzero"`
	CreatedAt  view.Time `json:"createdAt,omitzero"`
	// Address is the account's own email address or phone number; chat
	// widgets have none.
	Address string `json:"address,omitempty"`
}

func newChannelAccountOutput(ca hubspot.ChannelAccount) channelAccountOutput {
	out := channelAccountOutput{
		ID: ca.ID, Name: view.Line(ca.Name, 200), ChannelID: ca.ChannelID, InboxID: ca.InboxID,
		Active: ca.Active, Authorized: ca.Authorized, Archived: ca.Archived,
		ArchivedAt: view.At(ca.ArchivedAt), CreatedAt: view.At(ca.CreatedAt),
	}
	if d := ca.DeliveryIdentifier; d != nil && d.Type != hubspot.DeliveryChannelOpaque {
		out.Address = view.Line(d.Value, 200)
	}
	return out
}

// listChannelAccountsInput holds list_channel_accounts' arguments.
type listChannelAccountsInput struct {
	pageInput
	Sort      []sortField `json:"sort,omitempty" jsonschema:"Such as name or -name"`
	Archived  bool        `json:"archived,omitempty"`
	ChannelID []numericID `json:"channelId,omitempty" jsonschema:"Only these channels, e.g. 1002 (email)"`
	InboxID   []numericID `json:"inboxId,omitempty" jsonschema:"Only these inboxes"`
}

func listChannelAccounts(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[listChannelAccountsInput, listOutput[channelAccountOutput]]{
		name:        "list_channel_accounts",
		description: "List channel accounts: the chat widgets, email addresses and social pages connected to inboxes. " + pagingHint,
		hints:       readOnlyTool("List channel accounts"),
		scope:       scopeRead,
		action:      func(listChannelAccountsInput) string { return "list channel accounts" },
		run: func(ctx context.Context, c *hubspot.Client, in listChannelAccountsInput) (listOutput[channelAccountOutput], error) {
			page, err := c.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{
				ListOptions: options(in.pageInput, in.Sort), ChannelIDs: strs(in.ChannelID), InboxIDs: strs(in.InboxID), Archived: in.Archived,
			})
			return newListOutput(page, err, newChannelAccountOutput)
		},
	})
}

// getChannelAccountInput holds get_channel_account's arguments.
type getChannelAccountInput struct {
	ChannelAccountID numericID `json:"channelAccountId"`
	Archived         bool      `json:"archived,omitempty"`
}

func getChannelAccount(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[getChannelAccountInput, channelAccountOutput]{
		name:        "get_channel_account",
		description: "Get one channel account: name, channel, inbox, address and state.",
		hints:       readOnlyTool("Get channel account"),
		scope:       scopeRead,
		action:      func(in getChannelAccountInput) string { return "get channel account " + string(in.ChannelAccountID) },
		notFound: notFoundIn("channel account", "list_channel_accounts",
			func(in getChannelAccountInput) string { return string(in.ChannelAccountID) }),
		run: func(ctx context.Context, c *hubspot.Client, in getChannelAccountInput) (channelAccountOutput, error) {
			ca, err := c.GetChannelAccount(ctx, string(in.ChannelAccountID), in.Archived)
			return convert(ca, err, newChannelAccountOutput)
		},
	})
}
