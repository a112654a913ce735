package main

// The contract test checks every HTTP exchange the tools and the client
// have with the sandbox against HubSpot's official OpenAPI descriptions:
// the operation exists, the request's path, query and body are valid, and
// the answer's status and body are declared. The specs are HubSpot's
// proprietary reference material, so they are read at test time from
// ../shared/hubspot-api and never copied into the repository.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/tools"
)

const specDir = "../shared/hubspot-api"

// spec is one loaded OpenAPI file.
type spec struct {
	file   string
	router routers.Router
}

// api is one HubSpot API: the spec requests are checked against and the
// specs answers are checked against.
type api struct {
	requests spec
	answers  []spec
}

// contract holds the APIs. Visitor requests are checked against the
// pre-2026-05 spec, where email is the only required field: the newest one
// also requires hsCustomerAgentContext, which the client sends only when
// given (NOTES.md §4.17). Visitor answers are checked against both. The
// CRM owners and contacts specs describe many more operations than the
// product uses; crmOps lists those it does.
//
// Requests are held to a stricter reading than kin-openapi's: a query
// parameter or a body field the spec does not declare fails, as HubSpot
// would ignore or reject it. Answers may carry undeclared fields (HubSpot's
// errors add "status").
type contract struct {
	conv, visitor    api
	owners, contacts api
	ops              []string // every operation of the conversations and visitor APIs, sorted
}

// crmOps are the CRM operations the client calls: each must be reached.
var crmOps = []string{
	"GET /crm/v3/objects/contacts/{contactId}",
	"GET /crm/v3/owners",
	"POST /crm/v3/objects/contacts/search",
}

func loadContract(t *testing.T) *contract {
	t.Helper()
	if _, err := os.Stat(specDir); errors.Is(err, fs.ErrNotExist) {
		// In CI the specs must be there (.ci/run runs beside ../shared):
		// a missing directory fails rather than passing unchecked.
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found: the contract test needs HubSpot's OpenAPI files beside the repository (they stay outside it: licence), and CI=true requires them", specDir)
		}
		t.Skipf("%s not found: the contract test needs HubSpot's OpenAPI files beside the repository", specDir)
	}
	const conv, visitorOld, visitorNew = "conversations-inbox-messages-v3.openapi.json",
		"visitor-identification-v3.pre-2026-05.openapi.json", "visitor-identification-v3.openapi.json"
	var c contract
	c.conv = api{requests: loadSpec(t, conv, true, &c.ops), answers: []spec{loadSpec(t, conv, false, nil)}}
	c.visitor = api{requests: loadSpec(t, visitorOld, true, &c.ops),
		answers: []spec{loadSpec(t, visitorOld, false, nil), loadSpec(t, visitorNew, false, nil)}}
	const owners, contacts = "crm-owners-v3.openapi.json", "crm-contacts-v3.openapi.json"
	c.owners = api{requests: loadSpec(t, owners, true, nil), answers: []spec{loadSpec(t, owners, false, nil)}}
	c.contacts = api{requests: loadSpec(t, contacts, true, nil), answers: []spec{loadSpec(t, contacts, false, nil)}}
	slices.Sort(c.ops)
	return &c
}

// loadSpec loads a spec and appends its operations to ops (if not nil);
// strict closes the objects of its request bodies.
func loadSpec(t *testing.T, file string, strict bool, ops *[]string) spec {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(specDir, file))
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	doc.Servers = nil // route on the path alone: the sandbox is not api.hubapi.com
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if ops != nil {
				*ops = append(*ops, method+" "+path)
			}
			if strict && op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					closeObjects(mt.Schema.Value, map[*openapi3.Schema]bool{})
				}
			}
		}
	}
	// HubSpot's own examples break their schemas (an object's example is
	// the string "{missingScopes=[scope1, scope2]}"); the rest must be valid.
	noExamples := openapi3.DisableExamplesValidation()
	if err := doc.Validate(t.Context(), noExamples); err != nil {
		t.Fatalf("%s is not a valid OpenAPI document: %v", file, err)
	}
	r, err := legacy.NewRouter(doc, noExamples)
	if err != nil {
		t.Fatalf("router for %s: %v", file, err)
	}
	return spec{file: file, router: r}
}

