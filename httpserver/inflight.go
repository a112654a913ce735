package httpserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// errCutOff is what a tool, resource or prompt call still running when
// MCP_SHUTDOWN_TIMEOUT ends answers: mcp-go sends it to the client as a
// JSON-RPC error through its usual path, on every transport.
var errCutOff = errors.New("the server shut down before this call finished (MCP_SHUTDOWN_TIMEOUT); it may or may not have taken effect: check before retrying")

// Calls counts the tool, resource, prompt and completion calls running, on
// every transport, and cuts off the tool, resource and prompt calls still
// running at shutdown. Both go through handler middleware (ServerOptions,
// Completions): a call counts from the moment its handler starts until it
// returns, and its context is cancelled by cutOff.
type Calls struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed while n is 0

	cut    context.Context // cancelled by cutOff
	cutAll context.CancelFunc

	// sessions, when set (by New, before serving), learns that a call of
	// a session is running: a session is not idle while it has one, and
	// its end cancels it.
	sessions interface {
		endCall(id string, cancel context.CancelCauseFunc) func()
	}
}

// NewCalls returns a counter to install on the MCP server through its
// ServerOptions and Completions.
func NewCalls() *Calls {
	z := make(chan struct{})
	close(z)
	cut, cancel := context.WithCancel(context.Background())
	return &Calls{zero: z, cut: cut, cutAll: cancel}
}

// start counts a call; the func it returns ends it.
func (t *Calls) start() func() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == 0 {
		t.zero = make(chan struct{})
	}
	t.n++
	return sync.OnceFunc(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.n--
		if t.n == 0 {
			close(t.zero)
		}
	})
}

func (t *Calls) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// wait blocks until nothing is in flight (true) or ctx ends (false).
func (t *Calls) wait(ctx context.Context) bool {
	t.mu.Lock()
	z := t.zero
	t.mu.Unlock()
	select {
	case <-z:
		return true
	case <-ctx.Done():
		return false
	}
}

// cutOff makes every tool, resource and prompt call still running, and any
// started later, return errCutOff at once.
func (t *Calls) cutOff() { t.cutAll() }

// guard counts a handler's call and runs it with a context that cutOff
// cancels, as the end of its session does (sessionIDs.endCall); a call
// cut off answers errCutOff, whatever the handler made of its cancelled
// context.
func guard[Req, Res any](t *Calls, next func(context.Context, Req) (Res, error)) func(context.Context, Req) (Res, error) {
	return func(ctx context.Context, req Req) (Res, error) {
		defer t.start()()
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		if cs := server.ClientSessionFromContext(ctx); cs != nil && t.sessions != nil {
			defer t.sessions.endCall(cs.SessionID(), cancel)()
		}
		stop := context.AfterFunc(t.cut, func() { cancel(errCutOff) })
		defer stop()
		res, err := next(ctx, req)
		if errors.Is(context.Cause(ctx), errCutOff) {
			var zero Res
			return zero, errCutOff
		}
		return res, err
	}
}

// ServerOptions counts tool, resource and prompt calls and installs the
// cut-off on their handlers.
func (t *Calls) ServerOptions() []server.ServerOption {
	return []server.ServerOption{
		server.WithToolHandlerMiddleware(func(next server.ToolHandlerFunc) server.ToolHandlerFunc { return guard(t, next) }),
		server.WithResourceHandlerMiddleware(func(next server.ResourceHandlerFunc) server.ResourceHandlerFunc { return guard(t, next) }),
		server.WithPromptHandlerMiddleware(func(next server.PromptHandlerFunc) server.PromptHandlerFunc { return guard(t, next) }),
	}
}

// Completions installs the completion providers, counted as calls (they
// may call HubSpot), so that shutdown waits for them too.
func (t *Calls) Completions(resources server.ResourceCompletionProvider, prompts server.PromptCompletionProvider) []server.ServerOption {
	return []server.ServerOption{
		server.WithResourceCompletionProvider(countedCompletion{t, resources, nil}),
		server.WithPromptCompletionProvider(countedCompletion{t, nil, prompts}),
	}
}

type countedCompletion struct {
	calls     *Calls
	resources server.ResourceCompletionProvider
	prompts   server.PromptCompletionProvider
}

func (c countedCompletion) CompleteResourceArgument(ctx context.Context, uri string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	defer c.calls.start()()
	return c.resources.CompleteResourceArgument(ctx, uri, arg, cc)
}

func (c countedCompletion) CompletePromptArgument(ctx context.Context, name string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	defer c.calls.start()()
	return c.prompts.CompletePromptArgument(ctx, name, arg, cc)
}

// readAndRestore reads a request body (already buffered by limitBody) and
// puts it back for the next handler.
func readAndRestore(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}
