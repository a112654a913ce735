package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// channelAccountOutput is a channel account: one chat widget, email
// address or social page connected to an inbox.
type channelAccountOutput struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ChannelID  string `json:"channelId"`
	InboxID    string `json:"inboxId"`
	Active     bool   `json:"active"`
	Authorized bool   `json:"authorized"`
	Archived   bool   `json:"archived"`
	ArchivedAt string `json:"archivedAt,omitempty"`
	CreatedAt  string `json:"createdAt,omitempty"`
	// DeliveryIdentifier is the account's own address, when it has one.
	DeliveryIdentifier *deliveryIdentifier `json:"deliveryIdentifier,omitempty"`
}

func newChannelAccountOutput(ca hubspot.ChannelAccount) channelAccountOutput {
	return channelAccountOutput{
		ID: ca.ID, Name: ca.Name, ChannelID: ca.ChannelID, InboxID: ca.InboxID,
		Active: ca.Active, Authorized: ca.Authorized, Archived: ca.Archived,
		ArchivedAt: timestamp(ca.ArchivedAt), CreatedAt: timestamp(ca.CreatedAt),
		DeliveryIdentifier: newDeliveryIdentifier(ca.DeliveryIdentifier),
	}
}

// listChannelAccountsInput holds list_channel_accounts' arguments.
type listChannelAccountsInput struct {
	pageInput
	Sort      []sortField `json:"sort,omitempty" jsonschema:"Fields to sort by, e.g. name; '-' prefix for descending"`
	Archived  bool        `json:"archived,omitempty" jsonschema:"true lists only archived channel accounts"`
	ChannelID []numericID `json:"channelId,omitempty" jsonschema:"Only accounts of these channels (digits, e.g. 1002 for email), from list_channels"`
	InboxID   []numericID `json:"inboxId,omitempty" jsonschema:"Only accounts in these inboxes (digits), from list_inboxes"`
}

func listChannelAccounts(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[listChannelAccountsInput, listOutput[channelAccountOutput]]{
		name: "list_channel_accounts",
		description: "List channel accounts: the chat widgets, email addresses and social pages connected to inboxes, " +
			"with channel, inbox, address and state. " + pagingHint,
		hints:  readOnlyTool("List channel accounts"),
		scope:  scopeRead,
		action: func(listChannelAccountsInput) string { return "list channel accounts" },
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
	ChannelAccountID numericID `json:"channelAccountId" jsonschema:"The channel account ID (digits), from list_channel_accounts or a message's channelAccountId"`
	Archived         bool      `json:"archived,omitempty" jsonschema:"true to read an archived channel account"`
}

func getChannelAccount(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[getChannelAccountInput, channelAccountOutput]{
		name:        "get_channel_account",
		description: "Get one channel account by ID: its name, channel, inbox, address (deliveryIdentifier) and state.",
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
