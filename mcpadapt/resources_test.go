package mcpadapt

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// resourceServer has resources test://a and test://b, subscriptions and
// list_changed, and h as its hooks.
func resourceServer(h *server.Hooks) *server.MCPServer {
	s := server.NewMCPServer("resources", "1", server.WithHooks(h), server.WithResourceCapabilities(true, true))
	for _, uri := range []string{"test://a", "test://b"} {
		s.AddResource(mcp.NewResource(uri, uri), func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return nil, nil
		})
	}
	return s
}

// answer sends one request through mcp-go, as in session sess (nil for
// none), and returns its result or its error.
func answer(t *testing.T, ctx context.Context, s *server.MCPServer, sess server.ClientSession, req string) (json.RawMessage, *mcp.JSONRPCErrorDetails) {
	t.Helper()
	if sess != nil {
		ctx = s.WithContext(ctx, sess)
	}
	resp, err := json.Marshal(s.HandleMessage(ctx, json.RawMessage(req)))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result json.RawMessage          `json:"result"`
		Error  *mcp.JSONRPCErrorDetails `json:"error"`
	}
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatalf("%s: %v", resp, err)
	}
	return out.Result, out.Error
}

func listResources(cursor string) string {
	if cursor == "" {
		return `{"jsonrpc":"2.0","id":1,"method":"resources/list"}`
	}
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"resources/list","params":{"cursor":%q}}`, cursor)
}

const modernMeta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}`

// TestPinned_OnlyRequestInitializationCanRefuse pins what
// checkResources exists for: mcp-go v1.2.1 accepts a
// resources/subscribe of any URI, and the one hook that can refuse it (and
// resources/list or subscriptions/listen) gets the raw JSON-RPC message.
// When this test fails, mcp-go checks subscriptions or hands the hook a
// decoded request: see whether its typed hooks can refuse now.
func TestPinned_OnlyRequestInitializationCanRefuse(t *testing.T) {
	t.Parallel()
	h := &server.Hooks{}
	var got any
	h.AddOnRequestInitialization(func(_ context.Context, _ any, message any) error {
		got = message
		return nil
	})
	s := resourceServer(h)
	req := `{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"nothing://of-ours"}}`
	if _, rerr := answer(t, t.Context(), s, &fakeSession{}, req); rerr != nil {
		t.Errorf("mcp-go refused a subscription to a URI it does not serve: %+v; checkResources's Subscribe may be obsolete", rerr)
	}
	if raw, ok := got.(json.RawMessage); !ok || string(raw) != req {
		t.Errorf("the request-initialization hook got %T %v, not the raw request: CheckRequests must decode it otherwise", got, got)
	}
}

func TestCheckRequestsResources(t *testing.T) {
	t.Parallel()
	var seen []string
	h := &server.Hooks{}
	CheckRequests(h, nil, nil, ResourceChecks{
		ListCursor: func(cursor string) error {
			seen = append(seen, "cursor "+cursor)
			if cursor != "mine" {
				return errors.New("not mine")
			}
			return nil
		},
		Subscribe: func(_ context.Context, id any, uri string) error {
			seen = append(seen, fmt.Sprintf("subscribe %v %s", id, uri))
			if uri != "test://a" {
				return errors.New("no such resource")
			}
			return nil
		},
		Listen: func(_ context.Context, uris []string) error {
			seen = append(seen, "listen "+strings.Join(uris, ","))
			return errors.New("too many")
		},
	})
	s := resourceServer(h)
	sess := &fakeSession{ch: make(chan mcp.JSONRPCNotification, 10)}
	mine := base64.StdEncoding.EncodeToString([]byte("mine"))
	for _, tc := range []struct {
		req, refusal, seen string
	}{
		{listResources(""), "", ""},
		{listResources(mine), "", "cursor mine"},
		{listResources(base64.StdEncoding.EncodeToString([]byte("theirs"))), "resources/list: not mine", "cursor theirs"},
		{listResources("not base64!"), "resources/list: invalid cursor: not from a previous resources/list page", ""},
		{`{"jsonrpc":"2.0","id":7,"method":"resources/subscribe","params":{"uri":"test://a"}}`, "", "subscribe 7 test://a"},
		{`{"jsonrpc":"2.0","id":"x","method":"resources\u002fsubscribe","params":{"uri":"test://c"}}`, "no such resource", "subscribe x test://c"},
		// mcp-go refuses these itself: the checks are not asked.
		{`{"jsonrpc":"2.0","id":8,"method":"resources/subscribe","params":{"uri":""}}`, "uri is required", ""},
		{`{"jsonrpc":"2.0","id":9,"method":"resources/subscribe","params":{` + modernMeta + `,"uri":"test://c"}}`, "resources/subscribe", ""},
		{`{"jsonrpc":"2.0","id":10,"method":"subscriptions/listen","params":{"notifications":{"resourceSubscriptions":["test://a"]}}}`, "subscriptions/listen", ""},
		{`{"jsonrpc":"2.0","id":11,"method":"subscriptions/listen","params":{` + modernMeta + `,"notifications":{"resourceSubscriptions":["test://a","test://b"]}}}`, "too many", "listen test://a,test://b"},
	} {
		seen = nil
		_, rerr := answer(t, t.Context(), s, sess, tc.req)
		switch {
		case tc.refusal == "" && rerr != nil:
			t.Errorf("%s: refused: %+v", tc.req, rerr)
		case tc.refusal != "" && (rerr == nil || !strings.Contains(rerr.Message, tc.refusal)):
			t.Errorf("%s: got %+v, want a refusal saying %q", tc.req, rerr, tc.refusal)
		}
		if got := strings.Join(seen, "; "); got != tc.seen {
			t.Errorf("%s: checks saw %q, want %q", tc.req, got, tc.seen)
		}
	}
}

