package sandbox

import "time"

// HubSpot's enumerations used across the package.
const (
	statusOpen   = "OPEN"
	statusClosed = "CLOSED"

	typeMessage      = "MESSAGE"
	typeComment      = "COMMENT"
	typeWelcome      = "WELCOME_MESSAGE"
	typeAssignment   = "ASSIGNMENT"
	typeStatusChange = "THREAD_STATUS_CHANGE"
	typeInboxChange  = "THREAD_INBOX_CHANGE"

	directionIncoming = "INCOMING"
	directionOutgoing = "OUTGOING"

	notTruncated           = "NOT_TRUNCATED"
	truncatedToMostRecent  = "TRUNCATED_TO_MOST_RECENT_REPLY"
	deliveryEmail          = "HS_EMAIL_ADDRESS"
	deliveryPhone          = "HS_PHONE_NUMBER"
	deliveryShortCode      = "HS_SHORT_CODE"
	deliveryOpaque         = "CHANNEL_SPECIFIC_OPAQUE_ID"
	clientHubSpot          = "HUBSPOT"
	clientIntegration      = "INTEGRATION"
	clientSystem           = "SYSTEM"
	actorAgent             = "AGENT"
	actorBot               = "BOT"
	actorIntegrator        = "INTEGRATOR"
	actorSystem            = "SYSTEM"
	actorVisitor           = "VISITOR"
	actorEmail             = "EMAIL"
	actorLLM               = "LLM"
	inboxTypeInbox         = "INBOX"
	inboxTypeHelpDesk      = "HELP_DESK"
	attachmentFile         = "FILE"
	attachmentLocation     = "LOCATION"
	attachmentQuickReplies = "QUICK_REPLIES"
	attachmentSocial       = "SOCIAL_MEDIA_METADATA"
)

// inbox is HubSpot's PublicInbox.
type inbox struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Type       string    `json:"type"`
	Archived   bool      `json:"archived"`
	ArchivedAt time.Time `json:"archivedAt,omitzero"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// channel is HubSpot's PublicChannel.
type channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// channelAccount is HubSpot's PublicChannelAccount.
type channelAccount struct {
	ID                 string              `json:"id"`
	Name               string              `json:"name"`
	ChannelID          string              `json:"channelId"`
	InboxID            string              `json:"inboxId"`
	Active             bool                `json:"active"`
	Authorized         bool                `json:"authorized"`
	Archived           bool                `json:"archived"`
	ArchivedAt         time.Time           `json:"archivedAt,omitzero"`
	CreatedAt          time.Time           `json:"createdAt"`
	DeliveryIdentifier *deliveryIdentifier `json:"deliveryIdentifier,omitempty"`
}

// actor is any of HubSpot's seven actor types; unused fields stay empty.
type actor struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	Avatar string `json:"avatar,omitempty"`
}

type deliveryIdentifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type sender struct {
	ActorID            string              `json:"actorId,omitempty"`
	Name               string              `json:"name,omitempty"`
	SenderField        string              `json:"senderField,omitempty"`
	DeliveryIdentifier *deliveryIdentifier `json:"deliveryIdentifier,omitempty"`
}

type recipient struct {
	ActorID            string             `json:"actorId,omitempty"`
	Name               string             `json:"name,omitempty"`
	RecipientField     string             `json:"recipientField,omitempty"`
	DeliveryIdentifier deliveryIdentifier `json:"deliveryIdentifier"`
}

type client struct {
	ClientType       string `json:"clientType"`
	IntegrationAppID int    `json:"integrationAppId,omitempty"`
}

type messageStatus struct {
	StatusType     string          `json:"statusType"`
	FailureDetails *failureDetails `json:"failureDetails,omitempty"`
}

type failureDetails struct {
	ErrorMessageTokens map[string]string `json:"errorMessageTokens"`
	ErrorMessage       string            `json:"errorMessage,omitempty"`
}

// Message attachments (a oneOf in HubSpot's spec, told apart by type).
type fileAttachment struct {
	Type          string `json:"type"`
	FileID        string `json:"fileId"`
	FileUsageType string `json:"fileUsageType"`
	Name          string `json:"name,omitempty"`
	URL           string `json:"url,omitempty"`
}

type locationAttachment struct {
	Type      string  `json:"type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
	URL       string  `json:"url,omitempty"`
}

type quickRepliesAttachment struct {
	Type             string       `json:"type"`
	AllowMultiSelect bool         `json:"allowMultiSelect"`
	AllowUserInput   bool         `json:"allowUserInput"`
	QuickReplies     []quickReply `json:"quickReplies"`
}

type quickReply struct {
	Label     string `json:"label,omitempty"`
	Value     string `json:"value"`
	ValueType string `json:"valueType"`
}

type socialAttachment struct {
	Type           string         `json:"type"`
	SocialMetadata socialMetadata `json:"socialMetadata"`
}

type socialMetadata struct {
	MediaType      string `json:"mediaType"`
	ID             string `json:"id,omitempty"`
	Description    string `json:"description,omitempty"`
	MediaTitle     string `json:"mediaTitle,omitempty"`
	MediaURL       string `json:"mediaUrl,omitempty"`
	MediaURLString string `json:"mediaUrlString,omitempty"`
	ThumbnailURL   string `json:"thumbnailUrl,omitempty"`
}

// stamp is how the sandbox stores times: UTC, millisecond precision, as
// HubSpot returns them.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }
