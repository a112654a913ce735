package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// threadOutput is the trimmed view of a conversation thread.
type threadOutput struct {
	ID      string `json:"id"`
	InboxID string `json:"inboxId"`
	// Status is OPEN or CLOSED.
	Status string `json:"status"`
	// AssignedTo is the assigned agent (A-…); absent when unassigned.
	AssignedTo string `json:"assignedTo,omitempty"`
	// AssociatedContactID is the CRM contact, or a visitor ID while the
	// visitor is not a contact yet.
	AssociatedContactID            string `json:"associatedContactId,omitempty"`
	AssociatedTicketID             string `json:"associatedTicketId,omitempty"`
	Spam                           bool   `json:"spam"`
	Archived                       bool   `json:"archived"`
	CreatedAt                      string `json:"createdAt,omitempty"`
	ClosedAt                       string `json:"closedAt,omitempty"`
	LatestMessageTimestamp         string `json:"latestMessageTimestamp,omitempty"`
	LatestMessageSentTimestamp     string `json:"latestMessageSentTimestamp,omitempty"`
	LatestMessageReceivedTimestamp string `json:"latestMessageReceivedTimestamp,omitempty"`
	OriginalChannelID              string `json:"originalChannelId,omitempty"`
	OriginalChannelAccountID       string `json:"originalChannelAccountId,omitempty"`
}

func newThreadOutput(th hubspot.Thread) threadOutput {
	out := threadOutput{
		ID: th.ID, InboxID: th.InboxID, Status: th.Status, AssignedTo: th.AssignedTo,
		AssociatedContactID: th.AssociatedContactID, Spam: th.Spam, Archived: th.Archived,
		CreatedAt: timestamp(th.CreatedAt), ClosedAt: timestamp(th.ClosedAt),
		LatestMessageTimestamp:         timestamp(th.LatestMessageTimestamp),
		LatestMessageSentTimestamp:     timestamp(th.LatestMessageSentTimestamp),
		LatestMessageReceivedTimestamp: timestamp(th.LatestMessageReceivedTimestamp),
		OriginalChannelID:              th.OriginalChannelID,
		OriginalChannelAccountID:       th.OriginalChannelAccountID,
	}
	if th.ThreadAssociations != nil {
		out.AssociatedTicketID = th.ThreadAssociations.AssociatedTicketID
	}
	return out
}

// listThreadsInput holds list_threads' arguments.
type listThreadsInput struct {
	pageInput
	Sort                        []threadSort  `json:"sort,omitempty" jsonschema:"Sort key: id (default) or latestMessageTimestamp (needs latestMessageTimestampAfter). Results are ascending; a '-' prefix (descending) is allowed only with associatedContactId"`
	InboxID                     []numericID   `json:"inboxId,omitempty" jsonschema:"Only threads in these inboxes (digits), from list_inboxes; not with associatedContactId"`
	ThreadStatus                threadStatus  `json:"threadStatus,omitempty" jsonschema:"Only OPEN or only CLOSED threads; required with associatedContactId"`
	AssociatedContactID         numericID     `json:"associatedContactId,omitempty" jsonschema:"Only threads of this CRM contact (digits); needs threadStatus"`
	AssociatedTicketID          numericID     `json:"associatedTicketId,omitempty" jsonschema:"Only threads of this ticket (digits)"`
	Association                 []association `json:"association,omitempty" jsonschema:"[\"TICKET\"] adds each thread's associated ticket ID"`
	LatestMessageTimestampAfter dateTime      `json:"latestMessageTimestampAfter,omitempty" jsonschema:"Only threads whose latest message is at or after this RFC 3339 date-time, e.g. 2026-01-31T09:00:00Z"`
	Archived                    bool          `json:"archived,omitempty" jsonschema:"true lists only archived (trashed) threads"`
	Property                    string        `json:"property,omitempty" jsonschema:"A HubSpot thread property to include"`
}

func listThreads(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[listThreadsInput, listOutput[threadOutput]]{
		name: "list_threads",
		description: "List conversation threads (email, chat, Messenger): status, inbox, assignee, contact and latest-message times. " +
			"Thread IDs are digits; list_messages reads a thread's messages. " + pagingHint,
		hints:  readOnlyTool("List threads"),
		scope:  scopeRead,
		action: func(listThreadsInput) string { return "list threads" },
		run: func(ctx context.Context, c *hubspot.Client, in listThreadsInput) (listOutput[threadOutput], error) {
			opts := &hubspot.ListThreadsOptions{
				ListOptions: options(in.pageInput, in.Sort), InboxIDs: strs(in.InboxID), ThreadStatus: string(in.ThreadStatus),
				AssociatedContactID: string(in.AssociatedContactID), AssociatedTicketID: string(in.AssociatedTicketID),
				Archived: in.Archived, Association: strs(in.Association), Property: in.Property,
			}
			if in.LatestMessageTimestampAfter != "" {
				opts.LatestMessageTimestampAfter = parseDateTime(in.LatestMessageTimestampAfter)
			}
			page, err := c.ListThreads(ctx, opts)
			return newListOutput(page, err, newThreadOutput)
		},
	})
}

// threadIDInput holds the argument of tools that take only a thread.
type threadIDInput struct {
	ThreadID numericID `json:"threadId" jsonschema:"The thread ID (digits), from list_threads"`
}

func (in threadIDInput) threadID() string { return string(in.ThreadID) }

// getThreadInput holds get_thread's arguments.
type getThreadInput struct {
	threadIDInput
	Archived    bool          `json:"archived,omitempty" jsonschema:"true to read an archived (trashed) thread"`
	Association []association `json:"association,omitempty" jsonschema:"[\"TICKET\"] adds the associated ticket ID"`
	Property    string        `json:"property,omitempty" jsonschema:"A HubSpot thread property to include"`
}

