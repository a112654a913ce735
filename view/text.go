package view

import (
	"strings"
	"unicode/utf8"
)

// Customer-written text is data. Everything a customer or any outsider can
// write (message text, subjects, names, email addresses, attachment names)
// passes through Text or Line before a model reads it, so that it can
// neither change the structure it is shown in nor hide what it says.

// Stripped reports whether r is removed from any text we show: C0 and C1
// controls (except newline and tab), zero-width and invisible formatting
// characters, bidi marks, embeddings, overrides and isolates, and Unicode
// tag characters.
func Stripped(r rune) bool {
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

// Text cleans multi-line text (a message body): line endings become \n
// (CR, CRLF, NEL, U+2028 and U+2029 included, so no renderer sees a line
// break we do not), then every Stripped character goes.
func Text(s string) string {
	if plainText(s) {
		return strings.Trim(s, "\n")
	}
	s = lineEndings.Replace(s)
	s = strings.Map(func(r rune) rune {
		if Stripped(r) {
			return -1
		}
		return r
	}, s)
	return strings.Trim(s, "\n")
}

// lineEndings turns every line ending into \n. A Replacer builds its
// tables on first use, so it is built once.
var lineEndings = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

// plainText reports whether Text has nothing to replace or strip in s, the
// common case, so that it can return s without copying it.
func plainText(s string) bool {
	for _, r := range s { // invalid UTF-8 comes as RuneError, which Stripped reports
		if r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029' || Stripped(r) {
			return false
		}
	}
	return true
}

// Line cleans one-line text (a name, a subject, an address, a file name):
// Stripped characters go, any run of whitespace becomes one space,
// backticks become apostrophes (so the value can sit in a code span), and
// it is cut to max runes.
func Line(s string, max int) string {
	s = Text(s)
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	s = strings.ReplaceAll(s, "`", "'")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:max])) + "…"
	}
	return s
}

// Word keeps an enum value from HubSpot only if it looks like one (A-Z,
// 0-9, _, at most 40 characters), since it may be shown outside quoting.
func Word(s string) string {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return "UNKNOWN"
		}
	}
	if len(s) > 40 {
		return "UNKNOWN"
	}
	return s
}

// singleSpaced reports whether strings.Fields and a join with single
// spaces would leave s as it is: ASCII whose only white space is single
// spaces between words.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}
