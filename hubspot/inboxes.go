package hubspot

import (
	"context"
	"net/url"
)

// Inbox is a conversations inbox (HubSpot's PublicInbox).
type Inbox struct {
	ID string `json:"id"`
	// Name is the inbox's display name.
	Name string `json:"name"`
	// Type is INBOX (a Conversations inbox) or HELP_DESK.
	Type       string `json:"type"`
	Archived   bool   `json:"archived"`
	ArchivedAt Time   `json:"archivedAt"`
	CreatedAt  Time   `json:"createdAt"`
	UpdatedAt  Time   `json:"updatedAt"`
}

// ListInboxesOptions are the query parameters of ListInboxes.
type ListInboxesOptions struct {
	ListOptions
	// Archived lists only archived inboxes.
	Archived bool
	// DefaultPageLength is HubSpot's defaultPageLength; zero omits it.
	DefaultPageLength int
}

func (o *ListInboxesOptions) values() url.Values {
	if o == nil {
		return nil
	}
	v := o.ListOptions.values()
	setBool(v, "archived", o.Archived)
	setInt(v, "defaultPageLength", o.DefaultPageLength)
	return v
}

// ListInboxes lists the account's conversations inboxes.
//
// HubSpot API: GET /conversations/v3/conversations/inboxes
func (c *Client) ListInboxes(ctx context.Context, opts *ListInboxesOptions) (*Page[Inbox], error) {
	var p Page[Inbox]
	if err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/inboxes", query: opts.values(), cached: true}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetInbox gets one inbox. Set archived to read an archived inbox.
//
// HubSpot API: GET /conversations/v3/conversations/inboxes/{inboxId}
func (c *Client) GetInbox(ctx context.Context, inboxID string, archived bool) (*Inbox, error) {
	if err := ValidateNumericID("inboxId", inboxID); err != nil {
		return nil, err
	}
	q := url.Values{}
	setBool(q, "archived", archived)
	var in Inbox
	err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/inboxes/" + url.PathEscape(inboxID), query: q, cached: true}, &in)
	if err != nil {
		return nil, err
	}
	return &in, nil
}
