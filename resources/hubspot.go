package resources

import (
	"context"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Bounds on the HubSpot calls one resource read or refresh makes.
const (
	pageLimit        = 100 // HubSpot's largest page
	maxInboxPages    = 3
	maxMessagePages  = 3   // a transcript shows up to the newest 300 entries
	openLimit        = 100 // open threads ranked by activity
	listingPageLimit = 50
)

// listInboxes returns the live inboxes, in HubSpot's order.
func listInboxes(ctx context.Context, svc *inbox.Service) ([]hubspot.Inbox, error) {
	var out []hubspot.Inbox
	after := ""
	for range maxInboxPages {
		p, err := svc.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: hubspot.ListOptions{Limit: pageLimit, After: after}})
		if err != nil {
			return nil, err
		}
		out = append(out, p.Results...)
		if after = p.NextAfter(); after == "" {
			break
		}
	}
	return out, nil
}

// listOpenThreads returns the openLimit most recently active open threads
// (of the given inboxes, or all), newest first, and whether there are
// more: the service's newest-first listing.
func listOpenThreads(ctx context.Context, svc *inbox.Service, inboxIDs []string) ([]hubspot.Thread, bool, error) {
	p, err := svc.ListThreads(ctx, &hubspot.ListThreadsOptions{
		ListOptions:  hubspot.ListOptions{Limit: openLimit, Sort: []string{"-" + hubspot.SortByLatestMessageTimestamp}},
		InboxIDs:     inboxIDs,
		ThreadStatus: hubspot.StatusOpen,
	})
	if err != nil {
		return nil, false, err
	}
	return p.Results, p.NextAfter() != "", nil
}
