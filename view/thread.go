package view

import (
	"encoding/json"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Thread is a conversation thread as a model reads it.
type Thread struct {
	ID      string `json:"id"`
	InboxID string `json:"inboxId"`
	// Status is OPEN or CLOSED.
	Status string `json:"status"`
	// Customer is the thread's contact (or visitor) with name and email
	// when HubSpot knows them.
	Customer *Person `json:"customer,omitempty"`
	// AssignedTo is the agent handling the thread; absent when unassigned.
	AssignedTo *Person `json:"assignedTo,omitempty"`
	// Channel is where the conversation started: email, live chat,
	// Facebook Messenger or "channel <id>".
	Channel         string `json:"channel,omitempty"`
	CreatedAt       Time   `json:"createdAt,omitzero"`
	ClosedAt        Time   `json:"closedAt,omitzero"`
	LatestMessageAt Time   `json:"latestMessageAt,omitzero"`
	// LatestReceivedAt and LatestSentAt are the latest message from the
	// customer and from the team.
	LatestReceivedAt Time   `json:"latestReceivedAt,omitzero"`
	LatestSentAt     Time   `json:"latestSentAt,omitzero"`
	TicketID         string `json:"ticketId,omitempty"`
	Spam             bool   `json:"spam,omitempty"`
	Archived         bool   `json:"archived,omitempty"`
	// Properties holds what HubSpot returned for a requested property.
	Properties map[string]any `json:"properties,omitempty"`
}

// NewThread builds the view of th; people names the customer and the
// assignee (nil shows IDs alone); property is the HubSpot property the
// caller asked for, if any.
func NewThread(th hubspot.Thread, people People, property string) Thread {
	v := Thread{
		ID: th.ID, InboxID: th.InboxID, Status: Word(th.Status),
		Channel:   ChannelName(th.OriginalChannelID),
		CreatedAt: At(th.CreatedAt), ClosedAt: At(th.ClosedAt), LatestMessageAt: At(th.LatestMessageTimestamp),
		LatestReceivedAt: At(th.LatestMessageReceivedTimestamp), LatestSentAt: At(th.LatestMessageSentTimestamp),
		Spam: th.Spam, Archived: th.Archived,
		Properties: properties(th.Extra, property),
	}
	if th.AssociatedContactID != "" {
		v.Customer = people.person(ContactActor(th), "")
		if v.Customer == nil {
			v.Customer = &Person{}
		}
		v.Customer.ActorID = ""
		v.Customer.ContactID = th.AssociatedContactID
	}
	if th.AssignedTo != "" {
		v.AssignedTo = people.person(th.AssignedTo, "")
	}
	if th.ThreadAssociations != nil {
		v.TicketID = th.ThreadAssociations.AssociatedTicketID
	}
	return v
}

// ChannelName names HubSpot's fixed channel IDs.
func ChannelName(id string) string {
	switch id {
	case "":
		return ""
	case hubspot.ChannelLiveChat:
		return "live chat"
	case hubspot.ChannelMessenger:
		return "Facebook Messenger"
	case hubspot.ChannelEmail:
		return "email"
	}
	return "channel " + id
}

// properties picks what HubSpot returned for the requested property: a
// top-level field of that name, or one inside a "properties" object.
func properties(extra hubspot.Extra, property string) map[string]any {
	if property == "" || extra == nil {
		return nil
	}
	raw, ok := extra[property]
	if !ok {
		var nested map[string]json.RawMessage
		if json.Unmarshal(extra["properties"], &nested) != nil {
			return nil
		}
		if raw, ok = nested[property]; !ok {
			return nil
		}
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	if s, ok := v.(string); ok {
		// A property value can be written by anyone, like any text.
		v = Text(s)
	}
	return map[string]any{property: v}
}
