package resources

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/resources/watch"
)

// The MCP adapter of the subscription engine (package watch): how
// resources/subscribe, resources/unsubscribe and subscriptions/listen
// requests, and sessions ending, reach the engine, and how its
// notifications reach the client. Nothing else starts or stops polling.

// Checks are the catalog's checks of resources requests (cursors, and
// subscriptions for both protocol eras), which may refuse a request before
// mcp-go serves it. Install them with mcpadapt.CheckRequests, with the
// server's other checks of a request, before serving: what Attach installs
// counts on them (a legacy subscription is probed there, a cursor checked).
func (c *Catalog) Checks() mcpadapt.ResourceChecks {
	return mcpadapt.ResourceChecks{
		ListCursor: func(cursor string) error { _, _, err := decodeCursor(cursor); return err },
		Subscribe:  c.prepareSubscribe,
		Listen:     c.checkListen,
	}
}

// Attach installs the catalog on s through its hooks h (s.GetHooks()): the
// resources/list extension and subscriptions for both protocol eras; its
// Checks are installed apart (mcpadapt.CheckRequests). Call it once, before
// serving.
//
// A subscription is only ever bound to the request that made it:
//
//   - resources/subscribe (legacy) is checked and probed at request
//     initialization (Checks), the one hook that can fail a request: the
//     URI must be ours and readable, and the answer is the subscription's
//     baseline. The probed subscription waits, under the session object
//     mcp-go serves the request with (never an ID a client sends) and the
//     request's ID, for mcp-go to accept the request; a legacy session is
//     one client's.
//   - subscriptions/listen (2026-07-28) has no session: request
//     initialization only checks what needs no HubSpot call (URIs, count,
//     credential), and the listen hook, which mcp-go calls with the request
//     it decoded and the stream's context, probes and starts the polling
//     there. Nothing waits in between, so no other request can pick it up.
func (c *Catalog) Attach(s *server.MCPServer, h *server.Hooks) {
	c.srv = s
	mcpadapt.ListResources(h, c.listResources)
	mcpadapt.EstablishListen(h, c.listen)
	h.AddAfterSubscribe(c.afterSubscribe)
	h.AddAfterUnsubscribe(c.afterUnsubscribe)
	h.AddOnError(c.onError)
	h.AddOnUnregisterSession(c.sessionEnded)
}

// Polling tells whether subscriptions are served (a non-zero PollRate);
// the server should advertise resources.subscribe and listChanged only
// then.
func (c *Catalog) Polling() bool { return c.watch.Enabled() }

// subsOf parses subscribed URIs into what the engine watches.
func subsOf(uris []string) ([]watch.Sub, error) {
	subs := make([]watch.Sub, 0, len(uris))
	for _, uri := range uris {
		r, err := parseURI(uri)
		if err != nil {
			return nil, readError(uri, err)
		}
		subs = append(subs, watch.Sub{URI: uri, Target: targetOf(r)})
	}
	return subs, nil
}

// prepareSubscribe checks and probes a legacy resources/subscribe with the
// caller's credential, and holds the result until mcp-go accepts the
// request (afterSubscribe).
func (c *Catalog) prepareSubscribe(ctx context.Context, id any, uri string) error {
	key, ok := pendingKeyOf(ctx, id)
	if ok {
		// Whatever happens next, nothing an earlier request left under
		// this ID may be taken for this one.
		c.pending.take(key)
	}
	if !c.Polling() {
		return nil // mcp-go refuses it: no subscribe capability
	}
	if !ok || sessionID(ctx) == "" {
		return fmt.Errorf("resources/subscribe: this connection has no MCP session to deliver notifications to; use a stateful transport or subscriptions/listen (protocol %s)", mcp.LATEST_PROTOCOL_VERSION)
	}
	if c.watch.Count(sessionKey(ctx))+1 > maxSubscriptions {
		return fmt.Errorf("resources/subscribe: a session may hold at most %d subscriptions", maxSubscriptions)
	}
	subs, err := subsOf([]string{uri})
	if err != nil {
		return err
	}
	// A legacy session hears of list changes without asking.
	p, err := c.watch.Prepare(ctx, sessionKey(ctx), subs, true)
	if err != nil {
		return readError("subscribe", err)
	}
	if len(p.Refused) > 0 {
		return readError(uri, p.Refused[0].Err)
	}
	c.pending.hold(key, p)
	return nil
}

func (c *Catalog) afterSubscribe(ctx context.Context, id any, _ *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
	key, ok := pendingKeyOf(ctx, id)
	if !ok {
		return
	}
	if p, ok := c.pending.take(key); ok {
		c.watch.Start(c.sessionSink(ctx), p)
	}
}

// onError drops what a refused resources/subscribe left waiting.
func (c *Catalog) onError(ctx context.Context, id any, method mcp.MCPMethod, _ any, _ error) {
	if method != mcp.MethodResourcesSubscribe {
		return
	}
	if key, ok := pendingKeyOf(ctx, id); ok {
		c.pending.take(key)
	}
}

func (c *Catalog) afterUnsubscribe(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
	c.watch.Remove(sessionKey(ctx), req.Params.URI)
}

func (c *Catalog) sessionEnded(_ context.Context, s server.ClientSession) {
	c.watch.Drop(sessionKeyOf(s.SessionID()))
	c.pending.drop(s)
}

// listenSubs checks and parses a subscriptions/listen request's URIs: at
// most maxSubscriptions, each ours.
func listenSubs(uris []string) ([]watch.Sub, error) {
	if len(uris) > maxSubscriptions {
		return nil, fmt.Errorf("subscriptions/listen: %d resource subscriptions; a stream may hold at most %d", len(uris), maxSubscriptions)
	}
	return subsOf(uris)
}

