package resources

import (
	"fmt"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// readError turns a failure into the error a resource read returns, which
// mcp-go sends as a JSON-RPC error (resource handlers have no isError
// channel). view.Explain reads the error; this adds the URI and what to do.
// It carries HubSpot's status, category, message and correlation id, never
// the token, which no client error holds.
func readError(uri string, err error) error {
	uri = hubspot.Truncate(uri, 200) // a client's input, quoted back
	fail := view.Explain(err)
	switch fail.Kind {
	case view.InvalidArgument:
		return fmt.Errorf("%s: invalid resource URI: %s; nothing was sent to HubSpot", uri, fail.Argument.Error())
	case view.BudgetSpent:
		return fmt.Errorf("%s: %s; nothing was sent, retry later", uri, fail.Budget.Error())
	case view.NoAnswer:
		return fmt.Errorf("%s: no answer from HubSpot: %s", uri, fail.Request.Error())
	case view.Cancelled, view.WaitTimedOut:
		return fmt.Errorf("%s: cancelled before HubSpot answered: %w", uri, err)
	case view.Other:
		return fmt.Errorf("%s: %w", uri, err)
	}
	return fmt.Errorf("%s: %s: %s%s%s", uri, fail.Answered(), fail.Said(), fail.Reference(), hint(fail.Kind))
}

func hint(k view.Kind) string {
	switch k {
	case view.NotFound:
		return "; resources/list, list_inboxes and list_threads show valid IDs"
	case view.Unauthorized:
		return "; the HubSpot access token is invalid or expired: the operator must replace it"
	case view.Forbidden:
		return "; the access token lacks the conversations.read scope"
	case view.DailyLimit:
		return "; the daily HubSpot API limit is spent until midnight in the account's time zone"
	case view.RateLimited:
		return "; HubSpot's rate limit was reached, retry shortly"
	case view.Unavailable:
		return "; HubSpot is unavailable, try again later"
	}
	return ""
}
