package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// inboxOutput is the trimmed view of an inbox.
type inboxOutput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Type is INBOX or HELP_DESK.
	Type       string `json:"type"`
	Archived   bool   `json:"archived"`
	ArchivedAt string `json:"archivedAt,omitempty"`
	CreatedAt  string `json:"createdAt,omitempty"`
	UpdatedAt  string `json:"updatedAt,omitempty"`
}

func newInboxOutput(in hubspot.Inbox) inboxOutput {
	return inboxOutput{
		ID: in.ID, Name: in.Name, Type: in.Type, Archived: in.Archived,
		ArchivedAt: timestamp(in.ArchivedAt), CreatedAt: timestamp(in.CreatedAt), UpdatedAt: timestamp(in.UpdatedAt),
	}
}

// listInboxesInput holds list_inboxes' arguments.
type listInboxesInput struct {
	pageInput
	Sort     []sortField `json:"sort,omitempty" jsonschema:"Fields to sort by, e.g. name; '-' prefix for descending"`
	Archived bool        `json:"archived,omitempty" jsonschema:"true lists only archived inboxes"`
}

func listInboxes(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[listInboxesInput, listOutput[inboxOutput]]{
		name: "list_inboxes",
		description: "List the account's conversation inboxes (ID, name, type INBOX or HELP_DESK). " +
			"Inbox IDs are digits. " + pagingHint,
		hints:  readOnlyTool("List inboxes"),
		scope:  scopeRead,
		action: func(listInboxesInput) string { return "list inboxes" },
		run: func(ctx context.Context, c *hubspot.Client, in listInboxesInput) (listOutput[inboxOutput], error) {
			page, err := c.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: options(in.pageInput, in.Sort), Archived: in.Archived})
			return newListOutput(page, err, newInboxOutput)
		},
	})
}

// getInboxInput holds get_inbox's arguments.
type getInboxInput struct {
	InboxID  numericID `json:"inboxId" jsonschema:"The inbox ID (digits), from list_inboxes"`
	Archived bool      `json:"archived,omitempty" jsonschema:"true to read an archived inbox"`
}

func getInbox(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[getInboxInput, inboxOutput]{
		name:        "get_inbox",
		description: "Get one conversation inbox by ID: name, type (INBOX or HELP_DESK), archived state and timestamps.",
		hints:       readOnlyTool("Get inbox"),
		scope:       scopeRead,
		action:      func(in getInboxInput) string { return "get inbox " + string(in.InboxID) },
		notFound:    notFoundIn("inbox", "list_inboxes", func(in getInboxInput) string { return string(in.InboxID) }),
		run: func(ctx context.Context, c *hubspot.Client, in getInboxInput) (inboxOutput, error) {
			inbox, err := c.GetInbox(ctx, string(in.InboxID), in.Archived)
			return convert(inbox, err, newInboxOutput)
		},
	})
}
