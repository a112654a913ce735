package httpserver

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/mcphttptest"
)

// clock is a settable time for sessionIDs.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newTestIDs returns a manager on a settable clock that records the
// sessions it ends.
func newTestIDs(max int, reclaim time.Duration) (*sessionIDs, *clock, *[]string) {
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ids := newSessionIDs(max, reclaim)
	ids.now = c.Now
	var mu sync.Mutex
	ended := &[]string{}
	ids.end = func(id string) {
		mu.Lock()
		*ended = append(*ended, id)
		mu.Unlock()
	}
	return ids, c, ended
}

// counts returns how many sessions are established and pending.
func (s *sessionIDs) counts() (established, pending int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.established.Len(), s.pending.Len()
}

// TestSessionIDs_FloodOnlyChurnsThePendingPool: bare initializes never
// take an established slot; they evict one another, oldest first, within
// the pending pool, and every evicted session is ended.
func TestSessionIDs_FloodOnlyChurnsThePendingPool(t *testing.T) {
	t.Parallel()
	ids, _, ended := newTestIDs(3, time.Minute)
	var used []string
	for range 3 {
		id := ids.Generate()
		done, err := ids.use(id)
		if err != nil {
			t.Fatal(err)
		}
		done()
		used = append(used, id)
	}
	var flood []string
	for range 1000 {
		flood = append(flood, ids.Generate())
	}
	est, pend := ids.counts()
	if est != 3 || pend != minPendingSlots {
		t.Errorf("%d established, %d pending after the flood; want 3 and %d", est, pend, minPendingSlots)
	}
	if len(*ended) != 1000-minPendingSlots || !slices.Equal(*ended, flood[:1000-minPendingSlots]) {
		t.Errorf("ended %d sessions, want the %d oldest of the flood in order", len(*ended), 1000-minPendingSlots)
	}
	for _, id := range used {
		if !ids.known(id) {
			t.Errorf("an established session was evicted by the flood")
		}
	}
}

// TestSessionIDs_ClientThatUsesItsSessionGetsIn: a client whose first
// request comes before minPendingSlots more initializes is established,
// even with the cap full of pending sessions; one slower than that lost
// its session (404 for it, a new initialize admits it again).
func TestSessionIDs_ClientThatUsesItsSessionGetsIn(t *testing.T) {
	t.Parallel()
	ids, _, _ := newTestIDs(3, time.Minute)
	for range 500 {
		ids.Generate()
	}
	client := ids.Generate()
	for range minPendingSlots - 1 {
		ids.Generate()
	}
	if _, err := ids.use(client); err != nil || !ids.known(client) {
		t.Fatalf("a client that used its session within the pending pool: %v, known %v", err, ids.known(client))
	}
	late := ids.Generate()
	for range minPendingSlots {
		ids.Generate()
	}
	if ids.known(late) {
		t.Error("a session still pending after the pool turned over is still known")
	}
	if est, _ := ids.counts(); est != 1 {
		t.Errorf("%d established, want 1 (the client)", est)
	}
}

// TestSessionIDs_IdleSessionsYieldAtTheCap: at the cap, a newcomer is
// refused while the established sessions are in use or idle for less
// than the reclaim time, and then takes the slot of the one idle longest,
// which is ended. A session with a request in flight is never idle.
func TestSessionIDs_IdleSessionsYieldAtTheCap(t *testing.T) {
	t.Parallel()
	ids, clk, ended := newTestIDs(3, time.Minute)
	var live []string
	var inFlight func()
	for i := range 3 {
		id := ids.Generate()
		done, err := ids.use(id)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			inFlight = done // the first session's request runs on
		} else {
			done()
		}
		live = append(live, id)
		clk.advance(time.Second)
	}
	newcomer := ids.Generate()
	if ids.admits() {
		t.Error("an initialize is admitted while every session was used within the reclaim time")
	}
	if _, err := ids.use(newcomer); !errors.Is(err, errNoSlot) {
		t.Errorf("first use at the cap: %v, want errNoSlot", err)
	}
	clk.advance(time.Minute)
	if !ids.admits() {
		t.Fatal("an initialize is refused while two sessions are idle for the reclaim time")
	}
	done, err := ids.use(newcomer)
	if err != nil {
		t.Fatalf("first use with idle sessions at the cap: %v", err)
	}
	done()
	if ids.known(live[1]) || !ids.known(live[0]) || !ids.known(live[2]) || !slices.Contains(*ended, live[1]) {
		t.Errorf("want the idle session used longest ago (the second) ended; the first has a request in flight")
	}
	inFlight()
	clk.advance(2 * time.Minute)
	other := ids.Generate()
	if _, err := ids.use(other); err != nil {
		t.Fatal(err)
	}
	if ids.known(live[2]) || !ids.known(live[0]) {
		t.Error("want the third session, idle longest, to yield; the first's request ended a minute after the third's")
	}
}

