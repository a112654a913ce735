package view

import (
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Token guidance: where a HubSpot access token comes from and which scopes
// the server uses, worded once. A model reads it in the 401 and 403 tool
// errors, an operator in the configuration errors and the help, a person in
// setup's report; the README, docs/, the bundle's manifest and server.json
// repeat it word for word (TestReadmeTokenGuidanceIsTheServers,
// TestTokenGuidanceIsWordedOnce). HubSpot's own words (developer changelog "Service
// Keys enter public beta for system-to-system integrations", 2026-02-10;
// "Legacy Private App Creation Being Disabled"; the "account service keys"
// docs page): Service Keys replace legacy private apps for one account's
// REST API access and take the same kind of scopes; creating legacy private
// apps is disabled from 2026-09-28 (new accounts) and 2026-10-26 (existing
// accounts), and existing ones keep working.

// ServiceKeyPath is where HubSpot's UI creates and edits Service Keys.
const ServiceKeyPath = "Development → Keys → Service keys"

// CreateServiceKey is how a person makes a Service Key in HubSpot's UI,
// step by step; the scopes to add follow it.
const CreateServiceKey = "in HubSpot, go to " + ServiceKeyPath + ", click Create service key, name it, " +
	"click Add new scope for each scope below, click Create, then open the key, click Show and copy it"

// TokenKinds names the tokens the server accepts, the recommended first.
const TokenKinds = "a Service Key (HubSpot → " + ServiceKeyPath + "), the access token of an existing legacy private app, or an OAuth access token"

// GetToken tells an operator how to get a token with the required scopes.
var GetToken = "create a Service Key in HubSpot (" + ServiceKeyPath + ") with the scopes " +
	strings.Join(RequiredScopes(), " and ") + "; the access token of an existing legacy private app, or an OAuth access token, works too"

// FixToken tells an operator what to do about a token HubSpot refused (401).
const FixToken = "replace it with " + TokenKinds

// AddScope tells an operator how to grant scope to the token.
func AddScope(scope string) string {
	return "add the scope " + scope + " to the Service Key (" + ServiceKeyPath + ", open the key, Add new scope), " +
		"or to the legacy private app or OAuth app the token belongs to"
}

// Scope is a HubSpot scope the server uses.
type Scope struct {
	Name string
	// Required scopes are needed for the server's core: reading and
	// working the inbox. The others enable one feature each.
	Required bool
	// Enables is what the scope lets the assistant do.
	Enables string
}

// Scopes are the scopes the server uses, required first.
var Scopes = []Scope{
	{Name: hubspot.ScopeConversationsRead, Required: true,
		Enables: "reading inboxes, channels, threads, messages and actors (every read tool, resource and prompt)"},
	{Name: hubspot.ScopeConversationsWrite, Required: true,
		Enables: "replying to customers, internal comments, closing, reopening, assigning and archiving threads"},
	{Name: hubspot.ScopeVisitorTokens,
		Enables: "create_visitor_token, for signed-in visitors of your website's chat (needs a Professional or Enterprise subscription)"},
	{Name: hubspot.ScopeContactsRead,
		Enables: "search_threads: a customer's conversations by email address or name (without it: only among the 100 latest threads)"},
	{Name: hubspot.ScopeOwnersRead,
		Enables: "list_agents, and a colleague named by email address or name to assign a thread or send as (without it: only agents seen in recent threads)"},
}

// RequiredScopes returns the names of the required scopes.
func RequiredScopes() []string {
	var names []string
	for _, s := range Scopes {
		if s.Required {
			names = append(names, s.Name)
		}
	}
	return names
}
