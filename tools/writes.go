package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Confirmation policies for writes a customer sees or that lose data
// (MCP_CONFIRM_WRITES), named by package inbox, which parses them.
const (
	// ConfirmNever never asks.
	ConfirmNever = string(inbox.ConfirmNever)
	// ConfirmElicit asks the user when the client can ask, and proceeds
	// as asked otherwise. The default. (Until issue 15's phase 2, the
	// preview for clients that cannot ask is not implemented.)
	ConfirmElicit = string(inbox.ConfirmElicitOrPreview)
	// ConfirmAlways asks the user, and refuses when the client cannot ask.
	ConfirmAlways = string(inbox.ConfirmElicitOnly)
)

// dryRunInput is the dryRun flag every write tool takes.
type dryRunInput struct {
	DryRun bool `json:"dryRun,omitempty" jsonschema:"Send nothing; return the exact request instead"`
}

func (in dryRunInput) dryRun() bool { return in.DryRun }

// dryRunner is implemented by the inputs of write tools.
type dryRunner interface{ dryRun() bool }

// notSentOutput is a write tool's answer when it sent nothing on purpose:
// a dry run, or a confirmation the user declined or cancelled. Output
// schemas require no property (see outputSchema), so it conforms to every
// write tool's; TestDryRunAnswersMatchTheOutputSchema checks that it does.
type notSentOutput struct {
	// Sent is always false: nothing was sent to HubSpot.
	Sent bool `json:"sent"`
	// Reason is dry_run, declined or cancelled.
	Reason string `json:"reason"`
	// Request is what the call sends (would have sent) to HubSpot.
	Request plannedRequestOutput `json:"request"`
	Note    string               `json:"note"`
}

// plannedRequestOutput is a HubSpot request as it would be sent.
type plannedRequestOutput struct {
	Method string `json:"method"`
	// Path is the path and query string on HubSpot's API host.
	Path string `json:"path"`
	// Body is the JSON body, if any.
	Body any `json:"body,omitempty"`
}

func newPlannedRequestOutput(p inbox.PlannedRequest) plannedRequestOutput {
	out := plannedRequestOutput{Method: p.Method, Path: p.Path}
	if len(p.Body) > 0 {
		_ = json.Unmarshal(p.Body, &out.Body) // the client encoded it
	}
	return out
}

// confirmation makes a write ask the user first, as the operator's policy
// says: writes a customer sees, and writes that lose data.
type confirmation[In any] struct {
	// policy is ConfirmNever, ConfirmElicit or ConfirmAlways; empty means
	// ConfirmElicit.
	policy string
	// applies tells whether this call needs confirming (a COMMENT does not).
	applies func(In) bool
	// question is what the user is asked: exactly what will happen.
	question func(ctx context.Context, svc *inbox.Service, in In, planned inbox.PlannedRequest) (string, error)
}

// confirmID keys the confirmation among a call's input requests.
const confirmID = "confirm"

// confirmForm is the elicitation's form: nothing to fill in, only accept,
// decline or cancel.
var confirmForm = map[string]any{"type": "object", "properties": map[string]any{}}

// planWrite runs the tool in a dry run and returns the request it would
// send.
func planWrite[In, Out any](ctx context.Context, s spec[In, Out], svc *inbox.Service, in In) (inbox.PlannedRequest, error) {
	var planned inbox.PlannedRequest
	_, err := s.run(inbox.WithDryRun(ctx, &planned), svc, in)
	switch {
	case errors.Is(err, inbox.ErrDryRun):
		return planned, nil
	case err != nil:
		return planned, err
	}
	return planned, fmt.Errorf("%s made no request to plan", s.name)
}

// ask asks the user to confirm the planned write, or reads their answer
// when the call comes back with it (in the request state, the digest of
// the request asked about). On accept it returns the context for the
// write, which allows only that request; otherwise the result to answer
// with: the question, or the news that the user said no.
func (cf *confirmation[In]) ask(ctx context.Context, req mcp.CallToolRequest, svc *inbox.Service, in In, planned inbox.PlannedRequest, f failure) (context.Context, *mcp.CallToolResult) {
	state := planned.Digest()
	// An answer about another request (it changed since the question,
	// e.g. a new customer message changed the default recipients) does
	// not count: the user is asked about this one.
	if answer := server.ElicitationResponse(req.Params.InputResponses, confirmID); answer != nil && req.Params.RequestState == state {
		switch answer.Action {
		case mcp.ElicitationResponseActionAccept:
			return inbox.WithExpectedWrite(ctx, state), nil
		case mcp.ElicitationResponseActionDecline:
			noteOutcome(ctx, outcomeDeclined, "declined")
			return ctx, notSentResult("declined", planned,
				"The user declined this in the confirmation dialog, so nothing was sent. Do not try again unless the user asks for it; ask them what to change instead.")
		default:
			noteOutcome(ctx, outcomeDeclined, "cancelled")
			return ctx, notSentResult("cancelled", planned,
				"The user dismissed the confirmation dialog without accepting, so nothing was sent. Do not try again unless the user asks for it.")
		}
	}
	question, err := cf.question(ctx, svc, in, planned)
	if err != nil {
		noteError(ctx, err)
		return ctx, errorResult(f, &inbox.StepError{Action: "prepare the confirmation question", Err: err})
	}
	return ctx, server.NewInputRequestBuilder(state).Elicit(confirmID, mcp.ElicitationParams{
		Mode: mcp.ElicitationModeForm, Message: question, RequestedSchema: confirmForm,
	}).ToolResult()
}

// notSentResult answers a write that sent nothing on purpose.
func notSentResult(reason string, planned inbox.PlannedRequest, note string) *mcp.CallToolResult {
	res, err := structuredResult(notSentOutput{Reason: reason, Request: newPlannedRequestOutput(planned), Note: note})
	if err != nil {
		return mcp.NewToolResultError(err.Error())
	}
	return res
}

// canElicit tells whether the client of this request can ask its user:
// for 2026-07-28 requests, the capabilities they declare; before, those
// of the session's initialize (without HTTP sessions there are none, so
// such a client is never asked), and a session that can carry the question.
func canElicit(ctx context.Context) bool {
	var caps *mcp.ClientCapabilities
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		caps = info.ClientCapabilities
	} else {
		session := server.ClientSessionFromContext(ctx)
		if _, ok := session.(server.SessionWithElicitation); !ok {
			return false
		}
		withInfo, ok := session.(server.SessionWithClientInfo)
		if !ok {
			return false
		}
		c := withInfo.GetClientCapabilities()
		caps = &c
	}
	if caps == nil || caps.Elicitation == nil {
		return false
	}
	// A client that declares only URL elicitation cannot show a form.
	e := caps.Elicitation
	return e.Form != nil || e.URL == nil
}

// refuseUnconfirmed is the answer under ConfirmAlways when the client
// cannot ask its user.
func refuseUnconfirmed(action string) *mcp.CallToolResult {
	return mcp.NewToolResultError("Nothing was sent: this server is configured to ask the user before it will " + action +
		" (MCP_CONFIRM_WRITES=always), and this MCP client cannot ask (it does not support elicitation). " +
		"Tell the user: use an MCP client that supports elicitation, or have the operator set MCP_CONFIRM_WRITES=elicit " +
		"(ask when the client can) or never. dryRun: true shows what would be sent.")
}