// TestPinned_ListResourcesOnlyListsRegistered pins what ListResources
// exists for: mcp-go v1.2.1 lists only the registered resources, but
// writes the result its after-list hooks leave. When this test fails,
// either mcp-go lists resources another way (look for a list handler) or
// it no longer writes what the hook left (ListResources must change).
func TestPinned_ListResourcesOnlyListsRegistered(t *testing.T) {
	t.Parallel()
	h := &server.Hooks{}
	s := resourceServer(h)
	res, _ := answer(t, t.Context(), s, nil, listResources(""))
	if uris := resultURIs(t, res); !cmp.Equal(uris, []string{"test://a", "test://b"}) {
		t.Errorf("mcp-go listed %v", uris)
	}
	h.AddAfterListResources(func(_ context.Context, _ any, _ *mcp.ListResourcesRequest, res *mcp.ListResourcesResult) {
		res.Resources = []mcp.Resource{mcp.NewResource("test://z", "z")}
	})
	res, _ = answer(t, t.Context(), s, nil, listResources(""))
	if uris := resultURIs(t, res); !cmp.Equal(uris, []string{"test://z"}) {
		t.Errorf("with an after hook that replaces the list, mcp-go listed %v", uris)
	}
}

// TestPinned_ListResourcesDecodesTheCursor pins that mcp-go v1.2.1
// base64-decodes a resources/list cursor before the after-list hooks run,
// and refuses one that is not base64. When this test fails, cursors need
// no base64: drop it from ListResources.
func TestPinned_ListResourcesDecodesTheCursor(t *testing.T) {
	t.Parallel()
	h := &server.Hooks{}
	ran := false
	h.AddAfterListResources(func(context.Context, any, *mcp.ListResourcesRequest, *mcp.ListResourcesResult) { ran = true })
	s := resourceServer(h)
	_, rerr := answer(t, t.Context(), s, nil, listResources("hs1:1:50"))
	if rerr == nil || rerr.Code != mcp.INVALID_PARAMS || ran {
		t.Errorf("a cursor that is not base64: %+v, after hook ran %v; want mcp-go's -32602 before the hook", rerr, ran)
	}
	if _, rerr := answer(t, t.Context(), s, nil, listResources(base64.StdEncoding.EncodeToString([]byte("hs1:1:50")))); rerr != nil || !ran {
		t.Errorf("a base64 cursor: %+v, after hook ran %v", rerr, ran)
	}
}

