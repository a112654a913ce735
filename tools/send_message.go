package tools

import (
	"context"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// send_message looks for the latest incoming message among the thread's
// lookupLimit newest history entries (HubSpot's largest page), so a MESSAGE
// with defaults costs one read and the send, however long the thread.
const lookupLimit = 100

// sendMessageInput holds send_message's arguments.
type sendMessageInput struct {
	threadIDInput
	Type             messageKind       `json:"type" jsonschema:"MESSAGE reaches the customer; COMMENT is an internal note"`
	Text             string            `json:"text"`
	RichText         string            `json:"richText,omitempty" jsonschema:"HTML version of text"`
	Subject          string            `json:"subject,omitempty" jsonschema:"Email only; defaults to Re: the thread subject"`
	SenderActorID    agentID           `json:"senderActorId,omitempty"`
	ChannelID        numericID         `json:"channelId,omitempty"`
	ChannelAccountID numericID         `json:"channelAccountId,omitempty"`
	Recipients       []recipientInput  `json:"recipients,omitempty"`
	Attachments      []attachmentInput `json:"attachments,omitempty"`
	dryRunInput
}

// recipientInput is one recipient of a MESSAGE.
type recipientInput struct {
	ActorID             actorID                   `json:"actorId,omitempty" jsonschema:"Never an agent"`
	Name                string                    `json:"name,omitempty"`
	RecipientField      recipientField            `json:"recipientField,omitempty"`
	DeliveryIdentifiers []deliveryIdentifierInput `json:"deliveryIdentifiers"`
}

// deliveryIdentifierInput is an address: an email address, an E.164 phone
// number, a short code or a channel-specific ID.
type deliveryIdentifierInput struct {
	Type  deliveryType `json:"type"`
	Value string       `json:"value"`
}

// attachmentInput is one attachment of a message being sent.
type attachmentInput struct {
	Type           attachmentKind       `json:"type"`
	FileID         string               `json:"fileId,omitempty" jsonschema:"FILE: HubSpot file ID or Files URL"`
	QuickReplies   []quickReplyInput    `json:"quickReplies,omitempty" jsonschema:"QUICK_REPLIES: the buttons"`
	SocialMetadata *socialMetadataInput `json:"socialMetadata,omitempty"`
}

type quickReplyInput struct {
	Label     string         `json:"label,omitempty"`
	Value     string         `json:"value"`
	ValueType quickReplyKind `json:"valueType"`
}

type socialMetadataInput struct {
	MediaType    socialMediaKind `json:"mediaType"`
	ID           string          `json:"id,omitempty"`
	Description  string          `json:"description,omitempty"`
	MediaTitle   string          `json:"mediaTitle,omitempty"`
	MediaURL     string          `json:"mediaUrl,omitempty"`
	ThumbnailURL string          `json:"thumbnailUrl,omitempty"`
}

// sendMessageOutput is the created message, and where defaults came from.
type sendMessageOutput struct {
	sentMessage
	// DefaultsFrom is the incoming message whose channel, channel account
	// or senders were used for the arguments left out.
	DefaultsFrom string `json:"defaultsFromMessageId,omitempty"`
}

func sendMessage(p hubspot.Provider, cfg Config) server.ServerTool {
	return define(p, spec[sendMessageInput, sendMessageOutput]{
		name: "send_message",
		description: "Reply to the customer (type MESSAGE) or add an internal note (type COMMENT) on an existing thread. " +
			"A MESSAGE reaches THE CUSTOMER on the thread's channel and cannot be unsent; a COMMENT only agents see. " +
			"A MESSAGE's channel, account and recipients default to the thread's latest incoming message (among its " +
			strconv.Itoa(lookupLimit) + " latest entries), its sender to the configured agent. " +
			"Never retry a failed send blindly: check list_messages first.",
		// A MESSAGE reaching a customer cannot be taken back, so the tool is
		// destructive even though a COMMENT alone would not be: hosts should
		// confirm before calling it. Two calls post two messages.
		hints: writeTool("Send message or comment", true, false),
		scope: scopeWrite,
		sends: true,
		action: func(in sendMessageInput) string {
			if in.Type == hubspot.MessageTypeComment {
				return "add a comment to thread " + string(in.ThreadID)
			}
			return "send a message to thread " + string(in.ThreadID)
		},
		notFound: notFoundIn("thread", "list_threads", sendMessageInput.threadID),
		confirm: &confirmation[sendMessageInput]{
			policy:   cfg.ConfirmWrites,
			applies:  func(in sendMessageInput) bool { return in.Type == hubspot.MessageTypeMessage },
			question: sendQuestion,
		},
		run: func(ctx context.Context, c *hubspot.Client, in sendMessageInput) (sendMessageOutput, error) {
			req := in.request()
			var from string
			if in.Type == hubspot.MessageTypeMessage {
				var err error
				if from, err = fillDefaults(ctx, c, string(in.ThreadID), cfg, &req); err != nil {
					return sendMessageOutput{}, err
				}
			}
			noteAudit(ctx, func(a *audit) {
				a.channelID, a.channelAccountID, a.recipients = req.ChannelID, req.ChannelAccountID, nil
				for _, r := range req.Recipients {
					if r.ActorID != "" {
						a.recipients = append(a.recipients, r.ActorID)
					}
				}
			})
			m, err := c.SendMessage(ctx, string(in.ThreadID), req)
			if err != nil {
				return sendMessageOutput{}, err
			}
			noteAudit(ctx, func(a *audit) { a.messageID = m.ID })
			return sendMessageOutput{sentMessage: newSentMessage(view.NewMessage(*m, nil, "")), DefaultsFrom: from}, nil
		},
	})
}

// request converts the arguments to the client's request.
func (in sendMessageInput) request() hubspot.SendMessageRequest {
	return hubspot.SendMessageRequest{
		Type: string(in.Type), Text: in.Text, RichText: in.RichText, Subject: in.Subject,
		SenderActorID: string(in.SenderActorID), ChannelID: string(in.ChannelID), ChannelAccountID: string(in.ChannelAccountID),
		Recipients: mapSlice(in.Recipients, func(r recipientInput) hubspot.RecipientEgg {
			return hubspot.RecipientEgg{ActorID: string(r.ActorID), Name: r.Name, RecipientField: string(r.RecipientField),
				DeliveryIdentifiers: mapSlice(r.DeliveryIdentifiers, func(d deliveryIdentifierInput) hubspot.DeliveryIdentifier {
					return hubspot.DeliveryIdentifier{Type: string(d.Type), Value: d.Value}
				})}
		}),
		Attachments: mapSlice(in.Attachments, func(a attachmentInput) hubspot.AttachmentEgg {
			egg := hubspot.AttachmentEgg{Type: string(a.Type), FileID: a.FileID,
				QuickReplies: mapSlice(a.QuickReplies, func(q quickReplyInput) hubspot.QuickReply {
					return hubspot.QuickReply{Label: q.Label, Value: q.Value, ValueType: string(q.ValueType)}
				})}
			if s := a.SocialMetadata; s != nil {
				egg.SocialMetadata = &hubspot.SocialMetadata{MediaType: string(s.MediaType), ID: s.ID, Description: s.Description,
					MediaTitle: s.MediaTitle, MediaURL: s.MediaURL, ThumbnailURL: s.ThumbnailURL}
			}
			return egg
		}),
	}
}

// fillDefaults completes a MESSAGE: the sender from cfg, and the channel,
// channel account and recipients from the thread's latest incoming
// message. It returns that message's ID when it used it.
func fillDefaults(ctx context.Context, c *hubspot.Client, threadID string, cfg Config, req *hubspot.SendMessageRequest) (string, error) {
	from := ""
	if req.SenderActorID == "" {
		req.SenderActorID, from = cfg.SenderActorID, " (from HUBSPOT_SENDER_ACTOR_ID)"
	}
	switch {
	case req.SenderActorID == "":
		return "", argErr("senderActorId", "is required for a MESSAGE: set HUBSPOT_SENDER_ACTOR_ID, or pass the agent actor ID (A-…) of the user sending; "+
			"get_actor and the OUTGOING messages of list_messages show agent IDs")
	case !hubspot.IsAgentID(req.SenderActorID):
		// The client would refuse it too, but only after the look-up below.
		return "", argErr("senderActorId", "must be an agent actor ID (A-…), got "+hubspot.Quote(req.SenderActorID)+from+"; HubSpot sends only as agents")
	}
	if req.ChannelID != "" && req.ChannelAccountID != "" && len(req.Recipients) > 0 {
		return "", nil
	}
	ref, err := latestIncoming(ctx, c, threadID)
	if err != nil {
		return "", &stepError{action: "find the latest incoming message of thread " + threadID + " (to default channelId, channelAccountId and recipients)", err: err}
	}
	missing := func(name string) error {
		why := "the thread has no incoming message among its " + strconv.Itoa(lookupLimit) + " most recent entries to copy it from"
		if ref != nil {
			why = "channelId " + req.ChannelID + " differs from the channel of the latest incoming message " + ref.ID
		}
		return argErr(name, "is required for this MESSAGE: "+why+"; pass it explicitly (list_channel_accounts lists channels and accounts)")
	}
	if ref == nil || (req.ChannelID != "" && req.ChannelID != ref.ChannelID) {
		switch {
		case req.ChannelID == "":
			return "", missing("channelId")
		case req.ChannelAccountID == "":
			return "", missing("channelAccountId")
		case len(req.Recipients) == 0:
			return "", missing("recipients")
		}
	}
	if req.ChannelID == "" {
		req.ChannelID = ref.ChannelID
	}
	if req.ChannelAccountID == "" {
		req.ChannelAccountID = ref.ChannelAccountID
	}
	if req.Subject == "" && ref.Subject != "" && req.ChannelID == hubspot.ChannelEmail {
		// An email reply without a subject reaches the customer as "(no subject)".
		req.Subject = replySubject(ref.Subject)
	}
	if len(req.Recipients) == 0 {
		req.Recipients = replyRecipients(*ref)
		if len(req.Recipients) == 0 {
			return "", argErr("recipients", "is required for this MESSAGE: the latest incoming message "+ref.ID+
				" names no sender address to reply to; pass recipients with deliveryIdentifiers")
		}
	}
	return ref.ID, nil
}

// latestIncoming returns the newest INCOMING message of type MESSAGE among
// the thread's lookupLimit most recent history entries, or nil: one read.
func latestIncoming(ctx context.Context, c *hubspot.Client, threadID string) (*hubspot.Message, error) {
	page, err := c.ListMessages(ctx, threadID, &hubspot.ListMessagesOptions{ListOptions: hubspot.ListOptions{Limit: lookupLimit, Sort: []string{"-createdAt"}}})
	if err != nil {
		return nil, err
	}
	for i, m := range page.Results {
		if m.Type == hubspot.MessageTypeMessage && m.Direction == hubspot.DirectionIncoming {
			return &page.Results[i], nil
		}
	}
	return nil, nil
}

// replySubject is the subject of a reply to an email with subject s.
func replySubject(s string) string {
	if len(s) >= 3 && strings.EqualFold(s[:3], "re:") {
		return s
	}
	return "Re: " + s
}

// replyRecipients addresses a reply to the senders of m. Agents are never
// recipients, so their actor IDs are dropped.
func replyRecipients(m hubspot.Message) []hubspot.RecipientEgg {
	var out []hubspot.RecipientEgg
	for _, s := range m.Senders {
		d := s.DeliveryIdentifier
		if d == nil || d.Type == "" || strings.TrimSpace(d.Value) == "" {
			continue
		}
		r := hubspot.RecipientEgg{Name: s.Name, DeliveryIdentifiers: []hubspot.DeliveryIdentifier{*d}}
		if !hubspot.IsAgentID(s.ActorID) {
			r.ActorID = s.ActorID
		}
		if d.Type == hubspot.DeliveryEmail {
			r.RecipientField = "TO"
		}
		out = append(out, r)
	}
	return out
}

// sentMessage is the part of view.Message a created message can have: no
// event fields, and nothing HubSpot only adds later (truncation).
type sentMessage struct {
	ID          string            `json:"id"`
	Type        string            `json:"type"`
	CreatedAt   view.Time         `json:"createdAt,omitzero"`
	Direction   string            `json:"direction,omitempty"`
	From        *view.Person      `json:"from,omitempty"`
	To          []view.Person     `json:"to,omitempty"`
	Subject     string            `json:"subject,omitempty"`
	Text        string            `json:"text,omitempty"`
	Attachments []view.Attachment `json:"attachments,omitempty"`
	Status      string            `json:"status,omitempty"`
}

func newSentMessage(m view.Message) sentMessage {
	return sentMessage{ID: m.ID, Type: m.Type, CreatedAt: m.CreatedAt, Direction: m.Direction, From: m.From, To: m.To,
		Subject: m.Subject, Text: m.Text, Attachments: m.Attachments, Status: m.Status}
}
