package hubspot

import (
	"context"
	"net/url"
	"strings"
)

// Message types. A thread's history mixes real messages with comments and
// events; Message.Type tells them apart.
const (
	MessageTypeMessage            = "MESSAGE"
	MessageTypeComment            = "COMMENT"
	MessageTypeWelcomeMessage     = "WELCOME_MESSAGE"
	MessageTypeAssignment         = "ASSIGNMENT"
	MessageTypeThreadStatusChange = "THREAD_STATUS_CHANGE"
	MessageTypeThreadInboxChange  = "THREAD_INBOX_CHANGE"
)

// Message directions and truncation statuses.
const (
	DirectionIncoming           = "INCOMING"
	DirectionOutgoing           = "OUTGOING"
	TruncationNone              = "NOT_TRUNCATED"
	TruncationTruncated         = "TRUNCATED"
	TruncationToMostRecentReply = "TRUNCATED_TO_MOST_RECENT_REPLY"
)

// Message is one entry of a thread's history: HubSpot's PublicMessage,
// a union of six variants flattened into one struct. Fields that do not
// belong to a variant stay empty.
type Message struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	// ConversationsThreadID is the thread the message belongs to.
	ConversationsThreadID string        `json:"conversationsThreadId"`
	CreatedAt             Time          `json:"createdAt"`
	UpdatedAt             Time          `json:"updatedAt"`
	CreatedBy             string        `json:"createdBy"`
	Client                MessageClient `json:"client"`
	Senders               []Sender      `json:"senders"`
	Recipients            []Recipient   `json:"recipients"`
	Archived              bool          `json:"archived"`

	// MESSAGE, COMMENT and WELCOME_MESSAGE.
	Text        string       `json:"text,omitempty"`
	RichText    string       `json:"richText,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`

	// MESSAGE (and WELCOME_MESSAGE for the channel fields).
	Subject          string         `json:"subject,omitempty"`
	TruncationStatus string         `json:"truncationStatus,omitempty"`
	Direction        string         `json:"direction,omitempty"`
	ChannelID        string         `json:"channelId,omitempty"`
	ChannelAccountID string         `json:"channelAccountId,omitempty"`
	InReplyToID      string         `json:"inReplyToId,omitempty"`
	Status           *MessageStatus `json:"status,omitempty"`

	// ASSIGNMENT.
	AssignedFrom string `json:"assignedFrom,omitempty"`
	AssignedTo   string `json:"assignedTo,omitempty"`

	// THREAD_STATUS_CHANGE.
	NewStatus string `json:"newStatus,omitempty"`

	// THREAD_INBOX_CHANGE.
	FromInboxID string `json:"fromInboxId,omitempty"`
	ToInboxID   string `json:"toInboxId,omitempty"`

	// Extra holds the fields Message does not declare, when a property
	// was asked for: what HubSpot returns for it.
	Extra Extra `json:"-"`
}

// Truncated tells whether HubSpot cut the message's text; the full text is
// then only available from GetMessageOriginalContent.
func (m *Message) Truncated() bool {
	return m.TruncationStatus != "" && m.TruncationStatus != TruncationNone
}

// MessageClient tells what created a message.
type MessageClient struct {
	// ClientType is HUBSPOT, INTEGRATION, SYSTEM or UNKNOWN.
	ClientType string `json:"clientType"`
	// IntegrationAppID is the app that created it, for INTEGRATION.
	IntegrationAppID FlexInt `json:"integrationAppId,omitempty"`
}

// Sender is one sender of a message.
type Sender struct {
	ActorID            string              `json:"actorId,omitempty"`
	Name               string              `json:"name,omitempty"`
	SenderField        string              `json:"senderField,omitempty"`
	DeliveryIdentifier *DeliveryIdentifier `json:"deliveryIdentifier,omitempty"`
}

// Recipient is one recipient of a message. HubSpot now sends a single
// DeliveryIdentifier and may omit ActorID; older answers used the plural form.
type Recipient struct {
	ActorID             string               `json:"actorId,omitempty"`
	Name                string               `json:"name,omitempty"`
	RecipientField      string               `json:"recipientField,omitempty"`
	DeliveryIdentifier  *DeliveryIdentifier  `json:"deliveryIdentifier,omitempty"`
	DeliveryIdentifiers []DeliveryIdentifier `json:"deliveryIdentifiers,omitempty"`
}

