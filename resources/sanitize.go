package resources

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Customer-written text is data. These helpers make sure it can neither
// change a transcript's structure nor hide what it says.

// stripped reports whether r is removed from any text we render: C0 and C1
// controls (except newline and tab), zero-width and invisible formatting
// characters, bidi marks, embeddings, overrides and isolates, and Unicode
// tag characters.
func stripped(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || (r >= 0x7f && r <= 0x9f): // C0, DEL, C1
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space/non-joiner/joiner, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2060 && r <= 0x2064: // word joiner, invisible operators
		return true
	case r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	case r == 0xfeff, r == 0x061c, r == 0x180e, r == 0x00ad: // BOM/ZWNBSP, ALM, Mongolian vowel separator, soft hyphen
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tag characters
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// cleanBlock prepares multi-line text for a fenced block: line endings
// become \n (CR, CRLF, NEL, U+2028 and U+2029 included, so no renderer sees
// a line break we do not), then every stripped character goes.
func cleanBlock(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n").Replace(s)
	s = strings.Map(func(r rune) rune {
		if stripped(r) {
			return -1
		}
		return r
	}, s)
	return strings.Trim(s, "\n")
}

// cleanInline prepares untrusted text (a name, a subject, a file name) for
// one line of our own structure: stripped characters go, any run of
// whitespace becomes one space, backticks become apostrophes (the value is
// shown inside a code span), and it is cut to max runes.
func cleanInline(s string, max int) string {
	s = cleanBlock(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "`", "'")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:max])) + "…"
	}
	return s
}

// code renders untrusted inline text as a Markdown code span, where no
// Markdown or HTML is interpreted.
func code(s string) string {
	s = cleanInline(s, 80)
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

var (
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	breakRE = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li)\s*/?>`)
)

// htmlToText is a crude plain-text view of HubSpot's richText, used only
// when a message has no plain text.
func htmlToText(s string) string {
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}
