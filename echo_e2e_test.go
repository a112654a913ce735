package main

import (
	"encoding/json"
	"strings"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// echoed tells whether text quotes a run of more than a couple of hundred
// bytes of the probe's filler.
func echoed(text string) bool { return strings.Contains(text, strings.Repeat("Z", 250)) }

// TestNoErrorEchoesLongInput: over stdio, through the official SDK, no
// error the server answers quotes more than a couple of hundred bytes of
// what the client sent: each string parameter of each tool set to 10 KB,
// an unknown parameter with a 10 KB name, each prompt argument, resource
// URIs of every shape, completions, and names of tools, prompts and
// methods that do not exist.
func TestNoErrorEchoesLongInput(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	cs := connect(t, "2025-11-25", []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken})
	long := strings.Repeat("Z", 10_000)
	checkErr := func(what string, err error) {
		t.Helper()
		if err != nil && echoed(err.Error()) {
			t.Errorf("%s: the error quotes the input (%d bytes): %.120s…", what, len(err.Error()), err.Error())
		}
	}
	tools, err := cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range tools.Tools {
		var schema struct {
			Properties map[string]struct {
				Type any `json:"type"`
			} `json:"properties"`
		}
		b, _ := json.Marshal(tool.InputSchema)
		_ = json.Unmarshal(b, &schema)
		probes := []map[string]any{{long: "x"}}
		for name, p := range schema.Properties {
			if p.Type == "string" || p.Type == nil {
				probes = append(probes, map[string]any{name: long}, map[string]any{name: long, "dryRun": true})
			}
		}
		for _, args := range probes {
			res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: tool.Name, Arguments: args})
			checkErr(tool.Name, err)
			if err == nil && res.IsError && echoed(contentText(res)) {
				t.Errorf("%s: the tool error quotes the input: %.160s…", tool.Name, contentText(res))
			}
		}
	}
	_, err = cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: long, Arguments: map[string]any{}})
	checkErr("an unknown tool", err)

	prompts, err := cs.ListPrompts(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prompts.Prompts {
		_, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: p.Name, Arguments: map[string]string{long: "x"}})
		checkErr(p.Name+" with an unknown argument", err)
		for _, a := range p.Arguments {
			_, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: p.Name, Arguments: map[string]string{a.Name: long}})
			checkErr(p.Name+" "+a.Name, err)
		}
	}
	_, err = cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: long})
	checkErr("an unknown prompt", err)

	for _, uri := range []string{
		"hubspot://threads/" + long,
		"hubspot://threads/" + strings.Repeat("1", 10_000),
		"hubspot://threads/1/" + long,
		"hubspot://inboxes/" + long,
		"hubspot://inboxes/1/threads?after=" + long,
		"hubspot://threads?status=" + long,
		"hubspot://threads?" + long + "=1",
		"hubspot://" + long,
		long,
		"hubspot://threads/" + strings.Repeat("Z", 1500),
	} {
		_, err := cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: uri})
		checkErr("resources/read "+uri[:min(len(uri), 30)], err)
		err = cs.Subscribe(t.Context(), &gomcp.SubscribeParams{URI: uri})
		checkErr("resources/subscribe "+uri[:min(len(uri), 30)], err)
	}
	for _, ref := range []*gomcp.CompleteReference{
		{Type: "ref/resource", URI: "hubspot://threads/{threadId}"},
		{Type: "ref/resource", URI: long},
		{Type: "ref/prompt", Name: long},
	} {
		_, err := cs.Complete(t.Context(), &gomcp.CompleteParams{Ref: ref, Argument: gomcp.CompleteParamsArgument{Name: "threadId", Value: long}})
		checkErr("completion/complete", err)
		_, err = cs.Complete(t.Context(), &gomcp.CompleteParams{Ref: ref, Argument: gomcp.CompleteParamsArgument{Name: long, Value: "1"}})
		checkErr("completion/complete", err)
	}
}

// TestResourceURIOverTheLimitIsRefusedAtOnce: a 1 MB resource URI is
// refused over stdio before template matching, naming the limit and
// quoting a few dozen bytes of it; the server answers the next request as
// usual. (The refusal's time is BENCHMARKS.md's, from `go run ./.ci/load uri`.)
func TestResourceURIOverTheLimitIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	cs := connect(t, "2025-11-25", []string{"HUBSPOT_SANDBOX=true"})
	_, err := cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: "hubspot://threads/" + strings.Repeat("1", 1<<20)})
	if err == nil || !strings.Contains(err.Error(), "over the 2048") || len(err.Error()) > 400 {
		t.Fatalf("a 1 MB URI: %.400v, want a short refusal naming the limit of 2048 bytes", err)
	}
	if _, err := cs.ReadResource(t.Context(), &gomcp.ReadResourceParams{URI: "hubspot://threads/" + sandbox.EmailThreadID}); err != nil {
		t.Errorf("the next read: %v", err)
	}
}
