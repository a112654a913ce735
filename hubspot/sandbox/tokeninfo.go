package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// TokenInfoPath is HubSpot's access token information endpoint for static
// tokens (legacy private apps), which the sandbox answers for its tokens.
const TokenInfoPath = "/oauth/v2/private-apps/get/access-token-info"

// TokenScopes are the scopes every sandbox token has: those of the
// endpoints the sandbox serves. HubSpot lists a token's scopes the same
// way whatever the account's subscription, so visitor tokens are listed
// even when SetVisitorIdentification(false) makes their endpoint answer 403.
var TokenScopes = []string{
	"conversations.read",
	"conversations.write",
	"conversations.visitor_identification.tokens.create",
}

// tokenInfo is POST /oauth/v2/private-apps/get/access-token-info: the
// account, user, app and scopes of the token in the body's tokenKey. Like
// HubSpot it needs an authenticated call too; a tokenKey that is no token
// of this server gets HubSpot's 401.
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
	userID, _ := strconv.ParseInt(strings.TrimPrefix(AgentActorID, "A-"), 10, 64)
	return reply{body: map[string]any{
		"userId": userID,
		"hubId":  owner.profile.portalID,
		"appId":  owner.profile.appID,
		"scopes": TokenScopes,
	}}, nil
}
