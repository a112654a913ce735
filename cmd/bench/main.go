// Command bench measures the server against BENCHMARKS.md's targets and
// prints every figure, each ratio from the same run:
//
//	go run ./cmd/bench            # start/memory vs @hubspot/mcp-server, in-process, HTTP, HubSpot calls
//	go run ./cmd/bench -budget    # the same plus the ~100 s budget run
//
// It builds the server from this tree (or measures -server), installs the
// peer @hubspot/mcp-server@0.4.0 from npm into -peer-dir (first run only,
// without install scripts) and runs it with a dummy token and a loopback
// base URL, so nothing leaves the machine. Every server talks to a sandbox
// served by this process on 127.0.0.1. Load is bounded in count and time.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

type options struct {
	server  string // binary to measure; empty builds this tree
	peerDir string
	runs    int
	only    map[string]bool
	budget  bool
	dur     time.Duration
}

func main() {
	var o options
	only := ""
	flag.StringVar(&o.server, "server", "", "server binary to measure (default: build this tree)")
	flag.StringVar(&o.peerDir, "peer-dir", filepath.Join(os.TempDir(), "hubspot-conversations-mcp-bench-peer"), "where the peer is installed from npm")
	flag.IntVar(&o.runs, "runs", 10, "start-up runs per server")
	flag.StringVar(&only, "only", "start,inproc,http,calls,people", "sections to run: start, inproc, http, calls, budget, people")
	flag.BoolVar(&o.budget, "budget", false, "also run the budget section (about 100 s)")
	flag.DurationVar(&o.dur, "duration", 3*time.Second, "how long each HTTP load level runs")
	flag.Parse()
	o.only = map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		o.only[strings.TrimSpace(s)] = true
	}
	if o.budget {
		o.only["budget"] = true
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	work, err := os.MkdirTemp("", "hubspot-conversations-mcp-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	header()
	if o.server == "" {
		o.server = filepath.Join(work, "hubspot-conversations-mcp")
		fmt.Printf("building the server: CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o %s .\n", o.server)
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", o.server, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if fi, err := os.Stat(o.server); err == nil {
		fmt.Printf("server binary: %s (%.1f MiB)\n", o.server, float64(fi.Size())/(1<<20))
	}
	sections := []struct {
		name string
		run  func(context.Context, options, string) error
	}{
		{"start", benchStart},
		{"inproc", benchInProcess},
		{"http", benchHTTP},
		{"budget", benchBudget},
		{"calls", benchCalls},
		{"people", benchPeople},
	}
	for _, s := range sections {
		if !o.only[s.name] {
			continue
		}
		if err := s.run(ctx, o, work); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// header prints the machine and the moment, for BENCHMARKS.md.
func header() {
	fmt.Printf("date: %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Printf("go: %s %s/%s, GOMAXPROCS %d, NumCPU %d\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				fmt.Printf("cpu: %s\n", strings.TrimSpace(strings.SplitN(line, ":", 2)[1]))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("load average at start: %s\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		fmt.Printf("node: %s", out)
	}
}

func section(title string) { fmt.Printf("\n== %s\n", title) }
