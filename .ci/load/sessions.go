package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"
)

// sessions measures fair admission at MCP_MAX_SESSIONS on the server
// binary (issue 15, finding 4), in two scenarios:
//
//   - flood: MCP_MAX_SESSIONS=100; two keep-alive connections send 200
//     bare initialize requests a second between them, from the address of
//     the legitimate client, which connects every 0.5 s with the official
//     Go SDK (initialize, notifications/initialized, its GET stream) and
//     calls list_inboxes at once. It prints how many of its attempts got
//     in (the target is at least 19 of 20) and what the flood got.
//
//   - idle: MCP_MAX_SESSIONS=3; three SDK clients connect, call once and
//     stay connected (each holding its GET stream); a fourth tries every
//     5 s. It prints when the fourth got in (before the fix: after
//     MCP_SESSION_IDLE_TIMEOUT, 30 minutes).
//
//     go run ./.ci/load sessions                       # both, this checkout
//     go run ./.ci/load sessions -only flood -bin /tmp/old-build
//
// It fails when the flood's client gets in fewer than 19 times in 20, or
// the fourth client is not in within -idle-max.
func sessions(args []string) bool {
	fs, bin := flags()
	only := fs.String("only", "flood,idle", "scenarios to run: flood, idle")
	rate := fs.Int("rate", 200, "bare initializes a second, over two connections")
	attempts := fs.Int("attempts", 20, "legitimate connections, one every 0.5 s")
	idleMax := fs.Duration("idle-max", 3*time.Minute, "how long the fourth client may try")
	_ = fs.Parse(args)
	if *rate < 2 || *rate > 2000 || *attempts < 1 || *attempts > 200 || *idleMax > 10*time.Minute {
		fatal("want 2 ≤ -rate ≤ 2000, 1 ≤ -attempts ≤ 200, -idle-max ≤ 10m")
	}
	*bin = binary(*bin)
	ok := true
	if strings.Contains(*only, "flood") {
		ok = flood(*bin, *rate, *attempts) && ok
	}
	if strings.Contains(*only, "idle") {
		ok = idle(*bin, *idleMax) && ok
	}
	return ok
}

const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}`

func flood(bin string, rate, attempts int) bool {
	srv := startHTTP(bin, "MCP_MAX_SESSIONS=100")
	defer srv.stop()
	url := srv.url
	fmt.Printf("flood: %s, MCP_MAX_SESSIONS=100; %d bare initializes a second over 2 connections; a client connects every 0.5 s, %d times\n", bin, rate, attempts)

	ctx, cancel := context.WithCancel(context.Background())
	var sent atomic.Int64
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 2 {
		// One keep-alive connection each, as the scenario says.
		hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}}
		wg.Go(func() {
			tick := time.NewTicker(time.Second / time.Duration(rate/2))
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/mcp", strings.NewReader(initialize))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				status := -1
				if resp, err := hc.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				} else if ctx.Err() != nil {
					return
				}
				sent.Add(1)
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}
	time.Sleep(2 * time.Second) // the flood fills the pool first

	in := 0
	var failures []string
	tick := time.NewTicker(500 * time.Millisecond)
	for i := range attempts {
		<-tick.C
		// A new connection each time, as a client that starts does.
		hc := &http.Client{Transport: &http.Transport{}}
		c := gomcp.NewClient(&gomcp.Implementation{Name: "legit", Version: "1"}, nil)
		cctx, ccancel := context.WithTimeout(ctx, 5*time.Second)
		cs, err := c.Connect(cctx, &gomcp.StreamableClientTransport{Endpoint: url + "/mcp", HTTPClient: hc}, &gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
		if err == nil {
			var res *gomcp.CallToolResult
			res, err = cs.CallTool(cctx, &gomcp.CallToolParams{Name: "list_inboxes", Arguments: map[string]any{}})
			if err == nil && res.IsError {
				err = fmt.Errorf("tool error")
			}
			_ = cs.Close()
		}
		ccancel()
		hc.CloseIdleConnections()
		if err == nil {
			in++
		} else {
			failures = append(failures, fmt.Sprintf("attempt %d: %v", i+1, err))
		}
	}
	tick.Stop()
	cancel()
	wg.Wait()
	fmt.Printf("flood: legitimate client got in %d of %d times\n", in, attempts)
	for _, f := range failures {
		fmt.Printf("  %s\n", f)
	}
	mu.Lock()
	fmt.Printf("flood: %d bare initializes sent; answers:", sent.Load())
	for s, n := range statuses {
		fmt.Printf(" %d × %d", n, s)
	}
	fmt.Println()
	mu.Unlock()
	return in*20 >= attempts*19
}

func idle(bin string, max time.Duration) bool {
	srv := startHTTP(bin, "MCP_MAX_SESSIONS=3")
	defer srv.stop()
	url := srv.url
	fmt.Printf("idle: %s, MCP_MAX_SESSIONS=3; three clients connect, call once and stay; a fourth tries every 5 s for up to %s\n", bin, max)
	ctx := context.Background()
	connect := func() (*gomcp.ClientSession, error) {
		c := gomcp.NewClient(&gomcp.Implementation{Name: "live", Version: "1"}, nil)
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		cs, err := c.Connect(cctx, &gomcp.StreamableClientTransport{Endpoint: url + "/mcp"}, &gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
		if err != nil {
			return nil, err
		}
		if _, err := cs.CallTool(cctx, &gomcp.CallToolParams{Name: "list_inboxes", Arguments: map[string]any{}}); err != nil {
			_ = cs.Close()
			return nil, err
		}
		return cs, nil
	}
	for i := range 3 {
		cs, err := connect()
		if err != nil {
			fatal("live client %d: %v", i+1, err)
		}
		defer cs.Close()
	}
	start := time.Now()
	for tries := 1; time.Since(start) < max; tries++ {
		cs, err := connect()
		if err == nil {
			_ = cs.Close()
			fmt.Printf("idle: the fourth client got in after %s (try %d)\n", time.Since(start).Round(100*time.Millisecond), tries)
			return true
		}
		time.Sleep(5 * time.Second)
	}
	fmt.Printf("idle: the fourth client was still locked out after %s\n", max)
	return false
}
