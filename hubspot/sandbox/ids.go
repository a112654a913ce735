package sandbox

// Well-known identifiers of the default sandbox account. Tests across the
// project rely on them; the seed guarantees each describes what its comment
// says. Every other seeded object can be found through the API itself.
const (
	// DefaultToken is the access token of the default account when none is given.
	DefaultToken = "sandbox-token"

	// InboxID is the general "Sales & general" inbox (type INBOX).
	InboxID = "147959634"
	// HelpDeskInboxID is the "Customer support" inbox (type HELP_DESK).
	HelpDeskInboxID = "147959640"
	// ArchivedInboxID is an archived inbox, visible only with archived=true.
	ArchivedInboxID = "147959611"

	// LiveChatChannelID, MessengerChannelID and EmailChannelID are HubSpot's
	// fixed channel IDs for live chat, Facebook Messenger and email.
	LiveChatChannelID  = "1000"
	MessengerChannelID = "1001"
	EmailChannelID     = "1002"

	// ChatChannelAccountID is the website chat widget in the help desk.
	ChatChannelAccountID = "240000101"
	// EmailChannelAccountID is support@juniper-outdoor.example in the help desk.
	EmailChannelAccountID = "240000102"
	// MessengerChannelAccountID is the Facebook page in the help desk.
	MessengerChannelAccountID = "240000103"
	// SalesEmailChannelAccountID is sales@juniper-outdoor.example in the general inbox.
	SalesEmailChannelAccountID = "240000104"

	// AgentActorID is the agent who owns the sandbox token: the natural sender.
	AgentActorID = "A-48151623"
	// OtherAgentActorID is a second agent, for assignment.
	OtherAgentActorID = "A-48151624"
	// VisitorActorID is a visitor (a CRM contact, ID 3501) who writes in by email and chat.
	VisitorActorID = "V-3501"
	// BotActorID, IntegratorActorID, SystemActorID, EmailActorID and LLMActorID
	// are one actor of each remaining type.
	BotActorID        = "B-2201"
	IntegratorActorID = "I-1144555"
	SystemActorID     = "S-hubspot"
	EmailActorID      = "E-jordan.lee@example.com"
	LLMActorID        = "L-101"

	// EmailThreadID is an OPEN email thread in the help desk whose latest
	// incoming message is an email truncated to its most recent reply
	// (TruncatedMessageID), with its full original content available.
	EmailThreadID      = "9000000101"
	TruncatedMessageID = "d6f1a2b3c4d5e6f708192a3b4c5d6e7f"
	// AllTypesThreadID is a live-chat thread holding messages of all six types:
	// WELCOME_MESSAGE, MESSAGE (both directions), COMMENT, ASSIGNMENT,
	// THREAD_STATUS_CHANGE and THREAD_INBOX_CHANGE.
	AllTypesThreadID = "9000000102"
	// ClosedThreadID is a CLOSED thread.
	ClosedThreadID = "9000000103"
	// ArchivedThreadID is an archived thread, visible only with archived=true.
	ArchivedThreadID = "9000000104"
	// AssignedThreadID is an OPEN thread assigned to AgentActorID.
	AssignedThreadID = "9000000105"
	// HostileThreadID is an OPEN chat thread whose customer text tries to
	// break a transcript: markdown headings, fake "Agent:" lines, HTML,
	// and invisible and bidi control characters.
	HostileThreadID = "9000000106"
	// VisitorContactID is the CRM contact behind VisitorActorID; its threads
	// can be listed with associatedContactId plus threadStatus.
	VisitorContactID = "3501"
)
