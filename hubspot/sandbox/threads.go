package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// thread is a conversation thread and its messages.
type thread struct {
	id               string
	inboxID          string
	status           string
	spam             bool
	archived         bool
	archivedAt       time.Time
	contactID        string // associatedContactId
	visitorID        string // the customer's actor ID
	createdAt        time.Time
	closedAt         time.Time
	channelID        string // originalChannelId
	channelAccountID string // originalChannelAccountId
	assignedTo       string
	ticketID         string
	subject          string // email subject, for replies

	latest, latestSent, latestReceived time.Time

	messages []*message // in creation order
}

// threadView is HubSpot's PublicThread.
type threadView struct {
	ID                             string              `json:"id"`
	CreatedAt                      time.Time           `json:"createdAt"`
	Status                         string              `json:"status"`
	ClosedAt                       time.Time           `json:"closedAt,omitzero"`
	OriginalChannelID              string              `json:"originalChannelId"`
	OriginalChannelAccountID       string              `json:"originalChannelAccountId"`
	LatestMessageTimestamp         time.Time           `json:"latestMessageTimestamp,omitzero"`
	LatestMessageSentTimestamp     time.Time           `json:"latestMessageSentTimestamp,omitzero"`
	LatestMessageReceivedTimestamp time.Time           `json:"latestMessageReceivedTimestamp,omitzero"`
	AssignedTo                     string              `json:"assignedTo,omitempty"`
	Spam                           bool                `json:"spam"`
	InboxID                        string              `json:"inboxId"`
	AssociatedContactID            string              `json:"associatedContactId"`
	Archived                       bool                `json:"archived"`
	ThreadAssociations             *threadAssociations `json:"threadAssociations,omitempty"`
}

type threadAssociations struct {
	AssociatedTicketID string `json:"associatedTicketId,omitempty"`
}

// view renders the thread; withTickets adds threadAssociations when the
// thread has a ticket (association=TICKET).
func (t *thread) view(withTickets bool) threadView {
	v := threadView{
		ID:                             t.id,
		CreatedAt:                      t.createdAt,
		Status:                         t.status,
		ClosedAt:                       t.closedAt,
		OriginalChannelID:              t.channelID,
		OriginalChannelAccountID:       t.channelAccountID,
		LatestMessageTimestamp:         t.latest,
		LatestMessageSentTimestamp:     t.latestSent,
		LatestMessageReceivedTimestamp: t.latestReceived,
		AssignedTo:                     t.assignedTo,
		Spam:                           t.spam,
		InboxID:                        t.inboxID,
		AssociatedContactID:            t.contactID,
		Archived:                       t.archived,
	}
	if withTickets && t.ticketID != "" {
		v.ThreadAssociations = &threadAssociations{AssociatedTicketID: t.ticketID}
	}
	return v
}

// threadProperties are the thread properties the sandbox answers for the
// property parameter, which HubSpot documents only as "a specific property
// to include in the response": the field is added to each thread beside
// HubSpot's own fields. subject is an email thread's subject.
func (t *thread) property(name string) (any, bool) {
	switch name {
	case "subject":
		return t.subject, t.subject != ""
	}
	return nil, false
}

// render returns the thread's view with the requested property added.
func (t *thread) render(withTickets bool, property string) any {
	v := t.view(withTickets)
	value, ok := t.property(property)
	if !ok {
		return v
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return v
	}
	m[property] = value
	return m
}

// threadQuery is the parsed query of GET /threads.
type threadQuery struct {
	limit       int
	after       string
	archived    bool
	inboxIDs    []string
	contactID   string
	ticketID    string
	withTickets bool
	status      string
	since       time.Time
	byLatest    bool // sort by latestMessageTimestamp rather than id
	desc        bool
}

