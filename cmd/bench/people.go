package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// peopleLatency is the round trip injected into every sandbox call for the
// people tasks: HubSpot answers in 100-300 ms.
const peopleLatency = 150 * time.Millisecond

// stage is a set of tool calls a model can make together: none depends on
// another's answer. A route's stages run in order.
type stage []peopleCall

type peopleCall struct {
	tool    string
	args    map[string]any
	refused bool // the call is expected to be refused (isError)
}

// peopleRoute is one way to do a task with the tools.
type peopleRoute struct {
	task, name string
	stages     []stage
}

// callFigures is what one tool call cost.
type callFigures struct {
	hubspot int           // HubSpot calls
	levels  int           // sequential HubSpot round trips
	bytes   int           // text the model reads
	wall    time.Duration // the call's round trip through the server
}

// benchPeople measures issue 14's two tasks, today's route beside the new
// one: tool calls, HubSpot calls and bytes the model reads, and the wall
// time with peopleLatency per HubSpot call, beside the minimum the calls'
// dependencies allow (the sequential HubSpot round trips, with the tool
// calls of a stage made together, times the latency).
func benchPeople(ctx context.Context, o options, _ string) error {
	section(fmt.Sprintf("6. People, not IDs: tool calls, HubSpot calls, bytes read and wall time (sandbox, %s per HubSpot call, cold server)", peopleLatency))
	maya := "maya.thompson@example.com"
	routes := []peopleRoute{
		{"find a customer's conversations by email", "before: list_threads newest first, find the contact, then its OPEN and CLOSED lists", []stage{
			{{tool: "list_threads", args: map[string]any{"sort": []string{"-latestMessageTimestamp"}, "limit": 50}}},
			{{tool: "list_threads", args: map[string]any{"associatedContactId": sandbox.VisitorContactID}, refused: true}},
			{{tool: "list_threads", args: map[string]any{"associatedContactId": sandbox.VisitorContactID, "threadStatus": "OPEN", "sort": []string{"-latestMessageTimestamp"}}},
				{tool: "list_threads", args: map[string]any{"associatedContactId": sandbox.VisitorContactID, "threadStatus": "CLOSED", "sort": []string{"-latestMessageTimestamp"}}}},
		}},
		{"find a customer's conversations by email", "now: search_threads", []stage{
			{{tool: "search_threads", args: map[string]any{"customer": maya}}},
		}},
		{"find a customer's conversations by name", "now: search_threads \"Thompson\" (2 contacts)", []stage{
			{{tool: "search_threads", args: map[string]any{"customer": "Thompson"}}},
		}},
		{"assign to a colleague by name (Sam)", "before: scan assignees of list_threads, then assign_thread", []stage{
			{{tool: "list_threads", args: map[string]any{"limit": 100}}},
			{{tool: "assign_thread", args: map[string]any{"threadId": sandbox.EmailThreadID, "actorId": sandbox.OtherAgentActorID}}},
		}},
		{"assign to a colleague by name (Sam)", "now: list_agents, then assign_thread", []stage{
			{{tool: "list_agents", args: map[string]any{"query": "Sam"}}},
			{{tool: "assign_thread", args: map[string]any{"threadId": sandbox.EmailThreadID, "actorId": sandbox.OtherAgentActorID}}},
		}},
		{"assign to a colleague by name (Sam)", "now: assign_thread by name", []stage{
			{{tool: "assign_thread", args: map[string]any{"threadId": sandbox.EmailThreadID, "actorId": "Sam Okafor"}}},
		}},
		{"assign to a colleague by email", "now: assign_thread by email", []stage{
			{{tool: "assign_thread", args: map[string]any{"threadId": sandbox.EmailThreadID, "actorId": "sam.okafor@juniper-outdoor.example"}}},
		}},
	}
	fmt.Printf("%-42s %-80s %5s %7s %7s %9s %9s\n", "task", "route", "tools", "HubSpot", "bytes", "wall", "minimum")
	for _, r := range routes {
		figures, err := runRoute(ctx, o.server, r)
		if err != nil {
			// A server from before issue 14 (-server) lacks the new tools.
			fmt.Printf("%-42s %-80s %s\n", r.task, r.name, "not available: "+truncate(err.Error(), 80))
			continue
		}
		var tools, hs, bytes, minLevels int
		var wall time.Duration
		for _, st := range figures {
			most := 0
			for _, f := range st {
				tools++
				hs += f.hubspot
				bytes += f.bytes
				wall += f.wall
				most = max(most, f.levels)
			}
			minLevels += most
		}
		fmt.Printf("%-42s %-80s %5d %7d %7d %9s %9s\n", r.task, r.name, tools, hs, bytes, ms(wall), ms(time.Duration(minLevels)*peopleLatency))
	}
	fmt.Println("wall: the tool calls one after another, as measured; minimum: the sequential HubSpot round trips the calls' dependencies need")
	fmt.Println("(a stage's independent tool calls made together) times the latency; bytes: the text of every answer the model reads.")
	return nil
}

// runRoute runs a route on a fresh sandbox with the latency and a fresh
// server over stdio, and returns each call's figures, by stage.
func runRoute(ctx context.Context, bin string, r peopleRoute) ([][]callFigures, error) {
	sb, url, stop, err := serveSandbox(ctx, sandbox.WithLatency(peopleLatency))
	if err != nil {
		return nil, err
	}
	defer stop()
	s, err := startOnSandbox(ctx, bin, url, "MCP_CONFIRM_WRITES=never")
	if err != nil {
		return nil, err
	}
	defer s.close()
	var out [][]callFigures
	for _, st := range r.stages {
		var figs []callFigures
		for _, c := range st {
			sb.ResetRequests()
			t0 := time.Now()
			line, err := s.request("tools/call", map[string]any{"name": c.tool, "arguments": c.args})
			if err != nil {
				return nil, err
			}
			wall := time.Since(t0)
			var res struct {
				Result struct {
					IsError bool `json:"isError"`
					Content []struct {
						Text string `json:"text"`
					} `json:"content"`
				} `json:"result"`
			}
			if err := json.Unmarshal(line, &res); err != nil {
				return nil, err
			}
			if res.Result.IsError != c.refused {
				return nil, fmt.Errorf("%s %v: isError %v: %.300s", c.tool, c.args, res.Result.IsError, line)
			}
			f := callFigures{wall: wall}
			for _, item := range res.Result.Content {
				f.bytes += len(item.Text)
			}
			reqs := sb.Requests()
			slices.SortFunc(reqs, func(a, b sandbox.Request) int { return a.Time.Compare(b.Time) })
			f.hubspot = len(reqs)
			var last time.Time
			for _, rq := range reqs {
				// Requests held for the latency one after another arrive a
				// latency apart; those made together within a few ms.
				if last.IsZero() || rq.Time.Sub(last) > peopleLatency/2 {
					f.levels++
					last = rq.Time
				}
				if os.Getenv("BENCH_DEBUG") != "" {
					fmt.Fprintf(os.Stderr, "  %s %s %s?%s at %s\n", c.tool, rq.Method, rq.Path, rq.RawQuery, rq.Time.Format("15:04:05.000"))
				}
			}
			figs = append(figs, f)
		}
		out = append(out, figs)
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
