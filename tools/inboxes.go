package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// listInboxesInput holds list_inboxes' arguments.
type listInboxesInput struct {
	pageInput
	Sort     []sortField `json:"sort,omitempty" jsonschema:"Such as name or -name"`
	Archived bool        `json:"archived,omitempty"`
}

func listInboxes(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[listInboxesInput, listOutput[view.Inbox]]{
		name:        "list_inboxes",
		description: "List the account's conversation inboxes (ID, name, type INBOX or HELP_DESK). " + pagingHint,
		title:       "List inboxes",
		scope:       scopeRead,
		action:      func(listInboxesInput) string { return "list inboxes" },
		run: func(ctx context.Context, svc *inbox.Service, in listInboxesInput) (listOutput[view.Inbox], error) {
			page, err := svc.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: options(in.pageInput, in.Sort), Archived: in.Archived})
			return newListOutput(page, err, view.NewInbox)
		},
	})
}

// getInboxInput holds get_inbox's arguments.
type getInboxInput struct {
	InboxID  numericID `json:"inboxId"`
	Archived bool      `json:"archived,omitempty"`
}

func getInbox(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[getInboxInput, view.Inbox]{
		name:        "get_inbox",
		description: "Get one conversation inbox: name, type and timestamps.",
		title:       "Get inbox",
		scope:       scopeRead,
		action:      func(in getInboxInput) string { return "get inbox " + string(in.InboxID) },
		notFound:    notFoundIn("inbox", "list_inboxes", func(in getInboxInput) string { return string(in.InboxID) }),
		run: func(ctx context.Context, svc *inbox.Service, in getInboxInput) (view.Inbox, error) {
			inbox, err := svc.GetInbox(ctx, string(in.InboxID), in.Archived)
			return convert(inbox, err, view.NewInbox)
		},
	})
}
