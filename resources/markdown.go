package resources

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// Every line of a rendered transcript outside a fenced block is ours:
// headings, speaker lines and "- key: value" details. Values people wrote
// (names, subjects, file names) only appear inside code spans, cleaned to
// one line without backticks; message text only inside fenced blocks
// longer than any backtick run it contains. transcript_test.go parses the
// output to prove it.

// markdown renders the transcript.
func (t *transcript) markdown() string {
	var b strings.Builder
	th := t.Thread
	fmt.Fprintf(&b, "# Conversation thread %s\n\n", th.ID)
	b.WriteString("> **Note:** " + dataNote + "\n\n")
	fmt.Fprintf(&b, "- Status: %s\n", view.Word(th.Status))
	inbox := th.InboxID
	if t.InboxName != "" {
		inbox = code(t.InboxName) + " (" + th.InboxID + ")"
	}
	fmt.Fprintf(&b, "- Inbox: %s\n", inbox)
	if th.CustomerPerson != nil {
		fmt.Fprintf(&b, "- Customer: %s\n", personLine(th.CustomerPerson))
	}
	if th.Assignee != nil {
		fmt.Fprintf(&b, "- Assigned to: %s\n", personLine(th.Assignee))
	} else {
		b.WriteString("- Assigned to: nobody\n")
	}
	if th.Channel != "" {
		fmt.Fprintf(&b, "- Channel: %s\n", code(th.Channel))
	}
	latest := "- Latest message: " + when(th.LatestMessageAt)
	if th.LatestFrom != "" {
		latest += " (from the " + th.LatestFrom + ")"
	}
	b.WriteString(latest + "\n")
	if th.TicketID != "" {
		fmt.Fprintf(&b, "- Ticket: %s\n", safeID(th.TicketID))
	}
	fmt.Fprintf(&b, "- Same data as JSON: %s/json\n", threadURI(th.ID))
	fmt.Fprintf(&b, "\n## History: %d entries, oldest first\n", len(t.Messages))
	if t.OlderOmitted {
		fmt.Fprintf(&b, "\n- Older entries are not shown: call list_messages with threadId %s to page further back.\n", th.ID)
	}
	for _, m := range t.Messages {
		b.WriteString("\n")
		m.markdown(&b, th.ID, t.inboxNames)
	}
	return b.String()
}

// markdown renders one history entry: a speaker line, the text in a
// fenced block, then details.
func (m *entry) markdown(b *strings.Builder, threadID string, inboxNames map[string]string) {
	head := fmt.Sprintf("### %d · %s", m.N, roleLabel(m))
	switch m.role() {
	case roleEvent:
		b.WriteString(head + " · " + when(m.CreatedAt) + " · " + m.event(inboxNames) + "\n")
		return
	default:
		if m.From != nil {
			head += " from " + personLine(m.From)
		}
		b.WriteString(head + " · " + when(m.CreatedAt) + "\n")
	}
	if m.Text == "" {
		b.WriteString("- (no text)\n")
	} else {
		fenced(b, m.Text)
	}
	if m.Subject != "" {
		b.WriteString("- Subject: " + code(m.Subject) + "\n")
	}
	for _, a := range m.Attachments {
		switch {
		case len(a.QuickReplies) > 0:
			labels := make([]string, len(a.QuickReplies))
			for i, q := range a.QuickReplies {
				labels[i] = code(q.Label)
			}
			b.WriteString("- Attachment " + a.Type + ": " + strings.Join(labels, ", ") + "\n")
		case a.Name != "":
			b.WriteString("- Attachment " + a.Type + ": " + code(a.Name) + "\n")
		default:
			b.WriteString("- Attachment " + a.Type + "\n")
		}
	}
	if m.Truncated {
		id := code(m.ID)
		if hubspot.ValidateMessageID("messageId", m.ID) == nil {
			id = m.ID
		}
		b.WriteString("- Truncated: HubSpot cut this email; for its full text call get_message_original_content with threadId " +
			safeID(threadID) + " and messageId " + id + "\n")
	}
	if m.DeliveryFailure != "" {
		b.WriteString("- Delivery failed: " + code(m.DeliveryFailure) + "\n")
	}
}

// roleLabel is the speaker kind, in capitals so it stands out from text.
func roleLabel(m *entry) string {
	role := m.role()
	switch role {
	case roleCustomer:
		return "CUSTOMER MESSAGE (incoming)"
	case roleComment:
		return "INTERNAL COMMENT (agents only, not sent to the customer)"
	case roleWelcome:
		return "WELCOME MESSAGE (automatic greeting)"
	case roleEvent:
		return "EVENT"
	case "other":
		return "OTHER ENTRY (" + view.Word(m.Type) + ")"
	}
	return strings.ToUpper(strings.ReplaceAll(role, "-", " ")) + " MESSAGE (outgoing)"
}

// event describes an assignment, status or inbox change.
func (m *entry) event(inboxNames map[string]string) string {
	by := ""
	if m.From != nil {
		by = " by " + personLine(m.From)
	}
	switch m.Type {
	case hubspot.MessageTypeAssignment:
		if m.AssignedTo == nil {
			return "unassigned" + by
		}
		return "assigned to " + personLine(m.AssignedTo) + by
	case hubspot.MessageTypeThreadStatusChange:
		return "status changed to " + m.NewStatus + by
	case hubspot.MessageTypeThreadInboxChange:
		return "moved from inbox " + inboxLine(m.FromInboxID, inboxNames) + " to inbox " + inboxLine(m.ToInboxID, inboxNames) + by
	}
	return view.Word(m.Type)
}

// personLine is the one person line (view.Person.Line) with names in code
// spans: who someone is, by name (or email address) and IDs; the
// transcript shows no addresses beside a name.
func personLine(p *view.Person) string {
	if p == nil {
		return "(unknown)"
	}
	shown := view.Person{ActorID: p.ActorID, ContactID: p.ContactID, Name: cmp.Or(p.Name, p.Email)}
	return cmp.Or(shown.Line(code), "(unknown)")
}

func inboxLine(id string, names map[string]string) string {
	if id == "" {
		return "(unknown)"
	}
	if names[id] == "" {
		return safeID(id)
	}
	return code(names[id]) + " (" + safeID(id) + ")"
}

// safeID shows an ID as is when it is a well-formed HubSpot ID, and as a
// code span otherwise.
func safeID(id string) string { return view.ID(id, code) }

func when(t view.Time) string {
	if t.IsZero() {
		return "unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
