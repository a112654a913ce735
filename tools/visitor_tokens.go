package tools

import (
	"context"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// visitorTokenLifetime is how long HubSpot's visitor tokens stay valid.
const visitorTokenLifetime = 12 * time.Hour

// createVisitorTokenInput holds create_visitor_token's arguments.
type createVisitorTokenInput struct {
	Email     string `json:"email"`
	FirstName string `json:"firstName,omitempty" jsonschema:"Only for a new or unnamed contact"`
	LastName  string `json:"lastName,omitempty" jsonschema:"Only for a new or unnamed contact"`
	dryRunInput
}

// visitorTokenOutput is a new visitor identification token. The token is
// the tool's product, so it is returned, but it is a credential of the
// visitor's chat session: it is never logged.
type visitorTokenOutput struct {
	Token     string `json:"token"`
	Email     string `json:"email"`
	ExpiresAt string `json:"expiresAt"`
}

func createVisitorToken(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[createVisitorTokenInput, visitorTokenOutput]{
		name: "create_visitor_token",
		description: "Create a visitor identification token (valid 12 h) for a website to pass to the HubSpot chat widget, " +
			"so a signed-in visitor's chats go to that email's contact. It identifies; it does NOT authenticate. " +
			"Needs HubSpot Professional or Enterprise.",
		title:  "Create visitor token",
		scope:  scopeVisitor,
		action: func(createVisitorTokenInput) string { return "create a visitor token" },
		run: func(ctx context.Context, svc *inbox.Service, in createVisitorTokenInput) (visitorTokenOutput, error) {
			t, err := svc.CreateVisitorToken(ctx, hubspot.CreateVisitorTokenRequest{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName})
			if err != nil {
				return visitorTokenOutput{}, err
			}
			return visitorTokenOutput{Token: t.Token, Email: in.Email,
				ExpiresAt: time.Now().Add(visitorTokenLifetime).UTC().Format(time.RFC3339)}, nil
		},
	})
}
