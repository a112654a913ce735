package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Owner types (HubSpot's PublicOwner.type).
const (
	ownerPerson = "PERSON"
	ownerQueue  = "QUEUE"
)

// Owner list page sizes. The spec gives 100 as the default; larger limits
// are capped at 500, like the sandbox's other lists cap theirs, rather than
// refused.
const (
	defaultOwnerLimit = 100
	maxOwnerLimit     = 500
)

// owner is HubSpot's PublicOwner: a user who can own CRM records, or a
// queue. userId is the HubSpot user ID, the number of the user's agent
// actor A-<userId>; a deactivated user's owner is archived and keeps only
// userIdIncludingInactive.
type owner struct {
	ID                      string    `json:"id"`
	Email                   string    `json:"email,omitempty"`
	FirstName               string    `json:"firstName,omitempty"`
	LastName                string    `json:"lastName,omitempty"`
	UserID                  int64     `json:"userId,omitempty"`
	UserIDIncludingInactive int64     `json:"userIdIncludingInactive,omitempty"`
	Type                    string    `json:"type"`
	CreatedAt               time.Time `json:"createdAt"`
	UpdatedAt               time.Time `json:"updatedAt"`
	Archived                bool      `json:"archived"`
	Teams                   []team    `json:"teams,omitempty"`
}

// team is HubSpot's PublicTeam.
type team struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// staffRoster gives each account's owners beyond its two agents: an agent
// who has never written in a conversation, the former agent behind the
// archived owner, and an owner without a HubSpot user.
var staffRoster = [][3]person{
	{{"Dana", "Whitfield"}, {"Morgan", "Ellis"}, {"Taylor", "Quinlan"}},
	{{"Sasha", "Novak"}, {"Robin", "Keane"}, {"Jordan", "Abara"}},
	{{"Elif", "Demir"}, {"Casey", "Lund"}, {"Avery", "Moss"}},
}

// User IDs behind the seeded owners: the agents' are the numbers of their
// actor IDs.
const (
	agentUserID     = 48151623 // AgentActorID
	otherUserID     = 48151624 // OtherAgentActorID
	ownerOnlyUserID = 48151625 // OwnerOnlyAgentActorID
	formerUserID    = 48151619 // the deactivated user of ArchivedOwnerID
)

// seedOwners adds the account's owners, and the agent actor of the agent
// who appears in no thread. It runs with the server's lock held.
func (a *Account) seedOwners() {
	p := &a.profile
	support := []team{{ID: "5301", Name: p.label("Customer support"), Primary: true}}
	sales := []team{{ID: "5302", Name: p.label("Sales"), Primary: true}, {ID: "5301", Name: p.label("Customer support")}}
	person := func(id string, who person, userID int64, created int, teams []team) *owner {
		return &owner{ID: id, Email: who.emailAt(p.domain), FirstName: who.first, LastName: who.last, UserID: userID,
			UserIDIncludingInactive: userID, Type: ownerPerson, CreatedAt: ago(day(created, 2)), UpdatedAt: ago(day(created/7, 5)), Teams: teams}
	}
	quiet := p.staff[0]
	former := person(ArchivedOwnerID, p.staff[1], 0, 580, nil)
	former.UserIDIncludingInactive, former.Archived, former.UpdatedAt = formerUserID, true, ago(day(212, 4))
	a.owners = []*owner{
		person(AgentOwnerID, p.agents[0], agentUserID, 611, support),
		person(OtherAgentOwnerID, p.agents[1], otherUserID, 540, sales),
		person(OwnerOnlyAgentOwnerID, quiet, ownerOnlyUserID, 19, support),
		{ID: QueueOwnerID, FirstName: p.label("Warranty claims"), Type: ownerQueue,
			CreatedAt: ago(day(300, 1)), UpdatedAt: ago(day(44, 6))},
		former,
		person(NoUserOwnerID, p.staff[2], 0, 455, nil),
	}
	id := OwnerOnlyAgentActorID
	a.actors[id] = &actor{ID: id, Type: actorAgent, Name: quiet.name(), Email: quiet.emailAt(p.domain),
		Avatar: fmt.Sprintf("https://cdn.%s/avatars/%s.png", p.domain, strings.ToLower(quiet.first+"-"+quiet.last))}
}

// listOwners is GET /crm/v3/owners: the active owners, or with
// archived=true only the archived ones, optionally only those with an
// email address, in pages ordered by ID.
func listOwners(a *Account, r *http.Request) (reply, error) {
	q := r.URL.Query()
	limit, err := ownerLimit(q)
	if err != nil {
		return reply{}, err
	}
	archived, err := parseBool(q, "archived")
	if err != nil {
		return reply{}, err
	}
	email := strings.TrimSpace(q.Get("email"))
	var matched []*owner
	for _, o := range a.owners {
		if o.Archived == archived && (email == "" || strings.EqualFold(o.Email, email)) {
			matched = append(matched, o)
		}
	}
	p, err := paginate(matched, func(o *owner) []string { return []string{idKey(o.ID)} }, []bool{false}, q.Get("after"), limit)
	if err != nil {
		return reply{}, err
	}
	return reply{body: collection{Results: p.items, Paging: forwardPaging(r, p)}}, nil
}

// ownerLimit reads the owners list's limit: 100 by default, at most 500.
func ownerLimit(q url.Values) (int, error) {
	if !q.Has("limit") {
		return defaultOwnerLimit, nil
	}
	n, err := positiveInt(q, "limit")
	return min(n, maxOwnerLimit), err
}
