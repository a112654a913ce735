package httpserver

import (
	"container/list"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
)

// MaxStreamsPerSession caps the GET streams one Streamable HTTP session may
// hold open at once. A client needs one; a few more let it reconnect before
// the server has noticed that the old connection died.
const MaxStreamsPerSession = 4

// minPendingSlots is the smallest pool of sessions that have not been used
// since their initialize (see sessionIDs). At 200 bare initializes a
// second, a client has 320 ms between its initialize and its first request.
const minPendingSlots = 64

// reclaimIdle is how long an established session must have been idle (no
// request in flight, none started since) before a newcomer may take its
// slot at MCP_MAX_SESSIONS; MCP_SESSION_IDLE_TIMEOUT, if shorter, ends it
// anyway.
const reclaimIdle = time.Minute

// sessionIDs is the session ID manager of the stateful Streamable HTTP
// transport, and the one place where its sessions are admitted and counted.
// It replaces mcp-go's InsecureStatefulSessionIdManager, which never
// forgets an ID. Safe for concurrent use.
//
// Admission is fair to clients that use their sessions. A session is
// pending from its initialize until its first use (any later POST or GET
// stream with its ID, notifications/initialized included), then
// established:
//
//   - Established sessions are at most max (MCP_MAX_SESSIONS). When they
//     are all taken, the first use of a pending session takes the slot of
//     the established session idle longest, if it has been idle for the
//     reclaim time (no request in flight, none started since); otherwise
//     that use is refused with 503 and the session stays pending.
//   - Pending sessions live in their own pool of pending slots
//     (max(MCP_MAX_SESSIONS, 64)). When it is full, an initialize takes the
//     slot of the oldest pending session, which is ended.
//   - An initialize is refused at once (503) when every established slot is
//     taken by a session that is not idle: its session could not be used.
//
// So a flood of bare initializes only churns the pending pool: it never
// takes an established slot, and a client that uses its session soon
// after its initialize, as clients do, gets one. Live but idle sessions
// cannot lock a newcomer out for longer than the reclaim time.
type sessionIDs struct {
	max, pendingMax int
	reclaim         time.Duration
	now             func() time.Time
	// end makes mcp-go forget a session the manager dropped (set once,
	// before serving).
	end func(id string)

	mu          sync.Mutex
	live        map[string]*sessionState
	pending     *list.List // of *sessionState, oldest first
	established *list.List // of *sessionState, least recently used first
}

type sessionState struct {
	id          string
	established bool
	elem        *list.Element // in pending or established
	lastUsed    time.Time     // when the latest request started or ended, or it was established
	active      int           // requests in flight
	// streams end the session's open GET streams, by key: mcp-go v1.2.1
	// does not end them when a session is terminated
	// (mcpadapt.TestPinned_DeleteLeavesTheGETStreamOpen).
	streams    map[int]context.CancelFunc
	nextStream int
	// calls cancel the session's tool, resource and prompt calls in
	// flight, by key: a call must not outlive its session (see endCall).
	calls    map[int]context.CancelCauseFunc
	nextCall int
}

// errSessionEnded is the cause of the cancellation of a call whose session
// ended while it ran.
var errSessionEnded = errors.New("the MCP session ended")

func newSessionIDs(maxSessions int, reclaim time.Duration) *sessionIDs {
	return &sessionIDs{
		max: maxSessions, pendingMax: max(maxSessions, minPendingSlots), reclaim: reclaim, now: time.Now,
		end:  func(string) {},
		live: map[string]*sessionState{}, pending: list.New(), established: list.New(),
	}
}

// admits tells whether an initialize may open a session: whether one more
// session could be established now.
func (s *sessionIDs) admits() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.established.Len() < s.max || s.reclaimableLocked() != nil
}

// reclaimableLocked returns the established session idle longest if it has
// been idle for the reclaim time.
func (s *sessionIDs) reclaimableLocked() *sessionState {
	for el := s.established.Front(); el != nil; el = el.Next() {
		st := el.Value.(*sessionState)
		if st.active > 0 {
			continue // in use, whenever it started
		}
		// The list is in the order of last use: none after st is older.
		if s.now().Sub(st.lastUsed) < s.reclaim {
			return nil
		}
		return st
	}
	return nil
}

