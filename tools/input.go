package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// A tool's input is a Go struct. github.com/google/jsonschema-go generates
// its JSON Schema: json tags name the parameters (without omitempty a
// parameter is required) and a jsonschema tag is its description. Every
// other rule belongs to a named type below, declared once in rules: what an
// ID looks like, which values an enum allows, a page size's range. A new
// parameter is just a struct field.
//
// A call's arguments then go through three steps (bindInput):
//  1. coerce: a small pass over the same schema accepts what cannot be
//     misread (see coerce), renames the tool's aliases (aliases.go) and
//     refuses any other unknown parameter;
//  2. validate: github.com/santhosh-tekuri/jsonschema/v6 checks the result
//     against the schema, and the first problem is put in plain words
//     naming the parameter (see explainViolation);
//  3. decode into the struct, then check rules that span parameters (the
//     validator interface).

// IDs. Each type's rule lives in rules; IDs accept an integral JSON number
// and surrounding whitespace.
type (
	// numericID is a thread, inbox, channel, channel account, contact or
	// ticket ID.
	numericID string
	// actorID is any actor: A-123 agent, V-456 visitor and so on.
	actorID string
	// agentRef names an agent: an actor ID, an email address or a
	// name, which the service resolves (inbox.Service.ResolveAgent).
	agentRef string
	// messageID is a message ID.
	messageID string
)

// Other values with a rule.
type (
	// dateTime is an RFC 3339 date-time; a bare date means midnight UTC.
	dateTime string
	// pageSize is a list tool's limit.
	pageSize int
	// sortField is a field name to sort inboxes, channels or accounts by.
	sortField string
	// actorBatch is the actor IDs of one batch read.
	actorBatch []actorID
)

// Enums: their values are accepted in any case.
type (
	threadStatus    string
	threadSort      string
	messageSort     string
	association     string
	messageKind     string
	recipientField  string
	deliveryType    string
	attachmentKind  string
	quickReplyKind  string
	socialMediaKind string
)

// rule is what a named type allows.
type rule struct {
	schema *jsonschema.Schema
	// id marks an ID: a whole JSON number or padded string is accepted.
	id bool
	// explain words a pattern mismatch; name is the parameter.
	explain func(name, v string) error
}

func enum(values ...string) rule {
	s := &jsonschema.Schema{Type: "string"}
	for _, v := range values {
		s.Enum = append(s.Enum, v)
	}
	return rule{schema: s}
}

func idRule(pattern string, explain func(name, v string) error) rule {
	return rule{schema: &jsonschema.Schema{Type: "string", Pattern: pattern}, id: true, explain: explain}
}

// Page sizes.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// sortFieldPattern is a field name with an optional '-' for descending.
const sortFieldPattern = `^-?[A-Za-z][A-Za-z0-9_.]{0,63}$`

// rules maps each named type to its rule. It is the one place where each
// of these rules is written down.
var rules = map[reflect.Type]rule{
	reflect.TypeFor[numericID](): idRule(hubspot.NumericIDPattern, hubspot.ValidateNumericID),
	reflect.TypeFor[actorID]():   idRule(hubspot.ActorIDPattern, hubspot.ValidateActorID),
	reflect.TypeFor[agentRef]():  {schema: &jsonschema.Schema{Type: "string", MinLength: ptr(1), MaxLength: ptr(hubspot.MaxEmailLength)}},
	reflect.TypeFor[messageID](): idRule(hubspot.MessageIDPattern, hubspot.ValidateMessageID),
	reflect.TypeFor[dateTime]():  {schema: &jsonschema.Schema{Type: "string", Format: "date-time"}},
	reflect.TypeFor[pageSize](): {schema: &jsonschema.Schema{Type: "integer", Minimum: ptr(1.0),
		Maximum: ptr(float64(maxPageSize)), Default: json.RawMessage(strconv.Itoa(defaultPageSize))}},
	reflect.TypeFor[sortField](): {schema: &jsonschema.Schema{Type: "string", Pattern: sortFieldPattern},
		explain: func(name, v string) error {
			return argErr(name, "must be a field name such as name or id, with '-' in front for descending order, got "+hubspot.Quote(v))
		}},
	reflect.TypeFor[actorBatch](): {schema: &jsonschema.Schema{Type: "array", MinItems: ptr(1), MaxItems: ptr(hubspot.MaxBatchActors),
		Items: &jsonschema.Schema{Type: "string", Pattern: hubspot.ActorIDPattern}}},
	reflect.TypeFor[threadStatus](): enum(hubspot.StatusOpen, hubspot.StatusClosed),
	reflect.TypeFor[threadSort](): enum(hubspot.SortByID, hubspot.SortByLatestMessageTimestamp,
		"-"+hubspot.SortByID, "-"+hubspot.SortByLatestMessageTimestamp),
	reflect.TypeFor[messageSort]():    enum("-createdAt", "createdAt"),
	reflect.TypeFor[association]():    enum("TICKET"),
	reflect.TypeFor[messageKind]():    enum(hubspot.MessageTypeMessage, hubspot.MessageTypeComment),
	reflect.TypeFor[recipientField](): enum("TO", "CC", "BCC"),
	reflect.TypeFor[deliveryType]():   enum(hubspot.DeliveryIdentifierTypes...),
	reflect.TypeFor[attachmentKind](): enum("FILE", "QUICK_REPLIES", "SOCIAL_MEDIA_METADATA"),
	reflect.TypeFor[quickReplyKind](): enum("TEXT", "URL"),
	reflect.TypeFor[socialMediaKind](): enum("ARTICLE", "AUDIO", "CAROUSEL", "DOCUMENT", "GIF", "LINK", "NONE",
		"PHOTO", "POLL", "STORY", "VIDEO"),
}

