package sandbox

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// seedThread describes a seeded thread. Its status, assignee and inbox are
// not stated: they follow from its event messages, as in HubSpot.
type seedThread struct {
	id       string
	account  string        // channel account the customer wrote to
	visitor  int           // index into the profile's visitors
	start    time.Duration // how long before referenceTime the first message came
	subject  string        // email subject
	ticket   string        // associated ticket ID
	archived bool
	msgs     []seedMsg
}

type msgKind int

const (
	kindIn msgKind = iota
	kindOut
	kindNote
	kindWelcome
	kindAssign
	kindStatus
	kindMove
)

// seedMsg is one seeded message; gap is the time since the previous one.
// Text may use {first} and {name} (the customer), {company}, {domain},
// {riley} and {sam} (the first names of the two agents).
type seedMsg struct {
	kind        msgKind
	gap         time.Duration
	by          string // actor for everything but incoming messages
	text        string
	target      string // assignee, status or inbox, by kind
	attachments []any
	cc          bool   // email: copy EmailActorID
	id          string // fixed message ID
	truncated   bool
	failed      bool
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func in(gap int, text string) seedMsg { return seedMsg{kind: kindIn, gap: minutes(gap), text: text} }

func out(gap int, by, text string) seedMsg {
	return seedMsg{kind: kindOut, gap: minutes(gap), by: by, text: text}
}

func note(gap int, by, text string) seedMsg {
	return seedMsg{kind: kindNote, gap: minutes(gap), by: by, text: text}
}

func welcome(gap int, text string) seedMsg {
	return seedMsg{kind: kindWelcome, gap: minutes(gap), by: BotActorID, text: text}
}

func assign(gap int, by, to string) seedMsg {
	return seedMsg{kind: kindAssign, gap: minutes(gap), by: by, target: to}
}

func closeThread(gap int, by string) seedMsg {
	return seedMsg{kind: kindStatus, gap: minutes(gap), by: by, target: statusClosed}
}

func reopen(gap int, by string) seedMsg {
	return seedMsg{kind: kindStatus, gap: minutes(gap), by: by, target: statusOpen}
}

func move(gap int, by, toInbox string) seedMsg {
	return seedMsg{kind: kindMove, gap: minutes(gap), by: by, target: toInbox}
}

func (m seedMsg) with(att ...any) seedMsg { m.attachments = append(m.attachments, att...); return m }
func (m seedMsg) withCC() seedMsg         { m.cc = true; return m }
func (m seedMsg) failing() seedMsg        { m.failed = true; return m }

// truncatedAs marks an incoming email as cut to its most recent reply,
// with a fixed ID.
func (m seedMsg) truncatedAs(id string) seedMsg { m.truncated, m.id = true, id; return m }

func image(name string) fileAttachment {
	return fileAttachment{Type: attachmentFile, FileID: fileIDOf(name), FileUsageType: "IMAGE", Name: name,
		URL: "https://files.hubspot-sandbox.example/uploads/" + name}
}

func document(name string) fileAttachment {
	f := image(name)
	f.FileUsageType = "OTHER"
	return f
}

func quickReplies(labels ...string) quickRepliesAttachment {
	q := quickRepliesAttachment{Type: attachmentQuickReplies}
	for _, l := range labels {
		q.QuickReplies = append(q.QuickReplies, quickReply{Label: l, Value: l, ValueType: "TEXT"})
	}
	return q
}

// fileIDOf gives a seeded file a stable numeric HubSpot file ID.
func fileIDOf(name string) string {
	h := uint64(14695981039346656037)
	for _, c := range []byte(name) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return fmt.Sprint(180000000000 + h%1000000000)
}

// buildThread turns a seedThread into a thread of the account.
func (a *Account) buildThread(st seedThread) {
	ca := a.channelAccounts[st.account]
	t := &thread{
		id: st.id, inboxID: ca.InboxID, status: statusOpen, contactID: strings.TrimPrefix(visitorID(st.visitor), "V-"),
		visitorID: visitorID(st.visitor), channelID: ca.ChannelID, channelAccountID: ca.ID,
		ticketID: st.ticket, subject: st.subject,
	}
	who := a.profile.visitors[st.visitor]
	fill := strings.NewReplacer("{first}", who.first, "{name}", who.name(), "{company}", a.profile.company,
		"{domain}", a.profile.domain, "{riley}", a.profile.agents[0].first, "{sam}", a.profile.agents[1].first)
	at := referenceTime.Add(-st.start)
	for i, sm := range st.msgs {
		at = at.Add(sm.gap)
		m := a.seedMessage(t, sm, fill.Replace(sm.text), at)
		m.id = sm.id
		if m.id == "" {
			m.id = hashID(fmt.Sprintf("seed/%s/%d", t.id, i))
		}
		if sm.truncated {
			m.truncation = truncatedToMostRecent
			m.original = t.quotedOriginal(m, len(t.messages))
		}
		t.appendMessage(m)
	}
	t.createdAt = t.messages[0].createdAt
	markRead(t)
	if st.archived {
		t.archived, t.archivedAt = true, at.Add(2*time.Hour)
	}
	a.threads[t.id] = t
}

// seedMessage builds one seeded message and applies its effect on t.
func (a *Account) seedMessage(t *thread, sm seedMsg, text string, at time.Time) *message {
	cl := a.clientOf(sm.by)
	switch sm.kind {
	case kindIn:
		m := a.customerMessage(t, text, at)
		m.attachments = sm.attachments
		if sm.cc {
			m.recipients = append(m.recipients, a.ccRecipient())
		}
		return m
	case kindOut:
		m := a.outgoingMessage(t, sm.by, text, at)
		m.client, m.attachments = cl, sm.attachments
		if sm.cc {
			m.recipients = append(m.recipients, a.ccRecipient())
		}
		if sm.failed {
			m.status = &messageStatus{StatusType: "FAILED", FailureDetails: &failureDetails{
				ErrorMessageTokens: map[string]string{"channel": "FACEBOOK_MESSENGER", "reason": "OUTSIDE_MESSAGING_WINDOW"},
				ErrorMessage:       "This message was sent outside the 24-hour messaging window and was not delivered.",
			}}
		}
		return m
	case kindNote:
		return &message{typ: typeComment, createdAt: at, createdBy: sm.by, client: cl,
			senders: []sender{{ActorID: sm.by, Name: a.actors[sm.by].Name}},
			text:    text, richText: richTextOf(text), attachments: sm.attachments}
	case kindWelcome:
		bot := a.actors[sm.by]
		return &message{typ: typeWelcome, createdAt: at, createdBy: bot.ID, client: cl,
			senders:    []sender{{ActorID: bot.ID, Name: bot.Name}},
			recipients: []recipient{{ActorID: t.visitorID, DeliveryIdentifier: a.customerAddress(t)}},
			text:       text, richText: richTextOf(text), channelID: t.channelID, channelAccountID: t.channelAccountID}
	case kindAssign:
		m := &message{typ: typeAssignment, createdAt: at, createdBy: sm.by, client: cl,
			assignedFrom: t.assignedTo, assignedTo: sm.target}
		t.assignedTo = sm.target
		return m
	case kindStatus:
		m := a.statusChange(sm.by, sm.target, at)
		m.client = cl
		t.status, t.closedAt = sm.target, time.Time{}
		if sm.target == statusClosed {
			t.closedAt = at
		}
		return m
	default: // kindMove
		m := &message{typ: typeInboxChange, createdAt: at, createdBy: sm.by, client: cl,
			fromInboxID: t.inboxID, toInboxID: sm.target}
		t.inboxID = sm.target
		return m
	}
}

// clientOf is the client a seeded actor writes with.
func (a *Account) clientOf(actorID string) client {
	switch actorTypeOf(actorID) {
	case actorSystem:
		return client{ClientType: clientSystem}
	case actorIntegrator:
		return client{ClientType: clientIntegration, IntegrationAppID: a.profile.appID}
	}
	return client{ClientType: clientHubSpot}
}

// customerAddress is how the channel identifies the thread's customer.
func (a *Account) customerAddress(t *thread) deliveryIdentifier {
	switch t.channelID {
	case EmailChannelID:
		return deliveryIdentifier{Type: deliveryEmail, Value: a.actors[t.visitorID].Email}
	case MessengerChannelID:
		return deliveryIdentifier{Type: deliveryOpaque, Value: fmt.Sprintf("61%014s", t.contactID)}
	}
	return deliveryIdentifier{Type: deliveryOpaque, Value: hashID("chat-visitor/" + t.contactID)[:24]}
}

func (a *Account) ccRecipient() recipient {
	act := a.actors[EmailActorID]
	return recipient{ActorID: act.ID, Name: "Jordan Lee", RecipientField: "CC",
		DeliveryIdentifier: deliveryIdentifier{Type: deliveryEmail, Value: act.Email}}
}

// emailSubject is the subject of a new message on an email thread.
func (t *thread) emailSubject() string {
	if len(t.messages) == 0 {
		return t.subject
	}
	return "Re: " + t.subject
}

// customerMessage is an incoming message from the thread's customer.
func (a *Account) customerMessage(t *thread, text string, at time.Time) *message {
	v := a.actors[t.visitorID]
	from := a.customerAddress(t)
	s := sender{ActorID: v.ID, Name: v.Name, DeliveryIdentifier: &from}
	r := recipient{DeliveryIdentifier: *a.channelAccounts[t.channelAccountID].DeliveryIdentifier}
	m := &message{typ: typeMessage, createdAt: at, createdBy: v.ID, client: client{ClientType: clientHubSpot},
		text: text, richText: richTextOf(text), truncation: notTruncated, direction: directionIncoming,
		channelID: t.channelID, channelAccountID: t.channelAccountID, status: &messageStatus{StatusType: "RECEIVED"}}
	if t.channelID == EmailChannelID {
		s.SenderField, r.RecipientField = "FROM", "TO"
		m.subject, m.inReplyTo = t.emailSubject(), t.lastMessageID(directionOutgoing)
	}
	m.senders, m.recipients = []sender{s}, []recipient{r}
	return m
}

// outgoingMessage is a message from an agent, bot, AI agent or app to the
// thread's customer.
func (a *Account) outgoingMessage(t *thread, by, text string, at time.Time) *message {
	act := a.actors[by]
	to := recipient{ActorID: t.visitorID, Name: a.actors[t.visitorID].Name, DeliveryIdentifier: a.customerAddress(t)}
	s := sender{ActorID: act.ID, Name: act.Name}
	m := &message{typ: typeMessage, createdAt: at, createdBy: act.ID, text: text, richText: richTextOf(text),
		truncation: notTruncated, direction: directionOutgoing, channelID: t.channelID,
		channelAccountID: t.channelAccountID, status: &messageStatus{StatusType: "SENT"}}
	if t.channelID == EmailChannelID {
		s.SenderField, to.RecipientField = "FROM", "TO"
		s.DeliveryIdentifier = a.channelAccounts[t.channelAccountID].DeliveryIdentifier
		m.subject, m.inReplyTo = t.emailSubject(), t.lastMessageID(directionIncoming)
	}
	m.senders, m.recipients = []sender{s}, []recipient{to}
	return m
}

// lastMessageID is the ID of the thread's latest MESSAGE in direction.
func (t *thread) lastMessageID(direction string) string {
	for i := len(t.messages) - 1; i >= 0; i-- {
		if m := t.messages[i]; m.typ == typeMessage && m.direction == direction {
			return m.id
		}
	}
	return ""
}

// markRead marks outgoing chat and Messenger messages the customer answered
// afterwards as READ.
func markRead(t *thread) {
	answered := false
	for i := len(t.messages) - 1; i >= 0; i-- {
		m := t.messages[i]
		switch {
		case m.typ != typeMessage || t.channelID == EmailChannelID:
		case m.direction == directionIncoming:
			answered = true
		case answered && m.status.StatusType == "SENT":
			m.status = &messageStatus{StatusType: "READ"}
		}
	}
}

// quotedOriginal is the full email m was cut from: its text followed by
// the quoted history of the earlier emails, the way mail clients quote it.
// Only the messages before index before are quoted.
func (t *thread) quotedOriginal(m *message, before int) *messageContent {
	text, rich := m.text, m.richText
	for i := before - 1; i >= 0; i-- {
		prev := t.messages[i]
		if prev.typ != typeMessage {
			continue
		}
		var from string
		if len(prev.senders) > 0 && prev.senders[0].DeliveryIdentifier != nil {
			from = fmt.Sprintf("%s <%s>", prev.senders[0].Name, prev.senders[0].DeliveryIdentifier.Value)
		}
		header := fmt.Sprintf("On %s, %s wrote:", prev.createdAt.Format("Mon, Jan 2, 2006 at 3:04 PM"), from)
		inner := t.quotedOriginal(prev, i)
		text += "\n\n" + header + "\n" + quoteLines(inner.Text)
		rich += `<div class="gmail_quote"><p>` + html.EscapeString(header) + "</p><blockquote>" + inner.RichText + "</blockquote></div>"
		break
	}
	return &messageContent{Text: text, RichText: rich}
}

// quoteLines quotes text one level deeper, mail style.
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ">") {
			lines[i] = ">" + l
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}
