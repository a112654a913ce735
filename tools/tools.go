// Package tools defines the MCP tools of the HubSpot Conversations server:
// their names, descriptions, annotations, input schemas and validation,
// trimmed output views, and the mapping of HubSpot errors to text a model
// can act on.
//
// Every tool follows one path (see define): bind and check the arguments,
// get the caller's HubSpot client from the Provider, call HubSpot once (or
// a few bounded times), and return the result as structured content plus
// the same JSON as text. Failures a user or model can fix come back as
// isError results; only bugs become protocol errors.
package tools

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Config holds server-wide tool settings.
type Config struct {
	// SenderActorID is send_message's default senderActorId
	// (HUBSPOT_SENDER_ACTOR_ID); may be empty.
	SenderActorID string
	// Audit receives one info record with audit=true per write attempt
	// (see auditWrites); nil records nothing.
	Audit *slog.Logger
	// PerUserTokens adds the fingerprint of the caller's HubSpot
	// credential to audit records.
	PerUserTokens bool
	// ConfirmWrites is the confirmation policy for writes a customer sees
	// or that lose data (MCP_CONFIRM_WRITES): ConfirmNever, ConfirmElicit
	// (the default when empty) or ConfirmAlways.
	ConfirmWrites string
}

// entry is one tool of the registry and the toolset it belongs to.
type entry struct {
	toolset string
	build   func(hubspot.Provider, Config) server.ServerTool
}

// registry lists every tool in the order All returns them.
var registry = []entry{
	{"inboxes", listInboxes},
	{"inboxes", getInbox},
	{"channels", listChannels},
	{"channels", getChannel},
	{"channels", listChannelAccounts},
	{"channels", getChannelAccount},
	{"threads", listThreads},
	{"threads", getThread},
	{"threads", updateThread},
	{"threads", archiveThread},
	{"threads", assignThread},
	{"threads", unassignThread},
	{"messages", listMessages},
	{"messages", getMessage},
	{"messages", getMessageOriginalContent},
	{"messages", sendMessage},
	{"actors", getActor},
	{"actors", batchGetActors},
	{"visitors", createVisitorToken},
}

// All returns every tool, in a stable order. Each call gets its HubSpot
// client from p.
func All(p hubspot.Provider, cfg Config) []server.ServerTool {
	out := make([]server.ServerTool, len(registry))
	for i, e := range registry {
		out[i] = auditWrites(p, cfg, e.build(p, cfg))
	}
	return out
}

// Toolsets returns the toolset names, in registry order.
func Toolsets() []string {
	var names []string
	for _, e := range registry {
		if !slices.Contains(names, e.toolset) {
			names = append(names, e.toolset)
		}
	}
	return names
}

// toolsetOf maps each tool name to its toolset. Building a tool only
// captures its arguments, so a nil Provider is fine here.
var toolsetOf = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, len(registry))
	for _, e := range registry {
		m[e.build(nil, Config{}).Tool.Name] = e.toolset
	}
	return m
})

// Filter selects tools. A tool is kept when it passes every filter set.
type Filter struct {
	// ReadOnly keeps only tools whose readOnlyHint is true.
	ReadOnly bool
	// Toolsets keeps only tools of these toolsets (see Toolsets); empty
	// keeps all.
	Toolsets []string
	// Tools keeps only these tools; empty keeps all.
	Tools []string
	// Exclude drops these tools.
	Exclude []string
}

