package view

import (
	"context"
	"slices"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Person is an actor or a contact, with what is known of them. ActorID
// tells the kind: A- agent, V- visitor (customer), B- bot and so on.
type Person struct {
	ActorID   string `json:"actorId,omitempty"`
	ContactID string `json:"contactId,omitempty"`
	Name      string `json:"name,omitempty"`
	Email     string `json:"email,omitempty"`
	// Address is a phone number or short code the message went to or came from.
	Address string `json:"address,omitempty"`
	// Field is CC or BCC for such recipients of an email.
	Field string `json:"field,omitempty"`
}

// Mailbox renders the person as "Name <email>", or whichever is known.
func (p *Person) Mailbox() string {
	switch {
	case p.Name != "" && p.Email != "":
		return p.Name + " <" + p.Email + ">"
	case p.Name != "":
		return p.Name
	}
	return p.Email
}

func (p *Person) empty() bool {
	return p.ActorID == "" && p.ContactID == "" && p.Name == "" && p.Email == "" && p.Address == ""
}

// People maps actor IDs to what HubSpot knows of them. A nil People knows
// nobody; views then show IDs and the names HubSpot sent along.
type People map[string]hubspot.Actor

// person describes actorID, falling back to a name HubSpot sent along (a
// sender's or recipient's name). It returns nil when nothing is known.
func (ps People) person(actorID, fallbackName string) *Person {
	p := &Person{ActorID: actorID}
	if a, ok := ps[actorID]; ok {
		p.Name, p.Email = a.Name, a.Email
	}
	if p.Name == "" {
		p.Name = fallbackName
	}
	p.Name, p.Email = Line(p.Name, 120), Line(p.Email, 200)
	if p.empty() {
		return nil
	}
	return p
}

// ContactActor is the visitor actor of a thread's contact (V-<id>), whose
// name and email BatchGetActors can tell.
func ContactActor(th hubspot.Thread) string {
	if th.AssociatedContactID == "" || hubspot.ValidateNumericID("contactId", th.AssociatedContactID) != nil {
		return ""
	}
	return "V-" + th.AssociatedContactID
}

// ThreadActors lists the actors a list of threads mentions: customers and
// assignees.
func ThreadActors(threads []hubspot.Thread) []string {
	var ids []string
	for _, th := range threads {
		ids = append(ids, ContactActor(th), th.AssignedTo)
	}
	return ids
}

// Lookup reads the actors ids name with at most one BatchGetActors call.
// The client's cache (hubspot.WithCache) answers the actors it already
// knows, so paging through threads does not read the same customers again;
// each credential has its own client, so one user's cache never answers
// another's. Names are a nicety: invalid IDs and failures leave them out,
// and views show IDs alone.
func Lookup(ctx context.Context, c *hubspot.Client, ids []string) People {
	out := People{}
	var want []string
	for _, id := range ids {
		if id == "" || slices.Contains(want, id) || hubspot.ValidateActorID("actorId", id) != nil {
			continue
		}
		want = append(want, id)
	}
	if len(want) > hubspot.MaxBatchActors {
		want = want[:hubspot.MaxBatchActors]
	}
	if len(want) == 0 {
		return out
	}
	b, err := c.BatchGetActors(ctx, want, "")
	if err != nil {
		return out
	}
	for _, a := range b.Results {
		out[a.ID] = a
	}
	return out
}
