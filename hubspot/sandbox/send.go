package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strings"
)

// flexString accepts a JSON string or number, as HubSpot's Java API does
// for the string IDs of a message egg.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: typeOfString}
	}
	*f = flexString(n.String())
	return nil
}

var typeOfString = reflect.TypeFor[string]()

// messageEgg is HubSpot's PublicMessageEgg: a MESSAGE or a COMMENT.
type messageEgg struct {
	Type             *string         `json:"type"`
	Text             *string         `json:"text"`
	RichText         string          `json:"richText"`
	Subject          string          `json:"subject"`
	Attachments      json.RawMessage `json:"attachments"`
	ChannelID        flexString      `json:"channelId"`
	ChannelAccountID flexString      `json:"channelAccountId"`
	SenderActorID    string          `json:"senderActorId"`
	Recipients       json.RawMessage `json:"recipients"`
}

type recipientEgg struct {
	ActorID             string               `json:"actorId"`
	Name                string               `json:"name"`
	RecipientField      string               `json:"recipientField"`
	DeliveryIdentifier  *deliveryIdentifier  `json:"deliveryIdentifier"`
	DeliveryIdentifiers []deliveryIdentifier `json:"deliveryIdentifiers"`
}

type attachmentEgg struct {
	Type           string          `json:"type"`
	FileID         flexString      `json:"fileId"`
	QuickReplies   []quickReply    `json:"quickReplies"`
	SocialMetadata *socialMetadata `json:"socialMetadata"`
}

// Sub-categories of HubSpot's Conversations validation errors.
const (
	subUnsupportedActor = "ConversationsApiError.UNSUPPORTED_ACTOR_TYPE"
	subInvalidArgType   = "ConversationsApiError.INVALID_ARGUMENT_TYPE"
)

// sendMessage is POST /threads/{threadId}/messages.
func sendMessage(a *Account, r *http.Request) (reply, error) {
	var egg messageEgg
	if err := decodeBody(r, &egg); err != nil {
		return reply{}, err
	}
	t, err := a.findThread(r.PathValue("threadId"), false)
	if err != nil {
		return reply{}, err
	}
	v := eggValidator{a: a}
	attachments := v.check(&egg)
	if len(v.details) > 0 {
		return reply{}, validationErrors(v.details)
	}
	now := a.now()
	m := &message{id: a.newMessageID(), typ: *egg.Type, createdAt: now, client: a.apiClient(),
		text: *egg.Text, richText: egg.RichText, attachments: attachments}
	if m.richText == "" {
		m.richText = richTextOf(m.text)
	}
	if m.typ == typeComment {
		m.createdBy = AgentActorID
		m.senders = []sender{{ActorID: AgentActorID, Name: a.actors[AgentActorID].Name}}
	} else {
		a.fillOutgoing(t, m, &egg, v.recipients)
	}
	t.appendMessage(m)
	loc := fmt.Sprintf("%s%s/threads/%s/messages/%s", baseURL(r), convPrefix, t.id, m.id)
	return reply{status: http.StatusCreated, body: m.view(), location: loc}, nil
}

// fillOutgoing completes an outgoing MESSAGE from a validated egg.
func (a *Account) fillOutgoing(t *thread, m *message, egg *messageEgg, recipients []recipientEgg) {
	ca := a.channelAccounts[string(egg.ChannelAccountID)]
	agent := a.actors[egg.SenderActorID]
	m.createdBy = agent.ID
	m.direction, m.truncation = directionOutgoing, notTruncated
	m.channelID, m.channelAccountID = ca.ChannelID, ca.ID
	m.status = &messageStatus{StatusType: "SENT"}
	s := sender{ActorID: agent.ID, Name: agent.Name}
	if ca.ChannelID == EmailChannelID {
		s.SenderField = "FROM"
		s.DeliveryIdentifier = ca.DeliveryIdentifier
		m.subject = egg.Subject // HubSpot ignores subject on other channels
		for _, old := range slices.Backward(t.messages) {
			if old.typ == typeMessage && old.direction == directionIncoming {
				m.inReplyTo = old.id
				break
			}
		}
	}
	m.senders = []sender{s}
	for _, re := range recipients {
		di := re.DeliveryIdentifier
		if di == nil {
			di = &re.DeliveryIdentifiers[0]
		}
		m.recipients = append(m.recipients, recipient{ActorID: re.ActorID, Name: re.Name,
			RecipientField: re.RecipientField, DeliveryIdentifier: *di})
	}
}

// richTextOf is the HTML HubSpot stores for plain text: one paragraph per
// blank-line-separated block, the text HTML-escaped.
func richTextOf(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
	}
	return b.String()
}

// eggValidator collects every problem of a message egg, as HubSpot reports
// them all at once.
type eggValidator struct {
	a          *Account
	details    []errorDetail
	recipients []recipientEgg
}

func (v *eggValidator) add(in, sub, format string, args ...any) {
	v.details = append(v.details, errorDetail{Message: fmt.Sprintf(format, args...), In: in, Code: "INVALID", SubCategory: sub})
}

func (v *eggValidator) required(in string) {
	v.details = append(v.details, errorDetail{Message: fmt.Sprintf("%s is required", in), In: in, Code: "REQUIRED"})
}

// check validates the egg and returns its attachments as HubSpot renders them.
func (v *eggValidator) check(egg *messageEgg) []any {
	switch {
	case egg.Type == nil:
		v.required("type")
	case *egg.Type != typeMessage && *egg.Type != typeComment:
		v.add("type", "", "Invalid value for field 'type': %q; allowed values are MESSAGE, COMMENT", *egg.Type)
	}
	if egg.Text == nil || *egg.Text == "" {
		v.required("text")
	}
	attachments := v.attachments(egg.Attachments)
	if egg.Type != nil && *egg.Type == typeMessage {
		v.channel(egg)
		v.sender(egg.SenderActorID)
		v.recipientList(egg.Recipients)
	}
	return attachments
}

