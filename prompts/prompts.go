// Package prompts defines the MCP prompts of the HubSpot Conversations
// server: the everyday helpdesk jobs (triage, summary, reply, handoff), one
// click away. Each prompt embeds the thread transcript, or the open-thread
// listing, as a resource in its first message, so the model starts with
// the context, then gives the task from a template in templates/ naming
// the tools to use next.
//
// Prompts read resources through the ReadFunc main passes in, and find
// agents through its AgentFunc (the service's resolver); of the project
// this package imports only hubspot, for its ID checks and quoting.
package prompts

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// ReadFunc reads a resource by URI, as resources/read does.
type ReadFunc func(ctx context.Context, uri string) ([]mcp.ResourceContents, error)

// AgentFunc finds the agent that what a person calls them names (an actor
// ID, an email address or a name) for the argument param: their actor ID
// and name. main passes the service's resolver (inbox.Service.ResolveAgent),
// the one every surface uses.
type AgentFunc func(ctx context.Context, param, ref string) (actorID, name string, err error)

//go:embed templates/*.md
var templateFS embed.FS

var templates = template.Must(template.New("prompts").Option("missingkey=error").ParseFS(templateFS, "templates/*.md"))

// arg is one prompt argument.
type arg struct {
	name, desc string
	required   bool
	check      func(name, v string) error
}

// prompt is one prompt's definition.
type prompt struct {
	name, title, desc string
	args              []arg
	// uri names the resource to embed, from the arguments.
	uri func(args map[string]string) string
}

const (
	threadIDDesc = "ID of the conversation thread (digits), from resources/list, list_threads or hubspot://inboxes/{inboxId}/threads"
	inboxIDDesc  = "ID of the inbox (digits), from hubspot://inboxes or list_inboxes"
)

var definitions = []prompt{
	{
		name: "triage_inbox", title: "Triage open threads",
		desc: "Go through the open conversation threads of an inbox (or of all inboxes), rank them by urgency and propose the next action for each.",
		args: []arg{{name: "inboxId", desc: inboxIDDesc + "; leave empty for all inboxes", check: checkDigits}},
		uri: func(a map[string]string) string {
			if a["inboxId"] == "" {
				return "hubspot://threads?status=OPEN"
			}
			return "hubspot://inboxes/" + a["inboxId"] + "/threads?status=OPEN"
		},
	},
	{
		name: "summarize_thread", title: "Summarize a thread",
		desc: "Summarize a conversation thread: who wants what, what was promised, what is still open.",
		args: []arg{{name: "threadId", desc: threadIDDesc, required: true, check: checkDigits}},
		uri:  transcriptURI,
	},
	{
		name: "draft_reply", title: "Draft a reply",
		desc: "Draft the customer-facing reply to a thread, then ask the human to approve the exact text before send_message is called with type MESSAGE.",
		args: []arg{
			{name: "threadId", desc: threadIDDesc, required: true, check: checkDigits},
			{name: "tone", desc: "Tone of the reply, such as friendly, formal, concise or apologetic (default friendly and professional)", check: checkText(100)},
			{name: "instructions", desc: "What the reply should say or avoid, in your words (optional)", check: checkText(2000)},
		},
		uri: transcriptURI,
	},
	{
		name: "handoff_note", title: "Write a handoff note",
		desc: "Write an internal note (send_message type COMMENT) that lets a colleague take over a thread, and optionally assign it to them.",
		args: []arg{
			{name: "threadId", desc: threadIDDesc, required: true, check: checkDigits},
			{name: "toActorId", desc: "The colleague taking over: their agent actor ID (A-…), email address or name; the thread is assigned to them (optional)", check: checkText(hubspot.MaxEmailLength)},
		},
		uri: transcriptURI,
	},
}

func transcriptURI(a map[string]string) string { return "hubspot://threads/" + a["threadId"] }