// checkListen checks a subscriptions/listen request's URIs without calling
// HubSpot, at request initialization.
func (c *Catalog) checkListen(ctx context.Context, uris []string) error {
	if !c.Polling() {
		return nil
	}
	if _, err := listenSubs(uris); err != nil {
		return err
	}
	if _, err := c.svc.Credential(ctx); err != nil {
		return readError("subscribe", err)
	}
	return nil
}

// listenSeq numbers subscriptions/listen streams: each is its own sink,
// whatever its session and request ID.
var listenSeq atomic.Uint64

// listen probes a subscriptions/listen request's URIs with the caller's
// credential and starts polling, bound to the stream's context: cancelling
// the request (go-sdk's Unsubscribe) or closing the session stops it. A URI
// whose probe fails (an unknown thread, HubSpot trouble) is left out, so
// mcp-go's acknowledgement lists only the subscriptions established.
func (c *Catalog) listen(ctx context.Context, want mcp.SubscriptionFilter) mcp.SubscriptionFilter {
	if !c.Polling() || (len(want.ResourceSubscriptions) == 0 && !want.ResourcesListChanged) {
		return want // mcp-go keeps to its capabilities
	}
	none := mcp.SubscriptionFilter{}
	subs, err := listenSubs(want.ResourceSubscriptions)
	if err != nil {
		// Initialization refuses these; never watch them regardless.
		c.logger.WarnContext(ctx, "subscriptions/listen not established", "error", err)
		return none
	}
	key := fmt.Sprintf("listen %d", listenSeq.Add(1))
	p, err := c.watch.Prepare(ctx, key, subs, want.ResourcesListChanged)
	if err != nil {
		c.logger.WarnContext(ctx, "subscriptions/listen not established", "error", readError("subscribe", err))
		return none
	}
	for _, r := range p.Refused {
		c.logger.InfoContext(ctx, "subscriptions/listen: resource left out", "uri", r.Sub.URI, "error", readError(r.Sub.URI, r.Err))
	}
	c.watch.Start(watch.Sink{Key: key, Context: ctx, Notifier: notifier{c: c, stream: ctx}}, p)
	return mcp.SubscriptionFilter{ResourceSubscriptions: p.URIs(), ResourcesListChanged: want.ResourcesListChanged}
}

// notifier delivers one sink's notifications through the MCP server: to a
// legacy session by its ID, or through a subscriptions/listen stream's
// context.
type notifier struct {
	c       *Catalog
	session string
	stream  context.Context
}

func (n notifier) Notify(_ context.Context, note watch.Notification) error {
	srv := n.c.srv
	if srv == nil {
		return errors.New("catalog not attached to a server")
	}
	method, params := notification(note)
	var err error
	if n.stream != nil {
		err = srv.SendNotificationToClient(n.stream, method, params)
	} else {
		err = srv.SendNotificationToSpecificClient(n.session, method, params)
	}
	if errors.Is(err, server.ErrSessionNotFound) {
		return fmt.Errorf("%w: %w", watch.ErrSinkGone, err)
	}
	return err
}

// notification is the MCP notification of an engine's notification.
func notification(n watch.Notification) (string, map[string]any) {
	if n.Event == watch.ListChanged {
		return mcp.MethodNotificationResourcesListChanged, nil
	}
	return mcp.MethodNotificationResourceUpdated, map[string]any{"uri": n.URI}
}

func sessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

// sessionKeyOf is the engine's sink key of the legacy session id.
func sessionKeyOf(id string) string { return "session " + id }

// sessionKey is the engine's sink key of the request's session.
func sessionKey(ctx context.Context) string { return sessionKeyOf(sessionID(ctx)) }

// sessionSink is the sink of the request's legacy session: its checks run
// with the subscribing request's values (such as a per-user HubSpot token)
// without its cancellation.
func (c *Catalog) sessionSink(ctx context.Context) watch.Sink {
	id := sessionID(ctx)
	return watch.Sink{Key: sessionKeyOf(id), Context: context.WithoutCancel(ctx), Notifier: notifier{c: c, session: id}}
}

// pendingKey binds a probed resources/subscribe to its request: the
// session object mcp-go serves it with and its JSON-RPC ID in that session.
type pendingKey struct {
	session server.ClientSession
	id      string
}

func pendingKeyOf(ctx context.Context, id any) (pendingKey, bool) {
	s := server.ClientSessionFromContext(ctx)
	if s == nil {
		return pendingKey{}, false
	}
	return pendingKey{session: s, id: fmt.Sprintf("%T %v", id, id)}, true
}

// pendingSubs are legacy subscriptions probed at request initialization,
// waiting for mcp-go to accept their requests. Safe for concurrent use.
type pendingSubs struct {
	mu sync.Mutex
	m  map[pendingKey]pending
}

type pending struct {
	p  *watch.Prepared
	at time.Time
}

// hold parks a probed subscription until its request succeeds; what waited
// over a minute (a request that never ended) is dropped.
func (ps *pendingSubs) hold(key pendingKey, p *watch.Prepared) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.m == nil {
		ps.m = map[pendingKey]pending{}
	}
	for k, old := range ps.m {
		if time.Since(old.at) > time.Minute {
			delete(ps.m, k)
		}
	}
	ps.m[key] = pending{p, time.Now()}
}

func (ps *pendingSubs) take(key pendingKey) (*watch.Prepared, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.m[key]
	delete(ps.m, key)
	return p.p, ok
}

// drop forgets what a session that ended left waiting.
func (ps *pendingSubs) drop(s server.ClientSession) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for k := range ps.m {
		if k.session == s {
			delete(ps.m, k)
		}
	}
}
