package tools

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/mark3labs/mcp-go/mcp"
)

// Schemas are rendered from the same shapes bind uses (see bind.go), in
// the portable core of JSON Schema: plain "type" strings (not the
// ["null", …] unions jsonschema-go emits for slices and pointers, which
// some hosts reject), enums on list items rather than on the list, and
// properties in declaration order. Output structs are designed so that
// nothing encodes as null: slices are never nil or are omitted when empty.

// inputSchema sets a tool's input schema from In's fields and bind rules,
// with additionalProperties false and the ranges, defaults and formats
// bind enforces, and returns the shape bind checks against. ID formats are
// described in words rather than patterns, so that bind, not a validating
// client, explains a bad ID.
func inputSchema[In any]() (mcp.ToolOption, *shape) {
	s := shapeOf(reflect.TypeFor[In]())
	raw, err := json.Marshal(objectSchema(s, "", true))
	if err != nil {
		panic("tools: input schema: " + err.Error())
	}
	return func(t *mcp.Tool) {
		// Type must be empty when RawInputSchema is set, or tools/list fails.
		t.InputSchema.Type = ""
		t.RawInputSchema = raw
	}, s
}

// outputSchema sets a tool's output schema from Out's fields: a property
// is required unless its json tag says omitempty. Additional properties are
// not forbidden, so a client never rejects a result for a field added later.
func outputSchema[Out any]() mcp.ToolOption {
	s := shapeOf(reflect.TypeFor[Out]())
	props := make(map[string]any, len(s.fields))
	var order, required []string
	for _, f := range s.fields {
		props[f.name] = valueSchema(f, f.shape, f.desc, false, false)
		order = append(order, f.name)
		if f.required {
			required = append(required, f.name)
		}
	}
	return func(t *mcp.Tool) {
		t.OutputSchema = mcp.ToolOutputSchema{Type: "object", Properties: props, Required: required, PropertyOrder: order}
	}
}

// objectSchema renders a struct shape; strict forbids unknown properties.
func objectSchema(s *shape, desc string, strict bool) orderedMap {
	props := orderedMap{}
	required := []string{}
	for _, f := range s.fields {
		props = append(props, kv{f.name, valueSchema(f, f.shape, f.desc, false, strict)})
		if f.required {
			required = append(required, f.name)
		}
	}
	m := orderedMap{{"type", "object"}}
	if desc != "" {
		m = append(m, kv{"description", desc})
	}
	m = append(m, kv{"properties", props})
	if len(required) > 0 {
		m = append(m, kv{"required", required})
	}
	if strict {
		m = append(m, kv{"additionalProperties", false})
	}
	return m
}

// valueSchema renders the schema of one field value, or of a list item.
func valueSchema(f *field, s *shape, desc string, item, strict bool) orderedMap {
	switch s.kind {
	case reflect.Struct:
		return objectSchema(s, desc, strict)
	case reflect.Slice:
		m := orderedMap{{"type", "array"}}
		if desc != "" {
			m = append(m, kv{"description", desc})
		}
		m = append(m, kv{"items", valueSchema(f, s.elem, "", true, strict)})
		if f.min != nil {
			m = append(m, kv{"minItems", *f.min})
		}
		if f.max != nil {
			m = append(m, kv{"maxItems", *f.max})
		}
		return m
	}
	m := orderedMap{{"type", map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Int: "integer"}[s.kind]}}
	if desc != "" {
		m = append(m, kv{"description", desc})
	}
	if len(f.enum) > 0 {
		m = append(m, kv{"enum", f.enum})
	}
	if f.format == "date-time" {
		m = append(m, kv{"format", "date-time"})
	}
	if s.kind == reflect.Int && !item {
		if f.min != nil {
			m = append(m, kv{"minimum", *f.min})
		}
		if f.max != nil {
			m = append(m, kv{"maximum", *f.max})
		}
		if f.def != nil {
			m = append(m, kv{"default", *f.def})
		}
	}
	return m
}

// orderedMap is a JSON object that keeps its keys in order, so schemas list
// parameters as the structs declare them.
type orderedMap []kv

type kv struct {
	key   string
	value any
}

// MarshalJSON implements json.Marshaler.
func (m orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(p.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(p.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
