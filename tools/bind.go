package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// An input struct is both a tool's input schema and its validation rules.
// Field tags say everything:
//
//	json:"name"            the parameter; without omitempty it is required
//	jsonschema:"text"      its description; ",enum=A,enum=B" lists allowed values
//	bind:"..."             comma-separated rules:
//	  min=N, max=N         an integer's range, or a list's item count
//	  default=N            an integer's value when the parameter is absent
//	  format=F             numeric-id, actor-id, message-id, date-time or sort-field
//
// On a list, enum and format apply to each item. bind checks a call's
// arguments against these rules and explains the first problem in plain
// words (mcp-go's schema validation prints Go struct dumps), then decodes
// them into the struct. inputSchema renders the same rules as JSON Schema,
// so the schema the model reads and the checks it meets cannot drift apart.

// shape describes a Go type that arguments decode into.
type shape struct {
	kind   reflect.Kind // String, Bool, Int, Slice or Struct
	elem   *shape       // items of a Slice
	fields []*field     // properties of a Struct, in declaration order
}

// field is one property of a struct shape with its rules.
type field struct {
	name     string
	required bool
	desc     string
	enum     []string
	format   string
	min, max *int
	def      *int
	shape    *shape
}

// shapeOf describes t. It panics on a type bind cannot handle: inputs are
// written by us and the invariant test builds every tool.
func shapeOf(t reflect.Type) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool:
		return &shape{kind: t.Kind()}
	case reflect.Int:
		return &shape{kind: reflect.Int}
	case reflect.Slice:
		return &shape{kind: reflect.Slice, elem: shapeOf(t.Elem())}
	case reflect.Struct:
		s := &shape{kind: reflect.Struct}
		for _, sf := range reflect.VisibleFields(t) {
			if sf.Anonymous || !sf.IsExported() {
				continue
			}
			s.fields = append(s.fields, newField(sf))
		}
		return s
	}
	panic(fmt.Sprintf("tools: input type %s is not supported", t))
}

func newField(sf reflect.StructField) *field {
	name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
	if name == "" || name == "-" {
		panic(fmt.Sprintf("tools: input field %s needs a json name", sf.Name))
	}
	f := &field{name: name, required: !strings.Contains(opts, "omitempty"), shape: shapeOf(sf.Type)}
	var desc []string
	for part := range strings.SplitSeq(sf.Tag.Get("jsonschema"), ",") {
		if v, ok := strings.CutPrefix(part, "enum="); ok {
			f.enum = append(f.enum, v)
		} else {
			desc = append(desc, part)
		}
	}
	f.desc = strings.TrimSpace(strings.Join(desc, ","))
	for rule := range strings.SplitSeq(sf.Tag.Get("bind"), ",") {
		key, val, _ := strings.Cut(rule, "=")
		switch key {
		case "":
		case "min", "max", "default":
			n, err := strconv.Atoi(val)
			if err != nil {
				panic(fmt.Sprintf("tools: bad bind rule %q on %s", rule, sf.Name))
			}
			switch key {
			case "min":
				f.min = &n
			case "max":
				f.max = &n
			default:
				f.def = &n
			}
		case "format":
			if _, ok := formats[val]; !ok {
				panic(fmt.Sprintf("tools: unknown format %q on %s", val, sf.Name))
			}
			f.format = val
		default:
			panic(fmt.Sprintf("tools: unknown bind rule %q on %s", rule, sf.Name))
		}
	}
	return f
}

// rangeText says which integers are allowed.
func (f *field) rangeText() string {
	switch {
	case f.min != nil && f.max != nil:
		return "from " + strconv.Itoa(*f.min) + " to " + strconv.Itoa(*f.max)
	case f.min != nil:
		return "at least " + strconv.Itoa(*f.min)
	default:
		return "at most " + strconv.Itoa(*f.max)
	}
}

// A format checks one string value; name is the parameter's path.
type format struct {
	check func(name, v string) error
	id    bool // an ID: a number in its place gets a hint to quote it
}

var sortField = regexp.MustCompile(`^-?[A-Za-z][A-Za-z0-9_.]{0,63}$`)

var formats = map[string]format{
	"numeric-id": {check: hubspot.ValidateNumericID, id: true},
	"actor-id":   {check: hubspot.ValidateActorID, id: true},
	"message-id": {check: hubspot.ValidateMessageID, id: true},
	"date-time": {check: func(name, v string) error {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return argErr(name, "must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z, got "+quote(v))
		}
		return nil
	}},
	"sort-field": {check: func(name, v string) error {
		if !sortField.MatchString(v) {
			return argErr(name, "must be a field name such as name or id, with '-' in front for descending order, got "+quote(v))
		}
		return nil
	}},
}

// validator is implemented by inputs with rules that span parameters.
type validator interface{ validate() error }

// bind checks the arguments of req against In's rules and decodes them.
// Problems come back as *hubspot.ArgumentError.
func bind[In any](req mcp.CallToolRequest, s *shape) (In, error) {
	var in In
	raw, err := rawArguments(req)
	if err != nil {
		return in, err
	}
	if err := bindJSON(raw, s, &in); err != nil {
		return in, err
	}
	if v, ok := any(in).(validator); ok {
		return in, v.validate()
	}
	return in, nil
}