// closeObjects forbids undeclared properties in the objects of a schema.
func closeObjects(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if len(s.Properties) > 0 && s.AdditionalProperties.Schema == nil {
		s.AdditionalProperties.Has = openapi3.Ptr(false)
	}
	for _, p := range s.Properties {
		closeObjects(p.Value, seen)
	}
	if s.Items != nil {
		closeObjects(s.Items.Value, seen)
	}
	for _, o := range s.OneOf {
		closeObjects(o.Value, seen)
	}
}

var validationOptions = &openapi3filter.Options{
	// The specs declare oauth2 / private-app security; tokens are not part
	// of this contract.
	AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus:             true,
	RejectWhenRequestBodyNotSpecified: true,
	SkipSettingDefaults:               true,
	MultiError:                        true,
	SchemaValidationOptions: []openapi3.SchemaValidationOption{
		openapi3.DisableSchemaErrorDetails(),
		openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122)),
	},
}

// exchange is one HTTP request and its answer, as they crossed the wire.
type exchange struct {
	step         string // the tool call or client call that caused it
	method, uri  string
	header       http.Header
	body         []byte
	status       int
	answerHeader http.Header
	answer       []byte
}

func (e exchange) String() string {
	return fmt.Sprintf("%s: %s %s → %d", e.step, e.method, e.uri, e.status)
}

// recorder is an http.RoundTripper that keeps a copy of every exchange.
type recorder struct {
	next http.RoundTripper

	mu        sync.Mutex
	step      string
	exchanges []exchange
}

func (r *recorder) setStep(step string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.step = step
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := r.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges = append(r.exchanges, exchange{
		step: r.step, method: req.Method, uri: req.URL.RequestURI(), header: req.Header.Clone(), body: body,
		status: resp.StatusCode, answerHeader: resp.Header.Clone(), answer: answer,
	})
	return resp, nil
}

func (r *recorder) all() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.exchanges)
}

// serveSandbox serves a fresh sandbox and returns it, the recorder in front
// of it and a constructor of clients for a token.
func serveSandbox(t *testing.T, opts ...hubspot.Option) (*sandbox.Server, *recorder, func(token string) *hubspot.Client) {
	t.Helper()
	sb, rec, url := serveRecordedSandbox(t)
	return sb, rec, func(token string) *hubspot.Client {
		c, err := hubspot.NewClient(token, append([]hubspot.Option{
			hubspot.WithBaseURL(url),
			hubspot.WithHTTPClient(&http.Client{Transport: rec}),
			hubspot.WithLimiter(hubspot.NewWindowLimiter(hubspot.Rate{Calls: 100000, Per: time.Second})),
		}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// serveRecordedSandbox serves a fresh sandbox over HTTP and returns it,
// the recorder to send requests through, and its URL.
func serveRecordedSandbox(t *testing.T) (*sandbox.Server, *recorder, string) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, &recorder{next: srv.Client().Transport}, srv.URL
}

// verify checks every exchange against the specs, logs how many were
// checked per operation and status, and returns the operations.
func (c *contract) verify(t *testing.T, exchanges []exchange) []string {
	t.Helper()
	statuses := map[string]map[int]int{} // operation → status → count
	for _, ex := range exchanges {
		if op := c.verifyOne(t, ex); op != "" {
			if statuses[op] == nil {
				statuses[op] = map[int]int{}
			}
			statuses[op][ex.status]++
		}
	}
	var b strings.Builder
	ops := slices.Sorted(maps.Keys(statuses))
	for _, op := range ops {
		fmt.Fprintf(&b, "\n  %-92s", op)
		for _, st := range slices.Sorted(maps.Keys(statuses[op])) {
			fmt.Fprintf(&b, " %d×%d", st, statuses[op][st])
		}
	}
	t.Logf("validated %d exchanges against HubSpot's specs (operation, status×count):%s", len(exchanges), b.String())
	return ops
}

// verifyOne checks one exchange and returns its operation, "" if none.
func (c *contract) verifyOne(t *testing.T, ex exchange) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), ex.method, ex.uri, bytes.NewReader(ex.body))
	if err != nil {
		t.Errorf("%s: rebuild request: %v", ex, err)
		return ""
	}
	req.Header = ex.header.Clone()
	api := c.conv
	switch p := req.URL.Path; {
	case strings.HasPrefix(p, "/visitor-identification/"):
		api = c.visitor
	case strings.HasPrefix(p, "/crm/v3/owners"):
		api = c.owners
	case strings.HasPrefix(p, "/crm/v3/objects/contacts"):
		api = c.contacts
	}
	route, params, err := api.requests.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s: no such operation in %s (a wrong path or method): %v", ex, api.requests.file, err)
		return ""
	}
	op := route.Method + " " + route.Path
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: validationOptions}
	if err := openapi3filter.ValidateRequest(t.Context(), in); err != nil {
		t.Errorf("%s: request does not match %s in %s:\n%v\nbody: %s", ex, op, api.requests.file, err, ex.body)
	}
	for name := range req.URL.Query() {
		if route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) == nil &&
			route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) == nil {
			t.Errorf("%s: query parameter %q is not declared for %s in %s", ex, name, op, api.requests.file)
		}
	}
	for _, s := range api.answers {
		route, params, err := s.router.FindRoute(req)
		if err != nil {
			t.Errorf("%s: no such operation in %s: %v", ex, s.file, err)
			continue
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 ex.status, Header: ex.answerHeader, Options: validationOptions,
		}
		if err := openapi3filter.ValidateResponse(t.Context(), in.SetBodyBytes(ex.answer)); err != nil {
			t.Errorf("%s: answer does not match %s in %s:\n%v\nanswer: %.600s", ex, op, s.file, err, ex.answer)
		}
	}
	return op
}

