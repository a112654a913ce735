package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/tools"
)

// errToolFailed means `call` printed a tool error; the exit status is 1.
var errToolFailed = errors.New("tool failed")

// listTools prints the registered tools: name, kind and title; or, given
// a tool's name, that tool's definition as clients see it in tools/list.
func listTools(a *app, args []string, stdout io.Writer) error {
	switch len(args) {
	case 0:
	case 1:
		return printTool(a, args[0], stdout)
	default:
		return fmt.Errorf("tools takes at most one tool name, got %q", strings.Join(args, " "))
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOL\tKIND\tTITLE")
	for _, t := range a.tools {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Tool.Name, tools.Access(t.Tool), t.Tool.Title)
	}
	return tw.Flush()
}

// printTool prints one tool's definition (name, title, description,
// annotations, input and output schemas) as indented JSON.
func printTool(a *app, name string, stdout io.Writer) error {
	names := make([]string, 0, len(a.tools))
	for _, t := range a.tools {
		if t.Tool.Name == name {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(t.Tool); err != nil {
				return fmt.Errorf("tools %s: %w", name, err)
			}
			_, err := stdout.Write(buf.Bytes())
			return err
		}
		names = append(names, t.Tool.Name)
	}
	return fmt.Errorf("tools: no tool %q here; the tools are %s", name, strings.Join(names, ", "))
}

// callTool runs one tool through the MCP server, exactly as a client's
// tools/call would, and prints its result: the structured content as
// indented JSON, or the text. A tool error goes to stderr with exit status 1.
func callTool(ctx context.Context, a *app, args []string, stdout, stderr io.Writer) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("call takes a tool name and optional JSON arguments, e.g. call get_thread '{\"threadId\":\"123\"}'")
	}
	name, arguments := args[0], "{}"
	if len(args) == 2 {
		arguments = args[1]
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(arguments), &obj); err != nil || obj == nil {
		return fmt.Errorf("call %s: arguments must be a JSON object, such as '{\"limit\":5}'", name)
	}
	req, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": 1, "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": obj},
	})
	raw, err := json.Marshal(a.mcp.HandleMessage(ctx, req))
	if err != nil {
		return fmt.Errorf("call %s: %w", name, err)
	}
	var resp struct {
		Result *mcp.CallToolResult `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		return fmt.Errorf("call %s: decode result: %w", name, err)
	}
	if resp.Error != nil {
		return fmt.Errorf("call %s: %s", name, resp.Error.Message)
	}
	if resp.Result == nil {
		return fmt.Errorf("call %s: empty result", name)
	}
	out := stdout
	if resp.Result.IsError {
		out = stderr
	}
	if resp.Result.StructuredContent != nil && !resp.Result.IsError {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(resp.Result.StructuredContent); err != nil {
			return err
		}
		_, err := out.Write(buf.Bytes())
		return err
	}
	for _, c := range resp.Result.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			fmt.Fprintln(out, tc.Text)
		}
	}
	if resp.Result.IsError {
		return errToolFailed
	}
	return nil
}

// healthcheck asks a running HTTP server's /healthz, for container health
// checks: the image has no shell and no curl.
func healthcheck(ctx context.Context, cfg *Config) error {
	if cfg.Transport == "stdio" {
		// Nothing listens: a stdio server is alive while its client holds it.
		return nil
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("MCP_ADDR %q: %w", cfg.Addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %d", resp.StatusCode)
	}
	return nil
}
