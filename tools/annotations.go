package tools

import "github.com/mark3labs/mcp-go/mcp"

// access is what a tool may do, declared once per tool in the registry:
// the tool's annotations, the read-only filter, the README's tools table
// and the tools command all follow it.
//
// mcp.NewTool marks every tool destructive, non-idempotent and not
// read-only unless told otherwise, so every tool states all four hints.
// openWorldHint is true for every tool: each one talks to a HubSpot
// account, an external system that people and other integrations change
// at the same time, so what a tool sees or does is not closed over this
// server's own state.
type access struct {
	// readOnly tools only read HubSpot: calling one again changes nothing.
	readOnly bool
	// destructive writes cannot be undone with another tool call.
	destructive bool
	// idempotent writes change nothing more when repeated with the same
	// arguments.
	idempotent bool
}

// readOnly is the access of tools that only read.
var readOnly = access{readOnly: true, idempotent: true}

// annotations are the tool's four hints. They carry no title: the title
// is the tool's own (MCP 2025-06-18), and repeating it in the annotations
// would only add to every tools/list.
func (a access) annotations() mcp.ToolAnnotation {
	return mcp.ToolAnnotation{
		ReadOnlyHint:    mcp.ToBoolPtr(a.readOnly),
		DestructiveHint: mcp.ToBoolPtr(a.destructive),
		IdempotentHint:  mcp.ToBoolPtr(a.idempotent),
		OpenWorldHint:   mcp.ToBoolPtr(true),
	}
}

// Access says what a tool may do, from its annotations: "read-only",
// "write" or "write, destructive". It is the one classification: the
// read-only filter, docs/tools.md's tools table and the tools command use it.
func Access(t mcp.Tool) string {
	a := t.Annotations
	switch {
	case isTrue(a.ReadOnlyHint):
		return "read-only"
	case isTrue(a.DestructiveHint):
		return "write, destructive"
	}
	return "write"
}

func isReadOnly(t mcp.Tool) bool { return isTrue(t.Annotations.ReadOnlyHint) }

func isTrue(b *bool) bool { return b != nil && *b }
