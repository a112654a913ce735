package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// listenStream is a 2026-07-28 subscriptions/listen request over raw HTTP:
// the acknowledgement, then the resources/updated URIs as they come.
type listenStream struct {
	status int
	body   string // the response body when it is not a stream
	acked  chan []string
	uris   chan string
	cancel context.CancelFunc
}

// listenRequest describes one raw subscriptions/listen POST.
type listenRequest struct {
	token string
	id    string // the JSON-RPC ID, as JSON
	// method is the JSON string literal of the method, escapes included.
	method string
	// header is the Mcp-Method header.
	header string
	uris   []string
}

// listen sends r to the server and reads its stream until the test ends.
func listen(t *testing.T, url string, r listenRequest) *listenStream {
	t.Helper()
	uris, _ := json.Marshal(r.uris)
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":%s,"params":{"_meta":{%q:%q,%q:{}},"notifications":{"resourceSubscriptions":%s}}}`,
		r.id, r.method, "io.modelcontextprotocol/protocolVersion", "2026-07-28", "io.modelcontextprotocol/clientCapabilities", uris)
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/mcp", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2026-07-28")
	req.Header.Set("Mcp-Method", r.header)
	req.Header.Set(httpserver.TokenHeader, r.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &listenStream{status: resp.StatusCode, acked: make(chan []string, 1), uris: make(chan string, 100), cancel: cancel}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s.body = string(b)
		return s
	}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var msg struct {
				Method string `json:"method"`
				Params struct {
					URI           string `json:"uri"`
					Notifications struct {
						ResourceSubscriptions []string `json:"resourceSubscriptions"`
					} `json:"notifications"`
				} `json:"params"`
			}
			if json.Unmarshal([]byte(data), &msg) != nil {
				continue
			}
			switch msg.Method {
			case "notifications/subscriptions/acknowledged":
				s.acked <- msg.Params.Notifications.ResourceSubscriptions
			case "notifications/resources/updated":
				select {
				case s.uris <- msg.Params.URI:
				default:
				}
			}
		}
	}()
	return s
}

// waitAck waits for the stream's acknowledgement and returns the URIs it
// lists.
func (s *listenStream) waitAck(t *testing.T) []string {
	t.Helper()
	if s.status != http.StatusOK {
		t.Fatalf("listen: HTTP %d %s", s.status, s.body)
	}
	select {
	case uris := <-s.acked:
		return uris
	case <-time.After(15 * time.Second):
		t.Fatal("listen: no acknowledgement")
		return nil
	}
}

// expectOnly waits for an update of want and fails on an update of any
// other URI first.
func (s *listenStream) expectOnly(want string, within time.Duration) error {
	deadline := time.After(within)
	for {
		select {
		case got := <-s.uris:
			if got != want {
				return fmt.Errorf("received an update of %s, subscribed only to %s", got, want)
			}
			return nil
		case <-deadline:
			return fmt.Errorf("no update of %s", want)
		}
	}
}

const acmeToken = "acme-trails-token"

func listenServer(t *testing.T, tokenSource string) (*sandbox.Server, *serverProc) {
	t.Helper()
	sb, url := startTestSandbox(t)
	sb.AddAccount(acmeToken, "Acme Trails Ltd")
	env := []string{"MCP_TRANSPORT=http", "HUBSPOT_BASE_URL=" + url, "HUBSPOT_RATE_LIMIT=10000/10s", "MCP_POLL_INTERVAL=100ms"}
	if tokenSource == "header" {
		env = append(env, "HUBSPOT_TOKEN_SOURCE=header")
	} else {
		env = append(env, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken)
	}
	return sb, startServer(t, env...)
}

