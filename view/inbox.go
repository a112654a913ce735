package view

import "github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"

// Inbox is a conversations inbox as a model reads it.
type Inbox struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Type is INBOX or HELP_DESK.
	Type       string `json:"type"`
	Archived   bool   `json:"archived,omitempty"`
	ArchivedAt Time   `json:"archivedAt,omitzero"`
	CreatedAt  Time   `json:"createdAt,omitzero"`
	UpdatedAt  Time   `json:"updatedAt,omitzero"`
}

// NewInbox builds the view of in.
func NewInbox(in hubspot.Inbox) Inbox {
	return Inbox{
		ID: in.ID, Name: Line(in.Name, 200), Type: Word(in.Type), Archived: in.Archived,
		ArchivedAt: At(in.ArchivedAt), CreatedAt: At(in.CreatedAt), UpdatedAt: At(in.UpdatedAt),
	}
}

// ChannelAccount is a channel account, one chat widget, email address or
// social page connected to an inbox, as a model reads it.
type ChannelAccount struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ChannelID  string `json:"channelId"`
	InboxID    string `json:"inboxId"`
	Active     bool   `json:"active"`
	Authorized bool   `json:"authorized"`
	Archived   bool   `json:"archived,omitempty"`
	ArchivedAt Time   `json:"archivedAt,omitzero"`
	CreatedAt  Time   `json:"createdAt,omitzero"`
	// Address is the account's own email address or phone number; chat
	// widgets have none (their opaque IDs mean nothing to a reader).
	Address string `json:"address,omitempty"`
}

// NewChannelAccount builds the view of ca.
func NewChannelAccount(ca hubspot.ChannelAccount) ChannelAccount {
	v := ChannelAccount{
		ID: ca.ID, Name: Line(ca.Name, 200), ChannelID: ca.ChannelID, InboxID: ca.InboxID,
		Active: ca.Active, Authorized: ca.Authorized, Archived: ca.Archived,
		ArchivedAt: At(ca.ArchivedAt), CreatedAt: At(ca.CreatedAt),
	}
	if d := ca.DeliveryIdentifier; d != nil && d.Type != hubspot.DeliveryChannelOpaque {
		v.Address = Line(d.Value, 200)
	}
	return v
}
