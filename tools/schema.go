package tools

import (
	"encoding/json"

	"github.com/google/jsonschema-go/jsonschema"
)

// outputSchema renders Out's JSON Schema for a tool's outputSchema: the
// same generator as inputs, without additionalProperties false, so a
// client never rejects a result for a field added later. Output structs
// are designed so that nothing encodes as null: slices are never nil or
// are omitted when empty.
func outputSchema[Out any]() json.RawMessage {
	s := schemaFor[Out]()
	allowMore(s)
	raw, err := json.Marshal(s)
	if err != nil {
		panic("tools: output schema: " + err.Error())
	}
	return raw
}

// allowMore drops additionalProperties false, all the way down.
func allowMore(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	s.AdditionalProperties = nil
	for _, p := range s.Properties {
		allowMore(p)
	}
	allowMore(s.Items)
}