// TestHTTP_ListenStreamsNeverShareSubscriptions opens many pairs of
// subscriptions/listen streams at once, every one with JSON-RPC ID 1.
//
// With per-user tokens, users A and B both watch threads T and U, which
// both their HubSpot accounts have; then T changes in A's account and U in
// B's. A's streams must be told of T only, B's of U only: a stream bound
// to the other user's subscription would see the other change, and never
// its own.
//
// With the server's one token, A's streams watch T and B's U, and both
// change: each stream must be told of its own thread, and only of it.
func TestHTTP_ListenStreamsNeverShareSubscriptions(t *testing.T) {
	t.Parallel()
	uriT, uriU := "hubspot://threads/"+sandbox.EmailThreadID, "hubspot://threads/"+sandbox.AllTypesThreadID
	for _, source := range []string{"header", "env"} {
		t.Run("tokens from "+source, func(t *testing.T) {
			t.Parallel()
			sb, p := listenServer(t, source)
			type user struct {
				token     string
				watch     []string
				changes   string // the thread that changes in the user's account
				expectURI string
			}
			users := [2]user{
				{sandbox.DefaultToken, []string{uriT, uriU}, sandbox.EmailThreadID, uriT},
				{acmeToken, []string{uriT, uriU}, sandbox.AllTypesThreadID, uriU},
			}
			if source == "env" {
				users[0].watch, users[1].watch = []string{uriT}, []string{uriU}
				users[1].token = sandbox.DefaultToken
			}
			const pairs = 30
			streams := make([][2]*listenStream, pairs)
			var wg sync.WaitGroup
			for i := range pairs {
				for j, u := range users {
					wg.Go(func() {
						streams[i][j] = listen(t, p.url, listenRequest{token: u.token, id: "1", method: `"subscriptions/listen"`, header: "subscriptions/listen", uris: u.watch})
					})
				}
			}
			wg.Wait()
			for _, pair := range streams {
				pair[0].waitAck(t)
				pair[1].waitAck(t)
			}
			for _, u := range users {
				if _, err := sb.Account(u.token).AddIncomingMessage(u.changes, "News for one user"); err != nil {
					t.Fatal(err)
				}
			}
			errs := make(chan error, 2*pairs)
			for i, pair := range streams {
				for j, u := range users {
					wg.Go(func() {
						if err := pair[j].expectOnly(u.expectURI, 30*time.Second); err != nil {
							errs <- fmt.Errorf("pair %d, user %c: %w", i, "AB"[j], err)
						}
					})
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// TestHTTP_ARefusedListenLeavesNothingBehind: B's subscriptions/listen of
// thread T is refused by mcp-go (wrong Mcp-Method header) after request
// initialization saw it; A then listens to T and U with the same ID and the
// method written with a JSON escape. T changes in B's account, U in A's:
// A's stream must be told of U, never of B's T.
func TestHTTP_ARefusedListenLeavesNothingBehind(t *testing.T) {
	t.Parallel()
	sb, p := listenServer(t, "header")
	uriT, uriU := "hubspot://threads/"+sandbox.EmailThreadID, "hubspot://threads/"+sandbox.AllTypesThreadID

	b := listen(t, p.url, listenRequest{token: acmeToken, id: "42", method: `"subscriptions/listen"`, header: "tools/list", uris: []string{uriT}})
	if b.status != http.StatusBadRequest {
		t.Fatalf("B's listen with a wrong Mcp-Method: HTTP %d %s, want 400", b.status, b.body)
	}
	a := listen(t, p.url, listenRequest{token: sandbox.DefaultToken, id: "42", method: `"subscriptions\u002flisten"`, header: "subscriptions/listen", uris: []string{uriT, uriU}})
	if got := a.waitAck(t); len(got) != 2 {
		t.Fatalf("A's acknowledgement lists %v, want [%s %s]", got, uriT, uriU)
	}
	if _, err := sb.Account(acmeToken).AddIncomingMessage(sandbox.EmailThreadID, "B's secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Account(sandbox.DefaultToken).AddIncomingMessage(sandbox.AllTypesThreadID, "A's news"); err != nil {
		t.Fatal(err)
	}
	if err := a.expectOnly(uriU, 30*time.Second); err != nil {
		t.Error(err)
	}
}

// TestHTTP_ListenLeavesOutWhatItCannotWatch: an unknown thread is left out
// of the acknowledgement, and more URIs than a session may subscribe to
// are refused.
func TestHTTP_ListenLeavesOutWhatItCannotWatch(t *testing.T) {
	t.Parallel()
	_, p := listenServer(t, "header")
	uri := "hubspot://threads/" + sandbox.EmailThreadID
	s := listen(t, p.url, listenRequest{token: sandbox.DefaultToken, id: "1", method: `"subscriptions/listen"`, header: "subscriptions/listen", uris: []string{uri, "hubspot://threads/1"}})
	if got := s.waitAck(t); len(got) != 1 || got[0] != uri {
		t.Errorf("acknowledged %v, want only %s", got, uri)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("hubspot://threads/%d", 1000+i)
	}
	s = listen(t, p.url, listenRequest{token: sandbox.DefaultToken, id: "2", method: `"subscriptions/listen"`, header: "subscriptions/listen", uris: many})
	if s.status != http.StatusBadRequest || !strings.Contains(s.body, "at most 100") {
		t.Errorf("101 URIs: HTTP %d %s, want 400 naming the limit of 100", s.status, s.body)
	}
}