// rawArguments returns the arguments as JSON, "{}" when there are none.
func rawArguments(req mcp.CallToolRequest) ([]byte, error) {
	if raw := bytes.TrimSpace(req.Params.RawArguments); len(raw) > 0 {
		return raw, nil
	}
	if req.Params.Arguments == nil {
		return []byte("{}"), nil
	}
	raw, err := json.Marshal(req.Params.Arguments)
	if err != nil {
		return nil, argErr("arguments", "must be a JSON object")
	}
	return raw, nil
}

// bindJSON checks raw against s, then decodes it into out (a pointer).
func bindJSON(raw []byte, s *shape, out any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return argErr("arguments", "must be a JSON object")
	}
	if v == nil {
		v = map[string]any{}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return argErr("arguments", "must be a JSON object with the tool's parameters, got "+jsonKind(v))
	}
	if err := checkObject(s, obj, ""); err != nil {
		return err
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("re-encode arguments: %w", err)
	}
	return json.Unmarshal(data, out)
}

// checkObject checks an object against a struct shape and fills defaults.
// path is "" at the top level, else the object's own path.
func checkObject(s *shape, obj map[string]any, path string) error {
	known := make([]string, len(s.fields))
	for i, f := range s.fields {
		known[i] = f.name
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			where := "parameter"
			if path != "" {
				where = "field of " + path
			}
			return argErr(quote(k), "is not a known "+where+"; allowed: "+strings.Join(known, ", "))
		}
	}
	for _, f := range s.fields {
		name := f.name
		if path != "" {
			name = path + "." + f.name
		}
		v, present := obj[f.name]
		if present && (v == nil || !f.required && isEmpty(v)) {
			// Models often pass null, "" or [] for "not set"; HubSpot would
			// reject an empty ID, so treat them as absent.
			delete(obj, f.name)
			present = false
		}
		if !present {
			switch {
			case f.required && f.desc != "":
				return argErr(name, "is required: "+f.desc)
			case f.required:
				return argErr(name, "is required")
			case f.def != nil:
				obj[f.name] = json.Number(strconv.Itoa(*f.def))
			}
			continue
		}
		norm, err := checkValue(f, f.shape, v, name, false)
		if err != nil {
			return err
		}
		obj[f.name] = norm
	}
	return nil
}

// checkValue checks one value and returns it normalized for decoding
// (10.0 becomes 10); item is true for the items of a list, to which min
// and max do not apply.
func checkValue(f *field, s *shape, v any, name string, item bool) (any, error) {
	switch s.kind {
	case reflect.String:
		str, ok := v.(string)
		if !ok {
			hint := ""
			if formats[f.format].id {
				hint = " (IDs are strings: write \"123\", not 123)"
			}
			return nil, argErr(name, "must be a string"+hint+", got "+jsonKind(v))
		}
		if len(f.enum) > 0 && !slices.Contains(f.enum, str) {
			return nil, argErr(name, "must be one of "+strings.Join(f.enum, ", ")+", got "+quote(str))
		}
		if fm, ok := formats[f.format]; ok {
			if err := fm.check(name, str); err != nil {
				return nil, err
			}
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return nil, argErr(name, "must be true or false, got "+jsonKind(v))
		}
	case reflect.Int:
		n, err := integer(v)
		if err != nil {
			return nil, argErr(name, "must be a whole number, got "+jsonKind(v))
		}
		if (f.min != nil && n < int64(*f.min)) || (f.max != nil && n > int64(*f.max)) {
			return nil, argErr(name, "must be "+f.rangeText()+", got "+strconv.FormatInt(n, 10))
		}
		return json.Number(strconv.FormatInt(n, 10)), nil
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return nil, argErr(name, "must be a list (JSON array), got "+jsonKind(v))
		}
		if !item {
			if f.min != nil && len(list) < *f.min {
				return nil, argErr(name, "needs at least "+strconv.Itoa(*f.min)+" item(s)")
			}
			if f.max != nil && len(list) > *f.max {
				return nil, argErr(name, "takes at most "+strconv.Itoa(*f.max)+" items, got "+strconv.Itoa(len(list)))
			}
		}
		for i, e := range list {
			norm, err := checkValue(f, s.elem, e, name+"["+strconv.Itoa(i)+"]", true)
			if err != nil {
				return nil, err
			}
			list[i] = norm
		}
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, argErr(name, "must be an object, got "+jsonKind(v))
		}
		return obj, checkObject(s, obj, name)
	}
	return v, nil
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

// integer accepts a JSON number with an integral value that fits an int.
func integer(v any) (int64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, errors.New("not a number")
	}
	if n, err := num.Int64(); err == nil && n == int64(int(n)) {
		return n, nil
	}
	f, err := num.Float64()
	if err != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, errors.New("not an integer")
	}
	return int64(f), nil
}

// jsonKind names the JSON type of a decoded value for an error message,
// with the value when it is short.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "the string " + quote(v)
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	case json.Number:
		return "the number " + truncate(v.String(), 40)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func argErr(name, reason string) error { return &hubspot.ArgumentError{Name: name, Reason: reason} }

// quote renders untrusted input for an error message: quoted, escaped and
// cut to a readable length.
func quote(s string) string { return strconv.Quote(truncate(s, 80)) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
