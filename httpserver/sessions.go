package httpserver

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// MaxStreamsPerSession caps the GET streams one Streamable HTTP session may
// hold open at once. A client needs one; a few more let it reconnect before
// the server has noticed that the old connection died.
const MaxStreamsPerSession = 4

// sessionIDPrefix starts our session IDs, as it does mcp-go's.
const sessionIDPrefix = "mcp-session-"

// halfOpenGrace is how long a session that has made no request since its
// initialize keeps its slot against newcomers when MCP_MAX_SESSIONS are
// open. A client follows its initialize at once (notifications/initialized);
// a flood of bare initializes must not lock clients out until idle expiry.
const halfOpenGrace = 3 * time.Second

// sessionIDs is the session ID manager of the stateful Streamable HTTP
// transport, and the one place where its sessions are counted: a session
// begins when mcp-go has an ID minted for it (an initialize, whatever
// headers it carries) and ends when mcp-go terminates it (DELETE, idle
// expiry, shutdown). It replaces mcp-go's InsecureStatefulSessionIdManager,
// which never forgets an ID. Safe for concurrent use.
//
// When the cap is reached, an initialize takes the slot of the oldest
// half-open session (one that made no request after its initialize for
// halfOpenGrace), if there is one.
type sessionIDs struct {
	max   int
	grace time.Duration // Options.HalfOpenGrace, or halfOpenGrace

	mu       sync.Mutex
	live     map[string]*sessionState
	reserved int // initializes admitted that have not minted an ID yet
}

type sessionState struct {
	born    time.Time
	used    bool // a request besides the initialize came with the ID
	streams int  // open GET streams
}

func newSessionIDs(max int, grace time.Duration) *sessionIDs {
	return &sessionIDs{max: max, grace: grace, live: map[string]*sessionState{}}
}

// reservation is one initialize's claim on a session slot.
type reservation struct {
	ids  *sessionIDs
	used bool // guarded by ids.mu
}

type reservationKey struct{}

// reserve claims a slot for a session an initialize may create; false when
// MCP_MAX_SESSIONS are open or being opened and none is half-open. evicted
// is the half-open session whose slot was taken: the caller must end it.
func (s *sessionIDs) reserve() (res *reservation, evicted string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.live)+s.reserved >= s.max {
		now := time.Now()
		var oldest *sessionState
		for id, st := range s.live {
			if !st.used && now.Sub(st.born) >= s.grace && (oldest == nil || st.born.Before(oldest.born)) {
				oldest, evicted = st, id
			}
		}
		if oldest == nil {
			return nil, "", false
		}
		delete(s.live, evicted)
	}
	s.reserved++
	return &reservation{ids: s}, evicted, true
}

// release gives back a slot the request did not use.
func (r *reservation) release() {
	r.ids.mu.Lock()
	defer r.ids.mu.Unlock()
	if !r.used {
		r.used = true
		r.ids.reserved--
	}
}

// Generate mints the ID of a session the reservation was made for.
func (r *reservation) Generate() string {
	id := r.ids.Generate()
	r.release()
	return id
}

func (r *reservation) Validate(id string) (bool, error)  { return r.ids.Validate(id) }
func (r *reservation) Terminate(id string) (bool, error) { return r.ids.Terminate(id) }

// ResolveSessionIdManager gives mcp-go the reservation of the request, so
// the session it creates takes the slot the request was admitted with.
func (s *sessionIDs) ResolveSessionIdManager(r *http.Request) server.SessionIdManager {
	if r != nil {
		if res, ok := r.Context().Value(reservationKey{}).(*reservation); ok {
			return res
		}
	}
	return s
}

// Generate mints a session ID. Sessions are admitted by reserve; an ID
// minted without a reservation still counts.
func (s *sessionIDs) Generate() string {
	id := sessionIDPrefix + rand.Text()
	s.mu.Lock()
	s.live[id] = &sessionState{born: time.Now()}
	s.mu.Unlock()
	return id
}

