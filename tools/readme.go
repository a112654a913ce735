package tools

import (
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// MarkdownTable renders the README's tools table: one row per tool with its
// toolset, the first sentence of its description and its annotations.
func MarkdownTable(tools []server.ServerTool) string {
	var b strings.Builder
	b.WriteString("| Tool | Toolset | What it does | Annotations |\n|---|---|---|---|\n")
	for _, t := range tools {
		b.WriteString("| `" + t.Tool.Name + "` | " + toolsetOf()[t.Tool.Name] + " | " +
			strings.ReplaceAll(firstSentence(t.Tool.Description), "|", `\|`) + " | " + annotationText(t.Tool.Annotations) + " |\n")
	}
	return b.String()
}

// firstSentence returns text up to its first ". ".
func firstSentence(text string) string {
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSuffix(text, ".")
}

func annotationText(a mcp.ToolAnnotation) string {
	switch {
	case isTrue(a.ReadOnlyHint):
		return "read-only"
	case isTrue(a.DestructiveHint):
		return "write, destructive"
	}
	return "write"
}

func isTrue(b *bool) bool { return b != nil && *b }
