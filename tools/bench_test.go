package tools

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// inProcess serves the sandbox to the client without sockets: each
// request is handed straight to the sandbox's handler.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// replay answers each request with the answer recorded for the same
// method and URL, so a benchmark measures the server's own work without
// the sandbox's.
type replay map[string]recorded

type recorded struct {
	status int
	header http.Header
	body   []byte
}

func replayKey(r *http.Request) string { return r.Method + " " + r.URL.RequestURI() }

func (p replay) RoundTrip(r *http.Request) (*http.Response, error) {
	a, ok := p[replayKey(r)]
	if !ok {
		return nil, errors.New("replay: nothing recorded for " + replayKey(r))
	}
	return &http.Response{StatusCode: a.status, Header: a.header, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// benchTools builds the tools on a client whose HTTP goes through rt,
// configured as the server configures it by default.
func benchTools(b *testing.B, rt http.RoundTripper) map[string]server.ServerTool {
	b.Helper()
	svc, err := inbox.New(inbox.Config{
		Token:         sandbox.DefaultToken,
		ClientOptions: []hubspot.Option{hubspot.WithBaseURL("https://api.hubapi.com")},
		Transport:     rt,
		Limiter: func(string) hubspot.Limiter {
			return hubspot.NewWindowLimiter(hubspot.Rate{Calls: 10_000, Per: time.Millisecond})
		},
		// The server's default (HUBSPOT_CACHE_TTL=5m): actor names are read once.
		CacheTTL: 5 * time.Minute,
	})
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]server.ServerTool{}
	for _, st := range All(svc, Config{}) {
		out[st.Tool.Name] = st
	}
	return out
}

// BenchmarkTools measures one tool call in process, from the arguments to
// the result, with the sandbox as HubSpot ("sandbox") or with a recorded
// answer ("replay": the server's own share). The figures go in
// BENCHMARKS.md.
func BenchmarkTools(b *testing.B) {
	sb := sandbox.New(sandbox.WithUnlimitedRate())
	long, err := sb.Account(sandbox.DefaultToken).AddThread(sandbox.HelpDeskInboxID, sandbox.LiveChatChannelID, "Hello, is anyone there?")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 60 {
		if _, err := sb.Account(sandbox.DefaultToken).AddIncomingMessage(long, "Message number "+strconv.Itoa(i)+" of a long chat about a tent order."); err != nil {
			b.Fatal(err)
		}
	}
	cases := []struct{ name, tool, args string }{
		{"get_thread", "get_thread", `{"threadId":"` + sandbox.EmailThreadID + `"}`},
		{"list_threads_20", "list_threads", `{"limit":20}`},
		{"list_messages_50", "list_messages", `{"threadId":"` + long + `","limit":50}`},
	}
	for _, mode := range []string{"sandbox", "replay"} {
		for _, tc := range cases {
			b.Run(mode+"/"+tc.name, func(b *testing.B) {
				var rt http.RoundTripper = inProcess{sb}
				if mode == "replay" {
					rp := replay{}
					rt = roundTripFunc(func(r *http.Request) (*http.Response, error) {
						rec := httptest.NewRecorder()
						sb.ServeHTTP(rec, r)
						rp[replayKey(r)] = recorded{rec.Code, rec.Header(), rec.Body.Bytes()}
						return rec.Result(), nil
					})
					// Record the answers once, then replay them.
					ts := benchTools(b, rt)
					if res, err := ts[tc.tool].Handler(b.Context(), request(b, tc.tool, tc.args)); err != nil || res.IsError {
						b.Fatalf("%s: %v %v", tc.tool, err, res)
					}
					rt = rp
				}
				ts := benchTools(b, rt)
				h := ts[tc.tool].Handler
				req := request(b, tc.tool, tc.args)
				if res, err := h(b.Context(), req); err != nil || res.IsError {
					b.Fatalf("%s: %v %v", tc.tool, err, res)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := h(b.Context(), req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
