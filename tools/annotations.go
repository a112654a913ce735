package tools

import "github.com/mark3labs/mcp-go/mcp"

// mcp.NewTool marks every tool destructive, non-idempotent and not
// read-only unless told otherwise, so every tool states all four hints
// through one of these two bundles.
//
// openWorldHint is true for every tool: each one talks to a HubSpot
// account, an external system that people and other integrations change
// at the same time, so what a tool sees or does is not closed over this
// server's own state.

// readOnlyTool marks a tool that only reads HubSpot: calling it again
// changes nothing.
func readOnlyTool(title string) mcp.ToolOption {
	return hints(title, true, false, true)
}

// writeTool marks a tool that changes HubSpot. destructive means the change
// cannot be undone with another tool call; idempotent means repeating the
// call with the same arguments changes nothing more.
func writeTool(title string, destructive, idempotent bool) mcp.ToolOption {
	return hints(title, false, destructive, idempotent)
}

func hints(title string, readOnly, destructive, idempotent bool) mcp.ToolOption {
	return func(t *mcp.Tool) {
		// The title is the tool's own (MCP 2025-06-18); repeating it in the
		// annotations would only add to every tools/list.
		t.Title = title
		t.Annotations = mcp.ToolAnnotation{
			ReadOnlyHint:    mcp.ToBoolPtr(readOnly),
			DestructiveHint: mcp.ToBoolPtr(destructive),
			IdempotentHint:  mcp.ToBoolPtr(idempotent),
			OpenWorldHint:   mcp.ToBoolPtr(true),
		}
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