// Generate mints the ID of a new, pending session; when the pending pool is
// full, the oldest pending session is ended.
func (s *sessionIDs) Generate() string {
	id := rand.Text()
	s.mu.Lock()
	st := &sessionState{id: id, lastUsed: s.now()}
	st.elem = s.pending.PushBack(st)
	s.live[id] = st
	var evicted string
	if s.pending.Len() > s.pendingMax {
		oldest := s.pending.Front().Value.(*sessionState)
		s.removeLocked(oldest)
		evicted = oldest.id
	}
	s.mu.Unlock()
	if evicted != "" {
		s.end(evicted)
	}
	return id
}

// Validate accepts the IDs of open sessions only.
func (s *sessionIDs) Validate(id string) (bool, error) {
	if !s.known(id) {
		return false, errors.New("unknown or ended session")
	}
	return false, nil
}

// Terminate ends a session (the client's DELETE, mcp-go's idle sweeper or
// shutdown); its ID is forgotten, and later requests with it get 404 like
// any unknown ID.
func (s *sessionIDs) Terminate(id string) (bool, error) {
	s.mu.Lock()
	if st, ok := s.live[id]; ok {
		s.removeLocked(st)
	}
	s.mu.Unlock()
	return false, nil
}

// removeLocked forgets a session and ends its GET streams.
func (s *sessionIDs) removeLocked(st *sessionState) {
	delete(s.live, st.id)
	if st.established {
		s.established.Remove(st.elem)
	} else {
		s.pending.Remove(st.elem)
	}
	for _, cancel := range st.streams {
		cancel()
	}
	st.streams = nil
	for _, cancel := range st.calls {
		cancel(errSessionEnded)
	}
	st.calls = nil
}

func (s *sessionIDs) known(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.live[id]
	return ok
}

// errNoSlot refuses the first use of a pending session at MCP_MAX_SESSIONS.
var errNoSlot = errors.New("no session slot")

// use records a request of session id until the func it returns is called:
// the session is established by its first use (taking an idle session's
// slot at the cap, which is then ended) and is not idle meanwhile. An
// unknown ID is left to mcp-go (404). errNoSlot means the session could not
// be established.
func (s *sessionIDs) use(id string) (func(), error) {
	s.mu.Lock()
	st, ok := s.live[id]
	if !ok {
		s.mu.Unlock()
		return func() {}, nil
	}
	reclaimed, err := s.useLocked(st)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if reclaimed != "" {
		s.end(reclaimed)
	}
	return sync.OnceFunc(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.doneLocked(st)
	}), nil
}

// useLocked counts a request of st in flight, establishing st (see use);
// doneLocked ends it.
func (s *sessionIDs) useLocked(st *sessionState) (reclaimed string, err error) {
	reclaimed, err = s.establishLocked(st)
	if err != nil {
		return "", err
	}
	st.active++
	st.lastUsed = s.now()
	s.established.MoveToBack(st.elem)
	return reclaimed, nil
}

func (s *sessionIDs) doneLocked(st *sessionState) {
	st.active--
	if s.live[st.id] == st {
		st.lastUsed = s.now()
		s.established.MoveToBack(st.elem)
	}
}

// endCall records a call of session id running until the func it returns
// is called: the session is in use meanwhile, as by use, and its end (a
// DELETE, its SSE stream's end) cancels the call, as mcp-go cancels a stdio
// session's calls when its input ends: mcp-go v1.2.1 leaves such a call
// running, and a call that waits for the client (a question to the user,
// within the call) would wait for an answer that can no longer come, for
// up to 10 minutes. Both are recorded under one lock, so a session cannot
// end in between and leave the call running. A session that cannot be
// established (errNoSlot) still cancels the call when it ends. An unknown
// session is left alone.
func (s *sessionIDs) endCall(id string, cancel context.CancelCauseFunc) func() {
	s.mu.Lock()
	st, ok := s.live[id]
	if !ok {
		s.mu.Unlock()
		return func() {}
	}
	reclaimed, err := s.useLocked(st)
	used := err == nil
	if st.calls == nil {
		st.calls = map[int]context.CancelCauseFunc{}
	}
	st.nextCall++
	key := st.nextCall
	st.calls[key] = cancel
	s.mu.Unlock()
	if reclaimed != "" {
		s.end(reclaimed)
	}
	return sync.OnceFunc(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(st.calls, key)
		if used {
			s.doneLocked(st)
		}
	})
}

