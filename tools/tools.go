// Package tools defines the MCP tools of the HubSpot Conversations server:
// their names, descriptions, annotations, input schemas and validation,
// trimmed output views, and the mapping of HubSpot errors to text a model
// can act on.
//
// Every tool follows one path (see define): bind and check the arguments,
// call the service (package inbox) once, render what it returns with
// package view, and return the result as structured content plus the same
// JSON as text. Failures a user or model can fix come back as isError
// results; only bugs become protocol errors.
package tools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Config holds server-wide tool settings.
type Config struct {
	// Audit receives one info record with audit=true per write attempt
	// (see auditWrites); nil records nothing.
	Audit *slog.Logger
	// PerUserTokens adds the fingerprint of the caller's HubSpot
	// credential to audit records.
	PerUserTokens bool
	// ConfirmWrites is the operator's mode for writes a customer sees or
	// that lose data (MCP_CONFIRM_WRITES); empty means the default,
	// inbox.ConfirmElicitOrPreview.
	ConfirmWrites inbox.ConfirmMode
}

// entry is one tool of the registry: its toolset, its name and what it
// may do (the one declaration of it: the tool's annotations come from it),
// known without building the tool, and how to build it.
type entry struct {
	toolset string
	name    string
	access  access
	build   func(*inbox.Service, Config) server.ServerTool
}

// registry lists every tool in the order All returns them. A write's
// access says whether it is destructive (it cannot be undone with another
// tool call) and idempotent (repeating it changes nothing more).
var registry = []entry{
	{"inboxes", "list_inboxes", readOnly, listInboxes},
	{"inboxes", "get_inbox", readOnly, getInbox},
	{"channels", "list_channels", readOnly, listChannels},
	{"channels", "get_channel", readOnly, getChannel},
	{"channels", "list_channel_accounts", readOnly, listChannelAccounts},
	{"channels", "get_channel_account", readOnly, getChannelAccount},
	{"threads", "list_threads", readOnly, listThreads},
	{"threads", "search_threads", readOnly, searchThreads},
	{"threads", "get_thread", readOnly, getThread},
	{"threads", "update_thread", access{idempotent: true}, updateThread},
	// Trashed, then deleted by HubSpot for good after 30 days.
	{"threads", "archive_thread", access{destructive: true, idempotent: true}, archiveThread},
	{"threads", "assign_thread", access{idempotent: true}, assignThread},
	{"threads", "unassign_thread", access{idempotent: true}, unassignThread},
	{"messages", "list_messages", readOnly, listMessages},
	{"messages", "get_message", readOnly, getMessage},
	{"messages", "get_message_original_content", readOnly, getMessageOriginalContent},
	// A MESSAGE reaching a customer cannot be taken back, so the tool is
	// destructive even though a COMMENT alone would not be: hosts should
	// confirm before calling it. Two calls post two messages.
	{"messages", "send_message", access{destructive: true}, sendMessage},
	{"actors", "list_agents", readOnly, listAgents},
	{"actors", "get_actor", readOnly, getActor},
	{"actors", "batch_get_actors", readOnly, batchGetActors},
	// Each call creates a new token.
	{"visitors", "create_visitor_token", access{}, createVisitorToken},
}