// TestSessionIDs_AStreamEstablishesAsAUse: a pending session older than
// the reclaim time that opens its GET stream is used now, like a session
// whose first use is a POST: after another session's request, a newcomer
// at the cap is refused rather than taking its slot at once.
func TestSessionIDs_AStreamEstablishesAsAUse(t *testing.T) {
	t.Parallel()
	ids, clk, ended := newTestIDs(2, time.Minute)
	streaming := ids.Generate()
	clk.advance(2 * time.Minute)
	if known, _, err := ids.openStream(streaming, func() {}); !known || err != nil {
		t.Fatalf("the GET stream: known %v, %v", known, err)
	}
	other := ids.Generate()
	done, err := ids.use(other)
	if err != nil {
		t.Fatal(err)
	}
	done()
	newcomer := ids.Generate()
	if _, err := ids.use(newcomer); !errors.Is(err, errNoSlot) {
		t.Errorf("first use at the cap: %v, want errNoSlot", err)
	}
	if !ids.known(streaming) || len(*ended) != 0 {
		t.Errorf("the session that just opened its stream was ended (%v): it counted as idle since its initialize", *ended)
	}
}

// TestSessionIDs_ACallEndsWithItsSession: the calls of a session still
// running when it ends (a DELETE, its SSE stream's end) are cancelled, with
// errSessionEnded as the cause; a call that already returned, and the
// calls of other sessions, are left alone.
func TestSessionIDs_ACallEndsWithItsSession(t *testing.T) {
	t.Parallel()
	ids, _, _ := newTestIDs(3, time.Minute)
	a, b := ids.Generate(), ids.Generate()
	call := func(id string) (context.Context, func()) {
		ctx, cancel := context.WithCancelCause(context.Background())
		t.Cleanup(func() { cancel(nil) })
		return ctx, ids.endCall(id, cancel)
	}
	running, _ := call(a)
	returned, forget := call(a)
	forget()
	other, _ := call(b)
	unknown, _ := call("never-issued")
	if _, err := ids.Terminate(a); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(context.Cause(running), errSessionEnded) {
		t.Errorf("the running call of the ended session: cause %v, want errSessionEnded", context.Cause(running))
	}
	for name, ctx := range map[string]context.Context{"a call that returned": returned, "another session's call": other, "a call of no session": unknown} {
		if ctx.Err() != nil {
			t.Errorf("%s was cancelled", name)
		}
	}
}

