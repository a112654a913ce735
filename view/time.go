package view

import (
	"encoding/json"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Time is a timestamp in a view: RFC 3339 in UTC, with a fraction only
// when there is one ("2026-11-18T07:32:00Z"). Use omitzero to leave unset
// times out.
type Time struct{ time.Time }

// At converts a HubSpot time.
func At(t hubspot.Time) Time { return Time{t.UTC()} }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	var h hubspot.Time
	if err := h.UnmarshalJSON(b); err != nil {
		return err
	}
	t.Time = h.Time
	return nil
}
