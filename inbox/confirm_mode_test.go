package inbox

import (
	"strings"
	"testing"
)

func TestParseConfirmMode_NamesAndOldNames(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]ConfirmMode{
		"":                  ConfirmElicitOrPreview,
		"never":             ConfirmNever,
		"elicit-or-preview": ConfirmElicitOrPreview,
		"elicit-only":       ConfirmElicitOnly,
		"elicit":            ConfirmElicitOrPreview,
		"always":            ConfirmElicitOnly,
		" Always ":          ConfirmElicitOnly,
		"NEVER":             ConfirmNever,
	} {
		if got, err := ParseConfirmMode(in); got != want || err != nil {
			t.Errorf("ParseConfirmMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"sometimes", "preview", "strict", "elicit only", "no"} {
		_, err := ParseConfirmMode(in)
		if err == nil || !strings.Contains(err.Error(), "never, elicit-or-preview") || !strings.Contains(err.Error(), "old name always") {
			t.Errorf("ParseConfirmMode(%q): %v, want an error listing the names and old names", in, err)
		}
	}
}

func TestConfirmMode_AcceptsTheFlowsItAllows(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode ConfirmMode
		want map[ConfirmFlow]bool
	}{
		{ConfirmNever, map[ConfirmFlow]bool{}},
		{ConfirmElicitOrPreview, map[ConfirmFlow]bool{FlowInputRequired: true, FlowElicitation: true, FlowPreview: true}},
		{ConfirmElicitOnly, map[ConfirmFlow]bool{FlowInputRequired: true, FlowElicitation: true}},
	} {
		for _, flow := range append(flows, 0, 9) {
			if got := tc.mode.Accepts(flow); got != tc.want[flow] {
				t.Errorf("%s accepts %s: %v, want %v", tc.mode, flow, got, tc.want[flow])
			}
		}
	}
}
