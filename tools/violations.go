package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/google/jsonschema-go/jsonschema"
	sv "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// compiledSchema is an input schema compiled by the validator on the
// tool's first call: compiling all nineteen at start took half of the
// server's start-up CPU (the validator builds regular expressions and
// checks each schema against its meta-schema), and a session often calls
// only a few tools. TestInputSchemasCompile compiles them all.
type compiledSchema struct{ get func() *sv.Schema }

func compileSchema(raw []byte) *compiledSchema {
	return &compiledSchema{get: sync.OnceValue(func() *sv.Schema {
		doc, err := sv.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			panic("tools: input schema: " + err.Error())
		}
		c := sv.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("mem:///input.json", doc); err != nil {
			panic("tools: input schema: " + err.Error())
		}
		s, err := c.Compile("mem:///input.json")
		if err != nil {
			panic("tools: input schema does not compile: " + err.Error())
		}
		return s
	})}
}

// validate checks the coerced arguments and explains the first violation
// in plain words; schema is the same schema, for descriptions and ranges.
func (c *compiledSchema) validate(schema *jsonschema.Schema, args map[string]any) error {
	err := c.get().Validate(any(args))
	if err == nil {
		return nil
	}
	var ve *sv.ValidationError
	if !errors.As(err, &ve) {
		return argErr("arguments", err.Error())
	}
	return explainViolation(schema, args, leaf(ve))
}

// leaf returns the first innermost error: the one that says what is wrong.
func leaf(e *sv.ValidationError) *sv.ValidationError {
	for len(e.Causes) > 0 {
		e = e.Causes[0]
	}
	return e
}

// explainViolation words one violation, naming the parameter by its path
// (recipients[0].deliveryIdentifiers) and saying what is allowed.
func explainViolation(root *jsonschema.Schema, args any, e *sv.ValidationError) error {
	name, s, v := locate(root, args, e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		missing := k.Missing[0]
		p := s.Properties[missing]
		name = join(name, missing)
		return argErr(name, "is required"+requiredWords(name, p))
	case *kind.Type:
		return argErr(name, "must be "+typeWords(s)+", got "+jsonKind(v))
	case *kind.Enum:
		got := jsonKind(v)
		if str, ok := v.(string); ok {
			got = hubspot.Quote(str)
		}
		return argErr(name, "must be one of "+enumWords(s.Enum)+", got "+got)
	case *kind.Pattern:
		if r, ok := ruleByPattern[k.Want]; ok && r.explain != nil {
			if err := r.explain(name, k.Got); err != nil {
				return err
			}
		}
		return argErr(name, "must match "+k.Want+", got "+hubspot.Quote(k.Got))
	case *kind.Format:
		return argErr(name, "must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z, or a date such as 2026-01-31, got "+jsonKind(v))
	case *kind.Minimum, *kind.Maximum:
		return argErr(name, "must be "+rangeWords(s)+", got "+fmt.Sprint(v))
	case *kind.MinItems:
		return argErr(name, "needs at least "+strconv.Itoa(k.Want)+" item(s)")
	case *kind.MaxItems:
		return argErr(name, "takes at most "+strconv.Itoa(k.Want)+" items, got "+strconv.Itoa(k.Got))
	case *kind.AdditionalProperties:
		return argErr(hubspot.Quote(k.Properties[0]), "is not a known field of "+name+"; allowed: "+strings.Join(s.PropertyOrder, ", "))
	}
	if name == "" {
		name = "arguments"
	}
	return argErr(name, fmt.Sprint(e.ErrorKind))
}

// locate follows an instance location through the arguments and the
// schema; name is the parameter path.
func locate(s *jsonschema.Schema, v any, loc []string) (string, *jsonschema.Schema, any) {
	name := ""
	for _, tok := range loc {
		switch cur := v.(type) {
		case map[string]any:
			name = join(name, tok)
			v = cur[tok]
			if s != nil {
				s = s.Properties[tok]
			}
		case []any:
			i, _ := strconv.Atoi(tok)
			name += "[" + tok + "]"
			if i >= 0 && i < len(cur) {
				v = cur[i]
			}
			if s != nil {
				s = s.Items
			}
		}
	}
	if s == nil {
		s = &jsonschema.Schema{}
	}
	return name, s, v
}

// requiredWords says what a missing parameter takes: its description, or
// what its rule allows.
func requiredWords(name string, p *jsonschema.Schema) string {
	var ae *hubspot.ArgumentError
	switch {
	case p == nil:
		return ""
	case p.Description != "":
		return ": " + p.Description
	case len(p.Enum) > 0:
		return ": one of " + enumWords(p.Enum)
	case p.Type == "array" && p.Items != nil && p.Items.Type == "object":
		return ": a list of objects with " + strings.Join(p.Items.Required, " and ")
	}
	if p.Type == "array" && p.Items != nil {
		p = p.Items
	}
	if r, ok := ruleByPattern[p.Pattern]; ok && r.explain != nil && errors.As(r.explain(name, ""), &ae) {
		return strings.TrimPrefix(ae.Reason, "is required")
	}
	return ""
}

func typeWords(s *jsonschema.Schema) string {
	switch s.Type {
	case "string":
		if r, ok := ruleByPattern[s.Pattern]; ok && r.id {
			return "a string ID such as \"123\""
		}
		return "a string"
	case "integer":
		return "a whole number"
	case "boolean":
		return "true or false"
	case "array":
		return "a list (JSON array)"
	case "object":
		return "an object"
	}
	return s.Type
}

func enumWords(values []any) string {
	words := make([]string, len(values))
	for i, v := range values {
		words[i] = fmt.Sprint(v)
	}
	return strings.Join(words, ", ")
}

func rangeWords(s *jsonschema.Schema) string {
	f := func(p *float64) string { return new(big.Float).SetFloat64(*p).Text('f', -1) }
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		return "from " + f(s.Minimum) + " to " + f(s.Maximum)
	case s.Minimum != nil:
		return "at least " + f(s.Minimum)
	case s.Maximum != nil:
		return "at most " + f(s.Maximum)
	}
	return "in range"
}

// rawArgumentsOf returns a call's arguments as JSON, "{}" when there are none.
func rawArgumentsOf(raw json.RawMessage, args any) ([]byte, error) {
	if raw := bytes.TrimSpace(raw); len(raw) > 0 {
		return raw, nil
	}
	if args == nil {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(args)
	if err != nil {
		return nil, argErr("arguments", "must be a JSON object")
	}
	return b, nil
}
