package resources

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Attach installs the catalog on s through its hooks h (s.GetHooks()): the
// resources/list extension, cursor checks, and subscription tracking for
// both protocol eras. Call it once, before serving.
//
// A subscription is only ever bound to the request that made it:
//
//   - resources/subscribe (legacy) is checked and probed at request
//     initialization, the one hook that can fail a request: the URI must be
//     ours and readable, and the answer is the subscription's baseline. The
//     probe waits, under the session object mcp-go serves the request with
//     (never an ID a client sends) and the request's ID, for mcp-go to accept
//     the request; a legacy session is one client's.
//   - subscriptions/listen (2026-07-28) has no session: request
//     initialization only checks what needs no HubSpot call (URIs, count,
//     credential), and the listen hook, which mcp-go calls with the request
//     it decoded and the stream's context, probes and starts the polling
//     there. Nothing waits in between, so no other request can pick it up.
func (c *Catalog) Attach(s *server.MCPServer, h *server.Hooks) {
	c.srv = s
	h.AddOnRequestInitialization(c.initRequest)
	h.AddAfterListResources(c.afterListResources)
	h.AddAfterSubscribe(c.afterSubscribe)
	h.AddAfterUnsubscribe(c.afterUnsubscribe)
	h.AddBeforeSubscriptionsListen(c.beforeListen)
	h.AddOnError(c.onError)
	h.AddOnUnregisterSession(c.sessionEnded)
}

// Polling tells whether subscriptions are served (a non-zero PollRate);
// the server should advertise resources.subscribe and listChanged only
// then.
func (c *Catalog) Polling() bool { return c.watch.enabled() }