// All returns the prompts. Their handlers read the resources they embed
// through read, and find the agents they name through agent (nil accepts
// agent actor IDs only, unnamed).
func All(read ReadFunc, agent AgentFunc) []server.ServerPrompt {
	out := make([]server.ServerPrompt, len(definitions))
	for i, p := range definitions {
		opts := []mcp.PromptOption{mcp.WithPromptTitle(p.title), mcp.WithPromptDescription(p.desc)}
		for _, a := range p.args {
			aopts := []mcp.ArgumentOption{mcp.ArgumentDescription(a.desc)}
			if a.required {
				aopts = append(aopts, mcp.RequiredArgument())
			}
			opts = append(opts, mcp.WithArgument(a.name, aopts...))
		}
		out[i] = server.ServerPrompt{Prompt: mcp.NewPrompt(p.name, opts...), Handler: p.handler(read, agent)}
	}
	return out
}

// handler validates the arguments (mcp-go does not enforce required
// ones), reads the resource to embed and renders the task.
func (p prompt) handler(read ReadFunc, agent AgentFunc) server.PromptHandlerFunc {
	return func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		args, err := p.validate(req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		if ref := args["toActorId"]; ref != "" {
			// The colleague by name, for the note and the assignment.
			if agent == nil {
				if err := hubspot.ValidateAgentID("toActorId", ref); err != nil {
					return nil, fmt.Errorf("%s: %w", p.name, err)
				}
			} else if args["toActorId"], args["toName"], err = agent(ctx, "toActorId", ref); err != nil {
				return nil, fmt.Errorf("%s: %w", p.name, err)
			}
		}
		uri := p.uri(args)
		contents, err := read(ctx, uri)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		if len(contents) == 0 {
			return nil, fmt.Errorf("%s: %s is empty", p.name, uri)
		}
		task, err := render(p.name, args, uri)
		if err != nil {
			return nil, err
		}
		msgs := make([]mcp.PromptMessage, 0, len(contents)+1)
		for _, c := range contents {
			msgs = append(msgs, mcp.NewPromptMessage(mcp.RoleUser, mcp.NewEmbeddedResource(c)))
		}
		msgs = append(msgs, mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(task)))
		return mcp.NewGetPromptResult(p.desc, msgs), nil
	}
}

// validate checks the arguments: required ones present, known names only,
// values well formed. Errors name the argument and what it takes.
func (p prompt) validate(in map[string]string) (map[string]string, error) {
	args := map[string]string{}
	var known, missing []string
	for _, a := range p.args {
		known = append(known, a.name)
		v := strings.TrimSpace(in[a.name])
		if v == "" {
			if a.required {
				missing = append(missing, a.name+" ("+a.desc+")")
			}
			continue
		}
		if err := a.check(a.name, v); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		args[a.name] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: missing required argument %s", p.name, strings.Join(missing, "; "))
	}
	for name := range in {
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("%s: unknown argument %s; it takes %s", p.name, hubspot.Quote(name), strings.Join(known, ", "))
		}
	}
	return args, nil
}

// taskData is what the templates see.
type taskData struct {
	URI, InboxID, ThreadID, Tone, Instructions, ToActorID, ToName string
}

func render(name string, args map[string]string, uri string) (string, error) {
	d := taskData{URI: uri, InboxID: args["inboxId"], ThreadID: args["threadId"], Tone: args["tone"],
		Instructions: args["instructions"], ToActorID: args["toActorId"], ToName: args["toName"]}
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name+".md", d); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// The ID rule is hubspot's, the one place it is written down.
var checkDigits = hubspot.ValidateNumericID

func checkText(max int) func(name, v string) error {
	return func(name, v string) error {
		if len([]rune(v)) > max {
			return fmt.Errorf("%s is too long: at most %d characters", name, max)
		}
		return nil
	}
}

// tones are the suggestions for draft_reply's tone.
var tones = []string{"friendly", "formal", "concise", "empathetic", "apologetic", "upbeat"}

// Complete suggests values for the arguments prompts know themselves
// (draft_reply's tone). ok is false for arguments it does not know, which
// the HubSpot-backed completion answers.
func Complete(promptName, argName, prefix string) (values []string, ok bool) {
	if promptName != "draft_reply" || argName != "tone" {
		return nil, false
	}
	values = []string{}
	p := strings.ToLower(strings.TrimSpace(prefix))
	for _, t := range tones {
		if strings.HasPrefix(t, p) {
			values = append(values, t)
		}
	}
	return values, true
}
