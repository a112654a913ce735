package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// dryRunInput is the dryRun flag every write tool takes.
type dryRunInput struct {
	DryRun bool `json:"dryRun,omitempty" jsonschema:"Send nothing; return the exact request instead"`
}

func (in dryRunInput) dryRun() bool { return in.DryRun }

// dryRunner is implemented by the inputs of write tools.
type dryRunner interface{ dryRun() bool }

// confirmInput is the confirmationToken of the writes a person confirms:
// what a preview handed out, passed back once the person agreed.
type confirmInput struct {
	ConfirmationToken string `json:"confirmationToken,omitempty" jsonschema:"From this tool's preview, once the user agreed"`
}

func (in confirmInput) confirmationToken() string { return in.ConfirmationToken }

// notSentOutput is a write tool's answer when it sent nothing on purpose:
// a dry run, a preview waiting for the user's agreement, or a
// confirmation the user declined or cancelled. Output schemas require no
// property (see outputSchema), so it conforms to every write tool's;
// TestDryRunAnswersMatchTheOutputSchema checks that it does.
type notSentOutput struct {
	// Sent is always false: nothing was sent to HubSpot.
	Sent bool `json:"sent"`
	// Reason is dry_run, confirmation_required, declined or cancelled.
	Reason string `json:"reason"`
	// Preview is what the user must see and agree to (a preview).
	Preview string `json:"preview,omitempty"`
	// ConfirmationToken, passed back with the same arguments, sends
	// exactly what the preview shows, once (a preview).
	ConfirmationToken string `json:"confirmationToken,omitempty"`
	// ExpiresAt is when the token stops working (a preview).
	ExpiresAt string `json:"expiresAt,omitempty"`
	// Request is what the call sends (would have sent) to HubSpot.
	Request *plannedRequestOutput `json:"request,omitempty"`
	Note    string                `json:"note"`
}

// plannedRequestOutput is a HubSpot request as it would be sent.
type plannedRequestOutput struct {
	Method string `json:"method"`
	// Path is the path and query string on HubSpot's API host.
	Path string `json:"path"`
	// Body is the JSON body, if any.
	Body any `json:"body,omitempty"`
}

func newPlannedRequestOutput(p inbox.PlannedRequest) *plannedRequestOutput {
	out := &plannedRequestOutput{Method: p.Method, Path: p.Path}
	if len(p.Body) > 0 {
		_ = json.Unmarshal(p.Body, &out.Body) // the client encoded it
	}
	return out
}

// confirmation makes a write ask a person first, as the operator's mode
// (MCP_CONFIRM_WRITES) says: writes a customer sees, and writes that lose
// data. docs/safe-writes.md describes the flows.
type confirmation[In any] struct {
	// mode is the operator's mode, never empty (Select fills in the
	// default, elicit-or-preview).
	mode inbox.ConfirmMode
	// applies tells whether this call needs confirming (a COMMENT does not).
	applies func(In) bool
	// token is the confirmationToken argument.
	token func(In) string
	// question is what the person is asked: exactly what will happen.
	question func(ctx context.Context, svc *inbox.Service, in In, planned inbox.PlannedRequest) (string, error)
	// notDone says what did not happen when the call ends without the
	// write: "Nothing was sent", "Thread 123 was not archived".
	notDone func(In) string
}

// confirmID keys the confirmation among a call's input requests.
const confirmID = "confirm"

// confirmForm is the elicitation's form: nothing to fill in, only accept,
// decline or cancel.
var confirmForm = map[string]any{"type": "object", "properties": map[string]any{}}

// maxQuestions bounds how many times one call asks a person through
// elicitation: a confirmation refused at the send (what would be sent
// changed meanwhile) asks again, a few times at most.
const maxQuestions = 3

// asking is how a call can reach the person who must confirm its write.
type asking struct {
	// flow is FlowInputRequired or FlowElicitation when the client can ask
	// the person, and FlowPreview when it cannot.
	flow inbox.ConfirmFlow
	// cannot names why the client cannot ask, for the audit
	// (client, protocol, stateless, sse, batch, connection); why says it
	// to a person.
	cannot, why string
}