// parseThreadQuery applies HubSpot's rules for listing threads. Each
// violation is a 400 naming the parameter.
func parseThreadQuery(q url.Values) (threadQuery, error) {
	var (
		tq  = threadQuery{after: q.Get("after")}
		err error
	)
	if tq.limit, err = parseLimit(q, false); err != nil {
		return tq, err
	}
	if tq.archived, err = parseBool(q, "archived"); err != nil {
		return tq, err
	}
	if tq.inboxIDs, err = parseIDs(q, "inboxId"); err != nil {
		return tq, err
	}
	if tq.withTickets, err = parseAssociation(q); err != nil {
		return tq, err
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"associatedContactId", &tq.contactID}, {"associatedTicketId", &tq.ticketID}} {
		ids, err := parseIDs(q, p.name)
		if err != nil {
			return tq, err
		}
		if len(ids) > 0 {
			*p.dst = ids[0]
		}
	}
	if q.Has("threadStatus") {
		tq.status = q.Get("threadStatus")
		if tq.status != statusOpen && tq.status != statusClosed {
			return tq, invalidParam("threadStatus", "Invalid value for query parameter 'threadStatus': %q; allowed values are OPEN, CLOSED", tq.status)
		}
	}
	if q.Has("latestMessageTimestampAfter") {
		v := q.Get("latestMessageTimestampAfter")
		if tq.since, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return tq, invalidParam("latestMessageTimestampAfter",
				"Invalid value for query parameter 'latestMessageTimestampAfter': %q is not an ISO 8601 date-time", v)
		}
	}
	if err := tq.parseSort(q["sort"]); err != nil {
		return tq, err
	}
	switch {
	case tq.contactID != "" && tq.status == "":
		return tq, invalidParam("threadStatus", "threadStatus must be provided when filtering by associatedContactId")
	case tq.contactID != "" && len(tq.inboxIDs) > 0:
		return tq, invalidParam("associatedContactId", "associatedContactId cannot be used in conjunction with inboxId")
	case tq.desc && tq.contactID == "":
		return tq, invalidParam("sort", "Descending sort is only supported when filtering by associatedContactId")
	case tq.byLatest && !q.Has("latestMessageTimestampAfter"):
		return tq, invalidParam("latestMessageTimestampAfter",
			"latestMessageTimestampAfter is required when sorting by latestMessageTimestamp")
	}
	return tq, nil
}

func (tq *threadQuery) parseSort(values []string) error {
	if len(values) > 1 {
		return invalidParam("sort", "Only one sort option is supported for threads; got %d", len(values))
	}
	if len(values) == 0 {
		return nil
	}
	field, desc := strings.CutPrefix(values[0], "-")
	switch field {
	case "id":
	case "latestMessageTimestamp":
		tq.byLatest = true
	default:
		return invalidParam("sort", "Invalid value for query parameter 'sort': %q; valid options are id and latestMessageTimestamp", values[0])
	}
	tq.desc = desc
	return nil
}

// parseAssociation reads association (repeatable; only TICKET exists).
func parseAssociation(q url.Values) (bool, error) {
	for _, v := range q["association"] {
		if v != "TICKET" {
			return false, invalidParam("association", "Invalid value for query parameter 'association': %q; allowed values are TICKET", v)
		}
	}
	return q.Has("association"), nil
}

func (tq *threadQuery) matches(t *thread) bool {
	return t.archived == tq.archived &&
		(len(tq.inboxIDs) == 0 || slices.Contains(tq.inboxIDs, t.inboxID)) &&
		(tq.contactID == "" || t.contactID == tq.contactID) &&
		(tq.ticketID == "" || t.ticketID == tq.ticketID) &&
		(tq.status == "" || t.status == tq.status) &&
		(tq.since.IsZero() || !t.latest.Before(tq.since))
}

func (tq *threadQuery) key(t *thread) []string {
	if tq.byLatest {
		return []string{timeKey(t.latest), idKey(t.id)}
	}
	return []string{idKey(t.id)}
}

func listThreads(a *Account, r *http.Request) (reply, error) {
	tq, err := parseThreadQuery(r.URL.Query())
	if err != nil {
		return reply{}, err
	}
	var items []*thread
	for _, t := range a.threads {
		if tq.matches(t) {
			items = append(items, t)
		}
	}
	desc := []bool{tq.desc}
	if tq.byLatest {
		desc = []bool{tq.desc, tq.desc}
	}
	p, err := paginate(items, tq.key, desc, tq.after, tq.limit)
	if err != nil {
		return reply{}, err
	}
	views := make([]any, len(p.items))
	for i, t := range p.items {
		views[i] = t.render(tq.withTickets, r.URL.Query().Get("property"))
	}
	return reply{body: collection{Results: views, Paging: forwardPaging(r, p)}}, nil
}

func getThread(a *Account, r *http.Request) (reply, error) {
	q := r.URL.Query()
	archived, err := parseBool(q, "archived")
	if err != nil {
		return reply{}, err
	}
	withTickets, err := parseAssociation(q)
	if err != nil {
		return reply{}, err
	}
	t, err := a.findThread(r.PathValue("threadId"), archived)
	if err != nil {
		return reply{}, err
	}
	return reply{body: t.render(withTickets, q.Get("property"))}, nil
}

// findThread looks a thread up by its path ID. Archived threads are found
// only when the caller asked for them (archived=true).
func (a *Account) findThread(id string, includeArchived bool) (*thread, error) {
	t, ok := a.threads[canonicalID(id)]
	if !ok || (t.archived && !includeArchived) {
		return nil, notFound("Thread", id)
	}
	return t, nil
}