// TestSessions_FloodOverHTTP: the mechanism end to end over HTTP at a cap
// of 3. Bare initializes are answered, but only churn the pending pool:
// mcp-go holds at most the cap plus the pool, forgets the sessions evicted
// (404), and a client that uses its session before minPendingSlots more
// initializes keeps it while the flood goes on; clients already in are
// never touched.
func TestSessions_FloodOverHTTP(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{MaxSessions: 3})
	var in []string
	for range 1 {
		id, a := s.initialize(t, nil)
		if a.status != 200 {
			t.Fatalf("initialize: %d %s", a.status, a.body)
		}
		if a := s.post(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, inSession(id, nil)); a.status != 202 {
			t.Fatalf("notifications/initialized: %d %s", a.status, a.body)
		}
		in = append(in, id)
	}
	var flood []string
	for range 3 * minPendingSlots {
		id, a := s.initialize(t, nil)
		if a.status != 200 {
			t.Fatalf("a bare initialize under the cap of established sessions: %d %s", a.status, a.body)
		}
		flood = append(flood, id)
	}
	client, _ := s.initialize(t, nil)
	for range minPendingSlots - 1 {
		s.initialize(t, nil)
	}
	if a := s.callTool(t, client, "echo"); a.status != 200 || !strings.Contains(a.body, `"result"`) {
		t.Errorf("the client's first request amid the flood: %d %s", a.status, a.body)
	}
	for range 2 * minPendingSlots {
		if _, a := s.initialize(t, nil); a.status != 200 {
			t.Fatalf("a bare initialize with a slot free: %d %s", a.status, a.body)
		}
	}
	for _, id := range append(in, client) {
		if a := s.callTool(t, id, "echo"); a.status != 200 {
			t.Errorf("an established session after the flood: %d %s", a.status, a.body)
		}
	}
	if a := s.callTool(t, flood[0], "echo"); a.status != http.StatusNotFound {
		t.Errorf("an evicted flood session: HTTP %d, want 404", a.status)
	}
	waitFor(t, "mcp-go to forget the evicted sessions", func() bool { return s.Sessions() == 2+minPendingSlots })
	if est, pend := s.ids.counts(); est != 2 || pend != minPendingSlots {
		t.Errorf("%d established, %d pending; want 2 and %d", est, pend, minPendingSlots)
	}
	// Once the cap is full of sessions just used, a newcomer is refused at
	// once: its session could not be used.
	third, _ := s.initialize(t, nil)
	if a := s.callTool(t, third, "echo"); a.status != 200 {
		t.Fatalf("the third client: %d %s", a.status, a.body)
	}
	if _, a := s.initialize(t, nil); a.status != http.StatusServiceUnavailable {
		t.Errorf("initialize with 3 sessions in use at a cap of 3: %d, want 503", a.status)
	}
}

// TestSessions_LiveClientsYieldWhenIdle: three official SDK clients, each
// holding its GET stream, at a cap of 3. A fourth is refused while they
// are in use, and once they are idle for the reclaim time it takes the
// slot of the one idle longest; that client's next call fails (its session
// is gone) and the others go on.
func TestSessions_LiveClientsYieldWhenIdle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		reclaim time.Duration
		gets    bool
	}{{"in use", time.Hour, false}, {"idle", time.Nanosecond, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := serve(t, Options{MaxSessions: 3, ReclaimIdle: tc.reclaim})
			var clients []string
			for i := range 3 {
				cs, err := s.connect(t, "2025-11-25", nil)
				if err != nil {
					t.Fatalf("client %d: %v", i, err)
				}
				if _, err := toolText(t.Context(), cs, "echo", map[string]any{"text": "hi"}); err != nil {
					t.Fatal(err)
				}
				clients = append(clients, cs.ID())
			}
			fourth, err := s.connect(t, "2025-11-25", nil)
			if !tc.gets {
				if err == nil {
					t.Error("a fourth client got in while three were in use")
				}
				return
			}
			if err != nil {
				t.Fatalf("a fourth client was locked out by three idle ones: %v", err)
			}
			if _, err := toolText(t.Context(), fourth, "echo", nil); err != nil {
				t.Errorf("the fourth client: %v", err)
			}
			if a := s.callTool(t, clients[0], "echo"); a.status != http.StatusNotFound {
				t.Errorf("the client idle longest: HTTP %d, want 404 (its slot was taken)", a.status)
			}
			for _, id := range clients[1:] {
				if a := s.callTool(t, id, "echo"); a.status != 200 {
					t.Errorf("another client: HTTP %d %s", a.status, a.body)
				}
			}
		})
	}
}

