package hubspot

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Thread statuses.
const (
	StatusOpen   = "OPEN"
	StatusClosed = "CLOSED"
)

// Thread is a conversation thread (HubSpot's PublicThread).
type Thread struct {
	ID      string `json:"id"`
	InboxID string `json:"inboxId"`
	// Status is OPEN or CLOSED.
	Status   string `json:"status"`
	Spam     bool   `json:"spam"`
	Archived bool   `json:"archived"`
	// AssociatedContactID is the CRM contact, or a visitor ID when the
	// visitor is not a contact yet.
	AssociatedContactID string `json:"associatedContactId"`
	// AssignedTo is the assignee's actor ID (A-…), empty when unassigned.
	AssignedTo                     string `json:"assignedTo,omitempty"`
	CreatedAt                      Time   `json:"createdAt"`
	ClosedAt                       Time   `json:"closedAt"`
	LatestMessageTimestamp         Time   `json:"latestMessageTimestamp"`
	LatestMessageSentTimestamp     Time   `json:"latestMessageSentTimestamp"`
	LatestMessageReceivedTimestamp Time   `json:"latestMessageReceivedTimestamp"`
	OriginalChannelID              string `json:"originalChannelId"`
	OriginalChannelAccountID       string `json:"originalChannelAccountId"`
	// ThreadAssociations is set when associations were requested and exist.
	ThreadAssociations *ThreadAssociations `json:"threadAssociations,omitempty"`
	// Extra holds the fields Thread does not declare, when a property was
	// asked for: what HubSpot returns for it.
	Extra Extra `json:"-"`
}

// CustomerActorID returns the visitor actor of the thread's customer,
// V-<associatedContactId>, whose name and email BatchGetActors tells; ""
// when the thread has no well-formed contact ID.
func (th *Thread) CustomerActorID() string {
	if th.AssociatedContactID == "" || ValidateNumericID("associatedContactId", th.AssociatedContactID) != nil {
		return ""
	}
	return VisitorActorID(th.AssociatedContactID)
}

// ThreadAssociations holds the objects a thread is associated with.
type ThreadAssociations struct {
	AssociatedTicketID string `json:"associatedTicketId,omitempty"`
}

// Thread sort keys HubSpot accepts.
const (
	SortByID                     = "id"
	SortByLatestMessageTimestamp = "latestMessageTimestamp"
)

// ListThreadsOptions are the query parameters of ListThreads.
//
// HubSpot's rules, checked before any request: AssociatedContactID needs
// ThreadStatus and excludes InboxIDs; sorting by latestMessageTimestamp needs
// LatestMessageTimestampAfter; descending sorts ("-id") need
// AssociatedContactID.
type ListThreadsOptions struct {
	ListOptions
	// InboxIDs filters by inbox; the parameter repeats.
	InboxIDs []string
	// ThreadStatus is OPEN or CLOSED; empty means both.
	ThreadStatus string
	// AssociatedContactID lists the threads of one contact.
	AssociatedContactID string
	// AssociatedTicketID lists the threads of one ticket.
	AssociatedTicketID string
	// LatestMessageTimestampAfter keeps threads whose latest message is at
	// or after this time.
	LatestMessageTimestampAfter time.Time
	// Archived lists only archived threads.
	Archived bool
	// Association asks for associations to be included ("TICKET").
	Association []string
	// Property is HubSpot's property parameter.
	Property string
}

