package hubspot

import (
	"context"
	"encoding/json"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// contactsPrefix is where HubSpot's CRM contacts live.
const contactsPrefix = "/crm/v3/objects/contacts"

// Contact properties the product reads. HubSpot returns firstname,
// lastname and email (and createdate, lastmodifieddate and hs_object_id)
// when no properties are asked for.
const (
	ContactFirstName = "firstname"
	ContactLastName  = "lastname"
	ContactEmail     = "email"
	ContactObjectID  = "hs_object_id"
)

// Contact is a CRM contact (HubSpot's SimplePublicObject): its ID and the
// properties asked for. A contact's ID is the number a thread's
// associatedContactId and a visitor actor's V- ID carry, when the visitor
// is a contact at all (HubSpot: "it's possible the visitor isn't a contact
// yet").
type Contact struct {
	ID string `json:"id"`
	// Properties holds the values asked for; HubSpot sends null for a
	// property without a value, which decodes to "".
	Properties map[string]string `json:"properties"`
	CreatedAt  Time              `json:"createdAt"`
	UpdatedAt  Time              `json:"updatedAt"`
	Archived   bool              `json:"archived"`
	ArchivedAt Time              `json:"archivedAt"`
}

// Email returns the contact's email property.
func (c *Contact) Email() string { return c.Properties[ContactEmail] }

// Name returns the contact's first and last name, as one string ("" when
// neither is known).
func (c *Contact) Name() string {
	return strings.TrimSpace(c.Properties[ContactFirstName] + " " + c.Properties[ContactLastName])
}

// GetContactOptions are the query parameters of GetContact.
type GetContactOptions struct {
	// IDProperty names a unique property whose value is the contactID
	// argument: "email" reads a contact by address. Empty means the ID.
	IDProperty string
	// Properties lists the properties to return; empty returns firstname,
	// lastname and email.
	Properties []string
	// Archived reads only an archived contact.
	Archived bool
}

// GetContact reads one contact by its ID or, with IDProperty "email", by
// its email address (HubSpot matches addresses without regard to case).
// Reading by address is exact and immediate: unlike SearchContacts it is
// not subject to the search endpoints' own rate limit (five a second per
// account) or to the moments a new contact takes to become searchable.
//
// A *Error with StatusCode 404 means there is no such contact
// (IsNotFound tells). It needs the crm.objects.contacts.read scope; without
// it HubSpot answers 403 MISSING_SCOPES (see MissingScopes).
//
// HubSpot API: GET /crm/v3/objects/contacts/{contactId}
func (c *Client) GetContact(ctx context.Context, contactID string, opts *GetContactOptions) (*Contact, error) {
	if opts == nil {
		opts = &GetContactOptions{}
	}
	if err := validateContactKey(contactID, opts.IDProperty); err != nil {
		return nil, err
	}
	q := url.Values{}
	if opts.IDProperty != "" {
		q.Set("idProperty", opts.IDProperty)
	}
	for _, p := range opts.Properties {
		q.Add("properties", p)
	}
	setBool(q, "archived", opts.Archived)
	var ct Contact
	err := c.call(ctx, request{method: "GET", path: contactsPrefix + "/" + url.PathEscape(contactID), query: q}, &ct)
	if err != nil {
		return nil, err
	}
	return &ct, nil
}

// propertyNameRE matches HubSpot property names.
var propertyNameRE = regexp.MustCompile(`^[a-z0-9_]{1,100}$`)

// validateContactKey checks the contact key of GetContact: a numeric ID,
// an email address with IDProperty email, or a value of another unique
// property. Nothing that could change the endpoint called (a slash, a
// dot segment, a control character) passes.
func validateContactKey(key, idProperty string) error {
	switch {
	case idProperty == "" || idProperty == ContactObjectID:
		return ValidateNumericID("contactId", key)
	case !propertyNameRE.MatchString(idProperty):
		return &ArgumentError{Name: "idProperty", Reason: "must be a property name such as email, got " + Quote(idProperty)}
	case idProperty == ContactEmail && !strings.ContainsAny(key, `/\`):
		return ValidateEmail("contactId", key)
	case key == "" || key == "." || key == ".." || len(key) > 256 || strings.ContainsAny(key, `/\`) ||
		strings.IndexFunc(key, unicode.IsControl) >= 0:
		return &ArgumentError{Name: "contactId", Reason: "must be a value of " + idProperty + " without slashes or control characters, got " + Quote(key)}
	}
	return nil
}

// ValidateEmail checks a plain email address such as jane@example.com:
// no display name, no angle brackets, at most 254 characters. name is the
// parameter named in the error.
func ValidateEmail(name, email string) error {
	if email == "" {
		return &ArgumentError{Name: name, Reason: "is required: an email address such as jane@example.com"}
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > MaxEmailLength {
		return &ArgumentError{Name: name, Reason: "must be a plain email address such as jane@example.com, got " + Quote(email)}
	}
	return nil
}

// Search filter operators HubSpot documents. Values are compared without
// regard to case, except IN and NOT_IN, which want lower-case values for
// text properties. CONTAINS_TOKEN matches a word of the value and takes *
// as a wildcard ("*@example.com").
const (
	OperatorEQ               = "EQ"
	OperatorNEQ              = "NEQ"
	OperatorLT               = "LT"
	OperatorLTE              = "LTE"
	OperatorGT               = "GT"
	OperatorGTE              = "GTE"
	OperatorBetween          = "BETWEEN"
	OperatorIn               = "IN"
	OperatorNotIn            = "NOT_IN"
	OperatorHasProperty      = "HAS_PROPERTY"
	OperatorNotHasProperty   = "NOT_HAS_PROPERTY"
	OperatorContainsToken    = "CONTAINS_TOKEN"
	OperatorNotContainsToken = "NOT_CONTAINS_TOKEN"
)

var searchOperators = []string{OperatorEQ, OperatorNEQ, OperatorLT, OperatorLTE, OperatorGT, OperatorGTE, OperatorBetween,
	OperatorIn, OperatorNotIn, OperatorHasProperty, OperatorNotHasProperty, OperatorContainsToken, OperatorNotContainsToken}

// The limits of HubSpot's CRM search (its search guide, "Limits").
const (
	// MaxSearchLimit is the largest page a search returns.
	MaxSearchLimit = 200
	// MaxSearchResults is how far a search pages: HubSpot answers 400
	// past its first 10,000 results.
	MaxSearchResults = 10_000
	// MaxSearchQuery is the longest query, in characters.
	MaxSearchQuery = 3000
	// MaxFilterGroups, MaxFiltersPerGroup and MaxFilters bound a search's
	// filters.
	MaxFilterGroups    = 5
	MaxFiltersPerGroup = 6
	MaxFilters         = 18
	// defaultSearchLimit is HubSpot's page size when none is given.
	defaultSearchLimit = 10
)

// SearchRate is HubSpot's limit on its CRM search endpoints: "rate limited
// to five requests per second per account". HubSpot's spec exempts search
// from the ten-secondly limit the other endpoints share; the client counts
// its searches against its Limiter all the same, on purpose (its guides do
// not say whether they count, and counting them never sends more than the
// budget). The client holds its searches to SearchRate by default (see
// WithSearchLimiter).
var SearchRate = Rate{Calls: 5, Per: time.Second}

// SearchContactsRequest is the body of SearchContacts (HubSpot's
// PublicObjectSearchRequest).
type SearchContactsRequest struct {
	// Query matches contacts with a default searchable property (first
	// name, last name, email, phone, company…) containing it.
	Query string
	// FilterGroups are ORed; the filters of one group are ANDed.
	FilterGroups []FilterGroup
	// Sorts holds at most one rule; results are oldest first without one.
	Sorts []SearchSort
	// Properties lists the properties to return; empty returns firstname,
	// lastname and email.
	Properties []string
	// Limit is the page size, at most 200; zero asks for HubSpot's 10.
	Limit int
	// After is the previous page's NextAfter.
	After string
}

// FilterGroup is a set of filters that must all hold.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Filter is one condition on a property.
type Filter struct {
	PropertyName string `json:"propertyName"`
	// Operator is one of the Operator constants.
	Operator string `json:"operator"`
	// Value is the value compared with (the low bound of BETWEEN).
	Value string `json:"value,omitempty"`
	// Values are the values of IN and NOT_IN.
	Values []string `json:"values,omitempty"`
	// HighValue is the high bound of BETWEEN.
	HighValue string `json:"highValue,omitempty"`
}

// SearchSort is a sort rule, in the form HubSpot's search guide documents.
type SearchSort struct {
	PropertyName string `json:"propertyName"`
	// Direction is ASCENDING or DESCENDING; empty leaves HubSpot's
	// ascending order.
	Direction string `json:"direction,omitempty"`
}

// MarshalJSON encodes the request with every field HubSpot's spec
// requires (after, filterGroups, limit, properties, sorts), empty ones
// included.
func (r SearchContactsRequest) MarshalJSON() ([]byte, error) {
	after := r.After
	if after == "" {
		after = "0"
	}
	limit := r.Limit
	if limit == 0 {
		limit = defaultSearchLimit
	}
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	groups, sorts := r.FilterGroups, r.Sorts
	if groups == nil {
		groups = []FilterGroup{}
	}
	if sorts == nil {
		sorts = []SearchSort{}
	}
	return json.Marshal(struct {
		Query        string        `json:"query,omitempty"`
		FilterGroups []FilterGroup `json:"filterGroups"`
		Sorts        []SearchSort  `json:"sorts"`
		Properties   []string      `json:"properties"`
		Limit        int           `json:"limit"`
		After        string        `json:"after"`
	}{r.Query, groups, sorts, nonNil(r.Properties), limit, after})
}

// validate checks the request against HubSpot's documented limits.
func (r *SearchContactsRequest) validate() error {
	if r.Limit < 0 || r.Limit > MaxSearchLimit {
		return &ArgumentError{Name: "limit", Reason: "must be at most " + itoa(MaxSearchLimit) + " (0 asks for HubSpot's 10), got " + itoa(r.Limit)}
	}
	if r.After != "" {
		n, err := strconv.Atoi(r.After)
		if err != nil || n < 0 {
			return &ArgumentError{Name: "after", Reason: "must be the NextAfter of a previous page, got " + Quote(r.After)}
		}
		if n >= MaxSearchResults {
			return &ArgumentError{Name: "after", Reason: "reaches past the " + itoa(MaxSearchResults) + " results a search can page through; narrow the search"}
		}
	}
	if n := len([]rune(r.Query)); n > MaxSearchQuery {
		return &ArgumentError{Name: "query", Reason: "must be at most " + itoa(MaxSearchQuery) + " characters, got " + itoa(n)}
	}
	if len(r.FilterGroups) > MaxFilterGroups {
		return &ArgumentError{Name: "filterGroups", Reason: "takes at most " + itoa(MaxFilterGroups) + " groups"}
	}
	total := 0
	for i, g := range r.FilterGroups {
		name := "filterGroups[" + itoa(i) + "].filters"
		if len(g.Filters) == 0 || len(g.Filters) > MaxFiltersPerGroup {
			return &ArgumentError{Name: name, Reason: "must hold from 1 to " + itoa(MaxFiltersPerGroup) + " filters"}
		}
		total += len(g.Filters)
		for j, f := range g.Filters {
			fname := name + "[" + itoa(j) + "]"
			if !propertyNameRE.MatchString(f.PropertyName) {
				return &ArgumentError{Name: fname + ".propertyName", Reason: "must be a property name such as email, got " + Quote(f.PropertyName)}
			}
			if !slices.Contains(searchOperators, f.Operator) {
				return &ArgumentError{Name: fname + ".operator", Reason: "must be one of " + strings.Join(searchOperators, ", ") + ", got " + Quote(f.Operator)}
			}
		}
	}
	if total > MaxFilters {
		return &ArgumentError{Name: "filterGroups", Reason: "takes at most " + itoa(MaxFilters) + " filters in all, got " + itoa(total)}
	}
	if len(r.Sorts) > 1 {
		return &ArgumentError{Name: "sorts", Reason: "takes one sort rule at most"}
	}
	for _, s := range r.Sorts {
		if !propertyNameRE.MatchString(s.PropertyName) {
			return &ArgumentError{Name: "sorts[0].propertyName", Reason: "must be a property name such as createdate, got " + Quote(s.PropertyName)}
		}
		if err := validateEnum("sorts[0].direction", s.Direction, "ASCENDING", "DESCENDING"); err != nil {
			return err
		}
	}
	return nil
}

// SearchContacts searches contacts by free text (Query) and property
// filters. The page's Total counts every match; NextAfter is the next
// page's After. Archived contacts are never found, and a contact created
// or changed moments ago may not be found yet: to find one contact by its
// address, GetContact with IDProperty "email" is exact and immediate.
//
// The search is a POST that changes nothing, so the client treats it as a
// read: WithBeforeWrite's function never sees it, it joins an identical
// search in flight and it is retried like a GET. Every search waits on the
// client's search limiter, SearchRate (five a second) by default, and then
// takes a turn of the client's Limiter like any other request: it is
// counted against both, on purpose. A 429 from HubSpot's search limit
// (policy SECONDLY, when other apps of the account search too) is retried
// like any other.
//
// It needs the crm.objects.contacts.read scope; without it HubSpot
// answers 403 MISSING_SCOPES (see MissingScopes).
//
// HubSpot API: POST /crm/v3/objects/contacts/search
func (c *Client) SearchContacts(ctx context.Context, req SearchContactsRequest) (*Page[Contact], error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var p Page[Contact]
	err := c.call(ctx, request{method: "POST", path: contactsPrefix + "/search", body: req, idempotent: true, read: true, search: true}, &p)
	if err != nil {
		return nil, err
	}
	return &p, nil
}