// TestSessions_StreamsNeedASession: GET streams create no sessions, are
// capped per session and free their place when closed; an initialize with
// an Mcp-Session-Id header still opens a new session; a DELETE frees a
// slot.
func TestSessions_StreamsNeedASession(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{MaxSessions: 1})
	bogus := "not-a-session"
	id, a := s.initialize(t, map[string]string{"Mcp-Session-Id": bogus})
	if a.status != 200 || id == "" || id == bogus {
		t.Fatalf("initialize with an Mcp-Session-Id header: HTTP %d, session %q", a.status, id)
	}
	if a, _ := s.stream(t, ""); a.status != http.StatusBadRequest {
		t.Errorf("GET without a session: HTTP %d %s, want 400", a.status, a.body)
	}
	if a, _ := s.stream(t, bogus); a.status != http.StatusNotFound {
		t.Errorf("GET with an unknown session: HTTP %d %s, want 404", a.status, a.body)
	}
	var closeFirst func()
	for i := range MaxStreamsPerSession {
		a, closeStream := s.stream(t, id)
		if a.status != http.StatusOK {
			t.Fatalf("GET stream %d: HTTP %d %s", i, a.status, a.body)
		}
		if i == 0 {
			closeFirst = closeStream
		}
	}
	if a, _ := s.stream(t, id); a.status != http.StatusConflict || !strings.Contains(a.body, "GET streams") {
		t.Errorf("GET stream over the cap: HTTP %d %s, want 409", a.status, a.body)
	}
	closeFirst()
	waitFor(t, "the closed stream's place", func() bool {
		a, closeStream := s.stream(t, id)
		closeStream()
		return a.status == http.StatusOK
	})
	// The stream established the session: the cap of 1 is full.
	if _, a := s.initialize(t, nil); a.status != http.StatusServiceUnavailable {
		t.Errorf("initialize at the cap: HTTP %d, want 503", a.status)
	}
	if a := s.send(t, http.MethodDelete, nil, inSession(id, nil)); a.status != 200 {
		t.Fatalf("DELETE: HTTP %d %s", a.status, a.body)
	}
	if _, err := s.connect(t, "2025-11-25", nil); err != nil {
		t.Errorf("a client could not connect after the session ended: %v", err)
	}
}

// TestSessions_ListenStreamsAreCapped: at most MCP_MAX_SESSIONS
// 2026-07-28 subscriptions/listen streams are open at once; a closed one
// frees its place.
func TestSessions_ListenStreamsAreCapped(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{MaxSessions: 2})
	body := `{"jsonrpc":"2.0","id":1,"method":"subscriptions/listen","params":{"_meta":{` +
		`"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}},` +
		`"notifications":{"toolsListChanged":true}}}`
	open := func() (int, string, func()) {
		resp := mcphttptest.PostModern(t, s.url+"/mcp", "subscriptions/listen", "", body)
		if resp.StatusCode != http.StatusOK {
			b := make([]byte, 4096)
			n, _ := resp.Body.Read(b)
			resp.Body.Close()
			return resp.StatusCode, string(b[:n]), func() {}
		}
		closeIt := sync.OnceFunc(func() { resp.Body.Close() })
		t.Cleanup(closeIt)
		return resp.StatusCode, "", closeIt
	}
	status, _, closeFirst := open()
	if status != 200 {
		t.Fatalf("first listen stream: HTTP %d", status)
	}
	if status, _, _ := open(); status != 200 {
		t.Fatalf("second listen stream: HTTP %d", status)
	}
	if status, body, _ := open(); status != http.StatusServiceUnavailable || !strings.Contains(body, "MCP_MAX_SESSIONS") {
		t.Errorf("a third listen stream: HTTP %d %s, want 503 naming MCP_MAX_SESSIONS", status, body)
	}
	closeFirst()
	waitFor(t, "the closed listen stream's place", func() bool {
		status, _, closeIt := open()
		closeIt()
		return status == http.StatusOK
	})
}

// bareSSE opens an SSE stream and reads its endpoint event; ended is
// closed when the server ends the stream.
func (s *testServer) bareSSE(t *testing.T) (id string, status int, ended chan struct{}) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.url+"/sse", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ended = make(chan struct{})
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		close(ended)
		return "", resp.StatusCode, ended
	}
	t.Cleanup(func() { resp.Body.Close() })
	buf := make([]byte, 4096)
	var got strings.Builder
	for !strings.Contains(got.String(), "\r\n\r\n") {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("reading the endpoint event: %v (%q)", err, got.String())
		}
	}
	_, id, _ = strings.Cut(got.String(), "sessionId=")
	id, _, _ = strings.Cut(id, "\r")
	go func() {
		defer close(ended)
		for {
			if _, err := resp.Body.Read(buf); err != nil {
				return
			}
		}
	}()
	return id, resp.StatusCode, ended
}

