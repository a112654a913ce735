package sandbox

import (
	"net/http"
	"slices"
)

// Sortable fields of each object, as HubSpot allows sorting by any field.
var (
	inboxSortFields          = []string{"id", "name", "type", "archived", "createdAt", "updatedAt", "archivedAt"}
	channelSortFields        = []string{"id", "name"}
	channelAccountSortFields = []string{"id", "name", "channelId", "inboxId", "active", "authorized", "archived", "createdAt", "archivedAt"}
)

func (in *inbox) field(name string) string {
	switch name {
	case "name":
		return in.Name
	case "type":
		return in.Type
	case "archived":
		return boolKey(in.Archived)
	case "createdAt":
		return timeKey(in.CreatedAt)
	case "updatedAt":
		return timeKey(in.UpdatedAt)
	case "archivedAt":
		return timeKey(in.ArchivedAt)
	}
	return idKey(in.ID)
}

func (c *channel) field(name string) string {
	if name == "name" {
		return c.Name
	}
	return idKey(c.ID)
}

func (ca *channelAccount) field(name string) string {
	switch name {
	case "name":
		return ca.Name
	case "channelId":
		return idKey(ca.ChannelID)
	case "inboxId":
		return idKey(ca.InboxID)
	case "active":
		return boolKey(ca.Active)
	case "authorized":
		return boolKey(ca.Authorized)
	case "archived":
		return boolKey(ca.Archived)
	case "createdAt":
		return timeKey(ca.CreatedAt)
	case "archivedAt":
		return timeKey(ca.ArchivedAt)
	}
	return idKey(ca.ID)
}

// listWithTotal answers the inbox, channel and channel-account lists: filter,
// sort by the sort parameter, page, and report the total.
func listWithTotal[T any](r *http.Request, items []T, fields []string, field func(T, string) string) (reply, error) {
	q := r.URL.Query()
	limit, err := parseLimit(q, true)
	if err != nil {
		return reply{}, err
	}
	keys, desc, err := parseObjectSort(q, fields)
	if err != nil {
		return reply{}, err
	}
	p, err := paginate(items, func(it T) []string {
		return objectKey(keys, func(f string) string { return field(it, f) })
	}, desc, q.Get("after"), limit)
	if err != nil {
		return reply{}, err
	}
	total := len(items)
	return reply{body: collection{Total: &total, Results: p.items, Paging: fullPaging(r, p)}}, nil
}

func listInboxes(a *Account, r *http.Request) (reply, error) {
	archived, err := parseBool(r.URL.Query(), "archived")
	if err != nil {
		return reply{}, err
	}
	var items []*inbox
	for _, in := range a.inboxes {
		if in.Archived == archived {
			items = append(items, in)
		}
	}
	return listWithTotal(r, items, inboxSortFields, (*inbox).field)
}

func getInbox(a *Account, r *http.Request) (reply, error) {
	archived, err := parseBool(r.URL.Query(), "archived")
	if err != nil {
		return reply{}, err
	}
	id := r.PathValue("inboxId")
	in, ok := a.inboxes[canonicalID(id)]
	if !ok || (in.Archived && !archived) {
		return reply{}, notFound("Inbox", id)
	}
	return reply{body: in}, nil
}

func listChannels(a *Account, r *http.Request) (reply, error) {
	items := make([]*channel, 0, len(a.channels))
	for _, c := range a.channels {
		items = append(items, c)
	}
	return listWithTotal(r, items, channelSortFields, (*channel).field)
}

func getChannel(a *Account, r *http.Request) (reply, error) {
	id := r.PathValue("channelId")
	c, ok := a.channels[canonicalID(id)]
	if !ok {
		return reply{}, notFound("Channel", id)
	}
	return reply{body: c}, nil
}

func listChannelAccounts(a *Account, r *http.Request) (reply, error) {
	q := r.URL.Query()
	archived, err := parseBool(q, "archived")
	if err != nil {
		return reply{}, err
	}
	channelIDs, err := parseIDs(q, "channelId")
	if err != nil {
		return reply{}, err
	}
	inboxIDs, err := parseIDs(q, "inboxId")
	if err != nil {
		return reply{}, err
	}
	var items []*channelAccount
	for _, ca := range a.channelAccounts {
		if ca.Archived != archived ||
			(len(channelIDs) > 0 && !slices.Contains(channelIDs, ca.ChannelID)) ||
			(len(inboxIDs) > 0 && !slices.Contains(inboxIDs, ca.InboxID)) {
			continue
		}
		items = append(items, ca)
	}
	return listWithTotal(r, items, channelAccountSortFields, (*channelAccount).field)
}

func getChannelAccount(a *Account, r *http.Request) (reply, error) {
	archived, err := parseBool(r.URL.Query(), "archived")
	if err != nil {
		return reply{}, err
	}
	id := r.PathValue("channelAccountId")
	ca, ok := a.channelAccounts[canonicalID(id)]
	if !ok || (ca.Archived && !archived) {
		return reply{}, notFound("Channel account", id)
	}
	return reply{body: ca}, nil
}
