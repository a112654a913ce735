// Command load runs the load scenarios whose figures BENCHMARKS.md records.
// Each starts the server binary on its sandbox (HUBSPOT_SANDBOX=true, so the
// sandbox runs inside the server process), drives it over loopback, is
// bounded in count and time, and exits 1 when it misses its target:
//
//	go run ./.ci/load credentials [flags]   # many users' tokens: descriptors and RSS
//	go run ./.ci/load sessions [flags]      # fair admission at MCP_MAX_SESSIONS
//	go run ./.ci/load slowbodies [flags]    # slow request bodies: RSS, connections cut
//	go run ./.ci/load uri [flags]           # a 1 MB resource URI over stdio and HTTP
//	go run ./.ci/load <scenario> -h         # a scenario's flags
//
// Every scenario builds this checkout unless given -bin, another build of
// the server. Run it from the repository's root. Linux only (/proc);
// not part of go test.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// scenario is one load scenario: it parses its own flags and reports
// whether its target was met.
type scenario struct {
	about string
	run   func(args []string) bool
}

var scenarios = map[string]scenario{
	"credentials": {"many users' HubSpot tokens (HUBSPOT_TOKEN_SOURCE=header): descriptors and RSS", credentials},
	"sessions":    {"fair admission at MCP_MAX_SESSIONS: a flood of bare initializes, idle sessions", sessions},
	"slowbodies":  {"slow request bodies: RSS, and the connections the server cuts", slowBodies},
	"uri":         {"a 1 MB resource URI over stdio and Streamable HTTP: refusal time, answer size", uri},
}

func main() {
	if len(os.Args) < 2 || scenarios[os.Args[1]].run == nil {
		fmt.Fprintln(os.Stderr, "usage: go run ./.ci/load <scenario> [flags]; scenarios:")
		names := make([]string, 0, len(scenarios))
		for name := range scenarios {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			fmt.Fprintf(os.Stderr, "  %-12s %s\n", name, scenarios[name].about)
		}
		os.Exit(2)
	}
	name = os.Args[1]
	ok := scenarios[name].run(os.Args[2:])
	cleanUp()
	if !ok {
		os.Exit(1)
	}
}

// name is the scenario running, for error messages.
var name string

// flags returns the flag set of the running scenario, with its -bin flag.
func flags() (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("load "+name, flag.ExitOnError)
	bin := fs.String("bin", "", "server binary (default: build this checkout)")
	return fs, bin
}

// binary returns bin, or builds this checkout when bin is empty.
func binary(bin string) string {
	if bin != "" {
		return bin
	}
	dir, err := os.MkdirTemp("", "load-"+name)
	check(err)
	atExit(func() { _ = os.RemoveAll(dir) })
	bin = filepath.Join(dir, "hubspot-conversations-mcp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fatal("build: %v\n%s", err, out)
	}
	return bin
}

// server is the server binary running over Streamable HTTP on loopback.
type server struct {
	addr string // host:port
	url  string // http://host:port
	pid  int
	stop func() // ends it; safe to call more than once
}

// startHTTP starts bin on the sandbox over Streamable HTTP on a free
// loopback port, with env added to its environment, and waits until it
// serves.
func startHTTP(bin string, env ...string) *server {
	cmd := exec.Command(bin)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=http",
		"MCP_ADDR=127.0.0.1:0", "LOG_LEVEL=info"}, env...)
	stderr, err := cmd.StderrPipe()
	check(err)
	check(cmd.Start())
	stop := sync.OnceFunc(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	atExit(stop)
	addr := waitAddr(stderr)
	return &server{addr: addr, url: "http://" + addr, pid: cmd.Process.Pid, stop: stop}
}

// waitAddr reads the server's log until it says where it serves, then
// drains the rest.
func waitAddr(r io.Reader) string {
	re := regexp.MustCompile(`msg="serving MCP over HTTP".* addr=(\S+)`)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, r) }()
			return m[1]
		}
	}
	fatal("the server did not start")
	return ""
}

// rssKB is a process's resident set size in KiB (VmRSS).
func rssKB(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	check(err)
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// fds counts a process's open file descriptors.
func fds(pid int) int {
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	check(err)
	return len(entries)
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// cleanups end what the scenario started (servers, temporary builds), last
// first, when it returns or fails.
var (
	cleanupMu sync.Mutex
	cleanups  []func()
)

func atExit(f func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	cleanups = append(cleanups, f)
}

func cleanUp() {
	cleanupMu.Lock()
	fs := cleanups
	cleanups = nil
	cleanupMu.Unlock()
	for _, f := range slices.Backward(fs) {
		f()
	}
}

func check(err error) {
	if err != nil {
		fatal("%v", err)
	}
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, name+": "+format+"\n", args...)
	cleanUp()
	os.Exit(1)
}
