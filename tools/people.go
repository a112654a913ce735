package tools

import (
	"context"
	"strconv"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// People, not IDs: the tools that find a customer's threads and a
// colleague from what people call them. The look-ups are the service's
// (inbox.Service.SearchThreads, ListAgents); these tools only bind and
// render.

// scopeContacts and scopeOwners are the optional CRM scopes these tools
// fall back without; a 403 they cannot fall back from names the scope
// HubSpot asks for (conversations.read).
const (
	scopeContacts = hubspot.ScopeContactsRead
	scopeOwners   = hubspot.ScopeOwnersRead
)

// searchThreadsInput holds search_threads' arguments.
type searchThreadsInput struct {
	Customer     string       `json:"customer" jsonschema:"Email, or (part of) a name"`
	ThreadStatus threadStatus `json:"threadStatus,omitempty"`
	InboxID      numericID    `json:"inboxId,omitempty"`
	pageInput
}

// searchThreadsOutput is a page of a customer's threads.
type searchThreadsOutput struct {
	Results    []view.Thread `json:"results"`
	NextCursor string        `json:"nextCursor,omitempty"`
	// Contacts are the matched contacts no thread of the page names,
	// "Name <email> (contact 123)" (view.SearchContacts): each result
	// already names its customer and contactId.
	Contacts []string `json:"contacts,omitempty"`
	// Partial is set when a missing scope limited the search; the note
	// names the scope.
	Partial bool   `json:"partial,omitempty"`
	Note    string `json:"note,omitempty"`
}

func searchThreads(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[searchThreadsInput, searchThreadsOutput]{
		name: "search_threads",
		description: "A customer's threads, OPEN and CLOSED, newest first, as list_threads shows them, by email or name " +
			"(the first " + strconv.Itoa(inbox.MaxSearchContacts) + " matching contacts; says how many matched; contacts: those with no thread here). Without a CRM contact, or without scope " +
			scopeContacts + " (partial): only among the " + strconv.Itoa(inbox.ScanThreads) + " latest threads. " + pagingHint,
		title: "Search a customer's threads",
		scope: scopeRead,
		action: func(in searchThreadsInput) string {
			return "search the threads of " + hubspot.Quote(view.Line(in.Customer, 100))
		},
		run: func(ctx context.Context, svc *inbox.Service, in searchThreadsInput) (searchThreadsOutput, error) {
			r, err := svc.SearchThreads(ctx, inbox.ThreadSearch{Customer: in.Customer, Status: string(in.ThreadStatus),
				InboxID: string(in.InboxID), Limit: int(in.Limit), After: in.After})
			if err != nil {
				return searchThreadsOutput{}, err
			}
			return searchThreadsOutput{
				Results:    mapSlice(r.Threads, func(th hubspot.Thread) view.Thread { return view.NewThread(th, r.People, "") }),
				NextCursor: r.NextCursor, Contacts: view.SearchContacts(r), Partial: r.Partial(),
				Note: view.SearchNote(r, in.Customer),
			}, nil
		},
	})
}

// listAgentsInput holds list_agents' arguments.
type listAgentsInput struct {
	Query string `json:"query,omitempty" jsonschema:"Part of a name or email"`
}

// maxAgentsShown bounds list_agents' answer.
const maxAgentsShown = 100

// listAgentsOutput lists agents.
type listAgentsOutput struct {
	Agents []view.Person `json:"agents"`
	// Partial is set when a missing scope limited the list; the note
	// names the scope.
	Partial bool   `json:"partial,omitempty"`
	Note    string `json:"note,omitempty"`
}

func listAgents(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[listAgentsInput, listAgentsOutput]{
		name: "list_agents",
		description: "List agents (the team's HubSpot users): actor ID, name, email; query filters by name or email. " +
			"Without scope " + scopeOwners + ": only those seen in recent threads (partial).",
		title:  "List agents",
		scope:  scopeRead,
		action: func(listAgentsInput) string { return "list agents" },
		run: func(ctx context.Context, svc *inbox.Service, in listAgentsInput) (listAgentsOutput, error) {
			l, err := svc.ListAgents(ctx, in.Query)
			if err != nil {
				return listAgentsOutput{}, err
			}
			shown := l.Agents[:min(len(l.Agents), maxAgentsShown)]
			return listAgentsOutput{Agents: mapSlice(shown, view.Agent), Partial: l.Partial(),
				Note: view.AgentsNote(l, in.Query, len(shown), len(l.Agents))}, nil
		},
	})
}
