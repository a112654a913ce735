package hubspot

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExtraKeepsWhatTypesDoNotDeclare: what HubSpot adds for a requested
// property (or adds over time) survives decoding when a property is asked
// for, and costs nothing otherwise.
func TestExtraKeepsWhatTypesDoNotDeclare(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"m1","type":"MESSAGE","text":"hi","hs_x":{"a":1},"senders":[]}`)
	var m Message
	if err := into(&m, "hs_x").(bodyDecoder).decodeBody(body); err != nil {
		t.Fatal(err)
	}
	if m.ID != "m1" || m.Text != "hi" {
		t.Errorf("declared fields: %+v", m)
	}
	if diff := cmp.Diff(Extra{"hs_x": json.RawMessage(`{"a":1}`)}, m.Extra); diff != "" {
		t.Errorf("extra (-want +got):\n%s", diff)
	}
	var plain Message
	if err := json.Unmarshal(body, &plain); err != nil || plain.Extra != nil || plain.Text != "hi" {
		t.Errorf("without a property: %+v, %v", plain, err)
	}
	var a Actor
	if err := into(&a, "email").(bodyDecoder).decodeBody([]byte(`{"id":"A-1","type":"AGENT","name":"Riley"}`)); err != nil || a.Extra != nil || a.Name != "Riley" {
		t.Errorf("an actor without extra fields: %+v, %v", a, err)
	}
	var c MessageContent
	if err := into(&c, "p").(bodyDecoder).decodeBody([]byte(`{"text":"full","p":"v"}`)); err != nil || c.Text != "full" || string(c.Extra["p"]) != `"v"` {
		t.Errorf("content: %+v, %v", c, err)
	}
}
