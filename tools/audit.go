package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// Outcomes of a write attempt, as audit records name them.
const (
	// outcomeSent: HubSpot accepted the write.
	outcomeSent = "sent"
	// outcomeRefused: the server did not send it (invalid arguments, the
	// inbox allowlist, or a confirmation policy the client cannot meet).
	outcomeRefused = "refused"
	// outcomeDeclined: the user declined or cancelled the confirmation.
	outcomeDeclined = "declined"
	// outcomeDryRun: dryRun was set; the request was returned, not sent.
	outcomeDryRun = "dry_run"
	// outcomeFailed: HubSpot refused it, or no usable answer came.
	outcomeFailed = "failed"
	// outcomeAsked: the call ended with a question for a person (an
	// input-required result, or a preview with a token); nothing was
	// sent, and the answer comes in a call of its own.
	outcomeAsked = "asked"
	// outcomeAbandoned: the person was asked within the call
	// (elicitation), and the call ended without their answer.
	outcomeAbandoned = "abandoned"
)

// audit is one write attempt as its audit record describes it. The
// wrapper of auditWrites fills the common fields; a tool notes what only
// it learns (resolved channel, recipients, the created message) with
// noteAudit. It never holds a token or text a person wrote.
type audit struct {
	threadID         string
	messageID        string
	msgType          string
	channelID        string
	channelAccountID string
	recipients       []string // actor IDs only
	outcome          string
	reason           string
	maybeSent        bool
	status           int
	correlationID    string
	// confirmation is how the write was confirmed, or is being: the flow
	// (elicitation, input_required, preview), or disabled under
	// MCP_CONFIRM_WRITES=never; empty for a write that needs none.
	confirmation string
	// confirmationRefused is the reason a confirmation the call presented
	// was not accepted (expired, used, other_request, not_asked…).
	confirmationRefused string
	// cannotAsk is why the client could not ask its user, when it could
	// not (client, protocol, stateless, sse, batch, connection).
	cannotAsk string
}

type auditKey struct{}

// noteAudit lets a write tool add what it learned to the attempt's audit
// record; it does nothing outside an audited call.
func noteAudit(ctx context.Context, f func(*audit)) {
	if a, ok := ctx.Value(auditKey{}).(*audit); ok {
		f(a)
	}
}

// noteOutcome records how an attempt ended when the tool decides it
// (declined, dry run, asked, abandoned, refused by the confirmation mode).
func noteOutcome(ctx context.Context, outcome, reason string) {
	noteAudit(ctx, func(a *audit) { a.outcome, a.reason = outcome, reason })
}

// noteError records why an attempt failed, from the error the model is
// told about.
func noteError(ctx context.Context, err error) {
	noteAudit(ctx, func(a *audit) { a.classify(err) })
}

// classify records the failure's outcome and reason as view reads it.
func (a *audit) classify(err error) {
	fail := view.Explain(err)
	a.outcome, a.reason = outcomeFailed, fail.Reason()
	if fail.Refused() {
		a.outcome = outcomeRefused
	}
	switch {
	case fail.API != nil && !fail.Hidden:
		a.status, a.correlationID = fail.API.StatusCode, fail.API.CorrelationID
	case fail.Request != nil:
		a.status, a.maybeSent = fail.Request.StatusCode, fail.Request.MaybeSent
	}
}

