package tools

import (
	"strings"
	"testing"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestCreateVisitorTokenTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got visitorTokenOutput
	before := time.Now()
	e.ok(t, "create_visitor_token", `{"email":"maya.thompson@example.com","firstName":"Maya","lastName":"Thompson"}`, &got)
	if strings.Count(got.Token, ".") != 2 || got.Email != "maya.thompson@example.com" {
		t.Errorf("want a JWT for the email, got %+v", got)
	}
	exp, err := time.Parse(time.RFC3339, got.ExpiresAt)
	if err != nil || exp.Before(before.Add(12*time.Hour-time.Second)) || exp.After(time.Now().Add(12*time.Hour)) {
		t.Errorf("expiresAt %q, want 12 hours from now", got.ExpiresAt)
	}
	reqs := e.sb.Requests()
	if len(reqs) != 1 || string(reqs[0].Body) != `{"email":"maya.thompson@example.com","firstName":"Maya","lastName":"Thompson"}` {
		t.Errorf("sent %+v", reqs)
	}

	e.fails(t, "create_visitor_token", `{}`, "email is required")
	e.fails(t, "create_visitor_token", `{"email":"Maya <maya@example.com>"}`, "email must be a plain email address such as jane@example.com")
	e.fails(t, "create_visitor_token", `{"email":"maya@example.com","name":"Maya"}`, `"name" is not a known parameter (did you mean firstName?); allowed: email, firstName, lastName`)
}

func TestCreateVisitorTokenNeedsSubscription(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withSandbox(sandbox.WithVisitorIdentification(false)))
	e.fails(t, "create_visitor_token", `{"email":"maya@example.com"}`,
		"HubSpot answered 403 FORBIDDEN to create a visitor token: Access to the visitor identification API requires a Professional or Enterprise subscription",
		"needs the scope conversations.visitor_identification.tokens.create on the access token and a Professional or Enterprise HubSpot subscription")
}
