package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func benchInProcess(ctx context.Context, _ options, _ string) error {
	section("2. in-process overhead per call (go test -bench, sandbox in process, no sockets)")
	fmt.Println("targets: get_thread < 100 µs and < 200 allocs; list_messages of 50 < 300 µs")
	fmt.Println("sandbox/… includes the sandbox answering; replay/… is the server's own share (a recorded answer)")
	fmt.Println("five runs each; on a shared machine the minimum is the closest to the cost of the code")
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "BenchmarkTools", "-benchmem", "-count", "5", "./tools")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		os.Stdout.Write(out)
		return err
	}
	type figures struct {
		ns     []float64
		allocs string
	}
	byName := map[string]*figures{}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 || !strings.HasPrefix(f[0], "BenchmarkTools/") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f[0], "BenchmarkTools/"), "-"+strconv.Itoa(runtime.GOMAXPROCS(0)))
		ns, _ := strconv.ParseFloat(f[2], 64)
		if byName[name] == nil {
			byName[name] = &figures{}
			names = append(names, name)
		}
		byName[name].ns = append(byName[name].ns, ns)
		byName[name].allocs = f[6]
	}
	fmt.Printf("%-28s %12s %12s %10s\n", "benchmark", "min", "median", "allocs/op")
	for _, n := range names {
		v := byName[n].ns
		slices.Sort(v)
		fmt.Printf("%-28s %9.0f µs %9.0f µs %10s\n", n, v[0]/1e3, v[len(v)/2]/1e3, byName[n].allocs)
	}
	return nil
}

// httpServer is the server binary serving Streamable HTTP on loopback.
type httpServer struct {
	cmd *exec.Cmd
	url string
}

// logLevel is the HTTP server's LOG_LEVEL (BENCH_LOG_LEVEL, default info).
var logLevel = cmp.Or(os.Getenv("BENCH_LOG_LEVEL"), "info")

func startHTTPServer(ctx context.Context, bin string, env ...string) (*httpServer, error) {
	// A free loopback port, so the address is known whatever LOG_LEVEL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append([]string{"MCP_TRANSPORT=http", "MCP_ADDR=" + addr, "LOG_LEVEL=" + logLevel, "MCP_MAX_SESSIONS=1000"}, env...)
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for range 200 {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return &httpServer{cmd: cmd, url: "http://" + addr + "/mcp"}, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("the server did not start")
}

func (s *httpServer) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// mcpSession is one Streamable HTTP client session in raw JSON-RPC.
type mcpSession struct {
	hc      *http.Client
	url     string
	session string
	id      atomic.Int64
}

func (m *mcpSession) post(ctx context.Context, msg map[string]any) ([]byte, error) {
	body, _ := json.Marshal(msg)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	if m.session != "" {
		req.Header.Set("Mcp-Session-Id", m.session)
	}
	resp, err := m.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, out)
	}
	if sid := resp.Header.Get("Mcp-Session-Id"); sid != "" {
		m.session = sid
	}
	return out, nil
}

func newSession(ctx context.Context, hc *http.Client, url string) (*mcpSession, error) {
	m := &mcpSession{hc: hc, url: url}
	if _, err := m.post(ctx, map[string]any{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": map[string]any{
		"protocolVersion": "2025-11-25", "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "bench", "version": "1"}}}); err != nil {
		return nil, err
	}
	if _, err := m.post(ctx, map[string]any{"jsonrpc": "2.0", "method": "notifications/initialized"}); err != nil {
		return nil, err
	}
	return m, nil
}

// callTool calls a tool and tells whether it answered without isError.
func (m *mcpSession) callTool(ctx context.Context, name string, args map[string]any) (bool, []byte, error) {
	out, err := m.post(ctx, map[string]any{"jsonrpc": "2.0", "id": m.id.Add(1), "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": args}})
	if err != nil {
		return false, nil, err
	}
	if !bytes.Contains(out, []byte(`"result"`)) {
		return false, out, fmt.Errorf("no result: %.200s", out)
	}
	return !bytes.Contains(out, []byte(`"isError":true`)), out, nil
}

func newHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 1000, MaxIdleConnsPerHost: 1000, IdleConnTimeout: time.Minute}}
}

// serveSandbox serves a sandbox on loopback for the length of ctx.
func serveSandbox(ctx context.Context, opts ...sandbox.Option) (*sandbox.Server, string, func(), error) {
	sb := sandbox.New(opts...)
	url, stop, err := sandbox.Start(ctx, sb)
	return sb, url, stop, err
}

// threadIDs returns up to n thread IDs of the sandbox, any status.
func threadIDs(ctx context.Context, url string, n int) ([]string, error) {
	threads, err := sandboxThreads(ctx, url, "")
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, th := range threads[:min(n, len(threads))] {
		ids = append(ids, th.ID)
	}
	return ids, nil
}

// sandboxThread is what the bench reads of a sandbox thread.
type sandboxThread struct {
	ID     string    `json:"id"`
	Latest time.Time `json:"latestMessageTimestamp"`
}

// sandboxThreads reads the sandbox's first 100 threads directly (not
// through the server), with the query filter extra ("&threadStatus=OPEN").
func sandboxThreads(ctx context.Context, url, extra string) ([]sandboxThread, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/conversations/v3/conversations/threads?limit=100"+extra, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+sandbox.DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var page struct {
		Results []sandboxThread `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, err
	}
	return page.Results, nil
}

type loadResult struct {
	calls, errors int
	elapsed       time.Duration
	lat           []time.Duration
}

func (r loadResult) perSecond() float64 { return float64(r.calls) / r.elapsed.Seconds() }

func (r loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	slices.Sort(r.lat)
	return r.lat[min(len(r.lat)-1, int(float64(len(r.lat))*p))]
}

// load runs clients sessions, each calling next(client, i) in a loop, until
// perClient calls each or until d passes (whichever first; 0 means no bound).
func load(ctx context.Context, url string, clients, perClient int, d time.Duration, call func(ctx context.Context, m *mcpSession, client, i int) (bool, error)) (loadResult, error) {
	hc := newHTTPClient()
	defer hc.CloseIdleConnections()
	sessions := make([]*mcpSession, clients)
	for i := range sessions {
		s, err := newSession(ctx, hc, url)
		if err != nil {
			return loadResult{}, err
		}
		sessions[i] = s
	}
	var (
		mu  sync.Mutex
		res loadResult
		wg  sync.WaitGroup
	)
	deadline := time.Time{}
	if d > 0 {
		deadline = time.Now().Add(d)
	}
	start := time.Now()
	for c, s := range sessions {
		wg.Go(func() {
			var lat []time.Duration
			errs := 0
			for i := 0; perClient == 0 || i < perClient; i++ {
				if !deadline.IsZero() && time.Now().After(deadline) || ctx.Err() != nil {
					break
				}
				t := time.Now()
				ok, err := call(ctx, s, c, i)
				lat = append(lat, time.Since(t))
				if err != nil || !ok {
					errs++
				}
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.calls += len(lat)
			res.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res, ctx.Err()
}

func benchHTTP(ctx context.Context, o options, _ string) error {
	section("3. Streamable HTTP throughput, HubSpot's limit lifted (loopback)")
	_, sbURL, stop, err := serveSandbox(ctx, sandbox.WithUnlimitedRate())
	if err != nil {
		return err
	}
	defer stop()
	srv, err := startHTTPServer(ctx, o.server, "HUBSPOT_BASE_URL="+sbURL, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken,
		"HUBSPOT_RATE_LIMIT=100000/100ms")
	if err != nil {
		return err
	}
	defer srv.stop()
	threads, err := threadIDs(ctx, sbURL, 20)
	if err != nil {
		return err
	}
	fmt.Printf("each level runs %s; the sandbox (HubSpot) and this load generator share the machine with the server\n", o.dur)
	fmt.Printf("%-14s %8s %10s %10s %10s %8s\n", "tool", "clients", "calls/s", "p50", "p99", "errors")
	for _, tool := range []string{"get_thread", "get_inbox"} {
		for _, clients := range []int{1, 10, 100} {
			res, err := load(ctx, srv.url, clients, 0, o.dur, func(ctx context.Context, m *mcpSession, c, i int) (bool, error) {
				args := map[string]any{"threadId": threads[(c+i)%len(threads)]}
				if tool == "get_inbox" {
					args = map[string]any{"inboxId": sandbox.InboxID}
				}
				ok, _, err := m.callTool(ctx, tool, args)
				return ok, err
			})
			if err != nil {
				return err
			}
			fmt.Printf("%-14s %8d %10.0f %10s %10s %8d\n", tool, clients, res.perSecond(), ms(res.pct(0.5)), ms(res.pct(0.99)), res.errors)
		}
	}
	fmt.Printf("server peak RSS after the HTTP runs: %.1f MiB (target: >= 5,000 calls/s at 100 clients on 2 cores)\n", mib(peakRSS(srv.cmd.Process.Pid)))
	return nil
}

func benchBudget(ctx context.Context, o options, _ string) error {
	section("4. budget use: sandbox enforcing 100 per rolling 10 s, server HUBSPOT_RATE_LIMIT=100/10s")
	sb, sbURL, stop, err := serveSandbox(ctx, sandbox.WithRateLimit(100, 10*time.Second))
	if err != nil {
		return err
	}
	defer stop()
	srv, err := startHTTPServer(ctx, o.server, "HUBSPOT_BASE_URL="+sbURL, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken,
		"HUBSPOT_RATE_LIMIT=100/10s", "HUBSPOT_MAX_WAIT=60s")
	if err != nil {
		return err
	}
	defer srv.stop()
	// The thread IDs come from a twin sandbox (same seed), so the budget
	// run's sandbox counts only the server's calls in its window.
	_, twinURL, stopTwin, err := serveSandbox(ctx)
	if err != nil {
		return err
	}
	threads, err := threadIDs(ctx, twinURL, 20)
	stopTwin()
	if err != nil {
		return err
	}
	const clients, each = 20, 50
	var limited atomic.Int64
	// Each client reads its own thread, so no two calls share a request.
	res, err := load(ctx, srv.url, clients, each, 0, func(ctx context.Context, m *mcpSession, c, _ int) (bool, error) {
		ok, out, err := m.callTool(ctx, "get_thread", map[string]any{"threadId": threads[c%len(threads)]})
		if bytes.Contains(out, []byte("429")) || bytes.Contains(bytes.ToLower(out), []byte("rate limit")) {
			limited.Add(1)
		}
		return ok, err
	})
	if err != nil {
		return err
	}
	got429 := 0
	reqs := sb.Requests()
	for _, r := range reqs {
		if r.Status == http.StatusTooManyRequests {
			got429++
		}
	}
	// 100 calls per 10 s: 1,000 calls are 100 s of budget. In a rolling
	// window the first hundred go at once and each next hundred a window
	// (plus the limiter's 250 ms guard) later: the last hundred start at
	// 9 × 10.25 s. That is as fast as the budget allows.
	ideal, rolling := 100*time.Second, 9*(10*time.Second+250*time.Millisecond)
	fmt.Printf("%d calls from %d clients in %.1f s: %+.1f%% against 100 s of budget (target within 5%%), %+.1f%% against the rolling window's fastest %.2f s\n",
		res.calls, clients, res.elapsed.Seconds(), 100*(res.elapsed.Seconds()-ideal.Seconds())/ideal.Seconds(),
		100*(res.elapsed.Seconds()-rolling.Seconds())/rolling.Seconds(), rolling.Seconds())
	fmt.Printf("tool errors: %d, of which rate-limit (429) errors reaching a client: %d (target 0)\n", res.errors, limited.Load())
	fmt.Printf("HubSpot (sandbox) saw %d requests, %d answered 429; p50 %s, p99 %s per call\n", len(reqs), got429, ms(res.pct(0.5)), ms(res.pct(0.99)))
	return nil
}
