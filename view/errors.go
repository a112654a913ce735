package view

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Kind is what went wrong with a HubSpot call, as far as a reader can act
// on it. Explain finds it; each audience (a model through a tool result or
// a resource error, an operator through /readyz or the audit log) adds its
// own advice.
type Kind int

const (
	// Other is none of the below: an unexpected error, shown as it is.
	Other Kind = iota
	// InvalidArgument is a *hubspot.ArgumentError: nothing was sent.
	InvalidArgument
	// BudgetSpent is a *hubspot.BudgetError: nothing was sent.
	BudgetSpent
	// Unauthorized is HubSpot's 401: the token is invalid, expired or revoked.
	Unauthorized
	// Forbidden is HubSpot's 403: the token lacks a scope.
	Forbidden
	// NotFound is HubSpot's 404.
	NotFound
	// DailyLimit is a 429 of HubSpot's daily limit, which resets at
	// midnight in the account's time zone.
	DailyLimit
	// RateLimited is any other 429: HubSpot did nothing.
	RateLimited
	// Unavailable is a 5xx.
	Unavailable
	// Rejected is any other error answer from HubSpot.
	Rejected
	// NoAnswer is a *hubspot.RequestError: the connection failed, timed
	// out, was cancelled, or the answer could not be read.
	NoAnswer
	// Cancelled is a bare context.Canceled: the call was cancelled while
	// waiting for the rate budget, before anything was sent.
	Cancelled
	// WaitTimedOut is a bare context.DeadlineExceeded: the time ran out
	// while waiting for the rate budget; nothing was sent.
	WaitTimedOut
	// Unconfirmed is an *inbox.ConfirmationRefusal: the write's
	// confirmation was not accepted (expired, already used, given for a
	// request that has changed since…), so nothing was sent.
	Unconfirmed
)

// Failure is a failed call read once: its Kind and the typed error behind
// it (exactly one of API, Request, Argument, Budget and Confirmation is
// set, or none for Cancelled, WaitTimedOut and Other).
type Failure struct {
	Kind     Kind
	API      *hubspot.Error
	Request  *hubspot.RequestError
	Argument *hubspot.ArgumentError
	Budget   *hubspot.BudgetError
	// Confirmation is why a confirmation was refused.
	Confirmation *inbox.ConfirmationRefusal
	// Hidden is set on a NotFound the inbox allowlist gave for an object of
	// another inbox. A model reads it as any not-found; only the audit
	// tells it apart.
	Hidden bool
	// Step is what a read-only step before a write tried, when that step
	// failed (an *inbox.StepError): nothing was sent.
	Step string
}

// Explain reads err, as returned by the service or the hubspot client,
// into a Failure. It is the one reading of their typed errors.
func Explain(err error) Failure {
	var f Failure
	var step *inbox.StepError
	if errors.As(err, &step) {
		f.Step = step.Action
	}
	f.Hidden = inbox.HiddenByAllowlist(err)
	var agent *inbox.AgentError
	switch {
	case errors.As(err, &f.Confirmation):
		f.Kind = Unconfirmed
	case errors.As(err, &agent):
		// An agent named by email or name that is not exactly one agent:
		// an invalid argument, with the candidates as people.
		f.Kind = InvalidArgument
		f.Argument = &hubspot.ArgumentError{Name: agent.Param, Reason: agent.Reason(AgentLine)}
	case errors.As(err, &f.Argument):
		f.Kind = InvalidArgument
	case errors.As(err, &f.Budget):
		f.Kind = BudgetSpent
	case errors.As(err, &f.API):
		f.Kind = apiKind(f.API)
	case errors.As(err, &f.Request):
		f.Kind = NoAnswer
	// A bare context error comes from waiting for the rate budget, before
	// anything was sent; once a request is out, errors are *RequestError.
	case errors.Is(err, context.Canceled):
		f.Kind = Cancelled
	case errors.Is(err, context.DeadlineExceeded):
		f.Kind = WaitTimedOut
	}
	return f
}

func apiKind(e *hubspot.Error) Kind {
	switch {
	case e.StatusCode == 401:
		return Unauthorized
	case e.StatusCode == 403:
		return Forbidden
	case e.StatusCode == 404:
		return NotFound
	case e.DailyLimit():
		return DailyLimit
	case e.StatusCode == 429:
		return RateLimited
	case e.StatusCode >= 500:
		return Unavailable
	}
	return Rejected
}

// Answered is the head of HubSpot's answer: "HubSpot answered 404
// OBJECT_NOT_FOUND". Empty unless API is set.
func (f Failure) Answered() string {
	if f.API == nil {
		return ""
	}
	s := "HubSpot answered " + strconv.Itoa(f.API.StatusCode)
	if c := Line(f.API.Category, 80); c != "" {
		s += " " + c
	}
	return s
}

// Said is what HubSpot said: its message, then the messages of its error
// details that add something, cleaned and without final periods.
func (f Failure) Said() string {
	if f.API == nil {
		return ""
	}
	first := strings.TrimSuffix(Line(f.API.Message, 300), ".")
	parts := []string{first}
	for _, d := range f.API.Errors {
		if m := strings.TrimSuffix(Line(d.Message, 300), "."); m != "" && m != first {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, "; ")
}

// Reference is " (correlation id …)", which HubSpot's support asks for,
// or empty.
func (f Failure) Reference() string {
	if f.API == nil || f.API.CorrelationID == "" {
		return ""
	}
	return " (correlation id " + Line(f.API.CorrelationID, 80) + ")"
}

// Refused tells whether the server refused the call itself, before
// anything was sent: invalid arguments, the inbox allowlist, or a
// confirmation it did not accept.
func (f Failure) Refused() bool {
	return f.Kind == InvalidArgument || f.Kind == Unconfirmed || f.Hidden
}

// Reason names the failure in an audit record: invalid_arguments,
// inbox_allowlist, the reason of a refused confirmation (expired, used,
// other_request… see inbox.ConfirmationRefusal), rate_budget,
// hubspot_error, lookup_failed (HubSpot refused a step before the write),
// no_answer, cancelled or error.
func (f Failure) Reason() string {
	switch {
	case f.Hidden:
		return "inbox_allowlist"
	case f.Kind == Unconfirmed:
		return f.Confirmation.Reason
	case f.Kind == InvalidArgument:
		return "invalid_arguments"
	case f.Kind == BudgetSpent:
		return "rate_budget"
	case f.API != nil && f.Step != "":
		return "lookup_failed"
	case f.API != nil:
		return "hubspot_error"
	case f.Kind == NoAnswer:
		return "no_answer"
	case f.Kind == Cancelled, f.Kind == WaitTimedOut:
		return "cancelled"
	}
	return "error"
}
