package resources

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Attach installs the catalog on s through its hooks h (s.GetHooks()): the
// resources/list extension, cursor checks, and subscription tracking for
// both protocol eras. Call it once, before serving.
//
// Subscribing is checked at request initialization, the one hook that can
// fail a request: the URI must be ours and readable, and the answer is the
// subscription's baseline. The subscription starts when mcp-go accepts the
// request: after resources/subscribe (legacy), or as the
// subscriptions/listen stream opens (2026-07-28), whose context then bounds
// the polling.
func (c *Catalog) Attach(s *server.MCPServer, h *server.Hooks) {
	c.srv = s
	h.AddOnRequestInitialization(c.initRequest)
	h.AddAfterListResources(c.afterListResources)
	h.AddAfterSubscribe(c.afterSubscribe)
	h.AddAfterUnsubscribe(c.afterUnsubscribe)
	h.AddBeforeSubscriptionsListen(c.beforeListen)
	h.AddOnUnregisterSession(c.sessionEnded)
}

// Polling tells whether subscriptions are served (a non-zero PollRate);
// the server should advertise resources.subscribe and listChanged only
// then.
func (c *Catalog) Polling() bool { return c.watch.enabled() }

// initRequest validates what mcp-go cannot: our resources/list cursors and
// the URIs of subscriptions, which it probes.
func (c *Catalog) initRequest(ctx context.Context, id any, message any) error {
	raw, ok := message.(json.RawMessage)
	// Every request passes here: skip the decoding for all but ours (a
	// method may spell its slash \/ in JSON).
	if !ok || !(bytes.Contains(raw, []byte(`"resources/`)) || bytes.Contains(raw, []byte(`"subscriptions/`)) || bytes.Contains(raw, []byte(`\/`))) {
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
		if modern || !c.Polling() || m.Params.URI == "" {
			return nil // mcp-go answers these
		}
		return c.prepare(ctx, id, sessionSink(ctx).key, []string{m.Params.URI}, true)
	case mcp.MethodSubscriptionsListen:
		f := m.Params.Notifications
		if !modern || !c.Polling() || f == nil || (len(f.ResourceSubscriptions) == 0 && !f.ResourcesListChanged) {
			return nil
		}
		return c.prepare(ctx, id, "", f.ResourceSubscriptions, f.ResourcesListChanged)
	}
	return nil
}

// prepare probes each URI with the caller's client and parks the result.
func (c *Catalog) prepare(ctx context.Context, id any, sinkKey string, uris []string, listChanged bool) error {
	if sinkKey != "" && c.watch.count(sinkKey)+len(uris) > maxSubscriptions {
		return fmt.Errorf("resources/subscribe: a session may hold at most %d subscriptions", maxSubscriptions)
	}
	client, err := c.provider.ClientFor(ctx)
	if err != nil {
		return readError("subscribe", err)
	}
	probed := map[target]state{}
	var subs []*sub
	for _, uri := range uris {
		r, err := parseURI(uri)
		if err != nil {
			return readError(uri, err)
		}
		t := targetOf(r)
		st, ok := probed[t]
		if !ok {
			if st, err = probe(ctx, client, nil, t); err != nil {
				return readError(uri, err)
			}
			probed[t] = st
		}
		subs = append(subs, &sub{uri: uri, target: t, state: st})
	}
	var open string
	if listChanged {
		// The baseline for list_changed; without it the poller takes one
		// on its first cycle.
		if open, err = openSet(ctx, client, nil); err != nil {
			open = ""
		}
	}
	c.watch.hold(pendingKey(ctx, id), pending{client: client, subs: subs, listChanged: listChanged, open: open})
	return nil
}

func (c *Catalog) afterSubscribe(ctx context.Context, id any, _ *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
	p, ok := c.watch.take(pendingKey(ctx, id))
	if !ok {
		return
	}
	s := sessionSink(ctx)
	if s.sessionID == "" {
		c.logger.WarnContext(ctx, "resources/subscribe without a session: notifications cannot be delivered")
		return
	}
	s.listChanged, s.open, s.base = p.listChanged, p.open, ctx
	c.watch.add(s, p.client, p.subs)
}

func (c *Catalog) afterUnsubscribe(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
	c.watch.remove(sessionSink(ctx).key, req.Params.URI)
}

// beforeListen starts polling for a subscriptions/listen stream, bound to
// the stream's context: cancelling the request (go-sdk's Unsubscribe) or
// closing the session stops it.
func (c *Catalog) beforeListen(ctx context.Context, id any, _ *mcp.SubscriptionsListenRequest) {
	p, ok := c.watch.take(pendingKey(ctx, id))
	if !ok {
		return
	}
	sid := sessionID(ctx)
	c.watch.add(sink{key: fmt.Sprintf("listen %s %v", sid, id), sessionID: sid, listen: ctx, listChanged: p.listChanged, open: p.open}, p.client, p.subs)
}

func (c *Catalog) sessionEnded(_ context.Context, s server.ClientSession) {
	c.watch.drop("session " + s.SessionID())
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

func pendingKey(ctx context.Context, id any) string {
	return fmt.Sprintf("%s\x00%v", sessionID(ctx), id)
}