// MessageStatus is the delivery status of a MESSAGE.
type MessageStatus struct {
	// StatusType is SENT, RECEIVED, READ or FAILED.
	StatusType     string                 `json:"statusType"`
	FailureDetails *MessageFailureDetails `json:"failureDetails,omitempty"`
}

// MessageFailureDetails explains a FAILED message.
type MessageFailureDetails struct {
	ErrorMessage       string            `json:"errorMessage,omitempty"`
	ErrorMessageTokens map[string]string `json:"errorMessageTokens,omitempty"`
}

// MessageContent is the original, untruncated content of a message.
type MessageContent struct {
	Text     string `json:"text"`
	RichText string `json:"richText"`
	// Extra holds the fields MessageContent does not declare, when a
	// property was asked for: what HubSpot returns for it.
	Extra Extra `json:"-"`
}

// ListMessagesOptions are the query parameters of ListMessages. Sort is
// "createdAt" (oldest first) or "-createdAt" (newest first, HubSpot's default).
type ListMessagesOptions struct {
	ListOptions
	// Archived lists only archived messages.
	Archived bool
	// Property is HubSpot's property parameter.
	Property string
}

func (o *ListMessagesOptions) validate() error {
	if o == nil {
		return nil
	}
	for _, s := range o.Sort {
		if err := validateEnum("sort", s, "createdAt", "-createdAt"); err != nil {
			return err
		}
	}
	return nil
}

func (o *ListMessagesOptions) property() string {
	if o == nil {
		return ""
	}
	return o.Property
}

func (o *ListMessagesOptions) values() url.Values {
	if o == nil {
		return nil
	}
	v := o.ListOptions.values()
	setBool(v, "archived", o.Archived)
	if o.Property != "" {
		v.Set("property", o.Property)
	}
	return v
}

// ListMessages lists the history of a thread: messages, comments and events.
//
// HubSpot API: GET /conversations/v3/conversations/threads/{threadId}/messages
func (c *Client) ListMessages(ctx context.Context, threadID string, opts *ListMessagesOptions) (*Page[Message], error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	var p Page[Message]
	if err := c.call(ctx, request{method: "GET", path: threadPath(threadID) + "/messages", query: opts.values()}, pageInto(&p, opts.property())); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetMessage gets one message of a thread. property is HubSpot's optional
// property parameter.
//
// HubSpot API: GET /conversations/v3/conversations/threads/{threadId}/messages/{messageId}
func (c *Client) GetMessage(ctx context.Context, threadID, messageID, property string) (*Message, error) {
	path, err := messagePath(threadID, messageID)
	if err != nil {
		return nil, err
	}
	var m Message
	if err := c.call(ctx, request{method: "GET", path: path, query: propertyQuery(property)}, into(&m, property)); err != nil {
		return nil, err
	}
	return &m, nil
}

// GetMessageOriginalContent gets the full original text of a message that
// HubSpot truncated (see Message.Truncated).
//
// HubSpot API: GET /conversations/v3/conversations/threads/{threadId}/messages/{messageId}/original-content
func (c *Client) GetMessageOriginalContent(ctx context.Context, threadID, messageID, property string) (*MessageContent, error) {
	path, err := messagePath(threadID, messageID)
	if err != nil {
		return nil, err
	}
	var mc MessageContent
	if err := c.call(ctx, request{method: "GET", path: path + "/original-content", query: propertyQuery(property)}, into(&mc, property)); err != nil {
		return nil, err
	}
	return &mc, nil
}

// SendMessageRequest is the body of SendMessage: a MESSAGE that reaches the
// customer, or a COMMENT, an internal note only agents see.
type SendMessageRequest struct {
	// Type is MESSAGE or COMMENT.
	Type     string `json:"type"`
	Text     string `json:"text"`
	RichText string `json:"richText,omitempty"`
	// Subject is used on email only.
	Subject string `json:"subject,omitempty"`
	// SenderActorID, ChannelID, ChannelAccountID and Recipients are required
	// for a MESSAGE and not allowed on a COMMENT. The sender must be the
	// agent actor (A-…) of the user sending.
	SenderActorID    string          `json:"senderActorId,omitempty"`
	ChannelID        string          `json:"channelId,omitempty"`
	ChannelAccountID string          `json:"channelAccountId,omitempty"`
	Recipients       []RecipientEgg  `json:"recipients,omitempty"`
	Attachments      []AttachmentEgg `json:"attachments"`
}

// RecipientEgg is a recipient of a message being sent.
type RecipientEgg struct {
	ActorID string `json:"actorId,omitempty"`
	Name    string `json:"name,omitempty"`
	// RecipientField is TO, CC or BCC for email.
	RecipientField      string               `json:"recipientField,omitempty"`
	DeliveryIdentifiers []DeliveryIdentifier `json:"deliveryIdentifiers"`
}

func (r *SendMessageRequest) validate() error {
	if err := validateEnum("type", r.Type, MessageTypeMessage, MessageTypeComment); err != nil {
		return err
	}
	if r.Type == "" {
		return &ArgumentError{Name: "type", Reason: "is required: MESSAGE (reaches the customer) or COMMENT (internal note)"}
	}
	if strings.TrimSpace(r.Text) == "" {
		return &ArgumentError{Name: "text", Reason: "is required and cannot be blank"}
	}
	for i, a := range r.Attachments {
		if err := a.validate(i); err != nil {
			return err
		}
	}
	if r.Type == MessageTypeComment {
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"senderActorId", r.SenderActorID != ""}, {"channelId", r.ChannelID != ""},
			{"channelAccountId", r.ChannelAccountID != ""}, {"recipients", len(r.Recipients) > 0}, {"subject", r.Subject != ""},
		} {
			if f.set {
				return &ArgumentError{Name: f.name, Reason: "only applies to type MESSAGE; a COMMENT is an internal note with text only"}
			}
		}
		return nil
	}
	if r.SenderActorID == "" {
		return &ArgumentError{Name: "senderActorId", Reason: "is required for a MESSAGE: the agent actor ID (A-…) of the user sending"}
	}
	if err := ValidateAgentID("senderActorId", r.SenderActorID); err != nil {
		return err
	}
	if r.ChannelID == "" {
		return &ArgumentError{Name: "channelId", Reason: "is required for a MESSAGE"}
	}
	if err := ValidateNumericID("channelId", r.ChannelID); err != nil {
		return err
	}
	if r.ChannelAccountID == "" {
		return &ArgumentError{Name: "channelAccountId", Reason: "is required for a MESSAGE"}
	}
	if err := ValidateNumericID("channelAccountId", r.ChannelAccountID); err != nil {
		return err
	}
	if len(r.Recipients) == 0 {
		return &ArgumentError{Name: "recipients", Reason: "is required for a MESSAGE: at least one recipient with deliveryIdentifiers"}
	}
	for i, rc := range r.Recipients {
		if err := rc.validate(i); err != nil {
			return err
		}
	}
	return nil
}

