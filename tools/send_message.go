package tools

import (
	"context"
	"strconv"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// sendMessageInput holds send_message's arguments.
type sendMessageInput struct {
	threadIDInput
	Type             messageKind       `json:"type" jsonschema:"MESSAGE reaches the customer; COMMENT is an internal note"`
	Text             string            `json:"text"`
	RichText         string            `json:"richText,omitempty" jsonschema:"HTML version of text"`
	Subject          string            `json:"subject,omitempty" jsonschema:"Email only; defaults to Re: the thread subject"`
	SenderActorID    agentRef          `json:"senderActorId,omitempty" jsonschema:"Agent: A-123 or email"`
	ChannelID        numericID         `json:"channelId,omitempty"`
	ChannelAccountID numericID         `json:"channelAccountId,omitempty"`
	Recipients       []recipientInput  `json:"recipients,omitempty"`
	Attachments      []attachmentInput `json:"attachments,omitempty"`
	dryRunInput
	confirmInput
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

func sendMessage(svc *inbox.Service, cfg Config) server.ServerTool {
	return define(svc, spec[sendMessageInput, sendMessageOutput]{
		name: "send_message",
		description: "Reply to the customer (type MESSAGE) or add an internal note (type COMMENT) on an existing thread. " +
			"A MESSAGE reaches THE CUSTOMER on the thread's channel and cannot be unsent; a COMMENT only agents see. " +
			"A MESSAGE's channel, account and recipients default to the thread's latest incoming message (among its " +
			strconv.Itoa(inbox.LookupLimit) + " latest entries), its sender to the configured agent. " +
			"Never retry a failed send blindly: check list_messages first.",
		title: "Send message or comment",
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
			mode:     cfg.ConfirmWrites,
			applies:  func(in sendMessageInput) bool { return in.Type == hubspot.MessageTypeMessage },
			token:    sendMessageInput.confirmationToken,
			question: sendQuestion,
			notDone:  func(sendMessageInput) string { return "Nothing was sent" },
		},
		run: func(ctx context.Context, svc *inbox.Service, in sendMessageInput) (sendMessageOutput, error) {
			req := in.request()
			from, err := svc.FillDefaults(ctx, string(in.ThreadID), &req)
			if err != nil {
				return sendMessageOutput{}, err
			}
			noteAudit(ctx, func(a *audit) {
				a.channelID, a.channelAccountID, a.recipients = req.ChannelID, req.ChannelAccountID, nil
				for _, r := range req.Recipients {
					if r.ActorID != "" {
						a.recipients = append(a.recipients, r.ActorID)
					}
				}
			})
			m, err := svc.SendMessage(ctx, string(in.ThreadID), req)
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
