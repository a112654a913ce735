package resources

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// readError turns a failure into the error a resource read returns, which
// mcp-go sends as a JSON-RPC error (resource handlers have no isError
// channel). It carries HubSpot's status, category, message and correlation
// id, and what to do; never the token, which no client error holds.
func readError(uri string, err error) error {
	var (
		argErr    *hubspot.ArgumentError
		budgetErr *hubspot.BudgetError
		apiErr    *hubspot.Error
		reqErr    *hubspot.RequestError
	)
	switch {
	case errors.As(err, &argErr):
		return fmt.Errorf("%s: invalid resource URI: %s; nothing was sent to HubSpot", uri, argErr.Error())
	case errors.As(err, &budgetErr):
		return fmt.Errorf("%s: %s; nothing was sent, retry later", uri, budgetErr.Error())
	case errors.As(err, &apiErr):
		return fmt.Errorf("%s: %s%s", uri, describeAPIError(apiErr), hint(apiErr))
	case errors.As(err, &reqErr):
		return fmt.Errorf("%s: no answer from HubSpot: %s", uri, reqErr.Error())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: cancelled before HubSpot answered: %w", uri, err)
	}
	return fmt.Errorf("%s: %w", uri, err)
}

// describeAPIError is HubSpot's answer in one line: status, category,
// message, details and correlation id.
func describeAPIError(e *hubspot.Error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HubSpot answered %d", e.StatusCode)
	if e.Category != "" {
		b.WriteString(" " + e.Category)
	}
	if e.Message != "" {
		b.WriteString(": " + strings.TrimSuffix(view.Line(e.Message, 300), "."))
	}
	for _, d := range e.Errors {
		if m := strings.TrimSuffix(view.Line(d.Message, 300), "."); m != "" && m != strings.TrimSuffix(e.Message, ".") {
			b.WriteString("; " + m)
		}
	}
	if e.CorrelationID != "" {
		b.WriteString(" (correlation id " + view.Line(e.CorrelationID, 80) + ")")
	}
	return b.String()
}

func hint(e *hubspot.Error) string {
	switch {
	case e.StatusCode == 404:
		return "; resources/list, list_inboxes and list_threads show valid IDs"
	case e.StatusCode == 401:
		return "; the HubSpot access token is invalid or expired: the operator must replace it"
	case e.StatusCode == 403:
		return "; the access token lacks the conversations.read scope"
	case e.StatusCode == 429 && e.DailyLimit():
		return "; the daily HubSpot API limit is spent until midnight in the account's time zone"
	case e.StatusCode == 429:
		return "; HubSpot's rate limit was reached, retry shortly"
	case e.StatusCode >= 500:
		return "; HubSpot is unavailable, try again later"
	}
	return ""
}
