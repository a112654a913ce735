package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

// The scopes a HubSpot token may have that the sandbox's endpoints need,
// one per endpoint: conversations.read for every conversations GET and the
// actor batch read, conversations.write for the other conversations
// calls, the visitor identification scope for tokens, and the CRM read
// scopes for owners and contacts. (HubSpot also lets the automation scope
// read owners; the sandbox models the one scope named here.)
const (
	ScopeConversationsRead     = "conversations.read"
	ScopeConversationsWrite    = "conversations.write"
	ScopeVisitorIdentification = "conversations.visitor_identification.tokens.create"
	ScopeContactsRead          = "crm.objects.contacts.read"
	ScopeOwnersRead            = "crm.objects.owners.read"
)

// Scopes returns every scope the sandbox checks, for validating the names
// given to WithoutScopes.
func Scopes() []string {
	return []string{ScopeConversationsRead, ScopeConversationsWrite, ScopeVisitorIdentification, ScopeContactsRead, ScopeOwnersRead}
}

// WithoutScopes makes every account's token lack the given scopes: the
// endpoints that need one answer HubSpot's 403 MISSING_SCOPES, naming it.
// Use it to show or test what the product does without an optional scope,
// such as crm.objects.contacts.read. Names that are not in Scopes have no
// effect. Account.SetWithheldScopes changes one account.
func WithoutScopes(scopes ...string) Option {
	return func(c *config) {
		if c.withheld == nil {
			c.withheld = map[string]bool{}
		}
		for _, s := range scopes {
			c.withheld[strings.TrimSpace(s)] = true
		}
	}
}

// SetWithheldScopes makes the account's token lack exactly the given
// scopes (none restores them all), so one test or demo token can miss a
// scope while the others keep it.
func (a *Account) SetWithheldScopes(scopes ...string) {
	a.srv.mu.Lock()
	defer a.srv.mu.Unlock()
	a.withheld = map[string]bool{}
	for _, s := range scopes {
		a.withheld[strings.TrimSpace(s)] = true
	}
}

// scopeOf is the scope the endpoint of a route pattern needs.
func scopeOf(pattern string) string {
	method, path, _ := strings.Cut(pattern, " ")
	switch {
	case strings.HasPrefix(path, ownersPath):
		return ScopeOwnersRead
	case strings.HasPrefix(path, contactsPath):
		return ScopeContactsRead
	case strings.HasPrefix(path, visitorPrefix):
		return ScopeVisitorIdentification
	case method == http.MethodGet, pattern == actorsBatchRoute:
		return ScopeConversationsRead
	default:
		return ScopeConversationsWrite
	}
}

// missingScope returns HubSpot's 403 when the account lacks the scope of
// the route pattern, or nil.
func (a *Account) missingScope(pattern string) *apiError {
	scope := scopeOf(pattern)
	if !a.withheld[scope] {
		return nil
	}
	return missingScopesError(scope)
}

// missingScopesError is HubSpot's answer to a token without a scope the
// call needs, as HubSpot sends it (reported from live portals, e.g.
// HubSpot/hubspot-api-nodejs#268; newer answers name the granular scopes
// under requiredGranularScopes, older ones under requiredScopes).
func missingScopesError(scopes ...string) *apiError {
	return &apiError{
		status:   http.StatusForbidden,
		category: categoryMissingScopes,
		message: "This app hasn't been granted all required scopes to make this call. " +
			"Read more about required scopes here: https://developers.hubspot.com/scopes.",
		details: []errorDetail{{
			Message: "One or more of the following scopes are required.",
			Context: map[string][]string{"requiredGranularScopes": slices.Clone(scopes)},
		}},
		links: map[string]string{"scopes": "https://developers.hubspot.com/scopes"},
	}
}