// auditWrites wraps a write tool's handler so that every call leaves one
// info record with audit=true in cfg.Audit: tool, thread, message, type,
// recipient actor IDs, channel, outcome, how it was confirmed, HubSpot's
// correlation ID, the MCP session and, with per-user tokens, the
// credential's fingerprint. A call that ends with a question for a person
// (outcome asked) leaves its own record, and the call with their answer
// another. Arguments are recorded only as the tool reads them: a thread ID
// only when it is one, a type only as MESSAGE or COMMENT, never as sent. A
// tool that onlyReads (its registry access) is returned as it is.
func auditWrites(svc *inbox.Service, cfg Config, st server.ServerTool, onlyReads bool) server.ServerTool {
	if cfg.Audit == nil || onlyReads {
		return st
	}
	name, next := st.Tool.Name, st.Handler
	st.Handler = func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args := req.GetArguments()
		a := &audit{threadID: threadIDArgument(args["threadId"]), msgType: messageTypeArgument(args["type"])}
		var trace inbox.Trace
		ctx = inbox.WithTrace(context.WithValue(ctx, auditKey{}, a), &trace)

		res, err := next(ctx, req)
		switch {
		case err != nil:
			a.outcome, a.reason = outcomeFailed, "internal_error"
		case a.outcome != "":
		case res != nil && res.IsError:
			if a.reason == "" {
				a.outcome, a.reason = outcomeFailed, "error"
			}
		default:
			a.outcome = outcomeSent
		}
		if w, ok := trace.LastWrite(); ok && a.outcome != outcomeRefused {
			a.status, a.correlationID = w.Status, w.CorrelationID
		}
		attrs := []slog.Attr{slog.Bool("audit", true), slog.String("tool", name), slog.String("outcome", a.outcome)}
		attrs = appendNonEmpty(attrs, "reason", a.reason)
		attrs = appendNonEmpty(attrs, "thread_id", a.threadID)
		attrs = appendNonEmpty(attrs, "message_id", a.messageID)
		attrs = appendNonEmpty(attrs, "type", a.msgType)
		attrs = appendNonEmpty(attrs, "channel_id", a.channelID)
		attrs = appendNonEmpty(attrs, "channel_account_id", a.channelAccountID)
		attrs = appendNonEmpty(attrs, "confirmation", a.confirmation)
		attrs = appendNonEmpty(attrs, "confirmation_refused", a.confirmationRefused)
		attrs = appendNonEmpty(attrs, "cannot_ask", a.cannotAsk)
		if len(a.recipients) > 0 {
			attrs = append(attrs, slog.Any("recipient_actor_ids", a.recipients))
		}
		if a.maybeSent {
			attrs = append(attrs, slog.Bool("maybe_sent", true))
		}
		if a.status != 0 {
			attrs = append(attrs, slog.Int("status", a.status))
		}
		attrs = appendNonEmpty(attrs, "correlation_id", a.correlationID)
		if s := server.ClientSessionFromContext(ctx); s != nil {
			attrs = appendNonEmpty(attrs, "session", s.SessionID())
		}
		if cfg.PerUserTokens {
			if id, err := svc.Credential(ctx); err == nil {
				attrs = append(attrs, slog.String("credential", id))
			}
		}
		cfg.Audit.LogAttrs(ctx, slog.LevelInfo, "write attempt", attrs...)
		return res, err
	}
	return st
}

// threadIDArgument is a threadId argument as the tool reads it (a string
// or a whole number, surrounding spaces ignored), or "" when it is not a
// thread ID: what a model sent is never recorded as it was.
func threadIDArgument(v any) string {
	var id string
	switch v := v.(type) {
	case string:
		id = strings.TrimSpace(v)
	case float64:
		id = strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		id = v.String()
	}
	if hubspot.ValidateNumericID("threadId", id) != nil {
		return ""
	}
	return id
}

// messageTypeArgument is send_message's type as the tool reads it (in any
// case): MESSAGE, COMMENT, or "" for anything else.
func messageTypeArgument(v any) string {
	s, _ := v.(string)
	switch t := strings.ToUpper(strings.TrimSpace(s)); t {
	case hubspot.MessageTypeMessage, hubspot.MessageTypeComment:
		return t
	}
	return ""
}

func appendNonEmpty(attrs []slog.Attr, key, value string) []slog.Attr {
	if value == "" {
		return attrs
	}
	return append(attrs, slog.String(key, value))
}