// initRequest validates what mcp-go cannot: our resources/list cursors and
// the URIs of subscriptions. The method is read from the decoded JSON, as
// mcp-go reads it, so no spelling of it (such as a \u002f escape) slips by.
func (c *Catalog) initRequest(ctx context.Context, id any, message any) error {
	raw, ok := message.(json.RawMessage)
	if !ok {
		return nil
	}
	var m struct {
		Method string `json:"method"`
		Params struct {
			Meta          *mcp.Meta               `json:"_meta"`
			URI           string                  `json:"uri"`
			Cursor        string                  `json:"cursor"`
			Notifications *mcp.SubscriptionFilter `json:"notifications"`
		} `json:"params"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return nil // mcp-go reports malformed requests
	}
	modern := mcp.IsModernProtocol(m.Params.Meta.ProtocolVersion())
	switch mcp.MCPMethod(m.Method) {
	case mcp.MethodResourcesList:
		if m.Params.Cursor != "" {
			if _, _, err := decodeCursor(m.Params.Cursor); err != nil {
				return fmt.Errorf("resources/list: %w", err)
			}
		}
	case mcp.MethodResourcesSubscribe:
		key, ok := pendingKeyOf(ctx, id)
		if ok {
			// Whatever happens next, nothing an earlier request left under
			// this ID may be taken for this one.
			c.watch.take(key)
		}
		if modern || !c.Polling() || m.Params.URI == "" {
			return nil // mcp-go answers these
		}
		if !ok || sessionID(ctx) == "" {
			return fmt.Errorf("resources/subscribe: this connection has no MCP session to deliver notifications to; use a stateful transport or subscriptions/listen (protocol %s)", mcp.LATEST_PROTOCOL_VERSION)
		}
		return c.prepare(ctx, key, sessionSink(ctx).key, m.Params.URI)
	case mcp.MethodSubscriptionsListen:
		f := m.Params.Notifications
		if !modern || !c.Polling() || f == nil || len(f.ResourceSubscriptions) == 0 {
			return nil
		}
		_, err := c.checkListen(ctx, f.ResourceSubscriptions)
		return err
	}
	return nil
}

// checkListen checks a subscriptions/listen request's URIs without calling
// HubSpot, and returns their targets.
func (c *Catalog) checkListen(ctx context.Context, uris []string) ([]*sub, error) {
	if len(uris) > maxSubscriptions {
		return nil, fmt.Errorf("subscriptions/listen: %d resource subscriptions; a stream may hold at most %d", len(uris), maxSubscriptions)
	}
	subs := make([]*sub, 0, len(uris))
	for _, uri := range uris {
		r, err := parseURI(uri)
		if err != nil {
			return nil, readError(uri, err)
		}
		subs = append(subs, &sub{uri: uri, target: targetOf(r)})
	}
	if _, err := c.svc.Credential(ctx); err != nil {
		return nil, readError("subscribe", err)
	}
	return subs, nil
}

// prepare probes a legacy subscription's URI with the caller's credential and
// parks the result under key until mcp-go accepts the request.
func (c *Catalog) prepare(ctx context.Context, key pendingKey, sinkKey, uri string) error {
	if c.watch.count(sinkKey)+1 > maxSubscriptions {
		return fmt.Errorf("resources/subscribe: a session may hold at most %d subscriptions", maxSubscriptions)
	}
	cred, err := c.svc.Credential(ctx)
	if err != nil {
		return readError("subscribe", err)
	}
	r, err := parseURI(uri)
	if err != nil {
		return readError(uri, err)
	}
	t := targetOf(r)
	st, err := probe(ctx, c.svc, t)
	if err != nil {
		return readError(uri, err)
	}
	// The baseline for list_changed; without it the poller takes one on
	// its first cycle.
	open, err := openSet(ctx, c.svc)
	if err != nil {
		open = ""
	}
	c.watch.hold(key, pending{credential: cred, subs: []*sub{{uri: uri, target: t, state: st}}, listChanged: true, open: open})
	return nil
}

func (c *Catalog) afterSubscribe(ctx context.Context, id any, _ *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
	key, ok := pendingKeyOf(ctx, id)
	if !ok {
		return
	}
	p, ok := c.watch.take(key)
	if !ok {
		return
	}
	s := sessionSink(ctx)
	s.listChanged, s.open, s.base = p.listChanged, p.open, ctx
	c.watch.add(s, p.credential, p.subs)
}

// onError drops what a refused resources/subscribe left waiting.
func (c *Catalog) onError(ctx context.Context, id any, method mcp.MCPMethod, _ any, _ error) {
	if method != mcp.MethodResourcesSubscribe {
		return
	}
	if key, ok := pendingKeyOf(ctx, id); ok {
		c.watch.take(key)
	}
}

func (c *Catalog) afterUnsubscribe(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
	c.watch.remove(sessionSink(ctx).key, req.Params.URI)
}

// listenSeq numbers subscriptions/listen streams: each is its own sink,
// whatever its session and request ID.
var listenSeq atomic.Uint64

// beforeListen probes a subscriptions/listen request's URIs with the
// caller's credential and starts polling, bound to the stream's context:
// cancelling the request (go-sdk's Unsubscribe) or closing the session
// stops it. A URI whose probe fails (an unknown thread, HubSpot trouble) is
// taken out of the request, so mcp-go's acknowledgement lists only the
// subscriptions that were established.
func (c *Catalog) beforeListen(ctx context.Context, _ any, req *mcp.SubscriptionsListenRequest) {
	f := &req.Params.Notifications
	if !c.Polling() || (len(f.ResourceSubscriptions) == 0 && !f.ResourcesListChanged) {
		return
	}
	subs, err := c.checkListen(ctx, f.ResourceSubscriptions)
	if err != nil {
		// Initialization refuses these; never watch them regardless.
		c.logger.WarnContext(ctx, "subscriptions/listen not established", "error", err)
		f.ResourceSubscriptions, f.ResourcesListChanged = nil, false
		return
	}
	cred, err := c.svc.Credential(ctx)
	if err != nil {
		f.ResourceSubscriptions, f.ResourcesListChanged = nil, false
		return
	}
	probed := map[target]state{}
	failed := map[target]bool{}
	var kept []*sub
	for _, sb := range subs {
		st, ok := probed[sb.target]
		if !ok {
			if failed[sb.target] {
				continue
			}
			if st, err = probe(ctx, c.svc, sb.target); err != nil {
				failed[sb.target] = true
				c.logger.InfoContext(ctx, "subscriptions/listen: resource left out", "uri", sb.uri, "error", readError(sb.uri, err))
				continue
			}
			probed[sb.target] = st
		}
		sb.state = st
		kept = append(kept, sb)
	}
	f.ResourceSubscriptions = make([]string, len(kept))
	for i, sb := range kept {
		f.ResourceSubscriptions[i] = sb.uri
	}
	var open string
	if f.ResourcesListChanged {
		if open, err = openSet(ctx, c.svc); err != nil {
			open = ""
		}
	}
	if len(kept) == 0 && !f.ResourcesListChanged {
		return
	}
	sid := sessionID(ctx)
	key := fmt.Sprintf("listen %d", listenSeq.Add(1))
	c.watch.add(sink{key: key, sessionID: sid, listen: ctx, listChanged: f.ResourcesListChanged, open: open}, cred, kept)
}

func (c *Catalog) sessionEnded(_ context.Context, s server.ClientSession) {
	c.watch.drop("session " + s.SessionID())
	c.watch.dropPending(s)
}

func sessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

func sessionSink(ctx context.Context) sink {
	sid := sessionID(ctx)
	return sink{key: "session " + sid, sessionID: sid}
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
