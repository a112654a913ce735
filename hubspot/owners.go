package hubspot

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// Owner types.
const (
	OwnerPerson = "PERSON"
	OwnerQueue  = "QUEUE"
)

// Owner is a CRM owner (HubSpot's PublicOwner): a user records can be
// assigned to, or a queue.
//
// # Owners and agent actors
//
// ID is the owner ID, used to assign CRM records (hubspot_owner_id). UserID
// is the HubSpot user ID, and a user's agent actor in the Conversations API
// is A-<UserID>: AgentActorID builds it. Two HubSpot documents, read
// together, give this:
//
//   - the conversations guide's actor table says an A- actor's identifier
//     is the "HubSpot user ID (number)", "Agent actor, i.e. a user in the
//     account" (developers.hubspot.com/docs/api/conversations/conversations,
//     "Get actors");
//   - the owners guide says the list returns two IDs: id, "the ID of the
//     owner", and userId, "the ID of the user", which "can be used to
//     specify users in the settings API" but not to assign records
//     (developers.hubspot.com/docs/api-reference/crm-crm-owners-v3/guide).
//
// So the number in A-123 is the userId, never the owner id. No HubSpot text
// found states the equality in one sentence, and it was not checked
// against a live portal; one third-party connector (Pipedream's HubSpot
// "Get Actor" action) prefixes owner IDs with A-, which by the documents
// above is a mistake.
//
// UserID is zero for a queue, for an owner without a HubSpot user (one
// synced from Salesforce) and for a deactivated user, whose owner is
// archived and keeps only UserIDIncludingInactive.
type Owner struct {
	ID        string `json:"id"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	// UserID is the HubSpot user ID, the number of the user's agent actor.
	UserID FlexInt `json:"userId,omitempty"`
	// UserIDIncludingInactive is the user ID, kept for deactivated users.
	UserIDIncludingInactive FlexInt `json:"userIdIncludingInactive,omitempty"`
	// Type is PERSON or QUEUE.
	Type      string      `json:"type"`
	Archived  bool        `json:"archived"`
	Teams     []OwnerTeam `json:"teams,omitempty"`
	CreatedAt Time        `json:"createdAt"`
	UpdatedAt Time        `json:"updatedAt"`
}

// OwnerTeam is a team an owner belongs to (HubSpot's PublicTeam).
type OwnerTeam struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// Name returns the owner's first and last name as one string.
func (o *Owner) Name() string { return strings.TrimSpace(o.FirstName + " " + o.LastName) }

// AgentActorID returns the owner's agent actor ID, A-<UserID> (see the
// Owner doc), or "" for an owner with no active user: a queue, an owner
// without a HubSpot user, a deactivated user. An archived owner may still
// carry a UserID; whether such an owner counts as an agent is the
// caller's decision.
func (o *Owner) AgentActorID() string {
	if o.UserID <= 0 || o.Type == OwnerQueue {
		return ""
	}
	return actorID(ActorAgent, strconv.FormatInt(int64(o.UserID), 10))
}

// ListOwnersOptions are the query parameters of ListOwners.
type ListOwnersOptions struct {
	// Email lists only the owner with this address.
	Email string
	// Archived lists only archived owners.
	Archived bool
	// After is the cursor from a previous page's NextAfter.
	After string
	// Limit is the page size; zero leaves HubSpot's default of 100.
	Limit int
}

func (o *ListOwnersOptions) values() url.Values {
	v := url.Values{}
	if o == nil {
		return v
	}
	if o.Email != "" {
		v.Set("email", o.Email)
	}
	setBool(v, "archived", o.Archived)
	if o.After != "" {
		v.Set("after", o.After)
	}
	setInt(v, "limit", o.Limit)
	return v
}

// ListOwners lists the account's owners: the active ones, or with
// Archived only the archived ones. Owners are reference data and are
// cached like inboxes (WithCache). It needs the crm.objects.owners.read
// scope; without it HubSpot answers 403 MISSING_SCOPES (see MissingScopes).
//
// HubSpot API: GET /crm/v3/owners
func (c *Client) ListOwners(ctx context.Context, opts *ListOwnersOptions) (*Page[Owner], error) {
	if opts != nil && opts.Limit < 0 {
		return nil, &ArgumentError{Name: "limit", Reason: "must be positive, got " + itoa(opts.Limit)}
	}
	var p Page[Owner]
	if err := c.call(ctx, request{method: "GET", path: "/crm/v3/owners", query: opts.values(), cached: true}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}
