package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// HubSpot scopes, named in 403 explanations.
const (
	scopeRead    = "conversations.read"
	scopeWrite   = "conversations.write"
	scopeVisitor = "conversations.visitor_identification.tokens.create"
)

// structuredResult returns out as structured content plus the same JSON as
// text, for clients that ignore structuredContent. A marshal failure is a
// bug in this package, so it is the one Go error a tool returns.
func structuredResult(out any) (*mcp.CallToolResult, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	// Message text is full of <, > and &; escaping them only costs tokens.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode tool result: %w", err)
	}
	return mcp.NewToolResultStructured(out, strings.TrimSuffix(b.String(), "\n")), nil
}

// failure describes a call for the error text: what was attempted, which
// scope it needs, and what a 404 means.
type failure struct {
	// action is what the tool tried, e.g. "get thread 123".
	action string
	// scope is the HubSpot scope the call needs.
	scope string
	// notFound explains a 404, e.g. "thread 123 not found; list_threads
	// finds valid thread IDs". Empty uses HubSpot's own message.
	notFound string
	// sends is set for send_message: after a 5xx or a lost connection the
	// message may have reached the customer.
	sends bool
}

// errorResult turns any error from binding, the service or the client into
// an isError result the model can act on. It never includes the token: the
// client's errors hold none and headers are never printed.
func errorResult(f failure, err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(explain(f, err))
}

// explain turns an error into model-facing text: view.Explain reads it,
// and this adds what a model needs (the action, the scope, what to do).
func explain(f failure, err error) string {
	fail := view.Explain(err)
	var step *inbox.StepError
	if errors.As(err, &step) {
		// An earlier, read-only step failed: nothing was sent.
		f = failure{action: step.Action, scope: f.scope, notFound: f.notFound}
		err = step.Err
	}
	switch fail.Kind {
	case view.Unconfirmed:
		return fmt.Sprintf("Did not %s: %s, so nothing was sent. Call again to ask the user anew.", f.action, fail.Confirmation.Error())
	case view.InvalidArgument:
		return "Invalid arguments: " + fail.Argument.Error() + ". Nothing was sent to HubSpot."
	case view.BudgetSpent:
		why := "this server's own HubSpot call budget (" + fail.Budget.Rate.String() + ") is spent"
		if fail.Budget.Rate.Calls == 0 {
			why = "HubSpot reported its rate-limit window spent"
		}
		return fmt.Sprintf("Could not %s: %s, so nothing was sent. Retry in %s.", f.action, why, seconds(fail.Budget.Wait))
	case view.NoAnswer:
		return explainRequestError(f, fail.Request)
	case view.Cancelled:
		return fmt.Sprintf("Could not %s: the request was cancelled before it was sent.", f.action)
	case view.WaitTimedOut:
		return fmt.Sprintf("Could not %s: the time limit ran out while waiting for the rate budget; nothing was sent. Try again.", f.action)
	case view.Other:
		return fmt.Sprintf("Could not %s: %v", f.action, err)
	}
	return explainAPIError(f, fail)
}

// explainAPIError explains an error answer from HubSpot.
func explainAPIError(f failure, fail view.Failure) string {
	e := fail.API
	head := fail.Answered() + " to " + f.action + ": " + fail.Said() + fail.Reference() + "."
	switch {
	case fail.Kind == view.Unauthorized:
		return head + " The HubSpot access token is invalid, expired or revoked, so no tool will work until it is replaced: " +
			"the operator must " + view.FixToken + ". Retrying will not help."
	case fail.Kind == view.Forbidden && f.scope == scopeVisitor:
		return head + " Creating visitor tokens needs the scope " + scopeVisitor +
			" on the access token and a Professional or Enterprise HubSpot subscription; the operator must " + view.AddScope(scopeVisitor) + ", or upgrade."
	case fail.Kind == view.Forbidden:
		scope := f.scope
		if named, ok := e.MissingScopes(); ok && len(named) > 0 {
			scope = named[0] // HubSpot knows best which one this call needed
		}
		return head + " The access token lacks the scope " + scope + " this tool needs; the operator must " + view.AddScope(scope) + "."
	case fail.Kind == view.NotFound && f.notFound != "":
		return capitalize(f.notFound) + ". " + head
	case fail.Kind == view.DailyLimit:
		return head + " The account's daily HubSpot API limit is spent. It resets at midnight in the HubSpot account's time zone: wait until then, or raise the limit (API limit increase)."
	case fail.Kind == view.RateLimited:
		wait := "a few seconds"
		if e.RetryAfter > 0 {
			wait = seconds(e.RetryAfter)
		}
		return head + " HubSpot's rate limit was reached and nothing was done; retry in " + wait + "."
	case fail.Kind == view.Unavailable && f.sends:
		return head + " HubSpot failed while handling the send, so the message may have been sent. Call list_messages to check before sending again."
	case fail.Kind == view.Unavailable:
		return head + " HubSpot is unavailable right now; try again later."
	}
	return head
}

// explainRequestError explains a call that got no usable answer.
func explainRequestError(f failure, e *hubspot.RequestError) string {
	if e.StatusCode >= 200 && e.StatusCode < 300 {
		if f.sends {
			return fmt.Sprintf("HubSpot accepted the message (status %d) but its answer could not be read: the message was most likely sent. Call list_messages to check before sending again.", e.StatusCode)
		}
		return fmt.Sprintf("Could not %s: HubSpot answered %d but the answer could not be read (%v). Try again.", f.action, e.StatusCode, e.Err)
	}
	what, retry := "the connection to HubSpot failed", " Try again."
	switch {
	case errors.Is(e.Err, context.DeadlineExceeded):
		what = "the request to HubSpot timed out"
	case errors.Is(e.Err, context.Canceled):
		what, retry = "the request was cancelled", ""
	}
	return fmt.Sprintf("Could not %s: %s (%v).%s", f.action, what, e.Err, maybeSent(f, e.MaybeSent, retry))
}

// maybeSent warns that a message may have gone out when a send ended
// without an answer; otherwise it returns the retry advice.
func maybeSent(f failure, maybe bool, retry string) string {
	if f.sends && maybe {
		return " The message may have been sent: call list_messages to check before sending again."
	}
	return retry
}

// seconds renders a wait as whole seconds, at least 1.
func seconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))) + " s"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
