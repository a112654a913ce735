package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// step is one MCP request of a measured task.
type step struct {
	method string // tools/call, resources/read or prompts/get
	name   string // tool or prompt name, or resource URI
	args   map[string]any
}

func (s step) params() map[string]any {
	switch s.method {
	case "resources/read":
		return map[string]any{"uri": s.name}
	case "prompts/get":
		return map[string]any{"name": s.name, "arguments": s.args}
	}
	return map[string]any{"name": s.name, "arguments": s.args}
}

func tool(name string, args map[string]any) step {
	return step{method: "tools/call", name: name, args: args}
}

// session runs steps on a fresh sandbox and a fresh server over stdio, and
// returns the HubSpot requests each step made.
func session(ctx context.Context, bin string, steps func(url string) ([]step, error)) ([]int, error) {
	sb, url, stop, err := serveSandbox(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	list, err := steps(url)
	if err != nil {
		return nil, err
	}
	s, err := startOnSandbox(ctx, bin, url)
	if err != nil {
		return nil, err
	}
	defer s.close()
	sb.ResetRequests()
	counts := make([]int, len(list))
	for i, st := range list {
		out, err := s.request(st.method, st.params())
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", st.method, st.name, err)
		}
		if bytes.Contains(out, []byte(`"isError":true`)) {
			return nil, fmt.Errorf("%s %s failed: %.300s", st.method, st.name, out)
		}
		// The bench's client cannot ask its user: a MESSAGE answers with
		// a preview, and the task is done by calling again with its token,
		// as a model does once the user agreed. Both calls count.
		if tok := confirmationToken(out); tok != "" {
			again := st
			again.args = maps.Clone(st.args)
			again.args["confirmationToken"] = tok
			if out, err = s.request(again.method, again.params()); err != nil || bytes.Contains(out, []byte(`"isError":true`)) {
				return nil, fmt.Errorf("%s %s with its confirmation token: %v %.300s", st.method, st.name, err, out)
			}
		}
		reqs := sb.Requests()
		counts[i] = len(reqs)
		if os.Getenv("BENCH_DEBUG") != "" {
			for _, r := range reqs {
				fmt.Fprintf(os.Stderr, "  %s %s %s %s?%s %s -> %d\n", st.method, st.name, r.Method, r.Path, r.RawQuery, r.Body, r.Status)
			}
		}
		sb.ResetRequests()
	}
	return counts, nil
}

