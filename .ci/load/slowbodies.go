//go:build ignore

// Slowbodies measures what slow request bodies cost the HTTP server: it
// starts the server on the sandbox, opens N authenticated connections to
// 127.0.0.1 that each send their headers and then drip a body one byte at
// a time, and reports the server's RSS (idle, while the connections are
// held, at the end) and how many connections the server cut, and when.
//
//	go run .ci/load/slowbodies.go                      # 3000 connections, the current code
//	go run .ci/load/slowbodies.go -bin /tmp/old-build  # the same against another build
//
// It is bounded (-conns, -hold) and talks to loopback only. Linux only
// (RSS from /proc). It is not part of go test; BENCHMARKS.md records its
// figures.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const authToken = "slowbodies-auth-token-0123456789"

func main() {
	bin := flag.String("bin", "", "server binary (default: build this checkout)")
	conns := flag.Int("conns", 3000, "slow connections to open (at most 10000)")
	drip := flag.Duration("drip", 5*time.Second, "interval between the body's bytes")
	timeout := flag.Duration("timeout", 10*time.Second, "MCP_BODY_READ_TIMEOUT given to the server")
	hold := flag.Duration("hold", 20*time.Second, "how long each wave keeps dripping before the next (at most 2m)")
	waves := flag.Int("waves", 2, "waves of -conns connections, -hold apart (at most 5)")
	flag.Parse()
	if *conns < 1 || *conns > 10000 || *hold <= 0 || *hold > 2*time.Minute || *waves < 1 || *waves > 5 {
		fatal("want 1 ≤ -conns ≤ 10000, 0 < -hold ≤ 2m and 1 ≤ -waves ≤ 5")
	}
	raiseFileLimit(2**conns**waves + 256)

	if *bin == "" {
		dir, err := os.MkdirTemp("", "slowbodies")
		check(err)
		defer os.RemoveAll(dir)
		*bin = filepath.Join(dir, "hubspot-conversations-mcp")
		out, err := exec.Command("go", "build", "-o", *bin, ".").CombinedOutput()
		if err != nil {
			fatal("build: %v\n%s", err, out)
		}
	}
	cmd := exec.Command(*bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=http", "MCP_ADDR=127.0.0.1:0",
		"MCP_AUTH_TOKEN=" + authToken, "MCP_BODY_READ_TIMEOUT=" + timeout.String(), "LOG_LEVEL=info"}
	stderr, err := cmd.StderrPipe()
	check(err)
	check(cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	addr := waitAddr(stderr)
	pid := cmd.Process.Pid

	idle := rssKB(pid)
	fmt.Printf("server %s (pid %d) on %s; MCP_BODY_READ_TIMEOUT=%s; %d waves of %d connections dripping a byte every %s, %s apart\n",
		*bin, pid, addr, timeout, *waves, *conns, drip, hold)
	fmt.Printf("RSS idle: %.1f MB\n", mb(idle))

	start := time.Now()
	var (
		cut     atomic.Int64 // connections the server answered or closed
		mu      sync.Mutex
		cutAt   []time.Duration
		statusN = map[string]int{}
		wg      sync.WaitGroup
		stop    = make(chan struct{})
	)
	request := "POST /mcp HTTP/1.1\r\nHost: " + addr + "\r\nAuthorization: Bearer " + authToken +
		"\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n{"
	opened := 0
	peak, peakAt := int64(0), time.Duration(0)
	var timeline []string
	for wave := 1; wave <= *waves; wave++ {
		waveStart := time.Now()
		for range *conns {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				fmt.Printf("dial failed after %d connections: %v\n", opened, err)
				break
			}
			opened++
			if _, err := io.WriteString(c, request); err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { // the server's side: an answer or a close ends the wait
				defer wg.Done()
				line, err := bufio.NewReader(c).ReadString('\n')
				select {
				case <-stop:
					return
				default:
				}
				status := "closed without an answer"
				if err == nil {
					status = strings.TrimSpace(line)
				}
				cut.Add(1)
				mu.Lock()
				cutAt = append(cutAt, time.Since(start))
				statusN[status]++
				mu.Unlock()
			}()
			go func() { // the client's side: one byte every drip
				defer wg.Done()
				defer c.Close()
				t := time.NewTicker(*drip)
				defer t.Stop()
				for {
					select {
					case <-stop:
						return
					case <-t.C:
						if _, err := c.Write([]byte(" ")); err != nil {
							return
						}
					}
				}
			}()
		}
		fmt.Printf("wave %d: %d connections open (%s to open)\n", wave, opened, time.Since(waveStart).Round(time.Millisecond))

		tick := time.NewTicker(200 * time.Millisecond)
		for i := 1; time.Since(waveStart) < *hold; i++ {
			<-tick.C
			r := rssKB(pid)
			if r > peak {
				peak, peakAt = r, time.Since(start)
			}
			if i%25 == 0 { // every 5 s
				timeline = append(timeline, fmt.Sprintf("%s %.0f MB (%d held)", time.Since(start).Round(time.Second), mb(r), int64(opened)-cut.Load()))
			}
		}
		tick.Stop()
		fmt.Printf("wave %d: RSS %.1f MB at its end, %d connections held\n", wave, mb(rssKB(pid)), int64(opened)-cut.Load())
	}
	fmt.Printf("RSS over time: %s\n", strings.Join(timeline, ", "))
	end := rssKB(pid)
	held := int64(opened) - cut.Load()
	close(stop)
	wg.Wait()

	mu.Lock()
	sort.Slice(cutAt, func(i, j int) bool { return cutAt[i] < cutAt[j] })
	fmt.Printf("RSS peak: %.1f MB (at %s); RSS at the end: %.1f MB\n", mb(peak), peakAt.Round(100*time.Millisecond), mb(end))
	fmt.Printf("connections cut by the server: %d of %d; still held at the end: %d\n", len(cutAt), opened, held)
	if len(cutAt) > 0 {
		fmt.Printf("cut between %s and %s after the first connection opened\n", cutAt[0].Round(10*time.Millisecond), cutAt[len(cutAt)-1].Round(10*time.Millisecond))
	}
	for s, n := range statusN {
		fmt.Printf("  %d × %s\n", n, s)
	}
	mu.Unlock()
}

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

func mb(kb int64) float64 { return float64(kb) / 1024 }

func raiseFileLimit(n int) {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < uint64(n) {
		lim.Cur = min(uint64(n), lim.Max)
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

func check(err error) {
	if err != nil {
		fatal("%v", err)
	}
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "slowbodies: "+format+"\n", args...)
	os.Exit(1)
}
