package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

// TokenInfoPath is HubSpot's access token information endpoint for static
// tokens (legacy private apps), which the sandbox answers for its tokens.
const TokenInfoPath = "/oauth/v2/private-apps/get/access-token-info"

// tokenInfo is POST /oauth/v2/private-apps/get/access-token-info: the
// account, user, app and scopes of the token in the body's tokenKey. Like
// HubSpot it needs an authenticated call (but no scope); a tokenKey that
// is no token of this server gets HubSpot's 401.
func tokenInfo(a *Account, r *http.Request) (reply, error) {
	var body struct {
		TokenKey string `json:"tokenKey"`
	}
	if err := decodeBody(r, &body); err != nil {
		return reply{}, err
	}
	if strings.TrimSpace(body.TokenKey) == "" {
		return reply{}, invalidParam("tokenKey", "tokenKey is required")
	}
	owner := a.srv.accounts[body.TokenKey] // the handler runs with srv.mu held
	if owner == nil {
		return reply{}, &apiError{status: http.StatusUnauthorized, category: categoryAuth, message: authMessage}
	}
	return reply{body: map[string]any{
		"userId": agentUserID, // the token's owner, AgentActorID
		"hubId":  owner.profile.portalID,
		"appId":  owner.profile.appID,
		"scopes": owner.scopes(),
	}}, nil
}

// scopes are the scopes the account's token has: every scope the sandbox
// checks, less those withheld (WithoutScopes, SetWithheldScopes). HubSpot
// lists a token's scopes whatever the account's subscription, so the
// visitor identification scope is listed even when
// SetVisitorIdentification(false) makes its endpoint answer 403.
func (a *Account) scopes() []string {
	return slices.DeleteFunc(Scopes(), func(s string) bool { return a.withheld[s] })
}
