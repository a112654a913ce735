package view

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a\r\nb\rc\u2028d\u2029e\u0085f":  "a\nb\nc\nd\ne\nf",
		"$12\u200b.99 \u202eden\u202cfer": "$12.99 denfer",
		"tab\tkept\x00\x1b[0m":            "tab\tkept[0m",
		"tag\U000E0049\U000E0047s":        "tags",
		"\n\nhello\n\n":                   "hello",
		"bad \xff utf8":                   "bad  utf8",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzText checks Text's and Line's shortcuts for text with nothing to
// clean against the long way round.
func FuzzText(f *testing.F) {
	for _, seed := range []string{"plain words", " lead", "trail ", "two  spaces", "a\r\nb", "é è", "tab\there", "\xff", "\u2028", "\n\nhi\n", "back`tick", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slow := strings.Trim(strings.Map(func(r rune) rune {
			if Stripped(r) {
				return -1
			}
			return r
		}, lineEndings.Replace(s)), "\n")
		if got := Text(s); got != slow {
			t.Fatalf("Text(%q) = %q, the long way gives %q", s, got, slow)
		}
		line := strings.ReplaceAll(strings.Join(strings.Fields(slow), " "), "`", "'")
		if utf8.RuneCountInString(line) > 50 {
			line = strings.TrimSpace(string([]rune(line)[:50])) + "…"
		}
		if got := Line(s, 50); got != line {
			t.Fatalf("Line(%q) = %q, the long way gives %q", s, got, line)
		}
	})
}
