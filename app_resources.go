package main

import (
	"context"

	"github.com/mark3labs/mcp-go/server"
)

// resourceOptions returns the server options resources and prompts need
// (capabilities, completion providers, hooks).
func (a *app) resourceOptions() []server.ServerOption { return nil }

// registerResources adds the resources, templates and prompts.
func (a *app) registerResources(ctx context.Context) error { return nil }
