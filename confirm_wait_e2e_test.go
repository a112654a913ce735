package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"
)

// syncBuilder is a strings.Builder safe for a process's stderr and a test
// reading it at once.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// unanswered is a person who never answers: each question blocks until
// the client gives up on it or the test ends, and asked is signalled when
// it arrives. (go-sdk's ClientSession.Close waits for such a handler, so
// the tests end sessions below the SDK.)
func unanswered(t *testing.T) (handler func(context.Context, *gomcp.ElicitRequest) (*gomcp.ElicitResult, error), asked <-chan struct{}) {
	ch, done := make(chan struct{}, 8), make(chan struct{})
	t.Cleanup(func() { close(done) })
	return func(ctx context.Context, _ *gomcp.ElicitRequest) (*gomcp.ElicitResult, error) {
		ch <- struct{}{}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-done:
			return nil, context.Canceled
		}
	}, ch
}

// connRecorder dials TCP connections and can close every one of them, as
// a client that goes away does.
type connRecorder struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (r *connRecorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err == nil {
		r.mu.Lock()
		r.conns = append(r.conns, c)
		r.mu.Unlock()
	}
	return c, err
}

func (r *connRecorder) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		_ = c.Close()
	}
}

// abandonedRecord waits until log() holds the audit record of the MESSAGE
// whose question was never answered, and fails the test if none comes.
func abandonedRecord(t *testing.T, log func() string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range auditRecords(log()) {
			if r["outcome"] == "abandoned" && r["confirmation"] == "elicitation" && r["type"] == "MESSAGE" {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("no outcome=abandoned record for the unanswered question:\n%s", log())
}

// TestConfirmationWaitEndsWithTheCall: a 2025-11-25 call that asked the
// person through elicitation waits inside the call for their answer (up to
// 10 minutes). When the session ends (stdin closes; a DELETE; the client's
// connections drop) or the server shuts down before they answer, the call
// ends at once: nothing is sent, the question leaves an outcome=abandoned
// audit record, and on shutdown the server exits (over HTTP after
// MCP_SHUTDOWN_TIMEOUT, telling the client the call was cut off).
func TestConfirmationWaitEndsWithTheCall(t *testing.T) {
	t.Parallel()
	args := sendArgs("Nobody will answer this question.")
	for _, ending := range []string{"stdin closed", "shutdown"} {
		t.Run("stdio "+ending, func(t *testing.T) {
			t.Parallel()
			sb, url := startTestSandbox(t)
			cmd := exec.Command(binPath)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LOG_LEVEL=warn"}, confirmEnv(url, "")...)
			var stderr syncBuilder
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			handle, asked := unanswered(t)
			client := gomcp.NewClient(&gomcp.Implementation{Name: "wait", Version: "1"}, &gomcp.ClientOptions{ElicitationHandler: handle})
			cs, err := client.Connect(t.Context(), &gomcp.IOTransport{Reader: stdout, Writer: stdin},
				&gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
			if err != nil {
				t.Fatalf("connect: %v\n%s", err, stderr.String())
			}
			go func() {
				_, _ = cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args})
			}()
			<-asked
			if ending == "shutdown" {
				_ = cmd.Process.Signal(syscall.SIGTERM)
			} else {
				_ = stdin.Close()
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("the server's exit: %v\n%s", err, stderr.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("the server did not exit with a question open\n%s", stderr.String())
			}
			abandonedRecord(t, stderr.String)
			if n := writesTo(sb, "POST", messagesPath); n != 0 {
				t.Errorf("%d messages sent", n)
			}
		})
	}
	for _, ending := range []string{"DELETE", "client gone", "shutdown"} {
		t.Run("http "+ending, func(t *testing.T) {
			t.Parallel()
			sb, url := startTestSandbox(t)
			p := startServer(t, append(confirmEnv(url, ""), "MCP_TRANSPORT=http", "MCP_SHUTDOWN_TIMEOUT=1s")...)
			handle, asked := unanswered(t)
			conns := &connRecorder{}
			hc := &http.Client{Transport: &http.Transport{DialContext: conns.dial}}
			client := gomcp.NewClient(&gomcp.Implementation{Name: "wait", Version: "1"}, &gomcp.ClientOptions{ElicitationHandler: handle})
			cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp", HTTPClient: hc},
				&gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
			if err != nil {
				t.Fatal(err)
			}
			called := make(chan error, 1)
			go func() {
				_, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: args})
				called <- err
			}()
			<-asked
			switch ending {
			case "DELETE":
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, p.url+"/mcp", nil)
				req.Header.Set("Mcp-Session-Id", cs.ID())
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				abandonedRecord(t, p.log)
			case "client gone":
				conns.closeAll()
				abandonedRecord(t, p.log)
			case "shutdown":
				_ = p.cmd.Process.Signal(syscall.SIGTERM)
				select {
				case err := <-p.exited:
					if err != nil {
						t.Errorf("the server's exit: %v", err)
					}
				case <-time.After(30 * time.Second):
					t.Fatalf("the server did not exit with a question open\n%s", p.log())
				}
				abandonedRecord(t, p.log)
				select {
				case err := <-called:
					if err == nil || !strings.Contains(err.Error(), "MCP_SHUTDOWN_TIMEOUT") {
						t.Errorf("the client was told %v, want the call cut off by the shutdown", err)
					}
				case <-time.After(20 * time.Second):
					t.Error("the call never ended")
				}
			}
			if n := writesTo(sb, "POST", messagesPath); n != 0 {
				t.Errorf("%d messages sent", n)
			}
		})
	}
}
