package main

import (
	"context"
	"io"

	"github.com/sethvargo/go-envconfig"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/setup"
)

// runSetup runs the setup command with what run was given: args are the
// words after "setup", and --sandbox or HUBSPOT_BASE_URL given before it
// carry over.
func runSetup(ctx context.Context, cfg *Config, args []string, lookup envconfig.Lookuper, stdin io.Reader, stdout io.Writer) error {
	return setup.Run(ctx, setup.Env{
		Args:    args,
		Lookup:  lookup.Lookup,
		Stdin:   stdin,
		Stdout:  stdout,
		Sandbox: cfg.Sandbox,
		BaseURL: cfg.BaseURL,
		Version: version,
	})
}