// ruleByPattern finds the rule of a string schema by its pattern.
var ruleByPattern = func() map[string]rule {
	m := map[string]rule{}
	for _, r := range rules {
		if r.schema.Pattern != "" {
			m[r.schema.Pattern] = r
		}
	}
	return m
}()

// schemaFor generates T's JSON Schema with the rules applied, in the
// portable core of JSON Schema: plain "type" strings rather than the
// ["null", …] unions jsonschema-go emits for slices and pointers, which
// some hosts reject. Inputs are written by us, so a failure is a bug and
// panics (the invariant test builds every tool).
func schemaFor[T any]() *jsonschema.Schema {
	opts := &jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[view.Time](): {Type: "string", Format: "date-time"},
	}}
	for t, r := range rules {
		opts.TypeSchemas[t] = r.schema
	}
	s, err := jsonschema.For[T](opts)
	if err != nil {
		panic("tools: schema: " + err.Error())
	}
	dropNull(s)
	return s
}

// dropNull turns the type unions ["null", T] into T, all the way down.
func dropNull(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if len(s.Types) == 2 && s.Types[0] == "null" {
		s.Type, s.Types = s.Types[1], nil
	}
	for _, p := range s.Properties {
		dropNull(p)
	}
	dropNull(s.Items)
}

// validator is implemented by inputs with rules that span parameters.
type validator interface{ validate() error }

// binding is the compiled input side of one input type.
type binding struct {
	schema   *jsonschema.Schema
	raw      json.RawMessage
	compiled *compiledSchema
}

func newBinding[In any]() *binding {
	key := reflect.TypeFor[In]()
	if b, ok := bindings.Load(key); ok {
		return b.(*binding)
	}
	s := schemaFor[In]()
	raw, err := json.Marshal(s)
	if err != nil {
		panic("tools: input schema: " + err.Error())
	}
	b, _ := bindings.LoadOrStore(key, &binding{schema: s, raw: raw, compiled: compileSchema(raw)})
	return b.(*binding)
}

// bindings keeps each input type's binding, which never changes, so that
// building the tools again (the configuration checks tool names with All
// before the server builds them) does not reflect on and encode every
// schema again: that was a fifth of the start-up's CPU. Bindings are only
// read after they are built.
var bindings sync.Map // reflect.Type → *binding

// bindInput turns a call's raw arguments into In, with the tool's aliases
// (a parameter's other names, see aliases.go). Problems come back as
// *hubspot.ArgumentError.
func bindInput[In any](b *binding, raw []byte, aliases map[string]string) (in In, err error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return in, argErr("arguments", "must be a JSON object")
	}
	if v == nil {
		v = map[string]any{}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return in, argErr("arguments", "must be a JSON object with the tool's parameters, got "+jsonKind(v))
	}
	if err := renameAliases(obj, aliases); err != nil {
		return in, err
	}
	c := coercion{aliases: aliases}
	if _, err := c.value(b.schema, obj, ""); err != nil {
		return in, err
	}
	if err := b.compiled.validate(b.schema, obj); err != nil {
		return in, err
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return in, fmt.Errorf("re-encode arguments: %w", err)
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return in, fmt.Errorf("decode arguments: %w", err)
	}
	if v, ok := any(in).(validator); ok {
		if err := v.validate(); err != nil {
			return in, err
		}
	}
	return in, nil
}

