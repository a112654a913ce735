package mcpadapt

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mark3labs/mcp-go/server"
)

// CheckRequests installs the one request-initialization hook of the
// server's checks, the only hook of mcp-go v1.2.1 that can refuse a request
// (with JSON-RPC -32600 and the check's message), and the only one that
// gets the raw JSON-RPC message. It decodes the message once and runs, in
// this order, the bounds check of resources and templates (boundInput: no
// URI or name over its limit, no long URI that nothing serves) and the
// resource checks (checkResources, see ResourceChecks); the first to
// refuse answers. Call it once, before serving.
//
// A request with fields of the wrong type (an *json.UnmarshalTypeError) is
// still bounded, on what decoded, but not given to the resource checks;
// malformed JSON is mcp-go's to report, and neither check sees it.
func CheckRequests(h *server.Hooks, resources []server.ServerResource, templates []server.ServerResourceTemplate, checks ResourceChecks) {
	bound := boundInput(resources, templates)
	check := checkResources(checks)
	h.AddOnRequestInitialization(func(ctx context.Context, id any, message any) error {
		raw, ok := message.(json.RawMessage)
		if !ok {
			return nil
		}
		var m request
		err := json.Unmarshal(raw, &m)
		if err != nil {
			// Fields of the wrong type are skipped and the rest decoded;
			// malformed JSON is mcp-go's to report.
			var typeErr *json.UnmarshalTypeError
			if !errors.As(err, &typeErr) {
				return nil
			}
		}
		// A message of at most MaxName bytes is not bounded: its strings
		// are as short (but for invalid UTF-8, which decodes longer).
		if len(raw) > MaxName {
			if berr := bound(&m); berr != nil {
				return berr
			}
		}
		if err != nil {
			return nil // the resource checks read only a request decoded whole
		}
		return check(ctx, id, &m)
	})
}

// request holds what mcp-go may look up by or quote (boundInput), and what
// the resource checks read (checkResources). CheckRequests decodes each
// request into it once: the one decoding of a request outside mcp-go
// (which decodes it too, before the hook and again for its method).
type request struct {
	Method string `json:"method"`
	Params struct {
		Name   string `json:"name"`
		URI    string `json:"uri"`
		Level  string `json:"level"`
		Cursor string `json:"cursor"`
		Ref    struct {
			Type string `json:"type"`
			Name string `json:"name"`
			URI  string `json:"uri"`
		} `json:"ref"`
		Notifications struct {
			ResourceSubscriptions []string `json:"resourceSubscriptions"`
		} `json:"notifications"`
		Meta struct {
			ProtocolVersion string `json:"io.modelcontextprotocol/protocolVersion"`
		} `json:"_meta"`
	} `json:"params"`
}