func (v *eggValidator) channel(egg *messageEgg) {
	chID, caID := canonicalID(string(egg.ChannelID)), canonicalID(string(egg.ChannelAccountID))
	egg.ChannelID, egg.ChannelAccountID = flexString(chID), flexString(caID)
	if chID == "" {
		v.required("channelId")
	} else if _, ok := v.a.channels[chID]; !ok {
		v.add("channelId", "", "Channel %s does not exist", chID)
	}
	if caID == "" {
		v.required("channelAccountId")
		return
	}
	ca, ok := v.a.channelAccounts[caID]
	switch {
	case !ok || ca.Archived:
		v.add("channelAccountId", "", "Channel account %s does not exist", caID)
	case chID != "" && ca.ChannelID != chID:
		v.add("channelAccountId", "", "Channel account %s does not belong to channel %s", caID, chID)
	}
}

func (v *eggValidator) sender(id string) {
	if id == "" {
		v.required("senderActorId")
		return
	}
	act, ok := v.a.actors[id]
	switch {
	case !ok && actorTypeOf(id) == "":
		v.add("senderActorId", subInvalidArgType, "Invalid actorId type")
	case !ok:
		v.add("senderActorId", "", "Actor %s does not exist", id)
	case act.Type != actorAgent:
		v.add("senderActorId", subUnsupportedActor, "Actor type %s is not supported for sending", act.Type)
		v.add("senderActorId", subInvalidArgType, "Invalid actorId type")
	}
}

func (v *eggValidator) recipientList(raw json.RawMessage) {
	if isNull(raw) {
		v.required("recipients")
		return
	}
	if err := json.Unmarshal(raw, &v.recipients); err != nil {
		v.add("recipients", "", "Invalid value for field 'recipients': expected an array of recipients")
		return
	}
	if len(v.recipients) == 0 {
		v.add("recipients", "", "recipients must contain at least one recipient")
	}
	for i, re := range v.recipients {
		in := fmt.Sprintf("recipients[%d]", i)
		if actorTypeOf(re.ActorID) == actorAgent {
			v.add(in+".actorId", subUnsupportedActor, "Actor type AGENT is not supported for receiving")
		}
		if len(re.DeliveryIdentifiers) == 0 {
			v.required(in + ".deliveryIdentifiers")
		}
		ids := re.DeliveryIdentifiers
		if re.DeliveryIdentifier != nil {
			ids = append(slices.Clip(ids), *re.DeliveryIdentifier)
		}
		for _, di := range ids {
			if !slices.Contains([]string{deliveryEmail, deliveryPhone, deliveryShortCode, deliveryOpaque}, di.Type) {
				v.add(in+".deliveryIdentifiers", "", "Invalid delivery identifier type %q", di.Type)
			}
			if di.Value == "" {
				v.required(in + ".deliveryIdentifiers.value")
			}
		}
	}
}

// attachments validates the egg's attachments (absent is accepted, as in
// HubSpot's own examples) and converts them to their rendered form.
func (v *eggValidator) attachments(raw json.RawMessage) []any {
	out := []any{}
	if isNull(raw) {
		return out
	}
	var eggs []attachmentEgg
	if err := json.Unmarshal(raw, &eggs); err != nil {
		v.add("attachments", "", "Invalid value for field 'attachments': expected an array of attachments")
		return out
	}
	for i, e := range eggs {
		in := fmt.Sprintf("attachments[%d]", i)
		switch e.Type {
		case attachmentFile:
			if e.FileID == "" {
				v.required(in + ".fileId")
				continue
			}
			out = append(out, fileFromEgg(string(e.FileID)))
		case attachmentQuickReplies:
			for _, q := range e.QuickReplies {
				if q.Value == "" || (q.ValueType != "TEXT" && q.ValueType != "URL") {
					v.add(in+".quickReplies", "", "Each quick reply needs a value and a valueType of TEXT or URL")
				}
			}
			out = append(out, quickRepliesAttachment{Type: attachmentQuickReplies, AllowUserInput: true, QuickReplies: nonNil(e.QuickReplies)})
		case attachmentSocial:
			if e.SocialMetadata == nil || e.SocialMetadata.MediaType == "" {
				v.required(in + ".socialMetadata.mediaType")
				continue
			}
			out = append(out, socialAttachment{Type: attachmentSocial, SocialMetadata: *e.SocialMetadata})
		default:
			v.add(in+".type", "", "Invalid attachment type %q; allowed values are FILE, QUICK_REPLIES, SOCIAL_MEDIA_METADATA", e.Type)
		}
	}
	return out
}

// fileFromEgg renders a FILE egg; fileId may be a HubSpot file ID or the
// absolute URL of a file in HubSpot Files.
func fileFromEgg(fileID string) fileAttachment {
	f := fileAttachment{Type: attachmentFile, FileID: fileID, FileUsageType: "OTHER"}
	if strings.HasPrefix(fileID, "http://") || strings.HasPrefix(fileID, "https://") {
		f.URL, f.Name = fileID, path.Base(fileID)
	}
	switch strings.ToLower(path.Ext(fileID)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp":
		f.FileUsageType = "IMAGE"
	case ".mp3", ".m4a", ".wav", ".ogg":
		f.FileUsageType = "AUDIO"
	}
	return f
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
