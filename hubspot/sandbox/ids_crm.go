package sandbox

// Well-known CRM identifiers of the sandbox accounts: owners (HubSpot users
// and queues) and contacts (customers). Like the constants in ids.go, they
// hold in every account; the names behind them differ per account.
//
// Every agent actor is an owner of type PERSON whose userId is the number
// after "A-" (HubSpot's conversations guide: an A- actor's identifier is the
// HubSpot user ID). Every customer of a thread is a contact whose ID is its
// thread's associatedContactId and the number after its visitor actor's
// "V-", with the same first name, last name and email address as the
// actor, except the customer of ContactlessThreadID.
const (
	// AgentOwnerID and OtherAgentOwnerID are the owners of AgentActorID and
	// OtherAgentActorID.
	AgentOwnerID      = "83512001"
	OtherAgentOwnerID = "83512002"
	// OwnerOnlyAgentActorID is an agent who has never taken part in a
	// conversation: an active owner with a user ID (OwnerOnlyAgentOwnerID)
	// and an A- actor, whom only the owners list can find.
	OwnerOnlyAgentActorID = "A-48151625"
	OwnerOnlyAgentOwnerID = "83512003"
	// QueueOwnerID is an owner of type QUEUE, without a user: not an agent.
	QueueOwnerID = "83512004"
	// ArchivedOwnerID is the owner of a deactivated user: archived, listed
	// only with archived=true, with userIdIncludingInactive but no userId.
	ArchivedOwnerID = "83512005"
	// NoUserOwnerID is an active owner of type PERSON without a HubSpot
	// user (one synced from Salesforce): no userId, not an agent.
	NoUserOwnerID = "83512006"

	// NamesakeContactID is a customer who shares VisitorContactID's last
	// name (Thompson in the default account) and has one thread of their
	// own, NamesakeThreadID: searching that last name finds two people.
	NamesakeContactID = "3513"
	NamesakeThreadID  = "9000000136"
	// ContactlessThreadID is an OPEN chat thread whose customer,
	// ContactlessVisitorActorID, is a visitor with no CRM contact: its
	// associatedContactId (3510) is a visitor ID that no contact has, so no
	// contact read or search leads to it, although the visitor actor has a
	// name and an email address.
	ContactlessThreadID       = "9000000128"
	ContactlessVisitorActorID = "V-3510"
	// LeadContactID is a contact without conversations who shares
	// VisitorContactID's first name (Maya in the default account).
	LeadContactID = "3601"
	// ArchivedContactID is an archived contact: a read finds it only with
	// archived=true, and no search does.
	ArchivedContactID = "3602"
)

// Seed positions behind the constants above.
const (
	namesakeVisitor    = 12 // visitor index of NamesakeContactID
	contactlessVisitor = 9  // visitor index of ContactlessVisitorActorID
)
