package tools

import (
	"encoding/json"
	"reflect"
	"sync"

	"github.com/google/jsonschema-go/jsonschema"
)

// outputSchema renders Out's JSON Schema for a tool's outputSchema, from
// the same generator as inputs, trimmed to what a client uses: the fields
// of the result (and of each item of a list) with their types. Deeper objects are only typed and descriptions are
// left out, since the tool description says what the result holds; that
// keeps tools/list small without repeating whole shapes. Additional
// properties are allowed, so a client never rejects a result for a field
// added later. Output structs are designed so that nothing encodes as
// null: slices are never nil or are omitted when empty.
func outputSchema[Out any]() json.RawMessage {
	t := reflect.TypeFor[Out]()
	if raw, ok := outputSchemas.Load(t); ok {
		return raw.(json.RawMessage)
	}
	raw := buildOutputSchema[Out]()
	outputSchemas.Store(t, raw)
	return raw
}

// outputSchemas keeps each output type's schema (see bindings).
var outputSchemas sync.Map // reflect.Type → json.RawMessage

func buildOutputSchema[Out any]() json.RawMessage {
	s := schemaFor[Out]()
	// The items of a list tool's results count as the result itself.
	var items *jsonschema.Schema
	if r := s.Properties["results"]; r != nil {
		items, r.Items = r.Items, nil
	}
	trim(s, 1)
	trim(items, 1)
	if items != nil {
		s.Properties["results"].Items = items
	}
	raw, err := json.Marshal(s)
	if err != nil {
		panic("tools: output schema: " + err.Error())
	}
	return raw
}

// trim keeps depth levels of object properties below s and drops
// descriptions and additionalProperties false.
func trim(s *jsonschema.Schema, depth int) {
	if s == nil {
		return
	}
	s.Description = ""
	s.AdditionalProperties = nil
	s.Format = ""
	s.Required = nil
	if s.Type == "object" && depth == 0 {
		s.Properties, s.Required, s.PropertyOrder = nil, nil, nil
	}
	for _, p := range s.Properties {
		trim(p, depth-1)
	}
	if s.Items != nil {
		trim(s.Items, depth)
	}
}