// Validate accepts the IDs of open sessions only.
func (s *sessionIDs) Validate(id string) (bool, error) {
	if !s.known(id) {
		return false, errors.New("unknown or ended session")
	}
	return false, nil
}

// Terminate ends a session; its ID is forgotten, and later requests with it
// get 404 like any unknown ID.
func (s *sessionIDs) Terminate(id string) (bool, error) {
	s.mu.Lock()
	delete(s.live, id)
	s.mu.Unlock()
	return false, nil
}

func (s *sessionIDs) known(id string) bool {
	if !strings.HasPrefix(id, sessionIDPrefix) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.live[id]
	return ok
}

// use records that a request came with the session's ID.
func (s *sessionIDs) use(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.live[id]; ok {
		st.used = true
	}
}

// openStream counts a GET stream of session id; it reports whether the
// session is open and whether it may open another stream.
func (s *sessionIDs) openStream(id string) (known, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, known := s.live[id]
	if !known || st.streams >= MaxStreamsPerSession {
		return known, false
	}
	st.streams++
	st.used = true
	return true, true
}

func (s *sessionIDs) closeStream(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.live[id]; ok && st.streams > 0 {
		st.streams--
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
// With sessions, an initialize (with or without an
// Mcp-Session-Id header) needs a free session slot, and a GET stream needs
// an open session (mcp-go would otherwise create one for any ID, uncounted)
// and may be one of at most MaxStreamsPerSession.
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
		res, evicted, ok := hs.ids.reserve()
		if !ok {
			tooManySessions(w, hs.opts.MaxSessions)
			return
		}
		defer res.release()
		if evicted != "" {
			hs.endSession(r.Context(), evicted)
		}
		r = r.WithContext(context.WithValue(r.Context(), reservationKey{}, res))
	case r.Method == http.MethodGet:
		id := r.Header.Get("Mcp-Session-Id")
		if id == "" {
			rejectRequest(w, http.StatusBadRequest, "a GET stream needs the Mcp-Session-Id header of an initialized session")
			return
		}
		known, ok := hs.ids.openStream(id)
		switch {
		case !known:
			rejectRequest(w, http.StatusNotFound, "unknown or ended session: initialize a new one")
			return
		case !ok:
			rejectRequest(w, http.StatusConflict, fmt.Sprintf("this session already has %d GET streams open, the most it may; close one first", MaxStreamsPerSession))
			return
		}
		defer hs.ids.closeStream(id)
	default:
		hs.ids.use(r.Header.Get("Mcp-Session-Id"))
	}
	next.ServeHTTP(w, r)
}

// endSession ends a session as its client's DELETE would, so that mcp-go
// frees what it holds for it.
func (hs *Server) endSession(ctx context.Context, id string) {
	hs.streamable.Handle(discardResponse{http.Header{}}, &server.HTTPRequest{
		Method:  http.MethodDelete,
		Header:  http.Header{"Mcp-Session-Id": {id}},
		Context: context.WithoutCancel(ctx),
	})
	hs.logger.InfoContext(ctx, "session evicted to admit a new one: it made no request after initialize", "max_sessions", hs.opts.MaxSessions)
}

// discardResponse is the response writer of requests the server makes to
// itself.
type discardResponse struct{ h http.Header }

func (d discardResponse) Header() http.Header       { return d.h }
func (discardResponse) WriteHeader(int)             {}
func (discardResponse) Write(p []byte) (int, error) { return len(p), nil }
func (discardResponse) Flush()                      {}
func (discardResponse) CanStream() bool             { return false }

// isModernHTTP tells a 2026-07-28 request by its MCP-Protocol-Version
// header, as mcp-go does.
func isModernHTTP(r *http.Request) bool {
	return mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))
}

func tooManySessions(w http.ResponseWriter, max int) {
	w.Header().Set("Retry-After", "30")
	rejectRequest(w, http.StatusServiceUnavailable, fmt.Sprintf("too many sessions: this server allows %d at once (MCP_MAX_SESSIONS); close an idle client or try again later", max))
}
