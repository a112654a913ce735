package httpserver

import (
	"strings"
	"testing"
	"time"
)

// transports are the two HTTP transports and the protocol a client
// speaks on each.
var transports = []struct {
	name     string
	sse      bool
	protocol string
}{{"streamable HTTP", false, "2025-11-25"}, {"SSE", true, "2024-11-05"}}

// TestShutdown_CallsInFlightFinish: calls running when the server is told
// to stop finish and reach their clients; then it shuts down cleanly.
func TestShutdown_CallsInFlightFinish(t *testing.T) {
	t.Parallel()
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			s := serve(t, Options{SSE: tr.sse})
			cs, release := s.connectForShutdown(t, tr.protocol)
			const calls = 3
			results := make(chan string, calls)
			for range calls {
				go func() {
					text, err := toolText(t.Context(), cs, "slow", nil)
					if err != nil {
						text = err.Error()
					}
					results <- text
				}()
			}
			for range calls {
				<-s.kit.started
			}
			stopped := make(chan error, 1)
			go func() { stopped <- s.stop() }()
			waitFor(t, "the shutdown to begin", func() bool { return strings.Contains(s.log.String(), "shutting down") })
			if n := s.calls.count(); n != calls {
				t.Errorf("%d calls in flight at shutdown, want %d", n, calls)
			}
			s.kit.releaseAll()
			for range calls {
				if text := <-results; text != "done" {
					t.Errorf("a call in flight at shutdown got %q", text)
				}
			}
			release()
			if err := <-stopped; err != nil {
				t.Errorf("Serve: %v", err)
			}
			if !strings.Contains(s.log.String(), "shut down cleanly") {
				t.Error("no clean shutdown in the log")
			}
		})
	}
}

// TestShutdown_CutsOffCallsWithAnError: calls still running when the
// shutdown timeout ends get a JSON-RPC error saying so, on each transport,
// instead of a dropped connection.
func TestShutdown_CutsOffCallsWithAnError(t *testing.T) {
	t.Parallel()
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			s := serve(t, Options{SSE: tr.sse, ShutdownTimeout: 300 * time.Millisecond})
			cs, release := s.connectForShutdown(t, tr.protocol)
			const calls = 3
			results := make(chan error, calls)
			for range calls {
				go func() {
					_, err := toolText(t.Context(), cs, "slow", nil)
					results <- err
				}()
			}
			for range calls {
				<-s.kit.started
			}
			if err := s.stop(); err != nil {
				t.Errorf("Serve: %v", err)
			}
			for range calls {
				if err := <-results; err == nil || !strings.Contains(err.Error(), "shut down before this call finished") {
					t.Errorf("a call cut off at shutdown got %v, want the JSON-RPC error saying so", err)
				}
			}
			release()
			if !strings.Contains(s.log.String(), "cut off") {
				t.Error("the log does not say calls were cut off")
			}
		})
	}
}