// establishLocked makes a pending session established, reclaiming the slot
// of an idle one at the cap (whose ID it returns, to be ended). Its first
// use is now: it joins the established sessions last in the order of last
// use, which reclaimableLocked relies on.
func (s *sessionIDs) establishLocked(st *sessionState) (reclaimed string, err error) {
	if st.established {
		return "", nil
	}
	if s.established.Len() >= s.max {
		idle := s.reclaimableLocked()
		if idle == nil {
			return "", errNoSlot
		}
		s.removeLocked(idle)
		reclaimed = idle.id
	}
	s.pending.Remove(st.elem)
	st.established = true
	st.lastUsed = s.now()
	st.elem = s.established.PushBack(st)
	return reclaimed, nil
}

// openStream counts a GET stream of session id, which establishes it;
// cancel ends the stream, as the session's end must. It reports whether
// the session is open, and the key that closeStream takes.
func (s *sessionIDs) openStream(id string, cancel context.CancelFunc) (known bool, key int, err error) {
	s.mu.Lock()
	st, known := s.live[id]
	if !known {
		s.mu.Unlock()
		return false, 0, nil
	}
	if len(st.streams) >= MaxStreamsPerSession {
		s.mu.Unlock()
		return true, 0, errTooManyStreams
	}
	reclaimed, err := s.establishLocked(st)
	if err != nil {
		s.mu.Unlock()
		return true, 0, err
	}
	if st.streams == nil {
		st.streams = map[int]context.CancelFunc{}
	}
	st.nextStream++
	key = st.nextStream
	st.streams[key] = cancel
	s.mu.Unlock()
	if reclaimed != "" {
		s.end(reclaimed)
	}
	return true, key, nil
}

var errTooManyStreams = errors.New("too many GET streams")

func (s *sessionIDs) closeStream(id string, key int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.live[id]; ok {
		delete(st.streams, key)
	}
}

// admitStreamable is capSessions for Streamable HTTP.
//
// 2026-07-28 requests have no sessions; their subscriptions/listen streams,
// which take the place of a session's GET stream, are capped at
// MCP_MAX_SESSIONS open at once. mcp-go refuses a listen whose Mcp-Method
// header does not say so.
//
// Without sessions (MCP_STATELESS), a GET gets 405: there is no stream.
// With sessions, sessionIDs admits them: an initialize (with or without an
// Mcp-Session-Id header) needs a slot it could be established in, a
// session's first use establishes it, and a GET stream needs an open
// session (mcp-go would otherwise create one for any ID, uncounted) and may
// be one of at most MaxStreamsPerSession.
func (hs *Server) admitStreamable(w http.ResponseWriter, r *http.Request, next http.Handler) {
	switch {
	case isModernHTTP(r):
		if r.Method == http.MethodPost && r.Header.Get(mcp.HeaderMethod) == string(mcp.MethodSubscriptionsListen) {
			if hs.listens.Add(1) > int64(hs.opts.MaxSessions) {
				hs.listens.Add(-1)
				w.Header().Set("Retry-After", "30")
				rejectRequest(w, http.StatusServiceUnavailable, fmt.Sprintf("too many subscription streams: this server allows %d subscriptions/listen streams at once (MCP_MAX_SESSIONS); close one or try again later", hs.opts.MaxSessions))
				return
			}
			defer hs.listens.Add(-1)
		}
	case hs.ids == nil:
		// MCP_STATELESS: no sessions to count, and no stream to offer
		// (mcp-go would serve every GET one shared session).
		if r.Method == http.MethodGet {
			w.Header().Set("Allow", "POST")
			rejectRequest(w, http.StatusMethodNotAllowed, "this server runs without sessions (MCP_STATELESS): it offers no GET stream; 2026-07-28 clients use subscriptions/listen")
			return
		}
	case r.Method == http.MethodPost && isInitialize(r):
		if !hs.ids.admits() {
			hs.tooManySessions(w, r)
			return
		}
	case r.Method == http.MethodGet:
		id := r.Header.Get("Mcp-Session-Id")
		if id == "" {
			rejectRequest(w, http.StatusBadRequest, "a GET stream needs the Mcp-Session-Id header of an initialized session")
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		r = r.WithContext(ctx)
		known, key, err := hs.ids.openStream(id, cancel)
		switch {
		case !known:
			rejectRequest(w, http.StatusNotFound, "unknown or ended session: initialize a new one")
			return
		case errors.Is(err, errTooManyStreams):
			rejectRequest(w, http.StatusConflict, fmt.Sprintf("this session already has %d GET streams open, the most it may; close one first", MaxStreamsPerSession))
			return
		case err != nil:
			hs.tooManySessions(w, r)
			return
		}
		defer hs.ids.closeStream(id, key)
	case r.Method == http.MethodPost:
		done, err := hs.ids.use(r.Header.Get("Mcp-Session-Id"))
		if err != nil {
			hs.tooManySessions(w, r)
			return
		}
		defer done()
	}
	next.ServeHTTP(w, r)
}

// admitSSE is capSessions for the legacy SSE transport, where a session
// lives as long as its stream: sessionIDs admits a new stream as it admits
// an initialize, a message establishes its session, and a session the
// manager drops is ended by ending its stream (endSSEStream), after which
// mcp-go unregisters it.
func (hs *Server) admitSSE(w http.ResponseWriter, r *http.Request, next http.Handler) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/sse":
		if !hs.ids.admits() {
			hs.tooManySessions(w, r)
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		st := &sseStream{cancel: cancel}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, sseStreamKey{}, st)))
		if st.id != "" {
			hs.sseCancels.Delete(st.id)
			_, _ = hs.ids.Terminate(st.id)
		}
		return
	case r.Method == http.MethodPost:
		done, err := hs.ids.use(r.URL.Query().Get("sessionId"))
		if err != nil {
			hs.tooManySessions(w, r)
			return
		}
		defer done()
	}
	next.ServeHTTP(w, r)
}