// Select returns the tools of all that pass f, in their order. It fails on
// a toolset or tool name it does not know, and on a tool named in
// f.Tools that ReadOnly, Toolsets or Exclude drop: such a configuration
// contradicts itself, and starting without the tool would hide the
// mistake.
func Select(all []server.ServerTool, f Filter) ([]server.ServerTool, error) {
	known := Toolsets()
	for _, ts := range f.Toolsets {
		if !slices.Contains(known, ts) {
			return nil, fmt.Errorf("MCP_TOOLSETS: unknown toolset %q; known toolsets: %s", ts, strings.Join(known, ", "))
		}
	}
	names := make([]string, len(all))
	byName := make(map[string]server.ServerTool, len(all))
	for i, t := range all {
		names[i] = t.Tool.Name
		byName[t.Tool.Name] = t
	}
	for _, list := range []struct {
		what  string
		names []string
	}{{"MCP_TOOLS", f.Tools}, {"MCP_EXCLUDE_TOOLS", f.Exclude}} {
		for _, n := range list.names {
			if _, ok := byName[n]; !ok {
				return nil, fmt.Errorf("%s: unknown tool %q; known tools: %s", list.what, n, strings.Join(names, ", "))
			}
		}
	}
	for _, n := range f.Tools {
		t := byName[n]
		switch {
		case slices.Contains(f.Exclude, n):
			return nil, fmt.Errorf("MCP_TOOLS names %s, which MCP_EXCLUDE_TOOLS removes; name it in only one of them", n)
		case f.ReadOnly && !isReadOnly(t.Tool):
			return nil, fmt.Errorf("MCP_TOOLS names %s, which changes HubSpot data, but MCP_READ_ONLY is set; remove it from MCP_TOOLS or unset MCP_READ_ONLY", n)
		case len(f.Toolsets) > 0 && !slices.Contains(f.Toolsets, toolsetOf()[n]):
			return nil, fmt.Errorf("MCP_TOOLS names %s of toolset %s, which MCP_TOOLSETS leaves out; add %s to MCP_TOOLSETS or leave MCP_TOOLSETS empty", n, toolsetOf()[n], toolsetOf()[n])
		}
	}
	var out []server.ServerTool
	for _, t := range all {
		name := t.Tool.Name
		switch {
		case f.ReadOnly && !isReadOnly(t.Tool),
			len(f.Toolsets) > 0 && !slices.Contains(f.Toolsets, toolsetOf()[name]),
			len(f.Tools) > 0 && !slices.Contains(f.Tools, name),
			slices.Contains(f.Exclude, name):
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// spec is everything that differs between tools. define turns it into a
// server.ServerTool.
type spec[In, Out any] struct {
	name        string
	description string
	// hints is readOnlyTool(title) or writeTool(title, …).
	hints mcp.ToolOption
	// scope is the HubSpot scope the tool needs (named on 403).
	scope string
	// sends marks send_message: failures may mean the message went out.
	sends bool
	// action describes the call for error text, e.g. "get thread 123".
	action func(in In) string
	// notFound explains a 404 (optional).
	notFound func(in In) string
	// run calls HubSpot and builds the output. A write tool's run makes
	// exactly one write; in a dry run (hubspot.WithDryRun) it stops there.
	run func(ctx context.Context, c *hubspot.Client, in In) (Out, error)
	// confirm, when set, asks the user before the write (see
	// confirmation).
	confirm *confirmation[In]
}

// define builds the tool: schemas from In and Out, and a handler that
// binds the arguments, gets the client, runs and shapes the result.
func define[In, Out any](p hubspot.Provider, s spec[In, Out]) server.ServerTool {
	tool := mcp.NewTool(s.name, mcp.WithDescription(s.description), s.hints)
	// A tool that writes refuses unknown parameters: a misspelled safety
	// flag must never lead to a write.
	b := newBinding[In](!isReadOnly(tool))
	tool.InputSchema.Type = "" // RawInputSchema replaces it
	tool.RawInputSchema = b.raw
	tool.RawOutputSchema = outputSchema[Out]()
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		raw, err := rawArgumentsOf(req.Params.RawArguments, req.Params.Arguments)
		if err != nil {
			noteAudit(ctx, func(a *audit) { a.outcome, a.reason = outcomeRefused, "invalid_arguments" })
			return errorResult(failure{action: "call " + s.name}, err), nil
		}
		in, ignored, err := bindInput[In](b, raw)
		if err != nil {
			noteAudit(ctx, func(a *audit) { a.outcome, a.reason = outcomeRefused, "invalid_arguments" })
			return errorResult(failure{action: "call " + s.name}, err), nil
		}
		f := failure{action: s.action(in), scope: s.scope, sends: s.sends}
		if s.notFound != nil {
			f.notFound = s.notFound(in)
		}
		c, err := p.ClientFor(ctx)
		if err != nil {
			noteOutcome(ctx, outcomeFailed, "no_credential")
			// In multi-user mode this says the request brought no HubSpot token.
			return mcp.NewToolResultError(err.Error()), nil
		}
		ctx, stop := s.beforeWrite(ctx, req, c, in, f)
		if stop != nil {
			return stop, nil
		}
		out, err := s.run(ctx, c, in)
		if err != nil {
			noteError(ctx, err)
			return errorResult(f, err), nil
		}
		res, err := structuredResult(out)
		if err == nil && len(ignored) > 0 {
			res.Content = append(res.Content, mcp.NewTextContent(ignoredNote(ignored, b.schema.PropertyOrder)))
		}
		return res, err
	}
	return server.ServerTool{Tool: tool, Handler: handler}
}

// beforeWrite handles a write's dry run and confirmation. It returns a
// result when the call ends here: the planned request, a question for the
// user, their refusal, or an error. Otherwise the write goes ahead with
// the returned context, which after a confirmation allows only the
// confirmed request.
func (s spec[In, Out]) beforeWrite(ctx context.Context, req mcp.CallToolRequest, c *hubspot.Client, in In, f failure) (context.Context, *mcp.CallToolResult) {
	d, isWrite := any(in).(dryRunner)
	dryRun := isWrite && d.dryRun()
	cf := s.confirm
	ask := cf != nil && cf.policy != ConfirmNever && cf.applies(in)
	if ask && !canElicit(ctx) {
		if cf.policy == ConfirmAlways && !dryRun {
			noteOutcome(ctx, outcomeRefused, "confirmation_unavailable")
			return ctx, refuseUnconfirmed(f.action)
		}
		ask = false // ConfirmElicit: go ahead as asked
	}
	if !dryRun && !ask {
		return ctx, nil
	}
	planned, err := planWrite(ctx, s, c, in)
	if err != nil {
		noteError(ctx, err)
		return ctx, errorResult(f, err)
	}
	if dryRun {
		noteOutcome(ctx, outcomeDryRun, "")
		return ctx, notSentResult("dry_run", planned, "Dry run: nothing was sent. Without dryRun, this call sends exactly this request.")
	}
	return cf.ask(ctx, req, c, in, planned, f)
}

// ignoredNote tells the model which parameters a read-only tool ignored.
func ignoredNote(ignored, known []string) string {
	quoted := make([]string, len(ignored))
	for i, k := range ignored {
		quoted[i] = hubspot.Quote(k)
	}
	return "Note: ignored unknown parameter(s) " + strings.Join(quoted, ", ") + "; this tool takes " + strings.Join(known, ", ") + "."
}

// notFoundIn returns a notFound func for tools addressed by one ID.
func notFoundIn[In any](thing, finder string, id func(In) string) func(In) string {
	return func(in In) string {
		return thing + " " + id(in) + " not found; " + finder + " finds valid " + thing + " IDs"
	}
}
