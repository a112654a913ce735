package hubspot

import (
	"context"
	"strings"
)

// CreateVisitorTokenRequest is the body of CreateVisitorToken.
type CreateVisitorTokenRequest struct {
	// Email identifies the visitor; required.
	Email string `json:"email"`
	// FirstName and LastName are set only on new contacts and on contacts
	// whose first name is unknown.
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	// HSCustomerAgentContext is optional context for HubSpot's customer agent.
	HSCustomerAgentContext map[string]string `json:"hsCustomerAgentContext,omitempty"`
}

// VisitorToken is an identification token for the chat widget. Each call
// returns a new token; it expires after 12 hours.
type VisitorToken struct {
	Token string `json:"token"`
}

// CreateVisitorToken generates a visitor identification token, which a
// website passes to the HubSpot chat widget to identify a signed-in visitor.
// It needs the conversations.visitor_identification.tokens.create scope and
// a Professional or Enterprise subscription (HubSpot answers 403 otherwise).
// It identifies visitors; it does not authenticate them.
//
// HubSpot API: POST /visitor-identification/v3/tokens/create
func (c *Client) CreateVisitorToken(ctx context.Context, req CreateVisitorTokenRequest) (*VisitorToken, error) {
	req.Email = strings.TrimSpace(req.Email)
	if err := ValidateEmail("email", req.Email); err != nil {
		return nil, err
	}
	var t VisitorToken
	if err := c.call(ctx, request{method: "POST", path: visitorPrefix + "/tokens/create", body: req}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}