func getThread(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[getThreadInput, threadOutput]{
		name: "get_thread",
		description: "Get one conversation thread by ID: status, inbox, assignee, contact, ticket (with association TICKET), " +
			"original channel and latest-message times.",
		hints:    readOnlyTool("Get thread"),
		scope:    scopeRead,
		action:   func(in getThreadInput) string { return "get thread " + string(in.ThreadID) },
		notFound: notFoundIn("thread", "list_threads", getThreadInput.threadID),
		run: func(ctx context.Context, c *hubspot.Client, in getThreadInput) (threadOutput, error) {
			th, err := c.GetThread(ctx, string(in.ThreadID), &hubspot.GetThreadOptions{Archived: in.Archived, Association: strs(in.Association), Property: in.Property})
			return convert(th, err, newThreadOutput)
		},
	})
}

// updateThreadInput holds update_thread's arguments.
type updateThreadInput struct {
	threadIDInput
	dryRunInput
	Status   threadStatus `json:"status,omitempty" jsonschema:"CLOSED closes the thread, OPEN reopens it"`
	Archived *bool        `json:"archived,omitempty" jsonschema:"Only false: restores an archived (trashed) thread. To archive, use archive_thread"`
}

func (in updateThreadInput) validate() error {
	switch {
	case in.Status == "" && in.Archived == nil:
		return argErr("status", "or archived is required: set status to OPEN or CLOSED, or archived to false to restore a trashed thread")
	case in.Status != "" && in.Archived != nil:
		return argErr("archived", "cannot be combined with status: restore the thread first, then change its status in a second call")
	case in.Archived != nil && *in.Archived:
		return argErr("archived", "can only be false (restore); to archive a thread use archive_thread")
	}
	return nil
}

func updateThread(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[updateThreadInput, threadOutput]{
		name: "update_thread",
		description: "Change a thread's status (OPEN or CLOSED), or restore an archived thread with archived=false. " +
			"Pass exactly one of status and archived. Returns the updated thread.",
		hints: writeTool("Update thread", false, true),
		scope: scopeWrite,
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
		run: func(ctx context.Context, c *hubspot.Client, in updateThreadInput) (threadOutput, error) {
			th, err := c.UpdateThread(ctx, string(in.ThreadID), hubspot.UpdateThreadRequest{Status: string(in.Status), Archived: in.Archived})
			return convert(th, err, newThreadOutput)
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

func archiveThread(p hubspot.Provider, cfg Config) server.ServerTool {
	return define(p, spec[threadWriteInput, archiveThreadOutput]{
		name: "archive_thread",
		description: "Archive a thread: move it to the trash. HubSpot deletes archived threads permanently after 30 days; " +
			"until then update_thread with archived=false restores it. To just close a conversation, use update_thread with status CLOSED instead.",
		hints:    writeTool("Archive thread", true, true),
		scope:    scopeWrite,
		action:   func(in threadWriteInput) string { return "archive thread " + string(in.ThreadID) },
		notFound: notFoundIn("thread", "list_threads", threadWriteInput.threadID),
		confirm: &confirmation[threadWriteInput]{
			policy:   cfg.ConfirmWrites,
			applies:  func(threadWriteInput) bool { return true },
			question: archiveQuestion,
		},
		run: func(ctx context.Context, c *hubspot.Client, in threadWriteInput) (archiveThreadOutput, error) {
			if err := c.ArchiveThread(ctx, string(in.ThreadID)); err != nil {
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
	ActorID agentID `json:"actorId" jsonschema:"The agent's actor ID, such as A-123"`
}

func assignThread(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[assignThreadInput, threadOutput]{
		name:        "assign_thread",
		description: "Assign a thread to an agent (actor ID A-…), replacing any current assignee. Returns the updated thread. To remove the assignee use unassign_thread.",
		hints:       writeTool("Assign thread", false, true),
		scope:       scopeWrite,
		action: func(in assignThreadInput) string {
			return "assign thread " + string(in.ThreadID) + " to " + string(in.ActorID)
		},
		notFound: func(in assignThreadInput) string {
			return "thread " + string(in.ThreadID) + " or agent " + string(in.ActorID) + " not found; list_threads finds thread IDs and get_actor checks an agent ID"
		},
		run: func(ctx context.Context, c *hubspot.Client, in assignThreadInput) (threadOutput, error) {
			th, err := c.AssignThread(ctx, string(in.ThreadID), string(in.ActorID))
			return convert(th, err, newThreadOutput)
		},
	})
}

// unassignThreadOutput reports a thread left without assignee.
type unassignThreadOutput struct {
	ThreadID   string `json:"threadId"`
	Unassigned bool   `json:"unassigned"`
}

func unassignThread(p hubspot.Provider, _ Config) server.ServerTool {
	return define(p, spec[threadWriteInput, unassignThreadOutput]{
		name:        "unassign_thread",
		description: "Remove a thread's assignee, leaving it unassigned.",
		hints:       writeTool("Unassign thread", false, true),
		scope:       scopeWrite,
		action:      func(in threadWriteInput) string { return "unassign thread " + string(in.ThreadID) },
		notFound:    notFoundIn("thread", "list_threads", threadWriteInput.threadID),
		run: func(ctx context.Context, c *hubspot.Client, in threadWriteInput) (unassignThreadOutput, error) {
			if err := c.UnassignThread(ctx, string(in.ThreadID)); err != nil {
				return unassignThreadOutput{}, err
			}
			return unassignThreadOutput{ThreadID: string(in.ThreadID), Unassigned: true}, nil
		},
	})
}
