// Command hubspot-conversations-mcp is an MCP server that gives AI
// assistants access to a HubSpot Conversations inbox.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/sethvargo/go-envconfig"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], envconfig.OsLookuper(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err and maps it to the process's exit status.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errToolFailed):
		return 1
	default:
		fmt.Fprintln(stderr, "hubspot-conversations-mcp:", err)
		return 1
	}
}

// run is the whole program, so tests can drive it: args without the program
// name, the environment through lookup, and the three standard streams.
// stdout carries only JSON-RPC when serving.
func run(ctx context.Context, args []string, lookup envconfig.Lookuper, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, rest, err := loadConfig(ctx, args, lookup, stderr)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	if !isSubcommand(cmd) {
		fmt.Fprintf(stderr, "unknown command %q; run with -h for usage\n", cmd)
		return errUsage
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "hubspot-conversations-mcp", version)
		return nil
	case "healthcheck":
		return healthcheck(ctx, cfg)
	}
	// Operator commands print their own output; keep the log to warnings
	// unless a level was asked for.
	if cmd != "serve" {
		if _, set := lookup.Lookup("LOG_LEVEL"); !set && !flagGiven(args, "log-level") {
			cfg.logLevel = max(cfg.logLevel, slogLevelWarn)
		}
	}
	logger, audit := newLoggers(cfg, stderr)

	app, err := newApp(ctx, cfg, logger, audit)
	if err != nil {
		return err
	}
	defer app.Close()

	switch cmd {
	case "tools":
		return listTools(app, rest, stdout)
	case "call":
		return callTool(ctx, app, rest, stdout, stderr)
	default:
		if app.cfg.Transport != "stdio" {
			return serveHTTP(ctx, app)
		}
		return serveStdio(ctx, app, stdin, stdout)
	}
}

func isSubcommand(s string) bool {
	switch s {
	case "serve", "tools", "call", "version", "healthcheck", "help":
		return true
	}
	return false
}
