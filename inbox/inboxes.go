package inbox

import (
	"context"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// ListInboxes lists the account's inboxes (those of the allowlist).
func (s *Service) ListInboxes(ctx context.Context, opts *hubspot.ListInboxesOptions) (*hubspot.Page[hubspot.Inbox], error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	p, err := cr.client.ListInboxes(ctx, opts)
	if err != nil {
		return nil, err
	}
	filtered(s.guard, p, opts == nil || opts.After == "", func(in hubspot.Inbox) string { return in.ID })
	return p, nil
}

// GetInbox gets one inbox; one outside the allowlist is not found.
func (s *Service) GetInbox(ctx context.Context, inboxID string, archived bool) (*hubspot.Inbox, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	if err := hubspot.ValidateNumericID("inboxId", inboxID); err != nil {
		return nil, err
	}
	if !s.guard.allows(inboxID) {
		return nil, hiddenNotFound("", "", "Inbox", inboxID)
	}
	return cr.client.GetInbox(ctx, inboxID, archived)
}

// ListChannels lists the channel types connected to the account.
func (s *Service) ListChannels(ctx context.Context, opts *hubspot.ListChannelsOptions) (*hubspot.Page[hubspot.Channel], error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	return cr.client.ListChannels(ctx, opts)
}

// GetChannel gets one channel type.
func (s *Service) GetChannel(ctx context.Context, channelID string) (*hubspot.Channel, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	return cr.client.GetChannel(ctx, channelID)
}

// ListChannelAccounts lists channel accounts (those of allowed inboxes).
func (s *Service) ListChannelAccounts(ctx context.Context, opts *hubspot.ListChannelAccountsOptions) (*hubspot.Page[hubspot.ChannelAccount], error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	if s.guard != nil {
		o := hubspot.ListChannelAccountsOptions{}
		if opts != nil {
			o = *opts
		}
		ids, none, err := s.guard.inboxFilter(o.InboxIDs)
		if err != nil {
			return nil, err
		}
		if none {
			zero := 0
			return &hubspot.Page[hubspot.ChannelAccount]{Results: []hubspot.ChannelAccount{}, Total: &zero}, nil
		}
		o.InboxIDs = ids
		opts = &o
	}
	p, err := cr.client.ListChannelAccounts(ctx, opts)
	if err != nil {
		return nil, err
	}
	cr.noteChannelAccounts(p.Results...)
	filtered(s.guard, p, opts == nil || opts.After == "", func(ca hubspot.ChannelAccount) string { return ca.InboxID })
	return p, nil
}

// GetChannelAccount gets one channel account; one of an inbox outside the
// allowlist is not found, at the cost of an unknown one: one HubSpot call.
func (s *Service) GetChannelAccount(ctx context.Context, channelAccountID string, archived bool) (*hubspot.ChannelAccount, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	ca, err := cr.client.GetChannelAccount(s.costsACall(ctx, cr, keyAccount+channelAccountID), channelAccountID, archived)
	if err != nil {
		return nil, err
	}
	cr.noteChannelAccounts(*ca)
	if !s.guard.allows(ca.InboxID) {
		return nil, hiddenNotFound("", "", "Channel account", channelAccountID)
	}
	return ca, nil
}