// TestSessions_SSEIsFairToo: the legacy SSE transport, where a session
// lasts as long as its stream, follows the same rules: bare streams only
// churn the pending pool (the oldest is ended), a client that uses its
// session gets in, and at the cap streams of sessions in use are not
// taken while idle ones are.
func TestSessions_SSEIsFairToo(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{SSE: true, MaxSessions: 2, ReclaimIdle: time.Hour})
	var bare []chan struct{}
	for range minPendingSlots + 5 {
		_, status, ended := s.bareSSE(t)
		if status != 200 {
			t.Fatalf("a bare SSE stream under the cap: HTTP %d", status)
		}
		bare = append(bare, ended)
	}
	for i, ended := range bare[:5] {
		select {
		case <-ended:
		case <-time.After(10 * time.Second):
			t.Fatalf("bare stream %d, among the oldest, was not ended", i)
		}
	}
	var clients []*gomcp.ClientSession
	for i := range 2 {
		cs, err := s.connect(t, "2024-11-05", nil)
		if err != nil {
			t.Fatalf("SSE client %d amid bare streams: %v", i, err)
		}
		if _, err := toolText(t.Context(), cs, "echo", nil); err != nil {
			t.Fatalf("SSE client %d: %v", i, err)
		}
		clients = append(clients, cs)
	}
	if _, status, _ := s.bareSSE(t); status != http.StatusServiceUnavailable {
		t.Errorf("a stream with 2 SSE sessions in use at a cap of 2: HTTP %d, want 503", status)
	}
	for i, cs := range clients {
		if _, err := toolText(t.Context(), cs, "echo", nil); err != nil {
			t.Errorf("SSE client %d after the refusal: %v", i, err)
		}
	}
	waitFor(t, "mcp-go to unregister the ended streams", func() bool { return s.Sessions() <= 2+minPendingSlots })
}

// TestSessions_IdleSSESessionYields: at the cap, an idle SSE session's
// stream is ended to admit a newcomer; a session with a call running is
// never idle.
func TestSessions_IdleSSESessionYields(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{SSE: true, MaxSessions: 2, ReclaimIdle: time.Nanosecond})
	busy, err := s.connect(t, "2024-11-05", nil)
	if err != nil {
		t.Fatal(err)
	}
	slow := make(chan error, 1)
	go func() {
		_, err := toolText(t.Context(), busy, "slow", nil)
		slow <- err
	}()
	<-s.kit.started
	idle, err := s.connect(t, "2024-11-05", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := toolText(t.Context(), idle, "echo", nil); err != nil {
		t.Fatal(err)
	}
	newcomer, err := s.connect(t, "2024-11-05", nil)
	if err != nil {
		t.Fatalf("a newcomer at the cap with an idle session: %v", err)
	}
	if _, err := toolText(t.Context(), newcomer, "echo", nil); err != nil {
		t.Errorf("the newcomer: %v", err)
	}
	s.kit.releaseAll()
	if err := <-slow; err != nil {
		t.Errorf("the busy session's call: %v", err)
	}
	if _, err := toolText(t.Context(), idle, "echo", nil); err == nil {
		t.Error("the idle session's stream was not ended")
	}
}

// openGET opens a session's GET stream; ended is closed when the server
// ends it.
func (s *testServer) openGET(t *testing.T, session string) (ended chan struct{}) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.url+"/mcp", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	req.Header.Set("Mcp-Session-Id", session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		t.Fatalf("GET stream: HTTP %d", resp.StatusCode)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ended = make(chan struct{})
	go func() {
		defer close(ended)
		buf := make([]byte, 512)
		for {
			if _, err := resp.Body.Read(buf); err != nil {
				return
			}
		}
	}()
	return ended
}

// TestSessions_EndedSessionsLeaveNoStream: a session's GET stream ends
// with the session, whether the server ended it to make room or its client
// sent DELETE (mcp-go alone would keep the stream open).
func TestSessions_EndedSessionsLeaveNoStream(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{MaxSessions: 1, ReclaimIdle: time.Nanosecond})
	idle, _ := s.initialize(t, nil)
	idleStream := s.openGET(t, idle)
	newcomer, _ := s.initialize(t, nil)
	if a := s.callTool(t, newcomer, "echo"); a.status != 200 {
		t.Fatalf("the newcomer: %d %s", a.status, a.body)
	}
	select {
	case <-idleStream:
	case <-time.After(10 * time.Second):
		t.Error("the GET stream of the session that made room is still open")
	}
	stream := s.openGET(t, newcomer)
	if a := s.send(t, http.MethodDelete, nil, inSession(newcomer, nil)); a.status != 200 {
		t.Fatalf("DELETE: %d %s", a.status, a.body)
	}
	select {
	case <-stream:
	case <-time.After(10 * time.Second):
		t.Error("the GET stream of a deleted session is still open")
	}
}