func (o *ListThreadsOptions) validate() error {
	if o == nil {
		return nil
	}
	if err := ValidateNumericIDs("inboxId", o.InboxIDs); err != nil {
		return err
	}
	if err := validateEnum("threadStatus", o.ThreadStatus, StatusOpen, StatusClosed); err != nil {
		return err
	}
	if o.AssociatedContactID != "" {
		if err := ValidateNumericID("associatedContactId", o.AssociatedContactID); err != nil {
			return err
		}
		if o.ThreadStatus == "" {
			return &ArgumentError{Name: "threadStatus", Reason: "is required with associatedContactId; use OPEN or CLOSED"}
		}
		if len(o.InboxIDs) > 0 {
			return &ArgumentError{Name: "associatedContactId", Reason: "cannot be combined with inboxId; HubSpot lists a contact's threads across all inboxes"}
		}
	}
	if o.AssociatedTicketID != "" {
		if err := ValidateNumericID("associatedTicketId", o.AssociatedTicketID); err != nil {
			return err
		}
	}
	for _, a := range o.Association {
		if err := validateEnum("association", a, "TICKET"); err != nil {
			return err
		}
	}
	for _, s := range o.Sort {
		key := strings.TrimPrefix(s, "-")
		if key != SortByID && key != SortByLatestMessageTimestamp {
			return &ArgumentError{Name: "sort", Reason: "must be id or latestMessageTimestamp, got " + Quote(s)}
		}
		if key != s && o.AssociatedContactID == "" {
			return &ArgumentError{Name: "sort", Reason: "must not start with '-' unless associatedContactId is set; HubSpot sorts other thread lists in ascending order, got " + Quote(s)}
		}
		if key == SortByLatestMessageTimestamp && o.LatestMessageTimestampAfter.IsZero() {
			return &ArgumentError{Name: "latestMessageTimestampAfter", Reason: "is required when sorting by latestMessageTimestamp"}
		}
	}
	return nil
}

func (o *ListThreadsOptions) property() string {
	if o == nil {
		return ""
	}
	return o.Property
}

func (o *ListThreadsOptions) values() url.Values {
	if o == nil {
		return nil
	}
	v := o.ListOptions.values()
	for _, id := range o.InboxIDs {
		v.Add("inboxId", id)
	}
	if o.ThreadStatus != "" {
		v.Set("threadStatus", o.ThreadStatus)
	}
	if o.AssociatedContactID != "" {
		v.Set("associatedContactId", o.AssociatedContactID)
	}
	if o.AssociatedTicketID != "" {
		v.Set("associatedTicketId", o.AssociatedTicketID)
	}
	if !o.LatestMessageTimestampAfter.IsZero() {
		v.Set("latestMessageTimestampAfter", o.LatestMessageTimestampAfter.UTC().Format(time.RFC3339Nano))
	}
	setBool(v, "archived", o.Archived)
	for _, a := range o.Association {
		v.Add("association", a)
	}
	if o.Property != "" {
		v.Set("property", o.Property)
	}
	return v
}

// ListThreads lists conversation threads. Results come in ascending order
// of the sort key; HubSpot reports no total.
//
// HubSpot API: GET /conversations/v3/conversations/threads
func (c *Client) ListThreads(ctx context.Context, opts *ListThreadsOptions) (*Page[Thread], error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	var p Page[Thread]
	writes := c.writes.Load()
	if err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/threads", query: opts.values()}, pageInto(&p, opts.property())); err != nil {
		return nil, err
	}
	if c.writes.Load() == writes { // a write while listing may have changed them
		if opts == nil {
			opts = &ListThreadsOptions{}
		}
		c.noteListed(threadQuery(opts.Association, opts.Archived, opts.Property), p.Results)
	}
	return &p, nil
}

// threadQuery is GetThread's query for these options, and the part of
// ListThreads' query that shapes each thread.
func threadQuery(association []string, archived bool, property string) url.Values {
	q := url.Values{}
	for _, a := range association {
		q.Add("association", a)
	}
	setBool(q, "archived", archived)
	if property != "" {
		q.Set("property", property)
	}
	return q
}

// GetThreadOptions are the query parameters of GetThread.
type GetThreadOptions struct {
	// Archived reads an archived thread.
	Archived bool
	// Association asks for associations to be included ("TICKET").
	Association []string
	// Property is HubSpot's property parameter.
	Property string
}

