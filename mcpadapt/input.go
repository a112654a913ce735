package mcpadapt

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// MaxURI is the longest resource URI a request may name, in bytes.
const MaxURI = 2048

// MaxName bounds the other strings mcp-go looks up by and echoes: method,
// tool and prompt names, logging level, completion reference type, the
// protocol version in _meta. MCP tool names are at most 128 characters.
const MaxName = 128

// EchoLimit is the most of a client's input that an error may quote.
const EchoLimit = 200

// boundInput is CheckRequests' bounds check: it refuses, before mcp-go
// decodes a request for its method, a request naming a resource URI over
// MaxURI bytes or another identifier over MaxName, and a resources/read of
// a URI over EchoLimit bytes that neither a static resource nor a template
// of templates matches. It works on every transport: CheckRequests
// installs it in a request-initialization hook, which mcp-go runs for
// every request (stdio, SSE, Streamable HTTP), and which refuses with
// JSON-RPC -32600 (invalid request). Its messages quote at most EchoLimit
// bytes of the input.
//
// The misbehaviour (TestPinned_ResourceNotFoundEchoesTheURI,
// TestPinned_UnknownToolEchoesItsName): mcp-go v1.2.1 matches a resource URI
// against every template with uritemplate.Match, whose cost grows faster
// than the URI (2.5 to 5 s of CPU for 1 MB), and quotes the whole URI,
// tool name, prompt name, method or logging level in its errors.
//
// Delete it when mcp-go bounds what its errors quote and its template
// matching is linear, and the pinned tests fail; keep a length limit of our
// own if mcp-go sets none.
func boundInput(resources []server.ServerResource, templates []server.ServerResourceTemplate) func(*request) error {
	static := make(map[string]bool, len(resources))
	for _, r := range resources {
		static[r.Resource.URI] = true
	}
	tmpls := make([]*mcp.URITemplate, 0, len(templates))
	for _, t := range templates {
		if t.Template.URITemplate != nil {
			tmpls = append(tmpls, t.Template.URITemplate)
		}
	}
	matches := func(uri string) bool {
		if static[uri] {
			return true
		}
		for _, t := range tmpls {
			// The compiled regular expression is linear in the URI; only
			// Match, which mcp-go calls next to bind the variables, is not.
			if t.Regexp().MatchString(uri) {
				return true
			}
		}
		return false
	}
	return func(m *request) error { return m.check(matches) }
}

func (m *request) check(matches func(string) bool) error {
	p := &m.Params
	what := Quote(m.Method)
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"method", m.Method, MaxName},
		{"params.name", p.Name, MaxName},
		{"params.level", p.Level, MaxName},
		{"params.ref.type", p.Ref.Type, MaxName},
		{"params.ref.name", p.Ref.Name, MaxName},
		{"params._meta protocol version", p.Meta.ProtocolVersion, MaxName},
		{"the resource URI", p.URI, MaxURI},
		{"the resource URI", p.Ref.URI, MaxURI},
	} {
		if len(f.value) > f.max {
			return tooLong(what, f.name, f.value, f.max)
		}
	}
	for _, uri := range p.Notifications.ResourceSubscriptions {
		if len(uri) > MaxURI {
			return tooLong(what, "a resource URI", uri, MaxURI)
		}
	}
	if mcp.MCPMethod(m.Method) == mcp.MethodResourcesRead && len(p.URI) > EchoLimit && !matches(p.URI) {
		return fmt.Errorf("%s: no resource matches the URI %s (%d bytes); resources/list and resources/templates/list show the URIs this server serves",
			what, Quote(p.URI), len(p.URI))
	}
	return nil
}

func tooLong(what, field, value string, max int) error {
	return fmt.Errorf("%s: %s is %d bytes long, over the %d this server accepts (it starts %s)", what, field, len(value), max, Quote(value))
}

// Quote renders client input for an error message: quoted, cut to at most
// 64 bytes on a character boundary, marked with … where it was cut.
func Quote(s string) string {
	const n = 64
	if len(s) <= n {
		return strconv.Quote(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
