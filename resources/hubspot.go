package resources

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Bounds on the HubSpot calls one resource read or refresh makes.
const (
	pageLimit        = 100 // HubSpot's largest page
	maxInboxPages    = 3
	maxOpenPages     = 5 // open threads ranked by activity: up to 500
	maxMessagePages  = 3 // a transcript shows up to the newest 300 entries
	listingPageLimit = 50
)

// waitFunc is called before each HubSpot call. Polling passes its own
// budget's Wait; requests from a client pass nil.
type waitFunc func(context.Context) error

func (w waitFunc) wait(ctx context.Context) error {
	if w == nil {
		return nil
	}
	return w(ctx)
}

// listInboxes returns the live inboxes, in HubSpot's order.
func listInboxes(ctx context.Context, c *hubspot.Client, w waitFunc) ([]hubspot.Inbox, error) {
	var out []hubspot.Inbox
	after := ""
	for range maxInboxPages {
		if err := w.wait(ctx); err != nil {
			return nil, err
		}
		p, err := c.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: hubspot.ListOptions{Limit: pageLimit, After: after}})
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

// listOpenThreads returns open threads (of the given inboxes, or all),
// most recently active first. HubSpot only sorts threads ascending, so the
// ranking is ours: it reads up to maxOpenPages pages and says whether there
// were more.
func listOpenThreads(ctx context.Context, c *hubspot.Client, w waitFunc, inboxIDs []string) ([]hubspot.Thread, bool, error) {
	var out []hubspot.Thread
	after := ""
	for range maxOpenPages {
		if err := w.wait(ctx); err != nil {
			return nil, false, err
		}
		p, err := c.ListThreads(ctx, &hubspot.ListThreadsOptions{
			ListOptions:  hubspot.ListOptions{Limit: pageLimit, After: after},
			InboxIDs:     inboxIDs,
			ThreadStatus: hubspot.StatusOpen,
		})
		if err != nil {
			return nil, false, err
		}
		out = append(out, p.Results...)
		if after = p.NextAfter(); after == "" {
			break
		}
	}
	slices.SortStableFunc(out, byRecentActivity)
	return out, after != "", nil
}

// byRecentActivity orders threads by latest message, newest first, then by
// ID, newest first.
func byRecentActivity(a, b hubspot.Thread) int {
	if c := b.LatestMessageTimestamp.Compare(a.LatestMessageTimestamp.Time); c != 0 {
		return c
	}
	if c := cmp.Compare(len(b.ID), len(a.ID)); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}