// All returns every tool, in a stable order, calling svc.
func All(svc *inbox.Service, cfg Config) []server.ServerTool {
	return Select(svc, cfg, Filter{})
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

// Filter selects tools. A tool is kept when it passes every filter set.
type Filter struct {
	// ReadOnly keeps only tools that change nothing in HubSpot.
	ReadOnly bool
	// Toolsets keeps only tools of these toolsets (see Toolsets); empty
	// keeps all.
	Toolsets []string
	// Tools keeps only these tools; empty keeps all.
	Tools []string
	// Exclude drops these tools.
	Exclude []string
}

// Check fails on a toolset or tool name f does not know, and on a tool
// named in f.Tools that ReadOnly, Toolsets or Exclude drop: such a
// configuration contradicts itself, and starting without the tool would
// hide the mistake. It builds no tool.
func (f Filter) Check() error {
	known := Toolsets()
	for _, ts := range f.Toolsets {
		if !slices.Contains(known, ts) {
			return fmt.Errorf("MCP_TOOLSETS: unknown toolset %q; known toolsets: %s", ts, strings.Join(known, ", "))
		}
	}
	names := make([]string, len(registry))
	byName := make(map[string]entry, len(registry))
	for i, e := range registry {
		names[i] = e.name
		byName[e.name] = e
	}
	for _, list := range []struct {
		what  string
		names []string
	}{{"MCP_TOOLS", f.Tools}, {"MCP_EXCLUDE_TOOLS", f.Exclude}} {
		for _, n := range list.names {
			if _, ok := byName[n]; !ok {
				return fmt.Errorf("%s: unknown tool %q; known tools: %s", list.what, n, strings.Join(names, ", "))
			}
		}
	}
	for _, n := range f.Tools {
		e := byName[n]
		switch {
		case slices.Contains(f.Exclude, n):
			return fmt.Errorf("MCP_TOOLS names %s, which MCP_EXCLUDE_TOOLS removes; name it in only one of them", n)
		case f.ReadOnly && !e.access.readOnly:
			return fmt.Errorf("MCP_TOOLS names %s, which changes HubSpot data, but MCP_READ_ONLY is set; remove it from MCP_TOOLS or unset MCP_READ_ONLY", n)
		case len(f.Toolsets) > 0 && !slices.Contains(f.Toolsets, e.toolset):
			return fmt.Errorf("MCP_TOOLS names %s of toolset %s, which MCP_TOOLSETS leaves out; add %s to MCP_TOOLSETS or leave MCP_TOOLSETS empty", n, e.toolset, e.toolset)
		}
	}
	return nil
}

// keeps tells whether f keeps the tool of e.
func (f Filter) keeps(e entry) bool {
	return !(f.ReadOnly && !e.access.readOnly) &&
		(len(f.Toolsets) == 0 || slices.Contains(f.Toolsets, e.toolset)) &&
		(len(f.Tools) == 0 || slices.Contains(f.Tools, e.name)) &&
		!slices.Contains(f.Exclude, e.name)
}

// Select builds the tools f keeps, in registry order, calling svc, each
// annotated with its registry entry's access. Check f first: Select
// ignores names it does not know.
func Select(svc *inbox.Service, cfg Config, f Filter) []server.ServerTool {
	cfg.ConfirmWrites = cmp.Or(cfg.ConfirmWrites, inbox.ConfirmElicitOrPreview)
	var out []server.ServerTool
	for _, e := range registry {
		if f.keeps(e) {
			st := e.build(svc, cfg)
			st.Tool.Annotations = e.access.annotations()
			out = append(out, auditWrites(svc, cfg, st, e.access.readOnly))
		}
	}
	return out
}

// spec is everything that differs between tools. define turns it into a
// server.ServerTool; Select adds the annotations of the tool's registry
// entry.
type spec[In, Out any] struct {
	name        string
	title       string
	description string
	// scope is the HubSpot scope the tool needs (named on 403).
	scope string
	// sends marks send_message: failures may mean the message went out.
	sends bool
	// action describes the call for error text, e.g. "get thread 123".
	action func(in In) string
	// notFound explains a 404 (optional).
	notFound func(in In) string
	// run calls the service and builds the output. A write tool's run
	// makes exactly one write; in a dry run (inbox.WithDryRun) it stops
	// there.
	run func(ctx context.Context, svc *inbox.Service, in In) (Out, error)
	// confirm, when set, asks a person before the write (see
	// confirmation and confirmWrite).
	confirm *confirmation[In]
}

// define builds the tool: schemas from In and Out, and a handler that
// binds the arguments, runs and shapes the result.
func define[In, Out any](svc *inbox.Service, s spec[In, Out]) server.ServerTool {
	tool := mcp.NewTool(s.name, mcp.WithDescription(s.description))
	tool.Title = s.title
	b := newBinding[In]()
	names := aliases[s.name]
	tool.InputSchema.Type = "" // RawInputSchema replaces it
	tool.RawInputSchema = b.raw
	tool.RawOutputSchema = outputSchema[Out]()
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		raw, err := rawArgumentsOf(req.Params.RawArguments, req.Params.Arguments)
		if err != nil {
			noteAudit(ctx, func(a *audit) { a.outcome, a.reason = outcomeRefused, "invalid_arguments" })
			return errorResult(failure{action: "call " + s.name}, err), nil
		}
		in, err := bindInput[In](b, raw, names)
		if err != nil {
			noteAudit(ctx, func(a *audit) { a.outcome, a.reason = outcomeRefused, "invalid_arguments" })
			return errorResult(failure{action: "call " + s.name}, err), nil
		}
		f := failure{action: s.action(in), scope: s.scope, sends: s.sends}
		if s.notFound != nil {
			f.notFound = s.notFound(in)
		}
		if _, err := svc.Credential(ctx); err != nil {
			noteOutcome(ctx, outcomeFailed, "no_credential")
			// In multi-user mode this says the request brought no HubSpot token.
			return mcp.NewToolResultError(err.Error()), nil
		}
		return s.serve(ctx, req, svc, in, f)
	}
	return server.ServerTool{Tool: tool, Handler: handler}
}

// serve runs the call: a dry run answers the planned request; a write a
// person must confirm goes through confirmWrite, and asks again when the
// service refused its confirmation at the send (a few times at most, see
// maxQuestions); anything else runs at once.
func (s spec[In, Out]) serve(ctx context.Context, req mcp.CallToolRequest, svc *inbox.Service, in In, f failure) (*mcp.CallToolResult, error) {
	if d, ok := any(in).(dryRunner); ok && d.dryRun() {
		planned, err := planWrite(ctx, s, svc, in)
		if err != nil {
			noteError(ctx, err)
			return errorResult(f, err), nil
		}
		noteOutcome(ctx, outcomeDryRun, "")
		return notSentResult(notSentOutput{Reason: "dry_run", Request: newPlannedRequestOutput(planned),
			Note: "Dry run: nothing was sent. Without dryRun, this call sends exactly this request."}), nil
	}
	cf := s.confirm
	confirm := cf != nil && cf.applies(in)
	if confirm && cf.mode == inbox.ConfirmNever {
		noteAudit(ctx, func(a *audit) { a.confirmation = "disabled" })
		confirm = false
	}
	var how asking
	if confirm {
		how = howToAsk(ctx)
	}
	var refused *inbox.ConfirmationRefusal
	for round := 1; ; round++ {
		run := ctx
		if confirm {
			var stop *mcp.CallToolResult
			if run, stop = s.confirmWrite(ctx, req, svc, in, f, how, refused); stop != nil {
				return stop, nil
			}
		}
		out, err := s.run(run, svc, in)
		withdrawQuestion(run, svc)
		if confirm && round < maxQuestions && errors.As(err, &refused) {
			continue
		}
		if err != nil {
			noteError(ctx, err)
			return errorResult(f, err), nil
		}
		return structuredResult(out)
	}
}

// notFoundIn returns a notFound func for tools addressed by one ID.
func notFoundIn[In any](thing, finder string, id func(In) string) func(In) string {
	return func(in In) string {
		return thing + " " + id(in) + " not found; " + finder + " finds valid " + thing + " IDs"
	}
}