type args = map[string]any

// toolDriver calls tools through their handlers and records which ran.
type toolDriver struct {
	t      *testing.T
	rec    *recorder
	tools  map[string]server.ServerTool
	called map[string]bool
}

func (d *toolDriver) call(name string, a args) (*mcp.CallToolResult, string) {
	d.t.Helper()
	tool, ok := d.tools[name]
	if !ok {
		d.t.Fatalf("no tool %q", name)
	}
	d.called[name] = true
	js, _ := json.Marshal(a)
	step := name + " " + string(js)
	d.rec.setStep(step)
	var req mcp.CallToolRequest
	req.Params.Name, req.Params.Arguments = name, a
	res, err := tool.Handler(d.t.Context(), req)
	if err != nil {
		d.t.Fatalf("%s: protocol error: %v", step, err)
	}
	return res, step
}

// ok calls a tool that must succeed and returns its structured content.
func (d *toolDriver) ok(name string, a args) map[string]any {
	d.t.Helper()
	res, step := d.call(name, a)
	if res.IsError {
		d.t.Errorf("%s: tool error: %s", step, mcp.GetTextFromContent(res.Content[0]))
		return nil
	}
	var out map[string]any
	if b, err := json.Marshal(res.StructuredContent); err != nil || json.Unmarshal(b, &out) != nil {
		d.t.Errorf("%s: structured content %T is not a JSON object", step, res.StructuredContent)
	}
	return out
}

// twoPages calls a list tool, then again for the page after.
func (d *toolDriver) twoPages(name string, a args) {
	d.t.Helper()
	first := d.ok(name, a)
	after, _ := first["nextCursor"].(string)
	if after == "" {
		d.t.Errorf("%s %v: want a second page, got %v", name, a, first)
		return
	}
	next := maps.Clone(a)
	next["after"] = after
	d.ok(name, next)
}

// fails calls a tool that must fail on HubSpot's answer wantStatus.
func (d *toolDriver) fails(name string, a args, wantStatus int) {
	d.t.Helper()
	res, step := d.call(name, a)
	if !res.IsError {
		d.t.Errorf("%s: succeeded, want an error", step)
	}
	exs := d.rec.all()
	if len(exs) == 0 || exs[len(exs)-1].step != step || exs[len(exs)-1].status != wantStatus {
		d.t.Errorf("%s: want its last request answered %d; exchanges: %v", step, wantStatus, exs[max(0, len(exs)-1):])
	}
}

