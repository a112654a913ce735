package hubspot

import (
	"errors"
	"regexp"
	"slices"
	"strings"
)

// The HubSpot scopes the client's endpoints need. A token (a Service Key,
// a legacy private app's or an OAuth token) has the scopes it was granted; an endpoint whose scope is missing
// answers 403 MISSING_SCOPES (see MissingScopes).
const (
	// ScopeConversationsRead reads inboxes, channels, threads, messages and
	// actors.
	ScopeConversationsRead = "conversations.read"
	// ScopeConversationsWrite updates, archives and assigns threads and
	// sends messages.
	ScopeConversationsWrite = "conversations.write"
	// ScopeVisitorTokens creates visitor identification tokens.
	ScopeVisitorTokens = "conversations.visitor_identification.tokens.create"
	// ScopeContactsRead reads and searches CRM contacts: GetContact and
	// SearchContacts.
	ScopeContactsRead = "crm.objects.contacts.read"
	// ScopeOwnersRead lists CRM owners: ListOwners. (HubSpot's spec also
	// lets the automation scope read owners.)
	ScopeOwnersRead = "crm.objects.owners.read"
)

// CategoryMissingScopes is the category of HubSpot's 403 for a token that
// lacks a scope the call needs.
const CategoryMissingScopes = "MISSING_SCOPES"

// scopeRE matches a scope name as HubSpot writes them.
var scopeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)

// maxScopes bounds the scopes kept from one error.
const maxScopes = 10

// MissingScopes tells whether e is HubSpot's answer to a token without a
// scope the call needs (a 403 with category MISSING_SCOPES) and returns
// the scopes HubSpot names, in its order, without repeats. HubSpot's text
// says "One or more of the following scopes are required": granting any
// one of them is enough. The list may be empty when HubSpot names none;
// the endpoint's doc comment says which scope it needs.
//
// HubSpot has named them in three places over time, all of which are
// read: errors[].context.requiredGranularScopes (current answers),
// errors[].context.requiredScopes (older ones, e.g.
// HubSpot/hubspot-api-nodejs#268) and context.missingScopes (the spec's
// Error example). Only well-formed scope names are kept.
func (e *Error) MissingScopes() (scopes []string, ok bool) {
	if e == nil || e.StatusCode != 403 || !strings.EqualFold(e.Category, CategoryMissingScopes) {
		return nil, false
	}
	contexts := []map[string][]string{e.Context}
	for _, d := range e.Errors {
		contexts = append(contexts, d.Context)
	}
	scopes = []string{}
	for _, ctx := range contexts {
		for _, key := range []string{"requiredGranularScopes", "requiredScopes", "missingScopes"} {
			for _, s := range ctx[key] {
				if s = strings.TrimSpace(s); scopeRE.MatchString(s) && !slices.Contains(scopes, s) && len(scopes) < maxScopes {
					scopes = append(scopes, s)
				}
			}
		}
	}
	return scopes, true
}

// MissingScopes tells whether err is HubSpot's 403 MISSING_SCOPES and
// returns the scopes it names (see (*Error).MissingScopes): the way for a
// caller to fall back when an optional scope, such as ScopeContactsRead,
// was not granted.
func MissingScopes(err error) (scopes []string, ok bool) {
	var e *Error
	if !errors.As(err, &e) {
		return nil, false
	}
	return e.MissingScopes()
}
