package resources

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// recentInInbox is how many open threads the inbox resource shows.
const recentInInbox = 20

// readInboxes is hubspot://inboxes: every live inbox with its channel
// accounts. Two calls: the inboxes and the channel accounts.
func readInboxes(ctx context.Context, svc *inbox.Service, uri string) ([]mcp.ResourceContents, error) {
	inboxes, err := listInboxes(ctx, svc)
	if err != nil {
		return nil, err
	}
	byInbox := map[string][]view.ChannelAccount{}
	after := ""
	for range maxInboxPages {
		p, err := svc.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{ListOptions: hubspot.ListOptions{Limit: pageLimit, After: after}})
		if err != nil {
			return nil, err
		}
		for _, ca := range p.Results {
			byInbox[ca.InboxID] = append(byInbox[ca.InboxID], view.NewChannelAccount(ca))
		}
		if after = p.NextAfter(); after == "" {
			break
		}
	}
	out := struct {
		URI     string       `json:"uri"`
		Inboxes []inboxEntry `json:"inboxes"`
	}{URI: InboxesURI, Inboxes: make([]inboxEntry, len(inboxes))}
	for i, in := range inboxes {
		out.Inboxes[i] = newInboxEntry(in, byInbox[in.ID])
	}
	return jsonContents(uri, out)
}

// readInbox is hubspot://inboxes/{inboxId}: the inbox, its channel accounts
// and its recentInInbox most recently active open threads. openThreadCount
// counts the open threads up to openLimit (100), the most one listing
// reads; moreOpenThreads tells that there are more open threads than
// recentOpenThreads shows, so with a count of 100 there may be more than
// 100.
func readInbox(ctx context.Context, svc *inbox.Service, uri string, r ref) ([]mcp.ResourceContents, error) {
	in, err := svc.GetInbox(ctx, r.inboxID, false)
	if err != nil {
		return nil, err
	}
	cas, err := svc.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{
		ListOptions: hubspot.ListOptions{Limit: pageLimit}, InboxIDs: []string{r.inboxID}})
	if err != nil {
		return nil, err
	}
	accounts := make([]view.ChannelAccount, len(cas.Results))
	for i, ca := range cas.Results {
		accounts[i] = view.NewChannelAccount(ca)
	}
	threads, more, err := listOpenThreads(ctx, svc, []string{r.inboxID})
	if err != nil {
		return nil, err
	}
	total := len(threads)
	if len(threads) > recentInInbox {
		threads, more = threads[:recentInInbox], true
	}
	people := svc.People(ctx, view.ThreadActors(threads))
	out := struct {
		inboxEntry
		OpenThreadCount   int           `json:"openThreadCount"`
		RecentOpenThreads []threadEntry `json:"recentOpenThreads"`
		MoreOpenThreads   bool          `json:"moreOpenThreads"`
	}{newInboxEntry(*in, accounts), total, threadEntries(threads, people), more}
	return jsonContents(uri, out)
}

// readThreadList is hubspot://inboxes/{inboxId}/threads{?status,after} and
// hubspot://threads{?status,after}: one page of threads in HubSpot's order
// (oldest thread first), with the names of contacts and assignees.
func readThreadList(ctx context.Context, svc *inbox.Service, uri string, r ref) ([]mcp.ResourceContents, error) {
	opts := &hubspot.ListThreadsOptions{
		ListOptions:  hubspot.ListOptions{Limit: listingPageLimit, After: r.after},
		ThreadStatus: r.status,
		Association:  []string{"TICKET"},
	}
	var inboxName string
	if r.kind == kindInboxThreads {
		// An unknown inbox must be an error, not an empty list.
		in, err := svc.GetInbox(ctx, r.inboxID, false)
		if err != nil {
			return nil, err
		}
		inboxName = view.Line(in.Name, 200)
		opts.InboxIDs = []string{r.inboxID}
	}
	p, err := svc.ListThreads(ctx, opts)
	if err != nil {
		return nil, err
	}
	people := svc.People(ctx, view.ThreadActors(p.Results))
	out := struct {
		URI        string        `json:"uri"`
		InboxID    string        `json:"inboxId,omitempty"`
		InboxName  string        `json:"inboxName,omitempty"`
		Status     string        `json:"status"`
		Order      string        `json:"order"`
		Threads    []threadEntry `json:"threads"`
		NextCursor string        `json:"nextCursor"`
		NextURI    string        `json:"nextUri,omitempty"`
	}{
		URI: r.uri(), InboxID: r.inboxID, InboxName: inboxName, Status: statusLabel(r.status),
		Order:   "thread ID ascending (oldest thread first), as HubSpot lists them",
		Threads: threadEntries(p.Results, people), NextCursor: p.NextAfter(),
	}
	if next := p.NextAfter(); next != "" {
		nr := r
		nr.after = next
		out.NextURI = nr.uri()
	}
	return jsonContents(uri, out)
}

func statusLabel(s string) string {
	if s == "" {
		return "OPEN and CLOSED"
	}
	return s
}
