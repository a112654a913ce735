package resources

import (
	"fmt"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
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
	fmt.Fprintf(&b, "- Status: %s\n", upperWord(th.Status))
	inbox := th.InboxID
	if t.InboxName != "" {
		inbox = code(t.InboxName) + " (" + th.InboxID + ")"
	}
	fmt.Fprintf(&b, "- Inbox: %s\n", inbox)
	if th.From != nil {
		fmt.Fprintf(&b, "- Customer: %s\n", personLine(th.From))
	}
	if th.AssignedTo != nil {
		fmt.Fprintf(&b, "- Assigned to: %s\n", personLine(th.AssignedTo))
	} else {
		b.WriteString("- Assigned to: nobody\n")
	}
	if th.Channel != "" {
		fmt.Fprintf(&b, "- Channel: %s (channel account %s)\n", th.Channel, safeID(th.ChannelAccountID))
	}
	fmt.Fprintf(&b, "- Created: %s; latest message: %s\n", when(th.CreatedAt), when(th.LatestMessageAt))
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
		m.markdown(&b)
	}
	return b.String()
}

// markdown renders one history entry: a speaker line, the text in a
// fenced block, then details.
func (m *messageView) markdown(b *strings.Builder) {
	head := fmt.Sprintf("### %d · %s", m.N, roleLabel(m))
	switch m.Role {
	case roleEvent:
		b.WriteString(head + " · " + when(m.CreatedAt) + " · " + m.event() + "\n")
		return
	default:
		if m.From != nil {
			head += " from " + personLine(m.From)
		}
		if m.Channel != "" {
			head += " · " + m.Channel
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
		case len(a.Labels) > 0:
			labels := make([]string, len(a.Labels))
			for i, l := range a.Labels {
				labels[i] = code(l)
			}
			b.WriteString("- Attachment " + a.Type + ": " + strings.Join(labels, ", ") + "\n")
		case a.Name != "":
			b.WriteString("- Attachment " + a.Type + ": " + code(a.Name) + "\n")
		default:
			b.WriteString("- Attachment " + a.Type + "\n")
		}
	}
	if m.TruncationStatus != "" {
		b.WriteString("- Truncated (" + upperWord(m.TruncationStatus) + "): HubSpot cut this email; for its full text call " + m.FullText + "\n")
	}
	if m.DeliveryFailure != "" {
		b.WriteString("- Delivery failed: " + code(m.DeliveryFailure) + "\n")
	}
}

// roleLabel is the speaker kind, in capitals so it stands out from text.
func roleLabel(m *messageView) string {
	switch m.Role {
	case roleCustomer:
		return "CUSTOMER MESSAGE (incoming)"
	case roleComment:
		return "INTERNAL COMMENT (agents only, not sent to the customer)"
	case roleWelcome:
		return "WELCOME MESSAGE (automatic greeting)"
	case roleEvent:
		return "EVENT"
	case "other":
		return "OTHER ENTRY (" + upperWord(m.Type) + ")"
	}
	return strings.ToUpper(strings.ReplaceAll(m.Role, "-", " ")) + " MESSAGE (outgoing)"
}

// event describes an assignment, status or inbox change.
func (m *messageView) event() string {
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
		return "moved from inbox " + inboxLine(m.FromInbox) + " to inbox " + inboxLine(m.ToInbox) + by
	}
	return upperWord(m.Type)
}

func personLine(p *personView) string {
	var ids []string
	if p.ActorID != "" {
		ids = append(ids, safeID(p.ActorID))
	}
	if p.ContactID != "" {
		ids = append(ids, "contact "+safeID(p.ContactID))
	}
	name := p.Name
	if name == "" {
		name = p.Email
	}
	switch {
	case name == "" && len(ids) == 0:
		return "(unknown)"
	case name == "":
		return strings.Join(ids, ", ")
	case len(ids) == 0:
		return code(name)
	}
	return code(name) + " (" + strings.Join(ids, ", ") + ")"
}

func inboxLine(in *inboxRef) string {
	if in == nil || in.ID == "" {
		return "(unknown)"
	}
	if in.Name == "" {
		return safeID(in.ID)
	}
	return code(in.Name) + " (" + safeID(in.ID) + ")"
}

// safeID shows an ID as is when it is a well-formed HubSpot ID, and as a
// code span otherwise.
func safeID(id string) string {
	if hubspot.ValidateNumericID("id", id) == nil || hubspot.ValidateActorID("id", id) == nil {
		return id
	}
	return code(id)
}

func when(t hubspot.Time) string {
	if t.IsZero() {
		return "unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
