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
	// Customer is the thread's contact (or visitor) as "Name <email>",
	// with what HubSpot knows of them.
	Customer  string `json:"customer,omitempty"`
	ContactID string `json:"contactId,omitempty"`
	// AssignedTo is the agent handling the thread, as "Name (A-123)";
	// absent when unassigned.
	AssignedTo string `json:"assignedTo,omitempty"`
	// Channel is where the conversation started: email, live chat,
	// Facebook Messenger or "channel <id>".
	Channel         string `json:"channel,omitempty"`
	LatestMessageAt Time   `json:"latestMessageAt,omitzero"`
	// LatestFrom says who wrote the latest message: customer or team.
	LatestFrom string `json:"latestFrom,omitempty"`
	TicketID   string `json:"ticketId,omitempty"`
	Spam       bool   `json:"spam,omitempty"`
	Archived   bool   `json:"archived,omitempty"`
	// Properties holds what HubSpot returned for a requested property.
	Properties map[string]any `json:"properties,omitempty"`

	// The same people as data, for code that renders threads its own way.
	CustomerPerson *Person `json:"-"`
	Assignee       *Person `json:"-"`
}

// NewThread builds the view of th; people names the customer and the
// assignee (nil shows IDs alone); property is the HubSpot property the
// caller asked for, if any.
func NewThread(th hubspot.Thread, people People, property string) Thread {
	v := Thread{
		ID: th.ID, InboxID: th.InboxID, Status: Word(th.Status),
		Channel: ChannelName(th.OriginalChannelID), LatestMessageAt: At(th.LatestMessageTimestamp),
		Spam: th.Spam, Archived: th.Archived,
		Properties: Properties(th.Extra, property),
	}
	if th.AssociatedContactID != "" {
		p := people.person(th.CustomerActorID(), "")
		if p == nil {
			p = &Person{}
		}
		p.ActorID, p.ContactID = "", th.AssociatedContactID
		v.CustomerPerson, v.ContactID = p, p.ContactID
		v.Customer = (&Person{Name: p.Name, Email: p.Email}).Line(nil)
	}
	switch received, sent := th.LatestMessageReceivedTimestamp, th.LatestMessageSentTimestamp; {
	case !received.IsZero() && !received.Before(sent.Time):
		v.LatestFrom = "customer"
	case !sent.IsZero():
		v.LatestFrom = "team"
	}
	if th.AssignedTo != "" {
		// The agent's name says who; their email address adds nothing here.
		if v.Assignee = people.person(th.AssignedTo, ""); v.Assignee != nil {
			v.Assignee.Email = ""
			v.AssignedTo = v.Assignee.Line(nil)
		}
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

// Properties picks what HubSpot returned for the requested property: a
// top-level field of that name, or one inside a "properties" object.
func Properties(extra hubspot.Extra, property string) map[string]any {
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