func benchCalls(ctx context.Context, o options, _ string) error {
	section("5. HubSpot calls per task, cold and warm (sandbox; HUBSPOT_CACHE_TTL default)")
	th, msg := sandbox.EmailThreadID, sandbox.TruncatedMessageID
	perTool := []step{
		tool("list_inboxes", map[string]any{}),
		tool("get_inbox", map[string]any{"inboxId": sandbox.InboxID}),
		tool("list_channels", map[string]any{}),
		tool("get_channel", map[string]any{"channelId": sandbox.EmailChannelID}),
		tool("list_channel_accounts", map[string]any{}),
		tool("get_channel_account", map[string]any{"channelAccountId": sandbox.EmailChannelAccountID}),
		tool("list_threads", map[string]any{"threadStatus": "OPEN"}),
		tool("get_thread", map[string]any{"threadId": th}),
		tool("list_messages", map[string]any{"threadId": th}),
		tool("get_message", map[string]any{"threadId": th, "messageId": msg}),
		tool("get_message_original_content", map[string]any{"threadId": th, "messageId": msg}),
		tool("get_actor", map[string]any{"actorId": sandbox.VisitorActorID}),
		tool("batch_get_actors", map[string]any{"inputs": []string{sandbox.AgentActorID, sandbox.VisitorActorID}}),
		tool("search_threads", map[string]any{"customer": "maya.thompson@example.com"}),
		tool("search_threads", map[string]any{"customer": "Thompson"}),
		tool("list_agents", map[string]any{}),
		tool("assign_thread", map[string]any{"threadId": th, "actorId": "sam.okafor@juniper-outdoor.example"}),
		tool("update_thread", map[string]any{"threadId": th, "status": "OPEN"}),
		tool("send_message", map[string]any{"threadId": th, "type": "COMMENT", "text": "Checked the order."}),
		tool("send_message", map[string]any{"threadId": th, "type": "MESSAGE", "text": "Thanks, on its way."}),
		{method: "resources/read", name: "hubspot://inboxes"},
		{method: "resources/read", name: "hubspot://threads/" + th},
	}
	fmt.Printf("%-56s %6s %6s\n", "task", "cold", "warm")
	for _, st := range perTool {
		counts, err := session(ctx, o.server, func(string) ([]step, error) { return []step{st, st}, nil })
		if err != nil {
			return err
		}
		label := st.method + " " + st.name
		switch st.name {
		case "send_message":
			label += " " + st.args["type"].(string)
			if st.args["type"] == "MESSAGE" {
				label += " (preview, token)"
			}
		case "search_threads":
			label += " " + st.args["customer"].(string)
		case "assign_thread":
			label += " by email"
		}
		fmt.Printf("%-56s %6d %6d\n", label, counts[0], counts[1])
	}

	// The triage session: list open threads newest first, read five
	// threads, send one comment; done with the tools alone, and the way
	// the product's triage flow does it (the triage_inbox prompt, then
	// each thread's transcript).
	newest := func(url string) ([]string, error) { return newestOpen(ctx, url, 5) }
	sessions := []struct {
		name  string
		steps func(url string) ([]step, error)
	}{
		{"tools: list_threads, list_messages x5, send_message COMMENT", func(url string) ([]step, error) {
			ids, err := newest(url)
			if err != nil {
				return nil, err
			}
			steps := []step{tool("list_threads", map[string]any{"threadStatus": "OPEN", "limit": 50})}
			for _, id := range ids {
				steps = append(steps, tool("list_messages", map[string]any{"threadId": id}))
			}
			return append(steps, tool("send_message", map[string]any{"threadId": ids[0], "type": "COMMENT", "text": "Triaged."})), nil
		}},
		{"prompt: triage_inbox, transcript x5, send_message COMMENT", func(url string) ([]step, error) {
			ids, err := newest(url)
			if err != nil {
				return nil, err
			}
			steps := []step{{method: "prompts/get", name: "triage_inbox", args: map[string]any{}}}
			for _, id := range ids {
				steps = append(steps, step{method: "resources/read", name: "hubspot://threads/" + id})
			}
			return append(steps, tool("send_message", map[string]any{"threadId": ids[0], "type": "COMMENT", "text": "Triaged."})), nil
		}},
	}
	for _, s := range sessions {
		// The same session twice on one server: cold, then warm (as when
		// an assistant triages again within HUBSPOT_CACHE_TTL).
		var n int
		counts, err := session(ctx, o.server, func(url string) ([]step, error) {
			steps, err := s.steps(url)
			n = len(steps)
			return append(steps, steps...), err
		})
		if err != nil {
			return err
		}
		sum := func(c []int) int {
			t := 0
			for _, x := range c {
				t += x
			}
			return t
		}
		fmt.Printf("triage session (%s):\n  cold %d HubSpot calls %v, warm %d %v\n", s.name, sum(counts[:n]), counts[:n], sum(counts[n:]), counts[n:])
	}
	return nil
}

// newestOpen returns the IDs of the n open threads with the latest
// messages, straight from the sandbox: the session's thread choice, not a
// call the server makes.
func newestOpen(ctx context.Context, url string, n int) ([]string, error) {
	threads, err := sandboxThreads(ctx, url, "&threadStatus=OPEN")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(threads, func(a, b sandboxThread) int { return b.Latest.Compare(a.Latest) })
	var ids []string
	for _, th := range threads[:min(n, len(threads))] {
		ids = append(ids, th.ID)
	}
	return ids, nil
}

// confirmationToken is the token of a tools/call answer that is a preview
// waiting for the user's agreement, or "".
func confirmationToken(answer []byte) string {
	var a struct {
		Result struct {
			StructuredContent struct {
				Reason            string `json:"reason"`
				ConfirmationToken string `json:"confirmationToken"`
			} `json:"structuredContent"`
		} `json:"result"`
	}
	if json.Unmarshal(answer, &a) != nil || a.Result.StructuredContent.Reason != "confirmation_required" {
		return ""
	}
	return a.Result.StructuredContent.ConfirmationToken
}
