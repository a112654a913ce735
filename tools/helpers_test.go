package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// env is a sandbox account served over real HTTP, a client for it and the
// tools built on that client.
type env struct {
	sb    *sandbox.Server
	url   string
	tools map[string]server.ServerTool
}

// envConfig collects env options.
type envConfig struct {
	token   string
	sandbox []sandbox.Option
	client  []hubspot.Option
	limiter hubspot.Limiter
	sender  string
	tools   Config
}

type envOption func(*envConfig)

// withToken makes the client use another token (the sandbox answers 401).
func withToken(tok string) envOption { return func(c *envConfig) { c.token = tok } }

// withSandbox passes options to sandbox.New.
func withSandbox(opts ...sandbox.Option) envOption {
	return func(c *envConfig) { c.sandbox = append(c.sandbox, opts...) }
}

// withClient passes options to hubspot.NewClient.
func withClient(opts ...hubspot.Option) envOption {
	return func(c *envConfig) { c.client = append(c.client, opts...) }
}

// withLimiter gives the client limiter l.
func withLimiter(l hubspot.Limiter) envOption { return func(c *envConfig) { c.limiter = l } }

// withSender sets the service's default sender (HUBSPOT_SENDER_ACTOR_ID).
func withSender(actorID string) envOption { return func(c *envConfig) { c.sender = actorID } }

// withConfig sets the tools' Config.
func withConfig(cfg Config) envOption { return func(c *envConfig) { c.tools = cfg } }

// noRetries makes fault tests fast and deterministic: the client returns
// the first 429 or 5xx instead of waiting to retry it.
var noRetries = withClient(hubspot.WithMaxRetries(0))

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	cfg := envConfig{token: sandbox.DefaultToken}
	for _, o := range opts {
		o(&cfg)
	}
	sb := sandbox.New(cfg.sandbox...)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	limiter := cfg.limiter
	if limiter == nil {
		limiter = hubspot.NewWindowLimiter(hubspot.Rate{Calls: 100000, Per: time.Second})
	}
	svc, err := inbox.New(inbox.Config{
		Token:         cfg.token,
		ClientOptions: append([]hubspot.Option{hubspot.WithBaseURL(srv.URL)}, cfg.client...),
		Limiter:       func(string) hubspot.Limiter { return limiter },
		SenderActorID: cfg.sender,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{sb: sb, url: srv.URL, tools: map[string]server.ServerTool{}}
	if cfg.tools.ConfirmWrites == "" {
		// These tests call handlers directly, as a client that cannot ask
		// its user: in the default mode every MESSAGE would answer with a
		// preview. The tests of confirmations choose their mode.
		cfg.tools.ConfirmWrites = inbox.ConfirmNever
	}
	for _, st := range All(svc, cfg.tools) {
		e.tools[st.Tool.Name] = st
	}
	return e
}

// call runs a tool with args (JSON text) through its handler, decoding the
// arguments as the server does. A successful result is checked against the
// tool's schemas: the arguments against the input schema, the structured
// content against the output schema, and the text content must be the
// same JSON.
func (e *env) call(t *testing.T, ctx context.Context, name, args string) *mcp.CallToolResult {
	t.Helper()
	st, ok := e.tools[name]
	if !ok {
		t.Fatalf("no tool %s", name)
	}
	res, err := st.Handler(ctx, request(t, name, args))
	if err != nil {
		t.Fatalf("%s(%s): protocol error %v", name, args, err)
	}
	if res == nil || len(res.Content) == 0 {
		t.Fatalf("%s(%s): want content, got %+v", name, args, res)
	}
	if _, ok := res.Content[0].(mcp.TextContent); !ok {
		t.Fatalf("%s: content is %T, want text", name, res.Content[0])
	}
	if !res.IsError {
		checkSuccess(t, st.Tool, res)
	}
	return res
}

// ok calls a tool that must succeed and decodes its result into out.
func (e *env) ok(t *testing.T, name, args string, out any) {
	t.Helper()
	res := e.call(t, t.Context(), name, args)
	if res.IsError {
		t.Fatalf("%s(%s) failed: %s", name, args, text(res))
	}
	if err := json.Unmarshal([]byte(text(res)), out); err != nil {
		t.Fatalf("%s: decode result: %v", name, err)
	}
}

// fails calls a tool that must fail and checks that the error text holds
// every want.
func (e *env) fails(t *testing.T, name, args string, want ...string) string {
	t.Helper()
	return e.failsCtx(t, t.Context(), name, args, want...)
}

func (e *env) failsCtx(t *testing.T, ctx context.Context, name, args string, want ...string) string {
	t.Helper()
	res := e.call(t, ctx, name, args)
	got := text(res)
	if !res.IsError {
		t.Fatalf("%s(%s) succeeded, want an error containing %q; got %s", name, args, want, got)
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s(%s) error\n  %s\nlacks %q", name, args, got, w)
		}
	}
	if strings.Contains(got, sandbox.DefaultToken) {
		t.Errorf("error text contains the access token: %s", got)
	}
	return got
}

// requests returns the calls the sandbox received, as "METHOD path?query".
func (e *env) requests() []string {
	var out []string
	for _, r := range e.sb.Requests() {
		line := r.Method + " " + r.Path
		if r.RawQuery != "" {
			line += "?" + r.RawQuery
		}
		out = append(out, line)
	}
	return out
}

func text(res *mcp.CallToolResult) string { return res.Content[0].(mcp.TextContent).Text }

// schemas caches compiled schemas by tool name and kind.
var schemas sync.Map

func compiled(t *testing.T, key string, schema any) *jsonschema.Schema {
	t.Helper()
	if s, ok := schemas.Load(key); ok {
		return s.(*jsonschema.Schema)
	}
	raw, err := json.Marshal(schema)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem://"+key, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem://" + key)
	if err != nil {
		t.Fatalf("schema %s does not compile: %v", key, err)
	}
	schemas.Store(key, s)
	return s
}

// validate checks a JSON document against a schema.
func validate(t *testing.T, key string, schema any, doc []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return compiled(t, key, schema).Validate(v)
}

// covered records every tool with a successful call checked against its
// output schema; TestEveryToolValidated reads it after the others ran.
var covered sync.Map

func checkSuccess(t *testing.T, tool mcp.Tool, res *mcp.CallToolResult) {
	t.Helper()
	structured, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(t, tool.Name+"/out", tool.RawOutputSchema, structured); err != nil {
		t.Errorf("%s: structuredContent violates the output schema: %v\n%s", tool.Name, err, structured)
	}
	var a, b any
	if err := json.Unmarshal(structured, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(text(res)), &b); err != nil {
		t.Fatalf("%s: text content is not JSON: %v", tool.Name, err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("%s: text content differs from structuredContent (-structured +text):\n%s", tool.Name, diff)
	}
	covered.Store(tool.Name, true)
}

// at parses an RFC 3339 time for a view.
func at(s string) view.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return view.Time{Time: t}
}