// GetThread gets one thread.
//
// HubSpot API: GET /conversations/v3/conversations/threads/{threadId}
func (c *Client) GetThread(ctx context.Context, threadID string, opts *GetThreadOptions) (*Thread, error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return nil, err
	}
	q := url.Values{}
	if opts != nil {
		for _, a := range opts.Association {
			if err := validateEnum("association", a, "TICKET"); err != nil {
				return nil, err
			}
		}
		q = threadQuery(opts.Association, opts.Archived, opts.Property)
	}
	if th, ok := c.listedThread(ctx, threadID, q); ok {
		return &th, nil
	}
	var th Thread
	if err := c.call(ctx, request{method: "GET", path: threadPath(threadID), query: q}, into(&th, q.Get("property"))); err != nil {
		return nil, err
	}
	return &th, nil
}

// UpdateThreadRequest is the body of UpdateThread: set Status, or set
// Archived to false to restore an archived thread. HubSpot cannot change
// the status of an archived thread.
type UpdateThreadRequest struct {
	Status   string `json:"status,omitempty"`
	Archived *bool  `json:"archived,omitempty"`
}

// UpdateThread changes a thread's status or restores an archived thread.
// Restoring needs ?archived=true on HubSpot's side; UpdateThread adds it.
//
// HubSpot API: PATCH /conversations/v3/conversations/threads/{threadId}
func (c *Client) UpdateThread(ctx context.Context, threadID string, req UpdateThreadRequest) (*Thread, error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := validateEnum("status", req.Status, StatusOpen, StatusClosed); err != nil {
		return nil, err
	}
	restore := req.Archived != nil && !*req.Archived
	switch {
	case req.Status == "" && req.Archived == nil:
		return nil, &ArgumentError{Name: "status", Reason: "or archived is required: set status to OPEN or CLOSED, or archived to false to restore a trashed thread"}
	case req.Archived != nil && *req.Archived:
		return nil, &ArgumentError{Name: "archived", Reason: "can only be false (restore); archiving a thread is a call of its own"}
	case restore && req.Status != "":
		return nil, &ArgumentError{Name: "archived", Reason: "cannot be combined with status: restore the thread first, then change its status in a second call"}
	}
	q := url.Values{}
	setBool(q, "archived", restore)
	var th Thread
	if err := c.call(ctx, request{method: "PATCH", path: threadPath(threadID), query: q, body: req, idempotent: true}, &th); err != nil {
		return nil, err
	}
	return &th, nil
}

// ArchiveThread moves a thread to the trash. HubSpot deletes archived
// threads permanently after 30 days; UpdateThread can restore them before.
//
// HubSpot API: DELETE /conversations/v3/conversations/threads/{threadId}
func (c *Client) ArchiveThread(ctx context.Context, threadID string) error {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return err
	}
	return c.call(ctx, request{method: "DELETE", path: threadPath(threadID), idempotent: true}, nil)
}

// AssignThread assigns a thread to an agent actor (A-…).
//
// HubSpot API: PUT /conversations/conversations/v3/threads/{threadId}/assignee
func (c *Client) AssignThread(ctx context.Context, threadID, actorID string) (*Thread, error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := ValidateAgentID("actorId", actorID); err != nil {
		return nil, err
	}
	body := struct {
		ActorID string `json:"actorId"`
	}{actorID}
	var th Thread
	if err := c.call(ctx, request{method: "PUT", path: assigneePath(threadID), body: body, idempotent: true}, &th); err != nil {
		return nil, err
	}
	return &th, nil
}

// UnassignThread removes a thread's assignee.
//
// HubSpot API: DELETE /conversations/conversations/v3/threads/{threadId}/assignee
func (c *Client) UnassignThread(ctx context.Context, threadID string) error {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return err
	}
	return c.call(ctx, request{method: "DELETE", path: assigneePath(threadID), idempotent: true}, nil)
}

func threadPath(threadID string) string {
	return conversationsPrefix + "/threads/" + url.PathEscape(threadID)
}

func assigneePath(threadID string) string {
	return assigneePrefix + "/threads/" + url.PathEscape(threadID) + "/assignee"
}