// howToAsk finds how the client of this request can ask its user. A
// 2026-07-28 request (mcp-go's own test, the one that decides whether an
// input-required result reaches the client) is asked through an
// input-required result when it declares form elicitation. An earlier
// one is asked with elicitation/create when its session declared
// elicitation and its connection can carry the question: not over the
// legacy SSE transport, in a JSON-RPC batch or without sessions
// (mcpadapt.WithoutQuestions), and not in protocol versions without
// elicitation (before 2025-06-18). Everyone else cannot be asked.
func howToAsk(ctx context.Context) asking {
	version := server.RequestProtocolVersion(ctx)
	session := server.ClientSessionFromContext(ctx)
	if mcp.IsModernProtocol(version) {
		var caps *mcp.ClientCapabilities
		if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.ClientCapabilities != nil {
			caps = info.ClientCapabilities
		} else {
			caps = sessionCaps(session)
		}
		return throughForm(caps, inbox.FlowInputRequired)
	}
	switch mcpadapt.QuestionsBlocked(ctx) {
	case mcpadapt.NoQuestionsSSE:
		return cannotAsk("sse", "this server's legacy SSE transport (MCP_TRANSPORT=sse) cannot carry a question to the client, whatever the client supports")
	case mcpadapt.NoQuestionsBatch:
		return cannotAsk("batch", "the call came in a JSON-RPC batch, whose answer cannot carry a question to the client")
	case mcpadapt.NoQuestionsStateless:
		return cannotAsk("stateless", "this server keeps no sessions (MCP_STATELESS=true), so it cannot ask a client of protocol "+orUnknown(version)+
			" (a client of protocol 2026-07-28 can be asked)")
	}
	if version != "" && version < mcp.ProtocolVersion20250618 {
		return cannotAsk("protocol", "the client speaks MCP "+version+", which has no elicitation (2025-06-18 added it)")
	}
	if _, ok := session.(server.SessionWithElicitation); !ok || server.ServerFromContext(ctx) == nil {
		return cannotAsk("connection", "this connection cannot carry a question to the client")
	}
	return throughForm(sessionCaps(session), inbox.FlowElicitation)
}

func cannotAsk(cannot, why string) asking {
	return asking{flow: inbox.FlowPreview, cannot: cannot, why: why}
}

// throughForm asks through flow a client whose capabilities caps declare
// form elicitation; any other client cannot be asked.
func throughForm(caps *mcp.ClientCapabilities, flow inbox.ConfirmFlow) asking {
	if !formElicitation(caps) {
		return cannotAsk("client", "this MCP client does not support elicitation (it declared no form elicitation capability)")
	}
	return asking{flow: flow}
}

// sessionCaps returns the capabilities the session's client declared when
// it initialized, or nil if the session keeps none.
func sessionCaps(session server.ClientSession) *mcp.ClientCapabilities {
	s, ok := session.(server.SessionWithClientInfo)
	if !ok {
		return nil
	}
	caps := s.GetClientCapabilities()
	return &caps
}

