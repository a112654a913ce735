package view

import (
	"cmp"
	"slices"
	"strings"

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

// Line is the person as one line of text, the one rendering of a person
// in prose: the name, then the address in angle brackets, then the IDs in
// parentheses, then CC or BCC, each when known; without a name, the email
// address (or else the phone number) stands in its place; without
// anything, "". "Maya Thompson <maya@example.com>",
// "Riley Chen (A-48151623)", "Dana (contact 3501) (CC)". A caller shows
// only what its context needs by leaving the rest out of the Person.
//
// quote renders text people wrote (the name and address), such as a
// Markdown code span; nil shows it as is. IDs are shown as is when they
// are well-formed HubSpot IDs, else quoted too.
func (p *Person) Line(quote func(string) string) string {
	if p == nil {
		return ""
	}
	q := func(s string) string {
		if quote == nil {
			return s
		}
		return quote(s)
	}
	name, addr := p.Name, cmp.Or(p.Email, p.Address)
	if name == "" {
		name, addr = addr, ""
	}
	ids := ""
	if p.ActorID != "" {
		ids = ID(p.ActorID, quote)
	}
	if p.ContactID != "" {
		ids = strings.TrimPrefix(ids+", contact "+ID(p.ContactID, quote), ", ")
	}
	var line string
	switch {
	case name != "" && addr != "":
		line = q(name) + " <" + q(addr) + ">"
	case name != "":
		line = q(name)
	}
	switch {
	case ids == "":
	case line == "":
		line = ids
	default:
		line += " (" + ids + ")"
	}
	if line != "" && p.Field != "" {
		line += " (" + p.Field + ")"
	}
	return line
}

// ID shows id as is when it is a well-formed HubSpot ID (numeric or an
// actor ID), and through quote otherwise; a nil quote shows every id as is.
func ID(id string, quote func(string) string) string {
	if quote == nil || hubspot.ValidateNumericID("id", id) == nil || hubspot.ValidateActorID("id", id) == nil {
		return id
	}
	return quote(id)
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

// ThreadActors lists the actors a list of threads mentions, whose names
// its views show: customers and assignees.
func ThreadActors(threads []hubspot.Thread) []string {
	var ids []string
	for _, th := range threads {
		ids = append(ids, th.CustomerActorID(), th.AssignedTo)
	}
	return ids
}

// Person is what ps knows of actorID: name, email and the ID itself, or
// just the ID when nothing is known; nil for an empty ID.
func (ps People) Person(actorID string) *Person {
	if actorID == "" {
		return nil
	}
	return ps.person(actorID, "")
}

// Recipient is a recipient of a message being sent, for a person to check
// before it goes: the name (from the request, or else from people), every
// address it goes to that a person can read (an email address, a phone
// number, a short code), CC or BCC, and the actor ID only when nothing
// else is known. A channel-specific opaque ID, such as a chat visitor's,
// means nothing to a reader: the email people know for the actor stands
// in for it, or nothing does.
func Recipient(r hubspot.RecipientEgg, people People) *Person {
	known := people[r.ActorID]
	var addrs []string
	for _, d := range r.DeliveryIdentifiers {
		v := d.Value
		if d.Type == hubspot.DeliveryChannelOpaque {
			v = known.Email
		}
		if v = Line(v, 200); v != "" && !slices.Contains(addrs, v) {
			addrs = append(addrs, v)
		}
	}
	p := Person{Name: Line(cmp.Or(r.Name, known.Name), 120), Address: strings.Join(addrs, ", ")}
	if r.RecipientField != "" && r.RecipientField != "TO" {
		p.Field = r.RecipientField
	}
	if p.Name == "" && p.Address == "" {
		p.ActorID = r.ActorID
	}
	return &p
}
