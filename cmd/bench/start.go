package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// peerPackage is the server people would use instead: HubSpot's own.
const peerPackage = "@hubspot/mcp-server@0.4.0"

// stdioServer is a server process spoken to in raw JSON-RPC lines, so the
// client costs the same for every server measured.
type stdioServer struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	id  int
}

func startStdio(ctx context.Context, cmd *exec.Cmd) (*stdioServer, error) {
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	context.AfterFunc(ctx, func() { _ = cmd.Process.Kill() })
	return &stdioServer{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}, nil
}

// request sends a request and returns the raw line of its answer,
// skipping notifications.
func (s *stdioServer) request(method string, params any) ([]byte, error) {
	s.id++
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.id, "method": method, "params": params})
	if _, err := s.in.Write(append(msg, '\n')); err != nil {
		return nil, err
	}
	for {
		line, err := s.out.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		var head struct {
			ID    *int            `json:"id"`
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &head) == nil && head.ID != nil && *head.ID == s.id {
			if head.Error != nil {
				return nil, fmt.Errorf("%s: %s", method, head.Error)
			}
			return line, nil
		}
	}
}

func (s *stdioServer) notify(method string) error {
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method})
	_, err := s.in.Write(append(msg, '\n'))
	return err
}

// initialize does the 2025-11-25 handshake.
func (s *stdioServer) initialize() error {
	if _, err := s.request("initialize", map[string]any{
		"protocolVersion": "2025-11-25", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "bench", "version": "1"},
	}); err != nil {
		return err
	}
	return s.notify("notifications/initialized")
}

// startOnSandbox starts the server binary over stdio on the sandbox
// served at url, as its agent, with env added (LOG_LEVEL=warn), and does
// the handshake.
func startOnSandbox(ctx context.Context, bin, url string, env ...string) (*stdioServer, error) {
	cmd := exec.Command(bin)
	cmd.Env = append([]string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken,
		"HUBSPOT_SENDER_ACTOR_ID=" + sandbox.AgentActorID, "LOG_LEVEL=warn"}, env...)
	s, err := startStdio(ctx, cmd)
	if err != nil {
		return nil, err
	}
	if err := s.initialize(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *stdioServer) close() {
	_ = s.in.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

type startSample struct {
	toList time.Duration
	rss    int64
	bytes  int
}

// measureStart starts a server, does the handshake and one tools/list, and
// reports the time from exec to the tools/list answer, the peak RSS then,
// and the answer's size.
func measureStart(ctx context.Context, newCmd func() *exec.Cmd) (startSample, error) {
	cmd := newCmd()
	t0 := time.Now()
	s, err := startStdio(ctx, cmd)
	if err != nil {
		return startSample{}, err
	}
	defer s.close()
	if err := s.initialize(); err != nil {
		return startSample{}, err
	}
	list, err := s.request("tools/list", map[string]any{})
	if err != nil {
		return startSample{}, err
	}
	d := time.Since(t0)
	return startSample{toList: d, rss: peakRSS(cmd.Process.Pid), bytes: len(list)}, nil
}

// installPeer installs the peer from npm into dir unless it is there, and
// returns its entry point. Install scripts are not run.
func installPeer(ctx context.Context, dir string) (string, error) {
	entry := filepath.Join(dir, "node_modules", "@hubspot", "mcp-server", "dist", "index.js")
	if _, err := os.Stat(entry); err == nil {
		return entry, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	fmt.Printf("installing %s from npm into %s\n", peerPackage, dir)
	cmd := exec.CommandContext(ctx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts", "--no-save", peerPackage)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install %s: %v\n%s", peerPackage, err, out)
	}
	return entry, nil
}

// peerSDKVersion reports which MCP SDK npm resolved for the peer.
func peerSDKVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
	if err != nil {
		return "?"
	}
	var p struct{ Version string }
	_ = json.Unmarshal(b, &p)
	return p.Version
}

func benchStart(ctx context.Context, o options, work string) error {
	section("1. start to first tools/list, peak RSS, tools/list size (stdio)")
	entry, err := installPeer(ctx, o.peerDir)
	if err != nil {
		return err
	}
	empty := filepath.Join(work, "cwd") // no .env for the peer's dotenv
	if err := os.MkdirAll(empty, 0o755); err != nil {
		return err
	}
	// Neither server may reach the network: dummy tokens, and a base URL
	// on a closed loopback port. Neither calls HubSpot to list its tools.
	ours := func() *exec.Cmd {
		cmd := exec.Command(o.server)
		cmd.Dir = empty
		cmd.Env = []string{"HUBSPOT_ACCESS_TOKEN=bench-dummy-token", "HUBSPOT_BASE_URL=http://127.0.0.1:9", "LOG_LEVEL=warn"}
		return cmd
	}
	peer := func() *exec.Cmd {
		cmd := exec.Command("node", entry)
		cmd.Dir = empty
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "PRIVATE_APP_ACCESS_TOKEN=bench-dummy-token", "BASE_URL_OVERRIDE=http://127.0.0.1:9"}
		return cmd
	}
	fmt.Printf("peer: %s (its @modelcontextprotocol/sdk resolved to %s)\n", peerPackage, peerSDKVersion(o.peerDir))
	var a, b []startSample
	// Alternate, so both see the same machine load.
	for i := range o.runs + 1 {
		sa, err := measureStart(ctx, ours)
		if err != nil {
			return fmt.Errorf("this server: %w", err)
		}
		sb, err := measureStart(ctx, peer)
		if err != nil {
			return fmt.Errorf("peer: %w", err)
		}
		if i > 0 { // the first pair warms the page cache
			a, b = append(a, sa), append(b, sb)
		}
	}
	ma, mb := summarize(a), summarize(b)
	fmt.Printf("%-28s %14s %14s %14s %12s\n", "", "start median", "start min", "peak RSS", "tools/list")
	fmt.Printf("%-28s %14s %14s %11.1f MiB %10d B\n", "hubspot-conversations-mcp", ms(ma.toList), ms(minOf(a).toList), mib(ma.rss), ma.bytes)
	fmt.Printf("%-28s %14s %14s %11.1f MiB %10d B\n", peerPackage, ms(mb.toList), ms(minOf(b).toList), mib(mb.rss), mb.bytes)
	fmt.Printf("ratio: start %.1fx faster (median; target >= 15x), peak RSS %.1fx less (target >= 5x), runs %d each\n",
		float64(mb.toList)/float64(ma.toList), float64(mb.rss)/float64(ma.rss), len(a))
	return nil
}

// summarize returns the median of each figure.
func summarize(s []startSample) startSample {
	if len(s) == 0 {
		return startSample{}
	}
	med := func(f func(startSample) float64) float64 {
		v := make([]float64, len(s))
		for i := range s {
			v[i] = f(s[i])
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return startSample{
		toList: time.Duration(med(func(x startSample) float64 { return float64(x.toList) })),
		rss:    int64(med(func(x startSample) float64 { return float64(x.rss) })),
		bytes:  int(med(func(x startSample) float64 { return float64(x.bytes) })),
	}
}

func minOf(s []startSample) startSample {
	m := s[0]
	for _, x := range s {
		if x.toList < m.toList {
			m = x
		}
	}
	return m
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func mib(b int64) float64       { return float64(b) / (1 << 20) }
