package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

// uri measures how the server binary answers a resources/read of a 1 MB
// resource URI (issue 15, finding 9), over stdio and over Streamable HTTP
// (a 2025-11-25 session; the body stays under MCP_MAX_BODY_BYTES): the
// time from the request's last byte to the answer, and the answer's size.
// The URI is "hubspot://threads/" and a million digits, which the
// thread template's pattern matches, so nothing but a length limit stops
// mcp-go from binding it.
//
//	go run ./.ci/load uri                      # this checkout
//	go run ./.ci/load uri -bin /tmp/old-build  # another build
//
// It fails when the slowest refusal takes 1 s or more, or an answer quotes
// more than a few hundred bytes of the URI.
func uri(args []string) bool {
	fs, bin := flags()
	runs := fs.Int("runs", 10, "requests per transport (at most 100)")
	size := fs.Int("size", 1_000_000, "digits in the URI (at most 1,040,000: the body limit)")
	_ = fs.Parse(args)
	if *runs < 1 || *runs > 100 || *size < 1 || *size > 1_040_000 {
		fatal("want 1 ≤ -runs ≤ 100 and 1 ≤ -size ≤ 1040000")
	}
	*bin = binary(*bin)
	long := "hubspot://threads/" + strings.Repeat("1", *size)
	read, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 2, "method": "resources/read", "params": map[string]any{"uri": long}})
	fmt.Printf("server %s; resources/read of a %d-byte URI, %d times per transport\n", *bin, len(long), *runs)
	ok := report("stdio", stdio(*bin, read, *runs))
	return report("Streamable HTTP", streamable(*bin, read, *runs)) && ok
}

type result struct {
	took   time.Duration
	answer []byte
}

func report(transport string, rs []result) bool {
	times := make([]time.Duration, len(rs))
	longest := 0
	for i, r := range rs {
		times[i] = r.took
		longest = max(longest, len(r.answer))
	}
	slices.Sort(times)
	var msg struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(rs[0].answer, &msg)
	quoted := bytes.Count(rs[0].answer, []byte("1"))
	fmt.Printf("%s: median %s, slowest %s; answer %d bytes (error %d: %.160s)\n", transport,
		times[len(times)/2].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond), longest, msg.Error.Code, msg.Error.Message)
	return times[len(times)-1] < time.Second && quoted < 400
}

func stdio(bin string, read []byte, runs int) []result {
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HUBSPOT_SANDBOX=true", "LOG_LEVEL=warn"}
	in, err := cmd.StdinPipe()
	check(err)
	outPipe, err := cmd.StdoutPipe()
	check(err)
	check(cmd.Start())
	stop := sync.OnceFunc(func() { _ = in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	atExit(stop)
	defer stop()
	out := bufio.NewReaderSize(outPipe, 4<<20)
	line := func() []byte {
		b, err := out.ReadBytes('\n')
		check(err)
		return b
	}
	write := func(b []byte) {
		_, err := in.Write(append(b, '\n'))
		check(err)
	}
	write([]byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"uri","version":"1"}}}`))
	line()
	write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	var rs []result
	for range runs {
		_, err := in.Write(read[:len(read)-1])
		check(err)
		start := time.Now()
		_, err = in.Write(read[len(read)-1:])
		check(err)
		_, err = in.Write([]byte("\n"))
		check(err)
		answer := line()
		rs = append(rs, result{time.Since(start), answer})
	}
	return rs
}

func streamable(bin string, read []byte, runs int) []result {
	srv := startHTTP(bin)
	defer srv.stop()
	url := srv.url + "/mcp"
	post := func(body []byte, session string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
			req.Header.Set("MCP-Protocol-Version", "2025-11-25")
		}
		resp, err := http.DefaultClient.Do(req)
		check(err)
		return resp
	}
	resp := post([]byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"uri","version":"1"}}}`), "")
	session := resp.Header.Get("Mcp-Session-Id")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	resp = post([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`), session)
	resp.Body.Close()
	var rs []result
	for range runs {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(read))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Session-Id", session)
		req.Header.Set("MCP-Protocol-Version", "2025-11-25")
		var sent time.Time
		req = req.WithContext(withWroteRequest(req, &sent))
		resp, err := http.DefaultClient.Do(req)
		check(err)
		answer, err := io.ReadAll(resp.Body)
		check(err)
		took := time.Since(sent)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			answer = append([]byte(fmt.Sprintf("HTTP %d: ", resp.StatusCode)), answer...)
		}
		rs = append(rs, result{took, answer})
	}
	return rs
}

// withWroteRequest records in at when the request's last byte was written.
func withWroteRequest(req *http.Request, at *time.Time) context.Context {
	return httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { *at = time.Now() }})
}
