package tools

import (
	"context"
	"strconv"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// listThreadsInput holds list_threads' arguments.
type listThreadsInput struct {
	pageInput
	Sort                        []threadSort  `json:"sort,omitempty" jsonschema:"-latestMessageTimestamp: newest first; -id needs associatedContactId"`
	InboxID                     []numericID   `json:"inboxId,omitempty" jsonschema:"Not with associatedContactId"`
	ThreadStatus                threadStatus  `json:"threadStatus,omitempty" jsonschema:"Required with associatedContactId"`
	AssociatedContactID         numericID     `json:"associatedContactId,omitempty"`
	AssociatedTicketID          numericID     `json:"associatedTicketId,omitempty"`
	Association                 []association `json:"association,omitempty" jsonschema:"TICKET adds ticketId"`
	LatestMessageTimestampAfter dateTime      `json:"latestMessageTimestampAfter,omitempty" jsonschema:"Only threads active since"`
	Archived                    bool          `json:"archived,omitempty" jsonschema:"Only archived (trashed) ones"`
	Property                    string        `json:"property,omitempty" jsonschema:"HubSpot property to return"`
}

func listThreads(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[listThreadsInput, listOutput[view.Thread]]{
		name: "list_threads",
		description: "List conversation threads: status, customer (name, email), assignee, channel, latest-message times. " +
			"sort -latestMessageTimestamp: most recently active first (HubSpot cannot; the server finds them in 1-" + strconv.Itoa(inbox.NewestMaxCalls) +
			" calls). A customer's threads: search_threads. " + pagingHint,
		title:  "List threads",
		scope:  scopeRead,
		action: func(listThreadsInput) string { return "list threads" },
		run: func(ctx context.Context, svc *inbox.Service, in listThreadsInput) (listOutput[view.Thread], error) {
			opts := &hubspot.ListThreadsOptions{
				ListOptions: options(in.pageInput, in.Sort), InboxIDs: strs(in.InboxID), ThreadStatus: string(in.ThreadStatus),
				AssociatedContactID: string(in.AssociatedContactID), AssociatedTicketID: string(in.AssociatedTicketID),
				Archived: in.Archived, Association: strs(in.Association), Property: in.Property,
			}
			if in.LatestMessageTimestampAfter != "" {
				opts.LatestMessageTimestampAfter = parseDateTime(in.LatestMessageTimestampAfter)
			}
			page, err := svc.ListThreads(ctx, opts)
			if err != nil {
				return listOutput[view.Thread]{}, err
			}
			people := svc.People(ctx, view.ThreadActors(page.Results))
			return newListOutput(page, nil, func(th hubspot.Thread) view.Thread { return view.NewThread(th, people, in.Property) })
		},
	})
}

// threadIDInput holds the argument of tools that take only a thread.
type threadIDInput struct {
	ThreadID numericID `json:"threadId"`
}

func (in threadIDInput) threadID() string { return string(in.ThreadID) }

// getThreadInput holds get_thread's arguments.
type getThreadInput struct {
	threadIDInput
	Archived    bool          `json:"archived,omitempty"`
	Association []association `json:"association,omitempty" jsonschema:"TICKET adds ticketId"`
	Property    string        `json:"property,omitempty" jsonschema:"HubSpot property to return"`
}

func getThread(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[getThreadInput, view.Thread]{
		name:        "get_thread",
		description: "Get one conversation thread, as list_threads shows it.",
		title:       "Get thread",
		scope:       scopeRead,
		action:      func(in getThreadInput) string { return "get thread " + string(in.ThreadID) },
		notFound:    notFoundIn("thread", "list_threads", getThreadInput.threadID),
		run: func(ctx context.Context, svc *inbox.Service, in getThreadInput) (view.Thread, error) {
			th, err := svc.GetThread(ctx, string(in.ThreadID), &hubspot.GetThreadOptions{Archived: in.Archived, Association: strs(in.Association), Property: in.Property})
			return threadView(ctx, svc, th, err, in.Property)
		},
	})
}

// updateThreadInput holds update_thread's arguments.
type updateThreadInput struct {
	threadIDInput
	dryRunInput
	Status   threadStatus `json:"status,omitempty"`
	Archived *bool        `json:"archived,omitempty" jsonschema:"Only false: restores an archived thread"`
}

func updateThread(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[updateThreadInput, view.Thread]{
		name:        "update_thread",
		description: "Set a thread's status to OPEN or CLOSED, or restore an archived thread with archived false (one or the other). Returns the thread.",
		title:       "Update thread",
		scope:       scopeWrite,
		action: func(in updateThreadInput) string {
			if in.Archived != nil {
				return "restore thread " + string(in.ThreadID)
			}
			return "set thread " + string(in.ThreadID) + " to " + string(in.Status)
		},
		notFound: func(in updateThreadInput) string {
			if in.Archived != nil {
				return "archived thread " + string(in.ThreadID) + " not found; list_threads with archived=true finds archived thread IDs"
			}
			return "thread " + string(in.ThreadID) + " not found; list_threads finds valid thread IDs (archived threads must be restored first)"
		},
		run: func(ctx context.Context, svc *inbox.Service, in updateThreadInput) (view.Thread, error) {
			th, err := svc.UpdateThread(ctx, string(in.ThreadID), hubspot.UpdateThreadRequest{Status: string(in.Status), Archived: in.Archived})
			return threadView(ctx, svc, th, err, "")
		},
	})
}

