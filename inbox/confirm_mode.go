// This file holds the operator's confirmation modes (MCP_CONFIRM_WRITES);
// docs/safe-writes.md has what each does on each kind of client.

package inbox

import (
	"fmt"
	"strings"
)

// ConfirmMode is the operator's policy for writes a customer sees (a
// MESSAGE) or that lose data (archiving a thread): MCP_CONFIRM_WRITES.
type ConfirmMode string

const (
	// ConfirmNever never asks: the operator's explicit opt-out.
	ConfirmNever ConfirmMode = "never"
	// ConfirmElicitOrPreview asks the person through the client
	// (elicitation, or the 2026-07-28 input-required result) when the
	// client can ask, and otherwise answers the first call with a preview
	// and a token the model passes back once the person agreed. The
	// default. Its old name is "elicit".
	ConfirmElicitOrPreview ConfirmMode = "elicit-or-preview"
	// ConfirmElicitOnly accepts only a person's answer through the client,
	// and refuses the write where the client cannot ask. Its old name is
	// "always".
	ConfirmElicitOnly ConfirmMode = "elicit-only"
)

// confirmModeAliases maps the old names of the modes to the new ones.
var confirmModeAliases = map[string]ConfirmMode{
	"elicit": ConfirmElicitOrPreview,
	"always": ConfirmElicitOnly,
}

// ConfirmModes lists the modes by their names, default first after never.
func ConfirmModes() []ConfirmMode {
	return []ConfirmMode{ConfirmNever, ConfirmElicitOrPreview, ConfirmElicitOnly}
}

// ParseConfirmMode reads a mode by its name or its old name, in any case
// and with surrounding spaces; empty is the default.
func ParseConfirmMode(s string) (ConfirmMode, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ConfirmElicitOrPreview, nil
	}
	if m, ok := confirmModeAliases[s]; ok {
		return m, nil
	}
	for _, m := range ConfirmModes() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("%q: want never, elicit-or-preview (the default; old name elicit) or elicit-only (old name always)", s)
}

// Accepts tells whether, in mode m, a confirmation that came back through
// flow lets the write go ahead. ConfirmNever accepts none: it asks nothing,
// so a token can only come from elsewhere.
func (m ConfirmMode) Accepts(flow ConfirmFlow) bool {
	switch m {
	case ConfirmElicitOrPreview:
		return flow.valid()
	case ConfirmElicitOnly:
		return flow == FlowInputRequired || flow == FlowElicitation
	}
	return false
}