func TestContract(t *testing.T) {
	t.Parallel()
	c := loadContract(t)

	t.Run("tools", func(t *testing.T) {
		t.Parallel()
		sb, rec, url := serveRecordedSandbox(t)
		// newTools returns the tools on a service of their own (caches
		// included).
		newTools := func() []server.ServerTool {
			svc, err := inbox.New(inbox.Config{Token: sandbox.DefaultToken, SenderActorID: sandbox.AgentActorID,
				ClientOptions: []hubspot.Option{hubspot.WithBaseURL(url)}, Transport: rec,
				Limiter: func(string) hubspot.Limiter {
					return hubspot.NewWindowLimiter(hubspot.Rate{Calls: 100000, Per: time.Second})
				}})
			if err != nil {
				t.Fatal(err)
			}
			// The contract is about HubSpot's requests; confirmations are
			// tested elsewhere, so writes go out at once.
			return tools.All(svc, tools.Config{ConfirmWrites: inbox.ConfirmNever})
		}
		all := newTools()
		d := &toolDriver{t: t, rec: rec, tools: map[string]server.ServerTool{}, called: map[string]bool{}}
		for _, st := range all {
			d.tools[st.Tool.Name] = st
		}
		const (
			inbox, helpDesk, email    = sandbox.InboxID, sandbox.HelpDeskInboxID, sandbox.EmailThreadID
			chatThread, unknownThread = "9000000110", "9999999999"
		)
		ids := func(ids ...string) []string { return ids }

		d.twoPages("list_inboxes", args{"limit": 1, "sort": ids("name")})
		d.ok("list_inboxes", args{"archived": true})
		d.ok("get_inbox", args{"inboxId": inbox})
		d.ok("get_inbox", args{"inboxId": sandbox.ArchivedInboxID, "archived": true})

		d.twoPages("list_channels", args{"limit": 2, "sort": ids("-name")})
		d.ok("get_channel", args{"channelId": sandbox.EmailChannelID})

		d.twoPages("list_channel_accounts", args{"limit": 1, "channelId": ids(sandbox.LiveChatChannelID, sandbox.EmailChannelID), "inboxId": ids(inbox, helpDesk)})
		d.ok("get_channel_account", args{"channelAccountId": sandbox.EmailChannelAccountID})
		archived := d.ok("list_channel_accounts", args{"archived": true, "sort": ids("name")})
		if res, _ := archived["results"].([]any); len(res) > 0 {
			d.ok("get_channel_account", args{"channelAccountId": res[0].(map[string]any)["id"], "archived": true})
		} else {
			t.Errorf("no archived channel account: %v", archived)
		}

		d.twoPages("list_threads", args{"limit": 3, "sort": ids("id"), "inboxId": ids(inbox, helpDesk), "threadStatus": "OPEN"})
		d.ok("list_threads", args{"associatedContactId": sandbox.VisitorContactID, "threadStatus": "OPEN", "sort": ids("-id")})
		d.ok("list_threads", args{"latestMessageTimestampAfter": "2020-01-31T09:00:00Z", "sort": ids("latestMessageTimestamp"), "limit": 50})
		d.ok("list_threads", args{"association": ids("TICKET"), "associatedTicketId": "71200440", "property": "status"})
		d.ok("list_threads", args{"archived": true, "threadStatus": "CLOSED"})
		d.ok("get_thread", args{"threadId": email, "association": ids("TICKET"), "property": "status"})
		d.ok("get_thread", args{"threadId": sandbox.ArchivedThreadID, "archived": true})

		d.twoPages("list_messages", args{"threadId": sandbox.AllTypesThreadID, "limit": 3, "sort": ids("createdAt")})
		d.ok("list_messages", args{"threadId": email, "archived": false, "property": "text"})
		d.ok("get_message", args{"threadId": email, "messageId": sandbox.TruncatedMessageID, "property": "text"})
		d.ok("get_message_original_content", args{"threadId": email, "messageId": sandbox.TruncatedMessageID})

		d.ok("send_message", args{"threadId": email, "type": "MESSAGE", "text": "Your replacement ships today."})
		d.ok("send_message", args{"threadId": email, "type": "MESSAGE", "text": "Invoice attached.", "richText": "<p>Invoice attached.</p>",
			"subject": "Your invoice", "channelId": sandbox.EmailChannelID, "channelAccountId": sandbox.EmailChannelAccountID,
			"recipients": []args{
				{"actorId": sandbox.VisitorActorID, "name": "Maya Thompson", "recipientField": "TO",
					"deliveryIdentifiers": []args{{"type": "HS_EMAIL_ADDRESS", "value": "maya.thompson@example.com"}}},
				{"recipientField": "CC", "deliveryIdentifiers": []args{{"type": "HS_EMAIL_ADDRESS", "value": "billing@example.com"}}},
			},
			"attachments": []args{{"type": "FILE", "fileId": "https://example.com/hubfs/invoice.pdf"}},
		})
		d.ok("send_message", args{"threadId": chatThread, "type": "MESSAGE", "text": "Which size?",
			"channelId": sandbox.LiveChatChannelID, "channelAccountId": sandbox.ChatChannelAccountID,
			"recipients": []args{{"deliveryIdentifiers": []args{{"type": "CHANNEL_SPECIFIC_OPAQUE_ID", "value": "visitor-4"}}}},
			"attachments": []args{
				{"type": "QUICK_REPLIES", "quickReplies": []args{{"label": "Small", "value": "S", "valueType": "TEXT"}, {"value": "https://example.com/sizes", "valueType": "URL"}}},
				{"type": "SOCIAL_MEDIA_METADATA", "socialMetadata": args{"mediaType": "PHOTO", "mediaUrl": "https://example.com/boot.jpg"}},
			},
		})
		d.ok("send_message", args{"threadId": chatThread, "type": "COMMENT", "text": "VIP customer", "richText": "<p><b>VIP</b> customer</p>"})

		d.ok("update_thread", args{"threadId": chatThread, "status": "CLOSED"})
		d.ok("update_thread", args{"threadId": chatThread, "status": "OPEN"})
		d.ok("archive_thread", args{"threadId": chatThread})
		d.ok("update_thread", args{"threadId": chatThread, "archived": false})
		d.ok("assign_thread", args{"threadId": email, "actorId": sandbox.OtherAgentActorID})
		d.ok("unassign_thread", args{"threadId": sandbox.AssignedThreadID})

		for _, id := range ids(sandbox.AgentActorID, sandbox.BotActorID, sandbox.IntegratorActorID, sandbox.SystemActorID,
			sandbox.VisitorActorID, sandbox.EmailActorID, sandbox.LLMActorID) {
			d.ok("get_actor", args{"actorId": id})
		}
		d.ok("batch_get_actors", args{"inputs": ids(sandbox.AgentActorID, sandbox.VisitorActorID), "property": "name"})
		d.ok("batch_get_actors", args{"inputs": ids(sandbox.AgentActorID, sandbox.EmailActorID, "A-404")})
		if exs := rec.all(); exs[len(exs)-1].status != http.StatusMultiStatus {
			t.Errorf("%s: want 207", exs[len(exs)-1])
		}
		// The people tools: a contact read by address and a contact search,
		// each with the thread lists HubSpot needs, and the owners list.
		d.ok("search_threads", args{"customer": "maya.thompson@example.com"})
		d.ok("search_threads", args{"customer": "Thompson", "threadStatus": "CLOSED", "limit": 2})
		d.ok("list_agents", args{"query": "dana"})
		d.ok("assign_thread", args{"threadId": email, "actorId": "sam.okafor@juniper-outdoor.example"})
		// A visitor who is no contact (404), the inbox filtered here, and
		// a cursor over the merged lists.
		d.ok("search_threads", args{"customer": "sofia.rossi@example.com"})
		d.ok("search_threads", args{"customer": "maya", "inboxId": helpDesk})
		d.twoPages("search_threads", args{"customer": "Thompson", "limit": 2})
		d.ok("create_visitor_token", args{"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe"})
		d.ok("create_visitor_token", args{"email": "sam@example.com"})

		d.fails("get_thread", args{"threadId": unknownThread}, http.StatusNotFound)
		d.fails("get_message", args{"threadId": email, "messageId": "nosuchmessage"}, http.StatusNotFound)
		d.fails("archive_thread", args{"threadId": unknownThread}, http.StatusNotFound)
		d.fails("assign_thread", args{"threadId": email, "actorId": "A-404"}, http.StatusBadRequest)
		d.fails("list_threads", args{"after": "not-a-cursor"}, http.StatusBadRequest)
		d.fails("send_message", args{"threadId": email, "type": "MESSAGE", "text": "hi", "senderActorId": "A-404"}, http.StatusBadRequest)

		// Without the CRM scopes (HubSpot's 403 MISSING_SCOPES), on a
		// service with nothing cached: the partial answers' reads.
		sb.Account(sandbox.DefaultToken).SetWithheldScopes(sandbox.ScopeContactsRead, sandbox.ScopeOwnersRead)
		for _, st := range newTools() {
			d.tools[st.Tool.Name] = st
		}
		for _, a := range []args{{"customer": "maya.thompson@example.com"}, {"customer": "Thompson"}} {
			if out := d.ok("search_threads", a); out["partial"] != true {
				t.Errorf("search_threads %v without the contacts scope: %v", a, out)
			}
		}
		if out := d.ok("list_agents", args{}); out["partial"] != true {
			t.Errorf("list_agents without the owners scope: %v", out)
		}
		d.ok("assign_thread", args{"threadId": email, "actorId": "riley.chen@juniper-outdoor.example"})
		sb.Account(sandbox.DefaultToken).SetWithheldScopes()
		// Every answer the people tools act on was exchanged (and is
		// checked against the specs below).
		crm := map[string]bool{}
		for _, ex := range rec.all() {
			path, _, _ := strings.Cut(strings.TrimPrefix(ex.uri, url), "?")
			switch {
			case path == "/crm/v3/owners":
			case path == "/crm/v3/objects/contacts/search":
			case strings.HasPrefix(path, "/crm/v3/objects/contacts/"):
				path = "/crm/v3/objects/contacts/{contactId}"
			default:
				continue
			}
			crm[fmt.Sprintf("%s %s %d", ex.method, path, ex.status)] = true
		}
		if diff := cmp.Diff([]string{
			"GET /crm/v3/objects/contacts/{contactId} 200", "GET /crm/v3/objects/contacts/{contactId} 403", "GET /crm/v3/objects/contacts/{contactId} 404",
			"GET /crm/v3/owners 200", "GET /crm/v3/owners 403",
			"POST /crm/v3/objects/contacts/search 200", "POST /crm/v3/objects/contacts/search 403",
		}, slices.Sorted(maps.Keys(crm))); diff != "" {
			t.Errorf("the CRM exchanges of the tools (-want +got):\n%s", diff)
		}

		var names []string
		for _, st := range all {
			names = append(names, st.Tool.Name)
		}
		slices.Sort(names)
		if diff := cmp.Diff(names, slices.Sorted(maps.Keys(d.called))); diff != "" {
			t.Errorf("tools exercised (-all +called):\n%s", diff)
		}
		// The tools reach every operation of the conversations and visitor
		// APIs, and the CRM operations the client uses.
		if diff := cmp.Diff(slices.Sorted(slices.Values(append(slices.Clone(c.ops), crmOps...))), c.verify(t, rec.all())); diff != "" {
			t.Errorf("operations the tools call (-spec +called):\n%s", diff)
		}
	})

	t.Run("sandbox", func(t *testing.T) {
		t.Parallel()
		sb, rec, newClient := serveSandbox(t, hubspot.WithMaxRetries(0))
		cl, ctx := newClient(sandbox.DefaultToken), t.Context()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		wantStatus := func(err error, status int) {
			t.Helper()
			if he := (*hubspot.Error)(nil); !errors.As(err, &he) || he.StatusCode != status {
				t.Errorf("got %v, want HubSpot status %d", err, status)
			}
		}

		rec.setStep("401: unknown token")
		bad := newClient("not-a-sandbox-token")
		_, err := bad.ListInboxes(ctx, nil)
		wantStatus(err, http.StatusUnauthorized)
		_, err = bad.CreateVisitorToken(ctx, hubspot.CreateVisitorTokenRequest{Email: "jane@example.com"})
		wantStatus(err, http.StatusUnauthorized)

		rec.setStep("429: RateLimitFault")
		sb.InjectFault(sandbox.RateLimitFault(2 * time.Second))
		_, err = cl.ListChannels(ctx, nil)
		wantStatus(err, http.StatusTooManyRequests)
		sb.InjectFault(sandbox.RateLimitFault(0))
		_, err = cl.GetThread(ctx, sandbox.EmailThreadID, nil)
		wantStatus(err, http.StatusTooManyRequests)

		rec.setStep("second pages (paging.prev)")
		first := hubspot.ListOptions{Limit: 1}
		inboxes, err := cl.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: first, DefaultPageLength: 1})
		must(err)
		inboxes, err = cl.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: hubspot.ListOptions{Limit: 1, After: inboxes.NextAfter()}})
		must(err)
		channels, err := cl.ListChannels(ctx, &hubspot.ListChannelsOptions{ListOptions: first, DefaultPageLength: 1})
		must(err)
		channels, err = cl.ListChannels(ctx, &hubspot.ListChannelsOptions{ListOptions: hubspot.ListOptions{Limit: 1, After: channels.NextAfter()}})
		must(err)
		accounts, err := cl.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{ListOptions: first, DefaultPageLength: 1})
		must(err)
		accounts, err = cl.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{ListOptions: hubspot.ListOptions{Limit: 1, After: accounts.NextAfter()}})
		must(err)
		for name, p := range map[string]*hubspot.Paging{"inboxes": inboxes.Paging, "channels": channels.Paging, "channel accounts": accounts.Paging} {
			if p == nil || p.Prev == nil {
				t.Errorf("second page of %s has no paging.prev", name)
			}
		}

		rec.setStep("archived inbox and channel accounts")
		_, err = cl.GetInbox(ctx, sandbox.ArchivedInboxID, true)
		must(err)
		archived, err := cl.ListChannelAccounts(ctx, &hubspot.ListChannelAccountsOptions{Archived: true})
		must(err)
		for _, ca := range archived.Results {
			_, err = cl.GetChannelAccount(ctx, ca.ID, true)
			must(err)
		}

		rec.setStep("every message of every thread")
		types := map[string]bool{}
		for _, archived := range []bool{false, true} {
			threads, err := cl.ListThreads(ctx, &hubspot.ListThreadsOptions{ListOptions: hubspot.ListOptions{Limit: 100}, Archived: archived})
			must(err)
			if threads.NextAfter() != "" {
				t.Errorf("more than 100 threads (archived %t): read the next pages too", archived)
			}
			for _, th := range threads.Results {
				msgs, err := cl.ListMessages(ctx, th.ID, &hubspot.ListMessagesOptions{ListOptions: hubspot.ListOptions{Limit: 100}, Archived: archived})
				must(err)
				for _, m := range msgs.Results {
					types[m.Type] = true
				}
			}
		}
		wantTypes := []string{"ASSIGNMENT", "COMMENT", "MESSAGE", "THREAD_INBOX_CHANGE", "THREAD_STATUS_CHANGE", "WELCOME_MESSAGE"}
		if diff := cmp.Diff(wantTypes, slices.Sorted(maps.Keys(types))); diff != "" {
			t.Errorf("message types seen (-want +got):\n%s", diff)
		}

		rec.setStep("truncated email")
		_, err = cl.GetMessage(ctx, sandbox.EmailThreadID, sandbox.TruncatedMessageID, "")
		must(err)
		_, err = cl.GetMessageOriginalContent(ctx, sandbox.EmailThreadID, sandbox.TruncatedMessageID, "")
		must(err)

		rec.setStep("404s")
		_, err = cl.GetChannel(ctx, "4242")
		wantStatus(err, http.StatusNotFound)
		_, err = cl.GetInbox(ctx, "4242", false)
		wantStatus(err, http.StatusNotFound)
		_, err = cl.GetActor(ctx, "V-404", "")
		wantStatus(err, http.StatusNotFound)

		rec.setStep("403: no visitor identification")
		sb.Account(sandbox.DefaultToken).SetVisitorIdentification(false)
		_, err = cl.CreateVisitorToken(ctx, hubspot.CreateVisitorTokenRequest{Email: "jane@example.com"})
		wantStatus(err, http.StatusForbidden)

		c.verify(t, rec.all())
	})

	t.Run("crm", func(t *testing.T) {
		t.Parallel()
		sb, rec, newClient := serveSandbox(t, hubspot.WithMaxRetries(0))
		cl, ctx := newClient(sandbox.DefaultToken), t.Context()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		wantStatus := func(err error, status int) {
			t.Helper()
			if he := (*hubspot.Error)(nil); !errors.As(err, &he) || he.StatusCode != status {
				t.Errorf("got %v, want HubSpot status %d", err, status)
			}
		}

		rec.setStep("owners: pages, archived, by email")
		owners, err := cl.ListOwners(ctx, &hubspot.ListOwnersOptions{Limit: 2})
		must(err)
		_, err = cl.ListOwners(ctx, &hubspot.ListOwnersOptions{Limit: 2, After: owners.NextAfter()})
		must(err)
		_, err = cl.ListOwners(ctx, &hubspot.ListOwnersOptions{Archived: true, Email: "morgan.ellis@juniper-outdoor.example"})
		must(err)

		rec.setStep("contacts: by ID, by email, archived")
		_, err = cl.GetContact(ctx, sandbox.VisitorContactID, nil)
		must(err)
		_, err = cl.GetContact(ctx, "owen.thompson@example.com", &hubspot.GetContactOptions{IDProperty: hubspot.ContactEmail,
			Properties: []string{hubspot.ContactFirstName, hubspot.ContactLastName, hubspot.ContactEmail}})
		must(err)
		_, err = cl.GetContact(ctx, sandbox.ArchivedContactID, &hubspot.GetContactOptions{Archived: true})
		must(err)

		rec.setStep("contacts search: query, filters, pages")
		_, err = cl.SearchContacts(ctx, hubspot.SearchContactsRequest{Query: "thompson", Properties: []string{hubspot.ContactEmail}})
		must(err)
		page, err := cl.SearchContacts(ctx, hubspot.SearchContactsRequest{Limit: 20, FilterGroups: []hubspot.FilterGroup{
			{Filters: []hubspot.Filter{{PropertyName: hubspot.ContactEmail, Operator: hubspot.OperatorContainsToken, Value: "*@example.com"}}},
			{Filters: []hubspot.Filter{{PropertyName: hubspot.ContactFirstName, Operator: hubspot.OperatorIn, Values: []string{"maya"}},
				{PropertyName: hubspot.ContactLastName, Operator: hubspot.OperatorHasProperty}}},
		}})
		must(err)
		_, err = cl.SearchContacts(ctx, hubspot.SearchContactsRequest{Limit: 20, After: page.NextAfter()})
		must(err)

		rec.setStep("404 and 400")
		_, err = cl.GetContact(ctx, "sofia.rossi@example.com", &hubspot.GetContactOptions{IDProperty: hubspot.ContactEmail})
		wantStatus(err, http.StatusNotFound)
		_, err = cl.GetContact(ctx, "4242", nil)
		wantStatus(err, http.StatusNotFound)
		_, err = cl.SearchContacts(ctx, hubspot.SearchContactsRequest{FilterGroups: []hubspot.FilterGroup{
			{Filters: []hubspot.Filter{{PropertyName: "createdate", Operator: hubspot.OperatorBetween, Value: "0", HighValue: "1"}}}}})
		wantStatus(err, http.StatusBadRequest)
		_, err = cl.ListOwners(ctx, &hubspot.ListOwnersOptions{After: "not-a-cursor"})
		wantStatus(err, http.StatusBadRequest)

		rec.setStep("403 MISSING_SCOPES")
		sb.Account(sandbox.DefaultToken).SetWithheldScopes(sandbox.ScopeContactsRead, sandbox.ScopeOwnersRead)
		_, err = cl.GetContact(ctx, sandbox.VisitorContactID, nil)
		wantStatus(err, http.StatusForbidden)
		_, err = cl.SearchContacts(ctx, hubspot.SearchContactsRequest{Query: "maya"})
		wantStatus(err, http.StatusForbidden)
		_, err = cl.ListOwners(ctx, nil)
		wantStatus(err, http.StatusForbidden)

		// The search's sort rules are not exercised: HubSpot's guide gives
		// them as {propertyName, direction} objects, its spec as strings.
		if diff := cmp.Diff(crmOps, c.verify(t, rec.all())); diff != "" {
			t.Errorf("CRM operations the client calls (-used +called):\n%s", diff)
		}
	})
}
