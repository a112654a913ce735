package main

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// credentials measures what many users' HubSpot tokens cost the server
// binary (issue 15, finding 5): it starts the server with
// HUBSPOT_TOKEN_SOURCE=header and HUBSPOT_MAX_CREDENTIALS=10 on its
// sandbox (in the same process, so each connection to HubSpot counts two
// descriptors: the client's and the sandbox's), sends 3,000
// tools/call list_inboxes requests (protocol 2026-07-28), each with a
// distinct X-HubSpot-Access-Token, from 16 workers, and prints the
// process's open descriptors and RSS before, at the peak and after.
//
//	go run ./.ci/load credentials                      # this checkout
//	go run ./.ci/load credentials -bin /tmp/old-build  # another build
//
// -token-bytes, -rate and -max-credentials 0 reproduce the pooled
// credentials rows of issue 9 (BENCHMARKS.md). It fails when the server
// holds 150 descriptors or more, or 60 MB of RSS or more, after the
// requests.
func credentials(args []string) bool {
	fs, bin := flags()
	tokens := fs.Int("tokens", 3000, "distinct tokens, one request each (at most 100000)")
	workers := fs.Int("workers", 16, "concurrent requests")
	maxCreds := fs.Int("max-credentials", 10, "HUBSPOT_MAX_CREDENTIALS (0: the server's default)")
	tokenBytes := fs.Int("token-bytes", 40, "length of each token (the server refuses over 4096)")
	rate := fs.String("rate", "", "HUBSPOT_RATE_LIMIT (default: the server's)")
	_ = fs.Parse(args)
	if *tokens < 1 || *tokens > 100000 || *workers < 1 || *workers > 256 || *tokenBytes < 20 || *tokenBytes > 64<<10 {
		fatal("want 1 ≤ -tokens ≤ 100000, 1 ≤ -workers ≤ 256 and 20 ≤ -token-bytes ≤ 65536")
	}
	*bin = binary(*bin)
	env := []string{"HUBSPOT_TOKEN_SOURCE=header"}
	if *maxCreds > 0 {
		env = append(env, "HUBSPOT_MAX_CREDENTIALS="+strconv.Itoa(*maxCreds))
	}
	if *rate != "" {
		env = append(env, "HUBSPOT_RATE_LIMIT="+*rate)
	}
	srv := startHTTP(*bin, env...)
	defer srv.stop()
	pid, url := srv.pid, srv.url+"/mcp"

	fmt.Printf("server %s (pid %d) on %s; HUBSPOT_TOKEN_SOURCE=header HUBSPOT_MAX_CREDENTIALS=%d HUBSPOT_RATE_LIMIT=%q; %d requests, each with its own %d-byte token, from %d workers\n",
		*bin, pid, srv.addr, *maxCreds, *rate, *tokens, *tokenBytes, *workers)
	fdsBefore, rssBefore := fds(pid), rssKB(pid)
	fmt.Printf("before: %d descriptors, RSS %.1f MB\n", fdsBefore, mb(rssBefore))

	body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_inboxes","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`
	var mu sync.Mutex
	statuses := map[int]int{}
	peakFDs, peakRSS := fdsBefore, rssBefore
	done := make(chan struct{})
	go func() { // sample while the requests run
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				f, r := fds(pid), rssKB(pid)
				mu.Lock()
				peakFDs, peakRSS = max(peakFDs, f), max(peakRSS, r)
				mu.Unlock()
			}
		}
	}()
	start := time.Now()
	next := make(chan int)
	var wg sync.WaitGroup
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers}}
	for range *workers {
		wg.Go(func() {
			for i := range next {
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				req.Header.Set("MCP-Protocol-Version", "2026-07-28")
				req.Header.Set("Mcp-Method", "tools/call")
				req.Header.Set("Mcp-Name", "list_inboxes")
				tok := fmt.Sprintf("pat-na1-load-%08d-", i)
				req.Header.Set("X-HubSpot-Access-Token", tok+strings.Repeat("x", max(0, *tokenBytes-len(tok))))
				status := -1
				if resp, err := hc.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}
	for i := range *tokens {
		next <- i
	}
	close(next)
	wg.Wait()
	took := time.Since(start)
	hc.CloseIdleConnections()
	time.Sleep(time.Second) // the server sees our connections close
	close(done)
	fdsAfter, rssAfter := fds(pid), rssKB(pid)
	mu.Lock()
	defer mu.Unlock()
	fmt.Printf("%d requests in %s; answers:", *tokens, took.Round(time.Millisecond))
	for s, n := range statuses {
		fmt.Printf(" %d × %d", n, s)
	}
	fmt.Println()
	fmt.Printf("peak: %d descriptors, RSS %.1f MB\n", peakFDs, mb(peakRSS))
	fmt.Printf("after: %d descriptors, RSS %.1f MB\n", fdsAfter, mb(rssAfter))
	if fdsAfter >= 150 || mb(rssAfter) >= 60 {
		fmt.Println("over the bounds of issue 15 (fewer than 150 descriptors and less than 60 MB)")
		return false
	}
	return true
}