// coercion is one pass over the arguments, guided by the schema. It
// accepts what cannot be misread and leaves everything else for the
// validator to refuse:
//   - an integral JSON number where an ID is expected, and an ID with
//     surrounding whitespace;
//   - a single value where a list is expected;
//   - an enum value in any case ("open" for OPEN);
//   - a numeric string where an integer is expected;
//   - "true" or "false" where a boolean is expected;
//   - a bare date YYYY-MM-DD where a date-time is expected (midnight UTC);
//   - null, "" or [] for an optional parameter, which means unset.
//
// It also fills defaults and refuses unknown parameters, suggesting the
// parameter meant (see didYouMean): an ignored filter would answer another
// question than the one asked, and a misspelled flag must never lead to a
// write.
type coercion struct {
	// aliases are the tool's other names for its parameters, to suggest.
	aliases map[string]string
}

// value coerces v against s at path name and returns the new value.
func (c *coercion) value(s *jsonschema.Schema, v any, name string) (any, error) {
	switch s.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return v, nil
		}
		return obj, c.object(s, obj, name)
	case "array":
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for i, e := range list {
			var err error
			if list[i], err = c.value(s.Items, e, name+"["+strconv.Itoa(i)+"]"); err != nil {
				return nil, err
			}
		}
		return list, nil
	case "string":
		return coerceString(s, v), nil
	case "integer":
		return coerceInteger(v), nil
	case "boolean":
		if str, ok := v.(string); ok {
			switch strings.ToLower(strings.TrimSpace(str)) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
		}
	}
	return v, nil
}

func (c *coercion) object(s *jsonschema.Schema, obj map[string]any, name string) error {
	known := s.PropertyOrder
	var unknown []string
	for k := range obj {
		if _, ok := s.Properties[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		k := slices.Min(unknown) // the first, in a stable order
		where, aliases := "parameter", c.aliases
		if name != "" {
			where, aliases = "field of "+name, nil
		}
		hint := ""
		if guess := didYouMean(k, known, aliases); guess != "" {
			hint = " (did you mean " + guess + "?)"
		}
		return argErr(hubspot.Quote(k), "is not a known "+where+hint+"; allowed: "+strings.Join(known, ", "))
	}
	for _, k := range known {
		p := s.Properties[k]
		v, present := obj[k]
		if present && (v == nil || !slices.Contains(s.Required, k) && isEmpty(v)) {
			// Models often pass null, "" or [] for "not set"; HubSpot would
			// reject an empty ID, so treat them as absent.
			delete(obj, k)
			present = false
		}
		if !present {
			if p.Default != nil {
				var d any
				dec := json.NewDecoder(bytes.NewReader(p.Default))
				dec.UseNumber()
				if err := dec.Decode(&d); err != nil {
					return fmt.Errorf("default of %s: %w", k, err)
				}
				obj[k] = d
			}
			continue
		}
		var err error
		if obj[k], err = c.value(p, v, join(name, k)); err != nil {
			return err
		}
	}
	return nil
}

var bareDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func coerceString(s *jsonschema.Schema, v any) any {
	r, isID := ruleByPattern[s.Pattern]
	isID = isID && r.id
	switch v := v.(type) {
	case json.Number:
		if isID {
			if n, err := v.Int64(); err == nil && n >= 0 {
				return strconv.FormatInt(n, 10)
			}
		}
		return v
	case string:
		trimmed := strings.TrimSpace(v)
		switch {
		case isID:
			return trimmed
		case len(s.Enum) > 0:
			for _, e := range s.Enum {
				if e, ok := e.(string); ok && strings.EqualFold(e, trimmed) {
					return e
				}
			}
		case s.Format == "date-time":
			if bareDate.MatchString(trimmed) {
				return trimmed + "T00:00:00Z"
			}
			return trimmed
		}
	}
	return v
}

// coerceInteger turns a numeric string or an integral number such as 10.0
// into a plain integer; anything else stays for the validator to refuse.
func coerceInteger(v any) any {
	var num json.Number
	switch v := v.(type) {
	case json.Number:
		num = v
	case string:
		num = json.Number(strings.TrimSpace(v))
	default:
		return v
	}
	if n, err := num.Int64(); err == nil {
		return json.Number(strconv.FormatInt(n, 10))
	}
	if f, err := num.Float64(); err == nil && f == float64(int64(f)) && f <= 1<<53 && f >= -(1<<53) {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return v
}

// isEmpty reports a JSON null, empty string or empty list.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	}
	return false
}

func ptr[T any](v T) *T { return &v }

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// parseDateTime parses a dateTime the validator accepted.
func parseDateTime(v dateTime) time.Time {
	t, _ := time.Parse(time.RFC3339, string(v))
	return t
}

// jsonKind names the JSON type of a decoded value for an error message,
// with the value when it is short.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "the string " + hubspot.Quote(v)
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	case json.Number:
		return "the number " + hubspot.Truncate(v.String(), 40)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func argErr(name, reason string) error { return &hubspot.ArgumentError{Name: name, Reason: reason} }
