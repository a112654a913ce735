package view

import "testing"

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
