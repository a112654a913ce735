package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// contactsPath is where HubSpot's CRM contacts live.
const contactsPath = "/crm/v3/objects/contacts"

// Contact properties. The sandbox's contacts define these; a read or search
// may ask for any of them, and one a contact has no value for comes back
// as null, as HubSpot answers. Unknown names are ignored.
const (
	propFirstName    = "firstname"
	propLastName     = "lastname"
	propEmail        = "email"
	propPhone        = "phone"
	propCompany      = "company"
	propCreateDate   = "createdate"
	propLastModified = "lastmodifieddate"
	propObjectID     = "hs_object_id"
)

var (
	// contactProperties are the properties a sandbox contact defines.
	contactProperties = []string{propFirstName, propLastName, propEmail, propPhone, propCompany,
		propCreateDate, propLastModified, propObjectID}
	// defaultContactProperties are returned when none are asked for: the
	// spec's firstname, lastname and email, plus the three HubSpot always adds.
	defaultContactProperties = []string{propFirstName, propLastName, propEmail, propCreateDate, propLastModified, propObjectID}
	// alwaysContactProperties come back whatever properties are asked for.
	alwaysContactProperties = []string{propCreateDate, propLastModified, propObjectID}
	// searchableContactProperties are the contact properties of HubSpot's
	// "default searchable properties" that a search's query matches (its
	// list also has hs_additional_emails, fax, mobilephone and
	// hs_marketable_until_renewal, which sandbox contacts do not have).
	searchableContactProperties = []string{propFirstName, propLastName, propEmail, propPhone, propCompany}
)

// contact is a CRM contact. Its values hold the properties it has a value
// for, except the three computed ones (createdate, lastmodifieddate,
// hs_object_id).
type contact struct {
	id         string
	values     map[string]string
	createdAt  time.Time
	updatedAt  time.Time
	archived   bool
	archivedAt time.Time
}

// property returns the contact's value for a property, and whether the
// property is defined at all.
func (c *contact) property(name string) (string, bool) {
	switch name {
	case propCreateDate:
		return c.createdAt.UTC().Format("2006-01-02T15:04:05.000Z"), true
	case propLastModified:
		return c.updatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), true
	case propObjectID:
		return c.id, true
	}
	return c.values[name], slices.Contains(contactProperties, name)
}

// contactView is HubSpot's SimplePublicObject(WithAssociations) for a
// contact. A property without a value is null.
type contactView struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
	CreatedAt  time.Time          `json:"createdAt"`
	UpdatedAt  time.Time          `json:"updatedAt"`
	Archived   bool               `json:"archived"`
	ArchivedAt time.Time          `json:"archivedAt,omitzero"`
}

// view renders the contact with the asked properties (the default ones
// when none are asked for).
func (c *contact) view(asked []string) contactView {
	names := defaultContactProperties
	if len(asked) > 0 {
		names = append(slices.Clone(asked), alwaysContactProperties...)
	}
	props := map[string]*string{}
	for _, name := range names {
		v, defined := c.property(name)
		switch {
		case !defined:
		case v == "":
			props[name] = nil
		default:
			props[name] = &v
		}
	}
	return contactView{ID: c.id, Properties: props, CreatedAt: c.createdAt, UpdatedAt: c.updatedAt,
		Archived: c.archived, ArchivedAt: c.archivedAt}
}

// propertyList reads a properties parameter: repeated (properties=a&properties=b,
// as the spec's explode form sends it) or comma-separated (as HubSpot's
// guides write it), or both.
func propertyList(values []string) []string {
	var out []string
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// seedContacts adds a contact for every seeded customer but the one of
// ContactlessThreadID, with the same ID, names and address as its visitor
// actor, plus a lead without conversations and an archived contact. It runs
// with the server's lock held.
func (a *Account) seedContacts() {
	p := &a.profile
	a.contacts = map[string]*contact{}
	add := func(id string, first, last, email string, created, modified time.Time) *contact {
		c := &contact{id: id, createdAt: stamp(created), updatedAt: stamp(modified), values: map[string]string{
			propFirstName: first, propLastName: last, propEmail: email}}
		a.contacts[id] = c
		return c
	}
	for i, who := range p.visitors {
		if i == contactlessVisitor {
			continue
		}
		v := a.actors[visitorID(i)]
		add(strings.TrimPrefix(v.ID, "V-"), who.first, who.last, v.Email, ago(day(60+7*i, i%24)), ago(day(5+i, 3)))
	}
	lead := person{p.visitors[0].first, "Lindgren"}
	c := add(LeadContactID, lead.first, lead.last, lead.emailAt("example.org"), ago(day(33, 4)), ago(day(12, 7)))
	c.values[propCompany] = "Lindgren Guiding AB"
	old := add(ArchivedContactID, "Ruth", "Kessler", "ruth.kessler@example.org", ago(day(700, 2)), ago(day(90, 1)))
	old.archived, old.archivedAt = true, old.updatedAt
}

// getContact is GET /crm/v3/objects/contacts/{contactId}: one contact by
// its ID, or with idProperty=email by its email address (case-insensitive).
// archived=true finds only archived contacts, otherwise only live ones.
func getContact(a *Account, r *http.Request) (reply, error) {
	id := r.PathValue("contactId")
	q := r.URL.Query()
	archived, err := parseBool(q, "archived")
	if err != nil {
		return reply{}, err
	}
	c, err := a.findContact(id, q)
	if err != nil {
		return reply{}, err
	}
	if c == nil || c.archived != archived {
		return reply{}, contactNotFound(id, q.Get("idProperty"))
	}
	return reply{body: c.view(propertyList(q["properties"]))}, nil
}

// findContact looks a contact up by the value of its idProperty.
func (a *Account) findContact(id string, q url.Values) (*contact, error) {
	switch prop := q.Get("idProperty"); prop {
	case "", propObjectID:
		return a.contacts[canonicalID(id)], nil
	case propEmail:
		for _, c := range a.contacts {
			if strings.EqualFold(c.values[propEmail], id) {
				return c, nil
			}
		}
		return nil, nil
	default:
		if !slices.Contains(contactProperties, prop) {
			return nil, invalidParam("idProperty", "Property %q does not exist for object type contacts", prop)
		}
		return nil, invalidParam("idProperty", "Property %q is not a unique identifier of contacts; use email or hs_object_id", prop)
	}
}

// contactNotFound is HubSpot's 404 for a contact. For an ID that is not a
// number it is HubSpot's own text ("objectId are usually numeric", with
// its two spaces, as a HubSpot client bug report quotes it:
// HubSpot/hubspot-api-nodejs#669).
func contactNotFound(id, idProperty string) *apiError {
	msg := "Object not found."
	if _, err := strconv.ParseInt(id, 10, 64); err != nil && idProperty == "" {
		msg = "Object not found.  objectId are usually numeric."
	}
	return &apiError{status: http.StatusNotFound, category: categoryNotFound, message: msg,
		context: map[string][]string{"id": {id}}}
}

// seedCRM adds the account's owners and contacts. It runs with the
// server's lock held, after seedActors.
func (a *Account) seedCRM() {
	a.seedOwners()
	a.seedContacts()
}
