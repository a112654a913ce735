package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const authToken = "slowbodies-auth-token-0123456789"

// slowBodies measures what slow request bodies cost the HTTP server: it
// starts the server on the sandbox, opens N authenticated connections to
// 127.0.0.1 that each send their headers and then drip a body one byte at
// a time, and reports the server's RSS (idle, while the connections are
// held, at the end) and how many connections the server cut, and when.
//
//	go run ./.ci/load slowbodies                      # 3000 connections, the current code
//	go run ./.ci/load slowbodies -bin /tmp/old-build  # the same against another build
//
// It is bounded (-conns, -hold, -waves). It fails when a connection is
// still held at the end although -hold outlasts -timeout by 5 s or more
// (the server must cut every slow body at MCP_BODY_READ_TIMEOUT).
func slowBodies(args []string) bool {
	fs, bin := flags()
	conns := fs.Int("conns", 3000, "slow connections to open (at most 10000)")
	drip := fs.Duration("drip", 5*time.Second, "interval between the body's bytes")
	timeout := fs.Duration("timeout", 10*time.Second, "MCP_BODY_READ_TIMEOUT given to the server")
	hold := fs.Duration("hold", 20*time.Second, "how long each wave keeps dripping before the next (at most 2m)")
	waves := fs.Int("waves", 2, "waves of -conns connections, -hold apart (at most 5)")
	_ = fs.Parse(args)
	if *conns < 1 || *conns > 10000 || *hold <= 0 || *hold > 2*time.Minute || *waves < 1 || *waves > 5 {
		fatal("want 1 ≤ -conns ≤ 10000, 0 < -hold ≤ 2m and 1 ≤ -waves ≤ 5")
	}
	raiseFileLimit(2**conns**waves + 256)
	*bin = binary(*bin)
	srv := startHTTP(*bin, "MCP_AUTH_TOKEN="+authToken, "MCP_BODY_READ_TIMEOUT="+timeout.String())
	defer srv.stop()
	addr, pid := srv.addr, srv.pid

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
	if held > 0 && *hold >= *timeout+5*time.Second {
		fmt.Printf("%d connections outlived MCP_BODY_READ_TIMEOUT=%s; the target is every one cut\n", held, timeout)
		return false
	}
	return true
}

func raiseFileLimit(n int) {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < uint64(n) {
		lim.Cur = min(uint64(n), lim.Max)
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}
