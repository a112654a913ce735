package resources

import (
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// Markdown helpers for customer-written text, cleaned by view.Line and
// view.Text (the one sanitizer) first.

// code renders untrusted inline text as a Markdown code span, where no
// Markdown or HTML is interpreted.
func code(s string) string {
	s = view.Line(s, 80)
	if s == "" {
		return "(none)"
	}
	return "`" + s + "`"
}

// fence returns a backtick fence longer than any backtick run in s, so no
// line of s can close it.
func fence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// fenced renders cleaned text as a fenced block with our info string.
func fenced(b *strings.Builder, text string) {
	f := fence(text)
	b.WriteString(f + "text\n")
	b.WriteString(text)
	b.WriteString("\n" + f + "\n")
}
