package view

import (
	"slices"
	"strconv"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Agent is an agent as a person: actor ID, name and email address.
func Agent(a inbox.Agent) Person {
	return Person{ActorID: a.ActorID, Name: Line(a.Name, 120), Email: Line(a.Email, 200)}
}

// AgentLine is an agent as one line of text (Person.Line), such as the
// candidates of an *inbox.AgentError or the agents setup offers.
func AgentLine(a inbox.Agent) string {
	p := Agent(a)
	return p.Line(nil)
}

// AgentsNote says what a list of agents is, when it needs saying: partial
// for want of a scope, cut at shown of total, or empty.
func AgentsNote(l *inbox.AgentList, query string, shown, total int) string {
	var parts []string
	switch {
	case total == 0 && query != "":
		parts = append(parts, "No agent's name or email contains "+hubspot.Quote(Line(query, 100))+".")
	case shown < total:
		parts = append(parts, "Showing "+strconv.Itoa(shown)+" of "+strconv.Itoa(total)+" agents; pass query to narrow the list.")
	}
	if l.Truncated {
		parts = append(parts, "Only the first "+strconv.Itoa(inbox.MaxOwners)+" owners of the account were read.")
	}
	if l.Partial() {
		parts = append(parts, "Partial: the access token lacks the scope "+l.MissingScope+", so these are only the agents assigned to the "+
			strconv.Itoa(inbox.RecentAgentThreads)+" most recently active threads or writing in the "+strconv.Itoa(inbox.RecentAgentHistories)+
			" latest; for all agents the operator must "+AddScope(l.MissingScope)+".")
	}
	return strings.Join(parts, " ")
}

// FoundContact is a customer a search matched, as one line:
// "Maya Thompson <maya@example.com> (contact 3501)".
func FoundContact(c inbox.FoundContact) string {
	p := Person{ContactID: c.ID, Name: Line(c.Name, 120), Email: Line(c.Email, 200)}
	return p.Line(nil)
}

// SearchContacts are the CRM contacts a search matched that none of the
// page's threads names, one line each (FoundContact). A thread already
// names its customer and contactId, so a contact with a thread on the page
// is not said twice; one listed here matched but has no thread on this
// page: none at all, none in the inbox asked for, or only on later pages.
// The customers a scan of recent threads matched are always those of the
// threads shown, so a scan lists none.
func SearchContacts(r *inbox.ThreadSearchResult) []string {
	if r.Scanned {
		return nil
	}
	var out []string
	for _, c := range r.Contacts {
		if c.ID != "" && !slices.ContainsFunc(r.Threads, func(th hubspot.Thread) bool { return th.AssociatedContactID == c.ID }) {
			out = append(out, FoundContact(c))
		}
	}
	return out
}

// SearchNote says how a thread search found what it shows, when that is
// not plain: several contacts matched, the inbox filter or the page bound
// cut the page, no contact matched, or a scope is missing.
func SearchNote(r *inbox.ThreadSearchResult, customer string) string {
	var parts []string
	scanned := "the customers of the " + strconv.Itoa(inbox.ScanThreads) + " most recently active threads"
	switch {
	case r.Partial():
		parts = append(parts, "Partial: the access token lacks the scope "+r.MissingScope+", so only "+scanned+
			" were matched; for a full search the operator must "+AddScope(r.MissingScope)+".")
	case r.NoContact:
		parts = append(parts, "No CRM contact matches "+hubspot.Quote(Line(customer, 100))+", so "+scanned+
			" were matched instead (this also finds visitors who never became contacts).")
	case r.ContactsMatched > len(r.Contacts):
		parts = append(parts, strconv.Itoa(r.ContactsMatched)+" contacts match; these are the threads of the first "+strconv.Itoa(len(r.Contacts))+
			". For another one, search with a full name or an email address.")
	}
	if r.LeftOut > 0 {
		parts = append(parts, strconv.Itoa(r.LeftOut)+" threads of other inboxes were left out (inboxId).")
	}
	switch {
	case r.Scanned && r.NextCursor != "":
		parts = append(parts, "nextCursor matches older threads.")
	case r.Bounded:
		parts = append(parts, "The page bound ("+strconv.Itoa(inbox.SearchPageBound)+" threads read per contact and status) ended this page early; nextCursor reads on.")
	}
	return strings.Join(parts, " ")
}