// formElicitation tells whether caps declare elicitation a form can go
// through: a client that declares only URL elicitation cannot show one.
func formElicitation(caps *mcp.ClientCapabilities) bool {
	if caps == nil || caps.Elicitation == nil {
		return false
	}
	e := caps.Elicitation
	return e.Form != nil || e.URL == nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

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

// confirmWrite decides, for a write that needs a person's "yes", whether
// this call sends it and with which confirmation (the returned context,
// which the service redeems just before the request leaves), or ends with
// a result: a question, a preview, the person's "no", or a refusal.
//
// refused is the confirmation the previous attempt of this call presented
// and the service did not accept (nil on the first): the call then asks
// again, with a new confirmation, saying why.
func (s spec[In, Out]) confirmWrite(ctx context.Context, req mcp.CallToolRequest, svc *inbox.Service, in In, f failure, how asking, refused *inbox.ConfirmationRefusal) (context.Context, *mcp.CallToolResult) {
	cf := s.confirm
	if refused == nil {
		// A token from a preview, passed back once the person agreed.
		if tok := cf.token(in); tok != "" && cf.mode.Accepts(inbox.FlowPreview) {
			noteAudit(ctx, func(a *audit) { a.confirmation = inbox.FlowPreview.String() })
			return inbox.WithConfirmation(ctx, inbox.FlowPreview, tok), nil
		}
		if how.flow == inbox.FlowInputRequired {
			if answer := server.ElicitationResponse(req.Params.InputResponses, confirmID); answer != nil {
				return s.answered(ctx, svc, in, f, how, answer.Action, req.Params.RequestState)
			}
		} else if req.Params.RequestState != "" || len(req.Params.InputResponses) > 0 {
			// A client before 2026-07-28 answering a question in its
			// tools/call: this server asks such clients itself, in the
			// call, and never through the client's arguments.
			noteAudit(ctx, func(a *audit) { a.confirmationRefused = inbox.ErrConfirmationNotAsked.Reason })
		}
	}
	return s.ask(ctx, svc, in, f, how, refused)
}

// answered reads a 2026-07-28 client's answer to the question of an
// earlier call: on accept, the write goes ahead with the request state as
// its confirmation; on decline or cancel, nothing is sent, provided the
// state is a genuine question of this server about this request.
func (s spec[In, Out]) answered(ctx context.Context, svc *inbox.Service, in In, f failure, how asking, action mcp.ElicitationResponseAction, state string) (context.Context, *mcp.CallToolResult) {
	noteAudit(ctx, func(a *audit) { a.confirmation = inbox.FlowInputRequired.String() })
	if action == mcp.ElicitationResponseActionAccept {
		return inbox.WithConfirmation(ctx, inbox.FlowInputRequired, state), nil
	}
	planned, err := planWrite(ctx, s, svc, in)
	if err != nil {
		noteError(ctx, err)
		return ctx, errorResult(f, err)
	}
	if err := svc.VerifyConfirmation(ctx, state, inbox.FlowInputRequired, planned); err != nil {
		var refusal *inbox.ConfirmationRefusal
		if !errors.As(err, &refusal) {
			noteError(ctx, err)
			return ctx, errorResult(f, err)
		}
		return s.ask(ctx, svc, in, f, how, refusal)
	}
	return ctx, s.declined(ctx, in, planned, action)
}

// declined answers a call whose person said no, or dismissed the question.
func (s spec[In, Out]) declined(ctx context.Context, in In, planned inbox.PlannedRequest, action mcp.ElicitationResponseAction) *mcp.CallToolResult {
	notDone := s.confirm.notDone(in)
	if action == mcp.ElicitationResponseActionDecline {
		noteOutcome(ctx, outcomeDeclined, "declined")
		return notSentResult(notSentOutput{Reason: "declined", Request: newPlannedRequestOutput(planned),
			Note: "The user declined this in the confirmation dialog. " + notDone + ". Do not try again unless the user asks for it; ask them what to change instead."})
	}
	noteOutcome(ctx, outcomeDeclined, "cancelled")
	return notSentResult(notSentOutput{Reason: "cancelled", Request: newPlannedRequestOutput(planned),
		Note: "The user dismissed the confirmation dialog without accepting. " + notDone + ". Do not try again unless the user asks for it."})
}

// ask puts the planned write to the person, as how says: an
// input-required result (2026-07-28), elicitation/create within this call
// (before), or a preview with a token for clients that cannot ask; or it
// refuses, when the mode accepts only a person's answer through the
// client and the client cannot ask. refused, when set, is why the
// previous confirmation was not accepted.
func (s spec[In, Out]) ask(ctx context.Context, svc *inbox.Service, in In, f failure, how asking, refused *inbox.ConfirmationRefusal) (context.Context, *mcp.CallToolResult) {
	cf := s.confirm
	if refused != nil {
		noteAudit(ctx, func(a *audit) { a.confirmationRefused = refused.Reason })
	}
	noteAudit(ctx, func(a *audit) { a.cannotAsk = how.cannot })
	if how.flow == inbox.FlowPreview && !cf.mode.Accepts(inbox.FlowPreview) {
		noteOutcome(ctx, outcomeRefused, "confirmation_unavailable")
		return ctx, mcp.NewToolResultError(cf.notDone(in) + ": this server accepts only the user's own answer, given through the MCP client, before it will " +
			f.action + " (MCP_CONFIRM_WRITES=elicit-only), and " + how.why + ". " +
			"Tell the user: use an MCP client that supports elicitation over stdio or Streamable HTTP, or have the operator set " +
			"MCP_CONFIRM_WRITES=elicit-or-preview (you then show the user a preview and call again with its token once they agree).")
	}
	planned, err := planWrite(ctx, s, svc, in)
	if err != nil {
		noteError(ctx, err)
		return ctx, errorResult(f, err)
	}
	question, err := cf.question(ctx, svc, in, planned)
	if err != nil {
		noteError(ctx, err)
		return ctx, errorResult(f, &inbox.StepError{Action: "prepare the confirmation question", Err: err})
	}
	token, err := svc.IssueConfirmation(ctx, how.flow, planned)
	if err != nil {
		noteError(ctx, err)
		return ctx, errorResult(f, err)
	}
	noteAudit(ctx, func(a *audit) { a.confirmation = how.flow.String() })
	again := ""
	if refused != nil {
		again = "The earlier confirmation was not accepted: " + refused.Error() + ". "
	}
	switch how.flow {
	case inbox.FlowInputRequired:
		noteOutcome(ctx, outcomeAsked, "")
		return ctx, server.NewInputRequestBuilder(token).Elicit(confirmID, mcp.ElicitationParams{
			Mode: mcp.ElicitationModeForm, Message: again + question, RequestedSchema: confirmForm,
		}).ToolResult()
	case inbox.FlowPreview:
		noteOutcome(ctx, outcomeAsked, "")
		return ctx, notSentResult(notSentOutput{Reason: "confirmation_required", Preview: question, ConfirmationToken: token,
			ExpiresAt: time.Now().Add(inbox.ConfirmationTTL).UTC().Format(time.RFC3339),
			Note: again + cf.notDone(in) + " yet: the user must agree first. Show them the preview exactly as it is and ask whether to go ahead. " +
				"Only if they agree, call " + s.name + " again with the same arguments plus confirmationToken; it works once, for exactly this, until expiresAt. " +
				"If they do not agree, do not call again."})
	}
	return s.elicit(ctx, svc, in, f, planned, question, token, again)
}

// elicit asks the person with elicitation/create, within this call, and
// waits for their answer at most as long as the confirmation lives. On
// accept, the write goes ahead with the confirmation; otherwise the
// question is withdrawn, and a call that got no answer is recorded as
// abandoned.
func (s spec[In, Out]) elicit(ctx context.Context, svc *inbox.Service, in In, f failure, planned inbox.PlannedRequest, question, token, again string) (context.Context, *mcp.CallToolResult) {
	wait, cancel := context.WithTimeout(ctx, inbox.ConfirmationTTL)
	defer cancel()
	answer, err := server.ServerFromContext(ctx).RequestElicitation(wait, mcp.ElicitationRequest{Params: mcp.ElicitationParams{
		Mode: mcp.ElicitationModeForm, Message: again + question, RequestedSchema: confirmForm,
	}})
	if err == nil && answer != nil && answer.Action == mcp.ElicitationResponseActionAccept {
		return context.WithValue(inbox.WithConfirmation(ctx, inbox.FlowElicitation, token), elicitedKey{}, token), nil
	}
	if !svc.WithdrawConfirmation(token) {
		// Only this call holds the token; closed already means a bug.
		noteOutcome(ctx, outcomeFailed, "error")
		return ctx, mcp.NewToolResultError(s.confirm.notDone(in) + ": the confirmation question was closed before its answer came.")
	}
	if err != nil || answer == nil {
		noteOutcome(ctx, outcomeAbandoned, "no_answer")
		why := "no answer came"
		if err != nil {
			why = "asking failed (" + view.Line(err.Error(), 160) + ")"
		}
		return ctx, mcp.NewToolResultError(s.confirm.notDone(in) + ": the user was asked to confirm, but " + why + ". Ask the user whether to try again.")
	}
	return ctx, s.declined(ctx, in, planned, answer.Action)
}

// elicitedKey keeps, in the context of a write confirmed through
// elicitation, the confirmation: a run that stops before sending leaves its
// question open, and withdrawQuestion closes it.
type elicitedKey struct{}

// withdrawQuestion closes the question of the elicitation a run was
// confirmed by, if it is still open (the run stopped before sending).
func withdrawQuestion(ctx context.Context, svc *inbox.Service) {
	if token, ok := ctx.Value(elicitedKey{}).(string); ok {
		svc.WithdrawConfirmation(token)
	}
}

// notSentResult answers a write that sent nothing on purpose.
func notSentResult(out notSentOutput) *mcp.CallToolResult {
	res, err := structuredResult(out)
	if err != nil {
		return mcp.NewToolResultError(err.Error())
	}
	return res
}
