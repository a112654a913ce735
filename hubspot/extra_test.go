package hubspot

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExtraKeepsWhatTypesDoNotDeclare: what HubSpot adds for a requested
// property (or adds over time) survives decoding.
func TestExtraKeepsWhatTypesDoNotDeclare(t *testing.T) {
	t.Parallel()
	var m Message
	if err := json.Unmarshal([]byte(`{"id":"m1","type":"MESSAGE","text":"hi","hs_x":{"a":1},"senders":[]}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != "m1" || m.Text != "hi" {
		t.Errorf("declared fields: %+v", m)
	}
	if diff := cmp.Diff(Extra{"hs_x": json.RawMessage(`{"a":1}`)}, m.Extra); diff != "" {
		t.Errorf("extra (-want +got):\n%s", diff)
	}
	var a Actor
	if err := json.Unmarshal([]byte(`{"id":"A-1","type":"AGENT","name":"Riley"}`), &a); err != nil || a.Extra != nil || a.Name != "Riley" {
		t.Errorf("an actor without extra fields: %+v, %v", a, err)
	}
	var c MessageContent
	if err := json.Unmarshal([]byte(`{"text":"full","p":"v"}`), &c); err != nil || c.Text != "full" || string(c.Extra["p"]) != `"v"` {
		t.Errorf("content: %+v, %v", c, err)
	}
}
