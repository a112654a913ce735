package main

// The figures of BENCHMARKS.md's "Hardening: sessions and pooled
// credentials", measured on the server binary over loopback HTTP. They run
// only when asked, without the race detector (it inflates memory):
//
//	HARDENING_BENCH=1 go test -run TestHardeningBench -count=1 -v .

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func skipUnlessBench(t *testing.T) {
	t.Helper()
	if os.Getenv("HARDENING_BENCH") == "" {
		t.Skip("set HARDENING_BENCH=1 to measure")
	}
}

// rssMB returns the resident set size of process pid in MB.
func rssMB(t *testing.T, pid int) float64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// hammer sends n requests from 16 workers and counts the answers by status.
func hammer(t *testing.T, n int, newRequest func(i int) *http.Request) map[int]int {
	t.Helper()
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range next {
				status := -1
				if resp, err := http.DefaultClient.Do(newRequest(i)); err == nil {
					resp.Body.Close()
					status = resp.StatusCode
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return statuses
}

func TestHardeningBench_Sessions(t *testing.T) {
	skipUnlessBench(t)
	_, url := startTestSandbox(t)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_BASE_URL="+url, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken, "LOG_LEVEL=info")
	pid := p.cmd.Process.Pid
	before := rssMB(t, pid)
	start := time.Now()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}`
	statuses := hammer(t, 5000, func(int) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, p.url+"/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Session-Id", "mcp-session-00000000-0000-0000-0000-000000000000")
		return req
	})
	took := time.Since(start)
	after := rssMB(t, pid)
	t.Logf("5,000 initializes with a bogus Mcp-Session-Id in %s: statuses %v; RSS %.1f MB → %.1f MB", took.Round(time.Millisecond), statuses, before, after)

	// A legitimate client right after the flood, then after the
	// half-open grace.
	for _, wait := range []time.Duration{0, 3500 * time.Millisecond} {
		time.Sleep(wait)
		client := gomcp.NewClient(&gomcp.Implementation{Name: "legit", Version: "1"}, nil)
		cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp"}, &gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
		if err != nil {
			t.Logf("legitimate client %s after the flood: refused: %v", wait, err)
			continue
		}
		_, err = cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "list_inboxes", Arguments: map[string]any{}})
		t.Logf("legitimate client %s after the flood: connected; list_inboxes error: %v", wait, err)
		_ = cs.Close()
		break
	}
	t.Logf("RSS at the end: %.1f MB", rssMB(t, pid))
}

func TestHardeningBench_PooledCredentials(t *testing.T) {
	skipUnlessBench(t)
	for _, tc := range []struct {
		size int
		rate string
	}{{30 << 10, "100/10s"}, {4096, "100/10s"}, {4096, "100000/10s"}} {
		size := tc.size
		t.Run(fmt.Sprintf("%d B tokens, %s", size, tc.rate), func(t *testing.T) {
			_, url := startTestSandbox(t)
			p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_BASE_URL="+url, "HUBSPOT_TOKEN_SOURCE=header", "HUBSPOT_RATE_LIMIT="+tc.rate)
			pid := p.cmd.Process.Pid
			before := rssMB(t, pid)
			start := time.Now()
			body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_inboxes","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`
			statuses := hammer(t, 3000, func(i int) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, p.url+"/mcp", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				req.Header.Set("MCP-Protocol-Version", "2026-07-28")
				req.Header.Set("Mcp-Method", "tools/call")
				req.Header.Set("Mcp-Name", "list_inboxes")
				tok := fmt.Sprintf("%08d", i)
				req.Header.Set(httpserver.TokenHeader, tok+strings.Repeat("x", size-len(tok)))
				return req
			})
			took := time.Since(start)
			t.Logf("3,000 distinct %d-byte tokens, HUBSPOT_RATE_LIMIT=%s (list_inboxes, HubSpot answers 401) in %s: statuses %v; RSS %.1f MB → %.1f MB",
				size, tc.rate, took.Round(time.Millisecond), statuses, before, rssMB(t, pid))
		})
	}
}
