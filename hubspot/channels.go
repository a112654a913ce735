package hubspot

import (
	"context"
	"net/url"
)

// HubSpot's fixed channel IDs for its built-in channels.
const (
	ChannelLiveChat  = "1000"
	ChannelMessenger = "1001"
	ChannelEmail     = "1002"
)

// Channel is a kind of conversation channel (HubSpot's PublicChannel):
// live chat (1000), Facebook Messenger (1001), email (1002) and others.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ListChannelsOptions are the query parameters of ListChannels.
type ListChannelsOptions struct {
	ListOptions
	// DefaultPageLength is HubSpot's defaultPageLength; zero omits it.
	DefaultPageLength int
}

func (o *ListChannelsOptions) values() url.Values {
	if o == nil {
		return nil
	}
	v := o.ListOptions.values()
	setInt(v, "defaultPageLength", o.DefaultPageLength)
	return v
}

// ListChannels lists the channels connected to the account.
//
// HubSpot API: GET /conversations/v3/conversations/channels
func (c *Client) ListChannels(ctx context.Context, opts *ListChannelsOptions) (*Page[Channel], error) {
	var p Page[Channel]
	if err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/channels", query: opts.values(), cached: true}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetChannel gets one channel.
//
// HubSpot API: GET /conversations/v3/conversations/channels/{channelId}
func (c *Client) GetChannel(ctx context.Context, channelID string) (*Channel, error) {
	if err := ValidateNumericID("channelId", channelID); err != nil {
		return nil, err
	}
	var ch Channel
	if err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/channels/" + url.PathEscape(channelID), cached: true}, &ch); err != nil {
		return nil, err
	}
	return &ch, nil
}

// ChannelAccount is one instance of a channel in an inbox, such as a chat
// widget or a connected email address (HubSpot's PublicChannelAccount).
type ChannelAccount struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ChannelID string `json:"channelId"`
	InboxID   string `json:"inboxId"`
	// Active tells whether the channel account is turned on.
	Active     bool `json:"active"`
	Authorized bool `json:"authorized"`
	Archived   bool `json:"archived"`
	ArchivedAt Time `json:"archivedAt"`
	CreatedAt  Time `json:"createdAt"`
	// DeliveryIdentifier is the account's own address, when it has one.
	DeliveryIdentifier *DeliveryIdentifier `json:"deliveryIdentifier,omitempty"`
}

// ListChannelAccountsOptions are the query parameters of ListChannelAccounts.
type ListChannelAccountsOptions struct {
	ListOptions
	// ChannelIDs and InboxIDs filter by channel and inbox; each repeats.
	ChannelIDs []string
	InboxIDs   []string
	// Archived lists only archived channel accounts.
	Archived bool
	// DefaultPageLength is HubSpot's defaultPageLength; zero omits it.
	DefaultPageLength int
}

func (o *ListChannelAccountsOptions) validate() error {
	if o == nil {
		return nil
	}
	if err := ValidateNumericIDs("channelId", o.ChannelIDs); err != nil {
		return err
	}
	return ValidateNumericIDs("inboxId", o.InboxIDs)
}

func (o *ListChannelAccountsOptions) values() url.Values {
	if o == nil {
		return nil
	}
	v := o.ListOptions.values()
	for _, id := range o.ChannelIDs {
		v.Add("channelId", id)
	}
	for _, id := range o.InboxIDs {
		v.Add("inboxId", id)
	}
	setBool(v, "archived", o.Archived)
	setInt(v, "defaultPageLength", o.DefaultPageLength)
	return v
}

// ListChannelAccounts lists channel accounts, optionally of given channels
// and inboxes.
//
// HubSpot API: GET /conversations/v3/conversations/channel-accounts
func (c *Client) ListChannelAccounts(ctx context.Context, opts *ListChannelAccountsOptions) (*Page[ChannelAccount], error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	var p Page[ChannelAccount]
	if err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/channel-accounts", query: opts.values(), cached: true}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetChannelAccount gets one channel account. Set archived to read an
// archived one.
//
// HubSpot API: GET /conversations/v3/conversations/channel-accounts/{channelAccountId}
func (c *Client) GetChannelAccount(ctx context.Context, channelAccountID string, archived bool) (*ChannelAccount, error) {
	if err := ValidateNumericID("channelAccountId", channelAccountID); err != nil {
		return nil, err
	}
	q := url.Values{}
	setBool(q, "archived", archived)
	var ca ChannelAccount
	path := conversationsPrefix + "/channel-accounts/" + url.PathEscape(channelAccountID)
	if err := c.call(ctx, request{method: "GET", path: path, query: q, cached: true}, &ca); err != nil {
		return nil, err
	}
	return &ca, nil
}
