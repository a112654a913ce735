package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// tokenInfoPath is HubSpot's access token information endpoint for static
// tokens. HubSpot documents it for legacy private apps ("View private app
// access token information"); the token goes in the body, never in a URL.
const tokenInfoPath = "/oauth/v2/private-apps/get/access-token-info"

// TokenInfo is what HubSpot says about an access token.
type TokenInfo struct {
	// UserID is the HubSpot user the token acts for.
	UserID int64 `json:"userId"`
	// HubID is the HubSpot account (portal) ID.
	HubID int64 `json:"hubId"`
	// AppID is the app the token belongs to.
	AppID int64 `json:"appId"`
	// Scopes are the scopes granted to the token.
	Scopes []string `json:"scopes"`
}

// TokenInfo asks HubSpot which account, user and scopes the client's token
// has. It changes nothing.
//
// HubSpot answers it for the static access tokens of legacy private apps.
// For other kinds of token (an OAuth access token; a Service Key, whose
// documentation names no such endpoint) it may answer an error such as 401
// or 404 although the token works: ProbeScope then tells what the token
// can read. HubSpot's OAuth metadata endpoint
// (GET /oauth/v1/access-tokens/{token}) is deliberately not used: it puts
// the token in the URL, where proxies log it, and its v1 API is deprecated.
//
// HubSpot API: POST /oauth/v2/private-apps/get/access-token-info
func (c *Client) TokenInfo(ctx context.Context) (*TokenInfo, error) {
	var info TokenInfo
	req := request{method: http.MethodPost, path: tokenInfoPath, body: map[string]string{"tokenKey": c.token}, read: true}
	if err := c.call(ctx, req, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// scopeProbes are harmless reads, one per read scope: HubSpot answers 403
// to each unless the token has the scope. Each asks for one record, and
// its answer is dropped.
var scopeProbes = map[string]func(context.Context, *Client) error{
	ScopeConversationsRead: func(ctx context.Context, c *Client) error {
		_, err := c.ListInboxes(ctx, &ListInboxesOptions{ListOptions: ListOptions{Limit: 1}})
		return err
	},
	ScopeContactsRead: func(ctx context.Context, c *Client) error {
		_, err := c.SearchContacts(ctx, SearchContactsRequest{Limit: 1})
		return err
	},
	ScopeOwnersRead: func(ctx context.Context, c *Client) error {
		_, err := c.ListOwners(ctx, &ListOwnersOptions{Limit: 1})
		return err
	},
}

// ErrNoProbe is ProbeScope's error for a scope no harmless read can test:
// a write scope is tested only by writing.
var ErrNoProbe = errors.New("no harmless read tests this scope")

// ProbeScope tells whether the token has a read scope, by making one
// harmless read that HubSpot guards with it: true when HubSpot answers it,
// false when HubSpot answers 403, and the error otherwise (a 401 means
// the token itself is refused). It never writes: for a scope without a
// probe (every write scope) it returns ErrNoProbe and sends nothing.
func (c *Client) ProbeScope(ctx context.Context, scope string) (bool, error) {
	probe, ok := scopeProbes[scope]
	if !ok {
		return false, fmt.Errorf("%s: %w", scope, ErrNoProbe)
	}
	err := probe(ctx, c)
	var apiErr *Error
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		return false, nil
	}
	return false, err
}