func TestListResources(t *testing.T) {
	t.Parallel()
	h := &server.Hooks{}
	var cursors []string
	ListResources(h, func(_ context.Context, cursor string) ([]mcp.Resource, string) {
		cursors = append(cursors, cursor)
		switch cursor {
		case "":
			return []mcp.Resource{mcp.NewResource("test://1", "1")}, "page 2"
		case "page 2":
			return nil, ""
		}
		t.Errorf("lister got cursor %q", cursor)
		return nil, ""
	})
	s := resourceServer(h)
	res, _ := answer(t, t.Context(), s, nil, listResources(""))
	var page struct {
		Resources  []mcp.Resource `json:"resources"`
		NextCursor string         `json:"nextCursor"`
	}
	if err := json.Unmarshal(res, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Resources) != 1 || page.Resources[0].URI != "test://1" || page.NextCursor == "" || page.NextCursor == "page 2" {
		t.Fatalf("first page: %s", res)
	}
	res, rerr := answer(t, t.Context(), s, nil, listResources(page.NextCursor))
	if rerr != nil || !strings.Contains(string(res), `"resources":[]`) || strings.Contains(string(res), "nextCursor") {
		t.Errorf("second page: %s %+v, want no resources (an empty array) and no cursor", res, rerr)
	}
	if !cmp.Equal(cursors, []string{"", "page 2"}) {
		t.Errorf("the lister got cursors %q", cursors)
	}
}

func resultURIs(t *testing.T, res json.RawMessage) []string {
	t.Helper()
	var page struct {
		Resources []mcp.Resource `json:"resources"`
	}
	if err := json.Unmarshal(res, &page); err != nil {
		t.Fatalf("%s: %v", res, err)
	}
	var uris []string
	for _, r := range page.Resources {
		uris = append(uris, r.URI)
	}
	slices.Sort(uris)
	return uris
}

// listen sends a subscriptions/listen for uris (and list changes) in a
// session of its own, ends it once acknowledged, and returns what the
// acknowledgement established.
func listen(t *testing.T, s *server.MCPServer, uris ...string) mcp.SubscriptionFilter {
	t.Helper()
	sess := &fakeSession{ch: make(chan mcp.JSONRPCNotification, 10)}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	list, _ := json.Marshal(uris)
	done := make(chan struct{})
	go func() {
		defer close(done)
		answer(t, ctx, s, sess, `{"jsonrpc":"2.0","id":1,"method":"subscriptions/listen","params":{`+modernMeta+
			`,"notifications":{"resourcesListChanged":true,"resourceSubscriptions":`+string(list)+`}}}`)
	}()
	ack := <-sess.ch
	cancel()
	<-done
	if ack.Method != mcp.MethodNotificationSubscriptionsAcknowledged {
		t.Fatalf("first notification %s, want the acknowledgement", ack.Method)
	}
	b, _ := json.Marshal(ack.Params.AdditionalFields["notifications"])
	var f mcp.SubscriptionFilter
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPinned_ListenAcknowledgesWhatTheRequestNames pins that mcp-go v1.2.1
// acknowledges every resource subscription a listen request names, and
// serves the request as its before hooks leave it. When this test fails,
// either mcp-go refuses subscriptions itself (look for a way to accept or
// refuse each) or it ignores the hook's edit (EstablishListen must change).
func TestPinned_ListenAcknowledgesWhatTheRequestNames(t *testing.T) {
	t.Parallel()
	h := &server.Hooks{}
	s := resourceServer(h)
	if got := listen(t, s, "nothing://of-ours"); !cmp.Equal(got.ResourceSubscriptions, []string{"nothing://of-ours"}) {
		t.Errorf("mcp-go acknowledged %v", got.ResourceSubscriptions)
	}
	h.AddBeforeSubscriptionsListen(func(_ context.Context, _ any, req *mcp.SubscriptionsListenRequest) {
		req.Params.Notifications.ResourceSubscriptions = []string{"test://a"}
	})
	if got := listen(t, s, "nothing://of-ours"); !cmp.Equal(got.ResourceSubscriptions, []string{"test://a"}) {
		t.Errorf("with a before hook that edits the request, mcp-go acknowledged %v", got.ResourceSubscriptions)
	}
}

func TestEstablishListen(t *testing.T) {
	t.Parallel()
	h := &server.Hooks{}
	EstablishListen(h, func(ctx context.Context, want mcp.SubscriptionFilter) mcp.SubscriptionFilter {
		if ctx.Err() != nil {
			t.Error("establish got an ended context")
		}
		var got mcp.SubscriptionFilter
		for _, uri := range want.ResourceSubscriptions {
			if strings.HasPrefix(uri, "test://") {
				got.ResourceSubscriptions = append(got.ResourceSubscriptions, uri)
			}
		}
		got.ToolsListChanged = true // not the server's to grant here
		return got
	})
	s := resourceServer(h)
	got := listen(t, s, "test://a", "nothing://of-ours", "test://b")
	want := mcp.SubscriptionFilter{ResourceSubscriptions: []string{"test://a", "test://b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("acknowledged (-want +got):\n%s", diff)
	}
}