// threadWriteInput holds the arguments of writes that take only a thread.
type threadWriteInput struct {
	threadIDInput
	dryRunInput
}

// archiveThreadOutput reports an archived thread.
type archiveThreadOutput struct {
	ThreadID string `json:"threadId"`
	Archived bool   `json:"archived"`
	Note     string `json:"note"`
}

// archiveThreadInput holds archive_thread's arguments.
type archiveThreadInput struct {
	threadIDInput
	dryRunInput
	confirmInput
}

func archiveThread(svc *inbox.Service, cfg Config) server.ServerTool {
	return define(svc, spec[archiveThreadInput, archiveThreadOutput]{
		name: "archive_thread",
		description: "Move a thread to the trash; HubSpot deletes it for good after 30 days unless update_thread restores it. " +
			"To just close a conversation, use update_thread with status CLOSED.",
		title:    "Archive thread",
		scope:    scopeWrite,
		action:   func(in archiveThreadInput) string { return "archive thread " + string(in.ThreadID) },
		notFound: notFoundIn("thread", "list_threads", archiveThreadInput.threadID),
		confirm: &confirmation[archiveThreadInput]{
			mode:     cfg.ConfirmWrites,
			applies:  func(archiveThreadInput) bool { return true },
			token:    archiveThreadInput.confirmationToken,
			question: archiveQuestion,
			notDone:  func(in archiveThreadInput) string { return "Thread " + string(in.ThreadID) + " was not archived" },
		},
		run: func(ctx context.Context, svc *inbox.Service, in archiveThreadInput) (archiveThreadOutput, error) {
			if err := svc.ArchiveThread(ctx, string(in.ThreadID)); err != nil {
				return archiveThreadOutput{}, err
			}
			return archiveThreadOutput{ThreadID: string(in.ThreadID), Archived: true,
				Note: "Moved to the trash; deleted permanently after 30 days unless restored with update_thread archived=false."}, nil
		},
	})
}

// assignThreadInput holds assign_thread's arguments.
type assignThreadInput struct {
	threadIDInput
	dryRunInput
	ActorID agentRef `json:"actorId" jsonschema:"Agent: A-123, email or name"`
}

func assignThread(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[assignThreadInput, view.Thread]{
		name:        "assign_thread",
		description: "Assign a thread to an agent, replacing any current assignee; a name must match one agent (list_agents). To remove the assignee use unassign_thread.",
		title:       "Assign thread",
		scope:       scopeWrite,
		action: func(in assignThreadInput) string {
			return "assign thread " + string(in.ThreadID) + " to " + string(in.ActorID)
		},
		notFound: func(in assignThreadInput) string {
			return "thread " + string(in.ThreadID) + " or agent " + string(in.ActorID) + " not found; list_threads finds thread IDs and list_agents agents"
		},
		run: func(ctx context.Context, svc *inbox.Service, in assignThreadInput) (view.Thread, error) {
			th, err := svc.AssignThread(ctx, string(in.ThreadID), string(in.ActorID))
			return threadView(ctx, svc, th, err, "")
		},
	})
}

// unassignThreadOutput reports a thread left without assignee.
type unassignThreadOutput struct {
	ThreadID   string `json:"threadId"`
	Unassigned bool   `json:"unassigned"`
}

func unassignThread(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[threadWriteInput, unassignThreadOutput]{
		name:        "unassign_thread",
		description: "Remove a thread's assignee, leaving it unassigned.",
		title:       "Unassign thread",
		scope:       scopeWrite,
		action:      func(in threadWriteInput) string { return "unassign thread " + string(in.ThreadID) },
		notFound:    notFoundIn("thread", "list_threads", threadWriteInput.threadID),
		run: func(ctx context.Context, svc *inbox.Service, in threadWriteInput) (unassignThreadOutput, error) {
			if err := svc.UnassignThread(ctx, string(in.ThreadID)); err != nil {
				return unassignThreadOutput{}, err
			}
			return unassignThreadOutput{ThreadID: string(in.ThreadID), Unassigned: true}, nil
		},
	})
}

// threadView names the customer and assignee of th, passing err through.
func threadView(ctx context.Context, svc *inbox.Service, th *hubspot.Thread, err error, property string) (view.Thread, error) {
	if err != nil {
		return view.Thread{}, err
	}
	people := svc.People(ctx, view.ThreadActors([]hubspot.Thread{*th}))
	return view.NewThread(*th, people, property), nil
}
