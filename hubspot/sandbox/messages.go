package sandbox

import (
	"net/http"
	"strconv"
	"time"
)

// message is any of HubSpot's six message variants; fields that do not
// belong to its type stay empty and are not rendered.
type message struct {
	id        string
	typ       string
	threadID  string
	seq       int // position in the thread; breaks createdAt ties
	createdAt time.Time
	createdBy string
	client    client

	senders    []sender
	recipients []recipient

	// MESSAGE, COMMENT and WELCOME_MESSAGE.
	text, richText string
	attachments    []any

	// MESSAGE (channel fields also on WELCOME_MESSAGE).
	subject          string
	truncation       string
	direction        string
	channelID        string
	channelAccountID string
	inReplyTo        string
	status           *messageStatus
	original         *messageContent // full original when truncated

	// Events.
	assignedFrom, assignedTo string
	newStatus                string
	fromInboxID, toInboxID   string
}

// messageContent is HubSpot's PublicMessageContent.
type messageContent struct {
	Text     string `json:"text,omitempty"`
	RichText string `json:"richText,omitempty"`
}

// messageBase holds the fields every message variant requires.
type messageBase struct {
	ID                    string      `json:"id"`
	Type                  string      `json:"type"`
	ConversationsThreadID string      `json:"conversationsThreadId"`
	CreatedAt             time.Time   `json:"createdAt"`
	CreatedBy             string      `json:"createdBy"`
	Client                client      `json:"client"`
	Senders               []sender    `json:"senders"`
	Recipients            []recipient `json:"recipients"`
	Archived              bool        `json:"archived"`
}

type conversationsMessageView struct {
	messageBase
	Text             string         `json:"text"`
	RichText         string         `json:"richText,omitempty"`
	Subject          string         `json:"subject,omitempty"`
	Attachments      []any          `json:"attachments"`
	TruncationStatus string         `json:"truncationStatus"`
	InReplyToID      string         `json:"inReplyToId,omitempty"`
	Status           *messageStatus `json:"status,omitempty"`
	Direction        string         `json:"direction"`
	ChannelID        string         `json:"channelId"`
	ChannelAccountID string         `json:"channelAccountId"`
}

type commentView struct {
	messageBase
	Text        string `json:"text"`
	RichText    string `json:"richText"`
	Attachments []any  `json:"attachments"`
}

type welcomeView struct {
	messageBase
	Text             string `json:"text"`
	RichText         string `json:"richText,omitempty"`
	ChannelID        string `json:"channelId"`
	ChannelAccountID string `json:"channelAccountId"`
}

type assignmentView struct {
	messageBase
	AssignedFrom string `json:"assignedFrom,omitempty"`
	AssignedTo   string `json:"assignedTo,omitempty"`
}

type statusChangeView struct {
	messageBase
	NewStatus string `json:"newStatus"`
}

type inboxChangeView struct {
	messageBase
	FromInboxID string `json:"fromInboxId"`
	ToInboxID   string `json:"toInboxId"`
}

// view renders the message as the variant its type names.
func (m *message) view() any {
	base := messageBase{
		ID:                    m.id,
		Type:                  m.typ,
		ConversationsThreadID: m.threadID,
		CreatedAt:             m.createdAt,
		CreatedBy:             m.createdBy,
		Client:                m.client,
		Senders:               nonNil(m.senders),
		Recipients:            nonNil(m.recipients),
	}
	switch m.typ {
	case typeMessage:
		return conversationsMessageView{
			messageBase: base, Text: m.text, RichText: m.richText, Subject: m.subject,
			Attachments: nonNil(m.attachments), TruncationStatus: m.truncation, InReplyToID: m.inReplyTo,
			Status: m.status, Direction: m.direction, ChannelID: m.channelID, ChannelAccountID: m.channelAccountID,
		}
	case typeComment:
		return commentView{messageBase: base, Text: m.text, RichText: m.richText, Attachments: nonNil(m.attachments)}
	case typeWelcome:
		return welcomeView{messageBase: base, Text: m.text, RichText: m.richText, ChannelID: m.channelID, ChannelAccountID: m.channelAccountID}
	case typeAssignment:
		return assignmentView{messageBase: base, AssignedFrom: m.assignedFrom, AssignedTo: m.assignedTo}
	case typeStatusChange:
		return statusChangeView{messageBase: base, NewStatus: m.newStatus}
	case typeInboxChange:
		return inboxChangeView{messageBase: base, FromInboxID: m.fromInboxID, ToInboxID: m.toInboxID}
	}
	return base
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// appendMessage adds m to t and moves the thread's latest-message
// timestamps. Only conversation messages (type MESSAGE) count as messages
// for those timestamps; notes and events do not.
func (t *thread) appendMessage(m *message) {
	m.threadID = t.id
	m.seq = len(t.messages) + 1
	t.messages = append(t.messages, m)
	if m.typ != typeMessage {
		return
	}
	t.latest = later(t.latest, m.createdAt)
	switch m.direction {
	case directionOutgoing:
		t.latestSent = later(t.latestSent, m.createdAt)
	case directionIncoming:
		t.latestReceived = later(t.latestReceived, m.createdAt)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (t *thread) findMessage(id string) (*message, error) {
	for _, m := range t.messages {
		if m.id == id {
			return m, nil
		}
	}
	return nil, notFound("Message", id)
}

func listMessages(a *Account, r *http.Request) (reply, error) {
	q := r.URL.Query()
	limit, err := parseLimit(q, false)
	if err != nil {
		return reply{}, err
	}
	// archived selects an archived thread, as on the thread endpoints;
	// HubSpot cannot archive single messages.
	archived, err := parseBool(q, "archived")
	if err != nil {
		return reply{}, err
	}
	desc := true
	switch sorts := q["sort"]; {
	case len(sorts) > 1:
		return reply{}, invalidParam("sort", "Only one sort option is supported for messages; got %d", len(sorts))
	case len(sorts) == 1 && sorts[0] == "createdAt":
		desc = false
	case len(sorts) == 1 && sorts[0] != "-createdAt":
		return reply{}, invalidParam("sort", "Invalid value for query parameter 'sort': %q; valid options are createdAt and -createdAt", sorts[0])
	}
	t, err := a.findThread(r.PathValue("threadId"), archived)
	if err != nil {
		return reply{}, err
	}
	p, err := paginate(t.messages, func(m *message) []string {
		return []string{timeKey(m.createdAt), idKey(strconv.Itoa(m.seq))}
	}, []bool{desc, desc}, q.Get("after"), limit)
	if err != nil {
		return reply{}, err
	}
	views := make([]any, len(p.items))
	for i, m := range p.items {
		views[i] = m.view()
	}
	return reply{body: collection{Results: views, Paging: forwardPaging(r, p)}}, nil
}

// lookupMessage finds a message by its path IDs. Messages of archived
// threads stay readable here: these endpoints take no archived parameter.
func lookupMessage(a *Account, r *http.Request) (*message, error) {
	t, err := a.findThread(r.PathValue("threadId"), true)
	if err != nil {
		return nil, err
	}
	return t.findMessage(r.PathValue("messageId"))
}

func getMessage(a *Account, r *http.Request) (reply, error) {
	m, err := lookupMessage(a, r)
	if err != nil {
		return reply{}, err
	}
	return reply{body: m.view()}, nil
}

func getOriginalContent(a *Account, r *http.Request) (reply, error) {
	m, err := lookupMessage(a, r)
	if err != nil {
		return reply{}, err
	}
	if m.original != nil {
		return reply{body: m.original}, nil
	}
	return reply{body: messageContent{Text: m.text, RichText: m.richText}}, nil
}
