package view

import (
	"html"
	"regexp"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Message is one entry of a thread's history as a model reads it: a
// message, an internal comment, a welcome message or an event. Fields of
// other types stay absent, and so does what repeats elsewhere: the
// channel (the thread has it), the creator when it is the sender, chat
// delivery identifiers (opaque), the chat widget as recipient of an
// incoming chat, RECEIVED as the status of an incoming message.
type Message struct {
	ID string `json:"id"`
	// Type is MESSAGE, COMMENT (internal note), WELCOME_MESSAGE,
	// ASSIGNMENT, THREAD_STATUS_CHANGE or THREAD_INBOX_CHANGE.
	Type      string `json:"type"`
	CreatedAt Time   `json:"createdAt,omitzero"`
	// Direction is INCOMING (from the customer) or OUTGOING (from the team).
	Direction string `json:"direction,omitempty"`
	// From wrote the entry, or made the change of an event.
	From *Person  `json:"from,omitempty"`
	To   []Person `json:"to,omitempty"`
	// Subject is an email's subject.
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text,omitempty"`
	// Truncated: HubSpot shortened this email to its latest reply;
	// get_message_original_content has the full text.
	Truncated   bool         `json:"truncated,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Status is the delivery status of an outgoing message: SENT, READ or FAILED.
	Status          string `json:"status,omitempty"`
	DeliveryFailure string `json:"deliveryFailure,omitempty"`
	// Events.
	AssignedFrom *Person `json:"assignedFrom,omitempty"`
	AssignedTo   *Person `json:"assignedTo,omitempty"`
	NewStatus    string  `json:"newStatus,omitempty"`
	FromInboxID  string  `json:"fromInboxId,omitempty"`
	ToInboxID    string  `json:"toInboxId,omitempty"`
	// Properties holds what HubSpot returned for a requested property.
	Properties map[string]any `json:"properties,omitempty"`
}

// Attachment is a file, quick-reply buttons, or another attachment.
type Attachment struct {
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
	// FileID is a HubSpot file ID, for sending the file again.
	FileID string `json:"fileId,omitempty"`
	// QuickReplies are the buttons of a QUICK_REPLIES attachment.
	QuickReplies []QuickReply `json:"quickReplies,omitempty"`
}

// QuickReply is one button: its label, and the value sent when chosen
// (left out when it is the label).
type QuickReply struct {
	Label string `json:"label"`
	Value string `json:"value,omitempty"`
	// ValueType is URL for a link button; TEXT is left out.
	ValueType string `json:"valueType,omitempty"`
}

// NewMessage builds the view of m. people names actors HubSpot did not
// name (nil shows IDs alone); property is the HubSpot property the caller
// asked for, if any.
func NewMessage(m hubspot.Message, people People, property string) Message {
	v := Message{ID: m.ID, Type: Word(m.Type), CreatedAt: At(m.CreatedAt), Properties: Properties(m.Extra, property)}
	switch m.Type {
	case hubspot.MessageTypeMessage, hubspot.MessageTypeComment, hubspot.MessageTypeWelcomeMessage:
		v.From = sender(m, people)
		text := m.Text
		if strings.TrimSpace(text) == "" && m.RichText != "" {
			text = htmlToText(m.RichText)
		}
		v.Text = Text(text)
		for _, a := range m.Attachments {
			v.Attachments = append(v.Attachments, newAttachment(a))
		}
	default:
		v.From = people.person(m.CreatedBy, "")
	}
	switch m.Type {
	case hubspot.MessageTypeMessage:
		v.Direction = Word(m.Direction)
		v.Subject = Line(m.Subject, 300)
		v.Truncated = m.Truncated()
		v.To = recipients(m, people)
		if s := m.Status; s != nil && !(s.StatusType == "RECEIVED" && m.Direction == hubspot.DirectionIncoming) {
			v.Status = Word(s.StatusType)
			if s.FailureDetails != nil {
				v.DeliveryFailure = Line(s.FailureDetails.ErrorMessage, 300)
			}
		}
	case hubspot.MessageTypeAssignment:
		v.AssignedFrom = people.person(m.AssignedFrom, "")
		v.AssignedTo = people.person(m.AssignedTo, "")
	case hubspot.MessageTypeThreadStatusChange:
		v.NewStatus = Word(m.NewStatus)
	case hubspot.MessageTypeThreadInboxChange:
		v.FromInboxID, v.ToInboxID = m.FromInboxID, m.ToInboxID
	}
	return v
}

// sender is the first sender, or the creator when HubSpot names none.
func sender(m hubspot.Message, people People) *Person {
	if len(m.Senders) == 0 {
		return people.person(m.CreatedBy, "")
	}
	s := m.Senders[0]
	id := s.ActorID
	if id == "" {
		id = m.CreatedBy
	}
	p := people.person(id, s.Name)
	if p == nil {
		p = &Person{}
	}
	address(p, s.DeliveryIdentifier)
	if p.empty() {
		return nil
	}
	return p
}

// recipients lists who a MESSAGE went to, leaving out what says nothing:
// a recipient known only by an opaque chat identifier (the chat widget of
// an incoming chat).
func recipients(m hubspot.Message, people People) []Person {
	var out []Person
	for _, r := range m.Recipients {
		p := people.person(r.ActorID, r.Name)
		if p == nil {
			p = &Person{}
		}
		d := r.DeliveryIdentifier
		if d == nil && len(r.DeliveryIdentifiers) > 0 {
			d = &r.DeliveryIdentifiers[0]
		}
		address(p, d)
		if r.RecipientField == "CC" || r.RecipientField == "BCC" {
			p.Field = r.RecipientField
		}
		if !p.empty() {
			out = append(out, *p)
		}
	}
	return out
}

// address adds an email address, phone number or short code; opaque
// channel-specific identifiers mean nothing to a reader and are left out.
func address(p *Person, d *hubspot.DeliveryIdentifier) {
	if d == nil {
		return
	}
	switch d.Type {
	case hubspot.DeliveryEmail:
		if p.Email == "" {
			p.Email = Line(d.Value, 200)
		}
	case hubspot.DeliveryPhone, hubspot.DeliveryShortCode:
		p.Address = Line(d.Value, 60)
	}
}

func newAttachment(a hubspot.Attachment) Attachment {
	v := Attachment{Type: Word(a.Type), Name: Line(a.Name, 200), URL: Line(a.URL, 500), FileID: string(a.FileID)}
	for _, q := range a.QuickReplies {
		r := QuickReply{Label: Line(q.Label, 100), Value: Line(q.Value, 300)}
		if r.Label == "" {
			r.Label = r.Value
		}
		if r.Value == r.Label {
			r.Value = ""
		}
		if q.ValueType != "TEXT" {
			r.ValueType = Word(q.ValueType)
		}
		v.QuickReplies = append(v.QuickReplies, r)
	}
	return v
}

var (
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	breakRE = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li)\s*/?>`)
)

// htmlToText is a crude plain-text view of HubSpot's richText, used only
// when a message has no plain text.
func htmlToText(s string) string {
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}
