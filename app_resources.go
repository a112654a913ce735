package main

import (
	"context"
	"errors"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/prompts"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/resources"
)

// resourceOptions builds the resource catalog (kept in a.catalog) and
// returns the server options resources and prompts need: capabilities and
// the completion providers. Subscriptions and list_changed are advertised
// only when polling has a budget (MCP_POLL_BUDGET_SHARE > 0).
func (a *app) resourceOptions() []server.ServerOption {
	var agents []string
	if a.cfg.SenderActorID != "" {
		agents = append(agents, a.cfg.SenderActorID)
	}
	a.catalog = resources.New(a.provider, resources.Options{
		Logger:       a.logger.With("component", "resources"),
		PollInterval: a.cfg.PollInterval,
		PollRate:     resources.PollRate(a.cfg.rate, a.cfg.PollBudgetShare),
		Agents:       agents,
	})
	a.stop = append(a.stop, a.catalog.Close)
	polling := a.catalog.Polling()
	return []server.ServerOption{
		server.WithResourceCapabilities(polling, polling),
		server.WithPromptCapabilities(false),
		server.WithCompletions(),
		server.WithResourceCompletionProvider(a.catalog),
		server.WithPromptCompletionProvider(promptCompletion{a.catalog}),
	}
}

// registerResources installs the catalog's hooks on the app's one Hooks
// value and adds its resources, templates and prompts.
func (a *app) registerResources(ctx context.Context) error {
	if a.mcp.GetHooks() != a.hooks {
		return errors.New("the server must use the app's hooks (server.WithHooks(a.hooks))")
	}
	a.catalog.Attach(a.mcp, a.hooks)
	a.mcp.AddResources(a.catalog.Resources()...)
	a.mcp.AddResourceTemplates(a.catalog.Templates()...)
	a.mcp.AddPrompts(prompts.All(a.catalog.Read)...)
	a.logger.DebugContext(ctx, "resources and prompts registered", "resources", len(a.mcp.ListResources()), "prompts", len(a.mcp.ListPrompts()))
	return nil
}

// promptCompletion completes prompt arguments: the prompts' own
// suggestions (draft_reply's tone) first, HubSpot IDs otherwise.
type promptCompletion struct{ cat *resources.Catalog }

func (p promptCompletion) CompletePromptArgument(ctx context.Context, name string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	if values, ok := prompts.Complete(name, arg.Name, arg.Value); ok {
		return &mcp.Completion{Values: values, Total: len(values)}, nil
	}
	return p.cat.CompletePromptArgument(ctx, name, arg, cc)
}