// sseStream is an SSE stream being served: its session's ID, and the func
// that ends it.
type sseStream struct {
	id     string
	cancel context.CancelFunc
}

type sseStreamKey struct{}

// sseSessionID mints an SSE session's ID (mcp-go's session ID generator).
func (hs *Server) sseSessionID(_ context.Context, r *http.Request) (string, error) {
	st, ok := r.Context().Value(sseStreamKey{}).(*sseStream)
	if !ok {
		return "", errors.New("an SSE stream outside admitSSE")
	}
	st.id = hs.ids.Generate()
	hs.sseCancels.Store(st.id, st.cancel)
	if !hs.ids.known(st.id) {
		// Evicted before its stream could be ended: end it now.
		hs.endSSEStream(st.id)
	}
	return st.id, nil
}

// endSSEStream ends the stream of an SSE session the manager dropped.
func (hs *Server) endSSEStream(id string) {
	if cancel, ok := hs.sseCancels.LoadAndDelete(id); ok {
		cancel.(context.CancelFunc)()
		hs.logger.Debug("SSE stream ended to make room (MCP_MAX_SESSIONS)")
	}
}

// endSession makes mcp-go forget a session the manager dropped.
func (hs *Server) endSession(id string) {
	mcpadapt.EndSession(context.Background(), hs.streamable, id)
	hs.logger.Debug("session ended to make room (MCP_MAX_SESSIONS)")
}

// forgetUnknown ends a session mcp-go registers after the manager dropped
// it (a pending session evicted while its initialize was still being
// answered), so that mcp-go does not hold it until idle expiry.
func (hs *Server) forgetUnknown(_ context.Context, cs server.ClientSession) {
	if id := cs.SessionID(); hs.ids != nil && id != "" && !hs.ids.known(id) {
		go hs.endSession(id)
	}
}

// isModernHTTP tells a 2026-07-28 request by its MCP-Protocol-Version
// header, as mcp-go does.
func isModernHTTP(r *http.Request) bool {
	return mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))
}

func (hs *Server) tooManySessions(w http.ResponseWriter, r *http.Request) {
	hs.refusals.log(r, "MCP_MAX_SESSIONS sessions in use", "status", http.StatusServiceUnavailable)
	w.Header().Set("Retry-After", "30")
	rejectRequest(w, http.StatusServiceUnavailable, fmt.Sprintf("too many sessions: this server allows %d in use at once (MCP_MAX_SESSIONS); close an idle client or try again later", hs.opts.MaxSessions))
}