func (r RecipientEgg) validate(i int) error {
	name := "recipients[" + itoa(i) + "]"
	if r.ActorID != "" {
		if err := ValidateActorID(name+".actorId", r.ActorID); err != nil {
			return err
		}
		if IsAgentID(r.ActorID) {
			return &ArgumentError{Name: name + ".actorId", Reason: "cannot be an agent; HubSpot does not deliver messages to agents"}
		}
	}
	if len(r.DeliveryIdentifiers) == 0 {
		return &ArgumentError{Name: name + ".deliveryIdentifiers", Reason: "is required: at least one {type, value}"}
	}
	for j, d := range r.DeliveryIdentifiers {
		field := name + ".deliveryIdentifiers[" + itoa(j) + "]"
		if err := validateEnum(field+".type", d.Type, DeliveryIdentifierTypes...); err != nil {
			return err
		}
		if d.Type == "" || strings.TrimSpace(d.Value) == "" {
			return &ArgumentError{Name: field, Reason: "needs both type and value"}
		}
	}
	return nil
}

// SendMessage sends a message or adds a comment to an existing thread and
// returns the created message. It is never retried once the request may
// have reached HubSpot, so a message is never sent twice.
//
// HubSpot API: POST /conversations/v3/conversations/threads/{threadId}/messages
func (c *Client) SendMessage(ctx context.Context, threadID string, req SendMessageRequest) (*Message, error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return nil, err
	}
	if req.Attachments == nil {
		req.Attachments = []AttachmentEgg{}
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	var m Message
	if err := c.call(ctx, request{method: "POST", path: threadPath(threadID) + "/messages", body: req}, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

func messagePath(threadID, messageID string) (string, error) {
	if err := ValidateNumericID("threadId", threadID); err != nil {
		return "", err
	}
	if err := ValidateMessageID("messageId", messageID); err != nil {
		return "", err
	}
	return threadPath(threadID) + "/messages/" + url.PathEscape(messageID), nil
}

func propertyQuery(property string) url.Values {
	if property == "" {
		return nil
	}
	return url.Values{"property": {property}}
}
