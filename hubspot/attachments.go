package hubspot

import (
	"encoding/json"
	"strings"
)

// Attachment types HubSpot documents on received messages.
const (
	AttachmentFile               = "FILE"
	AttachmentLocation           = "LOCATION"
	AttachmentContact            = "CONTACT"
	AttachmentUnsupported        = "UNSUPPORTED_CONTENT"
	AttachmentMessageHeader      = "MESSAGE_HEADER"
	AttachmentQuickReplies       = "QUICK_REPLIES"
	AttachmentWhatsAppTemplate   = "WHATSAPP_TEMPLATE_METADATA"
	AttachmentSocialMediaContent = "SOCIAL_MEDIA_METADATA"
)

// Attachment is one attachment of a message: a union of HubSpot's eight
// attachment variants, told apart by Type. The common fields are decoded;
// Raw keeps the attachment exactly as HubSpot sent it, so variants and
// fields added later are never lost.
type Attachment struct {
	Type string `json:"type"`

	// FILE (and MESSAGE_HEADER's fileId, which HubSpot sends as a number).
	FileID        FlexString `json:"fileId,omitempty"`
	FileUsageType string     `json:"fileUsageType,omitempty"`
	Name          string     `json:"name,omitempty"`
	URL           string     `json:"url,omitempty"`

	// LOCATION.
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
	Address   string   `json:"address,omitempty"`

	// MESSAGE_HEADER.
	Text string `json:"text,omitempty"`

	// QUICK_REPLIES.
	AllowMultiSelect bool         `json:"allowMultiSelect,omitempty"`
	AllowUserInput   bool         `json:"allowUserInput,omitempty"`
	QuickReplies     []QuickReply `json:"quickReplies,omitempty"`

	// SOCIAL_MEDIA_METADATA.
	SocialMetadata *SocialMetadata `json:"socialMetadata,omitempty"`

	// Raw is the attachment as received, including CONTACT profiles and
	// WhatsApp template metadata.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes leniently and keeps the raw attachment.
func (a *Attachment) UnmarshalJSON(b []byte) error {
	type plain Attachment
	var p plain
	// A field of an unexpected type must not fail the whole message.
	_ = json.Unmarshal(b, &p)
	*a = Attachment(p)
	a.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// QuickReply is one quick-reply button.
type QuickReply struct {
	Label string `json:"label,omitempty"`
	Value string `json:"value"`
	// ValueType is TEXT or URL.
	ValueType string `json:"valueType"`
}

// SocialMetadata describes social media content attached to a message.
type SocialMetadata struct {
	// MediaType is ARTICLE, AUDIO, CAROUSEL, DOCUMENT, GIF, LINK, NONE,
	// PHOTO, POLL, STORY or VIDEO.
	MediaType      string `json:"mediaType"`
	ID             string `json:"id,omitempty"`
	Description    string `json:"description,omitempty"`
	MediaTitle     string `json:"mediaTitle,omitempty"`
	MediaURL       string `json:"mediaUrl,omitempty"`
	MediaURLString string `json:"mediaUrlString,omitempty"`
	ThumbnailURL   string `json:"thumbnailUrl,omitempty"`
}

// AttachmentEgg is an attachment of a message being sent: a FILE from
// HubSpot's file manager, QUICK_REPLIES (chat and Messenger), or
// SOCIAL_MEDIA_METADATA.
type AttachmentEgg struct {
	Type string `json:"type"`
	// FileID is a HubSpot file ID, or the absolute URL of a file in HubSpot Files.
	FileID         string          `json:"fileId,omitempty"`
	QuickReplies   []QuickReply    `json:"quickReplies,omitempty"`
	SocialMetadata *SocialMetadata `json:"socialMetadata,omitempty"`
}

func (a AttachmentEgg) validate(i int) error {
	name := "attachments[" + itoa(i) + "]"
	switch a.Type {
	case AttachmentFile:
		if strings.TrimSpace(a.FileID) == "" {
			return &ArgumentError{Name: name + ".fileId", Reason: "is required for a FILE attachment"}
		}
	case AttachmentQuickReplies:
		if len(a.QuickReplies) == 0 {
			return &ArgumentError{Name: name + ".quickReplies", Reason: "needs at least one quick reply"}
		}
		for j, q := range a.QuickReplies {
			field := name + ".quickReplies[" + itoa(j) + "]"
			if q.Value == "" {
				return &ArgumentError{Name: field + ".value", Reason: "is required"}
			}
			if err := validateEnum(field+".valueType", q.ValueType, "TEXT", "URL"); err != nil {
				return err
			}
			if q.ValueType == "" {
				return &ArgumentError{Name: field + ".valueType", Reason: "is required: TEXT or URL"}
			}
		}
	case AttachmentSocialMediaContent:
		if a.SocialMetadata == nil || a.SocialMetadata.MediaType == "" {
			return &ArgumentError{Name: name + ".socialMetadata.mediaType", Reason: "is required for a SOCIAL_MEDIA_METADATA attachment"}
		}
	default:
		return &ArgumentError{Name: name + ".type", Reason: "must be FILE, QUICK_REPLIES or SOCIAL_MEDIA_METADATA, got " + Quote(a.Type)}
	}
	return nil
}
