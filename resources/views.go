package resources

import (
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// The JSON views resources return: trimmed, camelCase, with URIs to follow.
// Text from people (names, subjects, messages) is cleaned of control and
// invisible characters here too.

type inboxView struct {
	ID              string               `json:"id"`
	URI             string               `json:"uri"`
	Name            string               `json:"name"`
	Type            string               `json:"type"`
	Archived        bool                 `json:"archived,omitempty"`
	CreatedAt       hubspot.Time         `json:"createdAt,omitzero"`
	UpdatedAt       hubspot.Time         `json:"updatedAt,omitzero"`
	ThreadsURI      string               `json:"threadsUri"`
	ChannelAccounts []channelAccountView `json:"channelAccounts"`
}

func newInboxView(in hubspot.Inbox, accounts []channelAccountView) inboxView {
	if accounts == nil {
		accounts = []channelAccountView{}
	}
	return inboxView{
		ID: in.ID, URI: inboxURI(in.ID), Name: cleanInline(in.Name, 200), Type: in.Type, Archived: in.Archived,
		CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt,
		ThreadsURI:      ref{kind: kindInboxThreads, inboxID: in.ID, status: hubspot.StatusOpen}.uri(),
		ChannelAccounts: accounts,
	}
}

type channelAccountView struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ChannelID  string `json:"channelId"`
	Channel    string `json:"channel"`
	Address    string `json:"address,omitempty"`
	Active     bool   `json:"active"`
	Authorized bool   `json:"authorized"`
}

func newChannelAccountView(ca hubspot.ChannelAccount) channelAccountView {
	v := channelAccountView{ID: ca.ID, Name: cleanInline(ca.Name, 200), ChannelID: ca.ChannelID,
		Channel: channelName(ca.ChannelID), Active: ca.Active, Authorized: ca.Authorized}
	if ca.DeliveryIdentifier != nil {
		v.Address = cleanInline(ca.DeliveryIdentifier.Value, 200)
	}
	return v
}

// personView is an actor or a contact, with what is known of them.
type personView struct {
	ActorID   string `json:"actorId,omitempty"`
	ContactID string `json:"contactId,omitempty"`
	Type      string `json:"type,omitempty"`
	Name      string `json:"name,omitempty"`
	Email     string `json:"email,omitempty"`
}

// person describes actorID from the batch lookup, falling back to a name
// HubSpot sent along (a sender's name).
func (as actors) person(actorID, fallbackName string) *personView {
	if actorID == "" && fallbackName == "" {
		return nil
	}
	p := &personView{ActorID: actorID}
	if a, ok := as[actorID]; ok {
		p.Type, p.Name, p.Email = a.Type, a.Name, a.Email
	}
	if p.Name == "" {
		p.Name = fallbackName
	}
	p.Name, p.Email = cleanInline(p.Name, 120), cleanInline(p.Email, 200)
	return p
}

// label is a person as one line of text: name and ID.
func (p *personView) label() string {
	if p == nil {
		return "(unknown)"
	}
	name := p.Name
	if name == "" {
		name = p.Email
	}
	id := p.ActorID
	if id == "" && p.ContactID != "" {
		id = "contact " + p.ContactID
	}
	switch {
	case name == "":
		return id
	case id == "":
		return name
	}
	return name + " (" + id + ")"
}

type threadView struct {
	ID                      string       `json:"id"`
	URI                     string       `json:"uri"`
	InboxID                 string       `json:"inboxId"`
	Status                  string       `json:"status"`
	From                    *personView  `json:"from,omitempty"`
	AssignedTo              *personView  `json:"assignedTo,omitempty"`
	Channel                 string       `json:"channel,omitempty"`
	ChannelAccountID        string       `json:"channelAccountId,omitempty"`
	LatestMessageAt         hubspot.Time `json:"latestMessageAt,omitzero"`
	LatestMessageReceivedAt hubspot.Time `json:"latestMessageReceivedAt,omitzero"`
	LatestMessageSentAt     hubspot.Time `json:"latestMessageSentAt,omitzero"`
	CreatedAt               hubspot.Time `json:"createdAt,omitzero"`
	ClosedAt                hubspot.Time `json:"closedAt,omitzero"`
	TicketID                string       `json:"ticketId,omitempty"`
	Spam                    bool         `json:"spam,omitempty"`
	Archived                bool         `json:"archived,omitempty"`
}

func newThreadView(th hubspot.Thread, as actors) threadView {
	v := threadView{
		ID: th.ID, URI: threadURI(th.ID), InboxID: th.InboxID, Status: th.Status,
		Channel: channelName(th.OriginalChannelID), ChannelAccountID: th.OriginalChannelAccountID,
		LatestMessageAt: th.LatestMessageTimestamp, LatestMessageReceivedAt: th.LatestMessageReceivedTimestamp,
		LatestMessageSentAt: th.LatestMessageSentTimestamp, CreatedAt: th.CreatedAt, ClosedAt: th.ClosedAt,
		Spam: th.Spam, Archived: th.Archived,
	}
	if th.AssociatedContactID != "" {
		v.From = as.person(contactActor(th), "")
		v.From.ContactID = th.AssociatedContactID
	}
	if th.AssignedTo != "" {
		v.AssignedTo = as.person(th.AssignedTo, "")
	}
	if th.ThreadAssociations != nil {
		v.TicketID = th.ThreadAssociations.AssociatedTicketID
	}
	return v
}

func threadViews(threads []hubspot.Thread, as actors) []threadView {
	out := make([]threadView, len(threads))
	for i, th := range threads {
		out[i] = newThreadView(th, as)
	}
	return out
}

// jsonContents encodes v as the one content item of a JSON resource.
func jsonContents(uri string, v any) ([]mcp.ResourceContents, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: mimeJSON, Text: b.String()}}, nil
}
