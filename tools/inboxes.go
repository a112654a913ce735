package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// inboxOutput is the trimmed view of an inbox.
type inboxOutput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Type is INBOX or HELP_DESK.
	Type       string    `json:"type"`
	Archived   bool      `json:"archived,omitempty"`
	ArchivedAt view.Time `json:"archivedAt,omitzero"`
	CreatedAt  view.Time `json:"createdAt,omitzero"`
	UpdatedAt  view.Time `json:"updatedAt,omitzero"`
}

func newInboxOutput(in hubspot.Inbox) inboxOutput {
	return inboxOutput{
		ID: in.ID, Name: view.Line(in.Name, 200), Type: view.Word(in.Type), Archived: in.Archived,
		ArchivedAt: view.At(in.ArchivedAt), CreatedAt: view.At(in.CreatedAt), UpdatedAt: view.At(in.UpdatedAt),
	}
}

// listInboxesInput holds list_inboxes' arguments.
type listInboxesInput struct {
	pageInput
	Sort     []sortField `json:"sort,omitempty" jsonschema:"Such as name or -name"`
	Archived bool        `json:"archived,omitempty"`
}

func listInboxes(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[listInboxesInput, listOutput[inboxOutput]]{
		name:        "list_inboxes",
		description: "List the account's conversation inboxes (ID, name, type INBOX or HELP_DESK). " + pagingHint,
		hints:       readOnlyTool("List inboxes"),
		scope:       scopeRead,
		action:      func(listInboxesInput) string { return "list inboxes" },
		run: func(ctx context.Context, c *hubspot.Client, in listInboxesInput) (listOutput[inboxOutput], error) {
			page, err := c.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: options(in.pageInput, in.Sort), Archived: in.Archived})
			return newListOutput(page, err, newInboxOutput)
		},
	})
}

// getInboxInput holds get_inbox's arguments.
type getInboxInput struct {
	InboxID  numericID `json:"inboxId"`
	Archived bool      `json:"archived,omitempty"`
}

func getInbox(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[getInboxInput, inboxOutput]{
		name:        "get_inbox",
		description: "Get one conversation inbox: name, type and timestamps.",
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
