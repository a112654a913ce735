package hubspot

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Time is a HubSpot timestamp. HubSpot sends ISO-8601 date-time strings;
// Time also accepts epoch milliseconds (as a number or a string) and
// decodes anything else, including null, to the zero time rather than
// failing the whole response: one odd field must never break a call.
type Time struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler leniently.
func (t *Time) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		str, ok := plainString(b)
		if !ok {
			if err := json.Unmarshal(b, &str); err != nil {
				return nil
			}
		}
		s = strings.TrimSpace(str)
	}
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		t.Time = time.UnixMilli(ms).UTC()
	}
	return nil
}

// MarshalJSON encodes the time as RFC 3339 with milliseconds, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}

// plainString returns the content of a JSON string literal that has no
// escapes, the common case for timestamps and IDs, without a second pass
// of the JSON decoder; ok is false when the decoder is needed.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	// encoding/json replaces invalid UTF-8; leave that to it.
	if !utf8.Valid(inner) {
		return "", false
	}
	return string(inner), true
}

// FlexInt is an integer that HubSpot may send as a JSON number or as a
// numeric string. Anything unparsable decodes to zero instead of failing
// the response (the connector's string-typed integrationAppId broke whole
// message histories; see microsoft/PowerPlatformConnectors#4128).
type FlexInt int64

// UnmarshalJSON implements json.Unmarshaler leniently.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	*n = 0
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = FlexInt(v)
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		*n = FlexInt(int64(f))
	}
	return nil
}

// FlexString is a string that HubSpot may send as a JSON string or as a
// number (IDs are documented as strings but arrive as numbers now and then).
type FlexString string

// UnmarshalJSON implements json.Unmarshaler leniently.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		v, ok := plainString(b)
		if !ok {
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
		}
		*s = FlexString(v)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	*s = FlexString(b)
	return nil
}

// NextPage points at the next page of a list.
type NextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

// PreviousPage points at the previous page of a list.
type PreviousPage struct {
	Before string `json:"before"`
	Link   string `json:"link,omitempty"`
}

// Paging is the paging block of a HubSpot list response.
type Paging struct {
	Next *NextPage     `json:"next,omitempty"`
	Prev *PreviousPage `json:"prev,omitempty"`
}

// Page is one page of a HubSpot list. Total is set only by the lists that
// report it (inboxes, channels, channel accounts); threads and messages do not.
type Page[T any] struct {
	Results []T     `json:"results"`
	Total   *int    `json:"total,omitempty"`
	Paging  *Paging `json:"paging,omitempty"`
}

// NextAfter returns the cursor of the next page, or "" on the last page.
// Pass it as After to get the next page.
func (p *Page[T]) NextAfter() string {
	if p == nil || p.Paging == nil || p.Paging.Next == nil {
		return ""
	}
	return p.Paging.Next.After
}

// ListOptions are the paging options every list takes.
type ListOptions struct {
	// After is the cursor from a previous page's NextAfter.
	After string
	// Limit is the page size; zero leaves HubSpot's default.
	Limit int
	// Sort lists sort keys in order; HubSpot repeats the parameter.
	Sort []string
}

// DeliveryIdentifier is an address on a channel: an email address, a phone
// number, a short code or a channel-specific opaque ID.
type DeliveryIdentifier struct {
	// Type is HS_EMAIL_ADDRESS, HS_PHONE_NUMBER, HS_SHORT_CODE or
	// CHANNEL_SPECIFIC_OPAQUE_ID; HubSpot may add more.
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Delivery identifier types HubSpot documents.
const (
	DeliveryEmail         = "HS_EMAIL_ADDRESS"
	DeliveryPhone         = "HS_PHONE_NUMBER"
	DeliveryShortCode     = "HS_SHORT_CODE"
	DeliveryChannelOpaque = "CHANNEL_SPECIFIC_OPAQUE_ID"
)

// DeliveryIdentifierTypes lists the documented delivery identifier types.
var DeliveryIdentifierTypes = []string{DeliveryEmail, DeliveryPhone, DeliveryShortCode, DeliveryChannelOpaque}

// Extra holds the top-level fields of a HubSpot object that its Go type
// does not declare: whatever HubSpot adds for a requested property, and
// fields it adds over time.
type Extra map[string]json.RawMessage

// declared caches the JSON names each type declares.
var declared sync.Map // reflect.Type → map[string]bool

// extraFields decodes raw into v (a pointer to a struct without a custom
// decoder) and returns the fields of raw that v's type does not declare.
// Finding them costs one pass over raw's top-level keys, without decoding
// the values a second time; Extra copies only the undeclared ones.
func extraFields(raw []byte, v any) (Extra, error) {
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return undeclared(raw, declaredNames(reflect.TypeOf(v).Elem())), nil
}

// declaredNames returns the JSON names the struct type t declares.
func declaredNames(t reflect.Type) map[string]bool {
	if names, ok := declared.Load(t); ok {
		return names.(map[string]bool)
	}
	m := map[string]bool{}
	for _, f := range reflect.VisibleFields(t) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		m[name] = true
	}
	names, _ := declared.LoadOrStore(t, m)
	return names.(map[string]bool)
}

// undeclared returns the top-level fields of the JSON object raw whose
// names are not in names, the last one winning when a name repeats (as
// encoding/json does), or nil when there are none or raw is no object.
// raw must be valid JSON: encoding/json checked it before.
func undeclared(raw []byte, names map[string]bool) Extra {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil
	}
	var out Extra
	for i = skipSpace(raw, i+1); i < len(raw) && raw[i] == '"'; i = skipSpace(raw, i) {
		end := skipString(raw, i)
		key := raw[i:end]
		known := false
		if len(key) >= 2 && bytes.IndexByte(key, '\\') < 0 {
			known = names[string(key[1:len(key)-1])]
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return out
		}
		start := skipSpace(raw, i+1)
		i = skipValue(raw, start)
		if !known {
			var name string
			if err := json.Unmarshal(key, &name); err == nil && !names[name] {
				if out == nil {
					out = Extra{}
				}
				out[name] = append(json.RawMessage(nil), raw[start:i]...)
			}
		}
		if i = skipSpace(raw, i); i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return out
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just after the string literal at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just after the JSON value at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// bodyDecoder is an answer's destination that decodes the body itself;
// Client.call hands it the body instead of calling json.Unmarshal.
type bodyDecoder interface{ decodeBody(body []byte) error }

// items decodes a list answer into p in one pass of encoding/json, for
// item types that keep their undeclared fields in Extra. Decoding into
// Page[T] would validate and decode every item a second time inside T's
// UnmarshalJSON; items instead decodes the items as F, T's fields without
// its UnmarshalJSON, then finds each item's undeclared fields with one
// scan of the body, and builds each T with conv.
type items[F, T any] struct {
	p    *Page[T]
	conv func(F, Extra) T
}

func (d items[F, T]) decodeBody(body []byte) error {
	var plain Page[F]
	if err := json.Unmarshal(body, &plain); err != nil {
		return err
	}
	names := declaredNames(reflect.TypeFor[F]())
	var extras []Extra
	if raw := topLevel(body, "results"); len(raw) > 0 && raw[0] == '[' {
		for i := skipSpace(raw, 1); i < len(raw) && raw[i] != ']'; {
			end := skipValue(raw, i)
			extras = append(extras, undeclared(raw[i:end], names))
			if i = skipSpace(raw, end); i < len(raw) && raw[i] == ',' {
				i = skipSpace(raw, i+1)
			}
		}
	}
	if len(extras) != len(plain.Results) {
		// "results" spelt in another case, which encoding/json accepts:
		// the long way is rare and exact.
		return json.Unmarshal(body, d.p)
	}
	d.p.Total, d.p.Paging = plain.Total, plain.Paging
	if plain.Results == nil {
		d.p.Results = nil
		return nil
	}
	d.p.Results = make([]T, len(plain.Results))
	for i, f := range plain.Results {
		d.p.Results[i] = d.conv(f, extras[i])
	}
	return nil
}

// topLevel returns the raw value of the top-level field that
// encoding/json decodes into a field called name (the last one whose name
// equals it under case folding) of the valid JSON object raw, or nil.
func topLevel(raw []byte, name string) []byte {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil
	}
	var out []byte
	for i = skipSpace(raw, i+1); i < len(raw) && raw[i] == '"'; i = skipSpace(raw, i) {
		end := skipString(raw, i)
		key := raw[i:end]
		if i = skipSpace(raw, end); i >= len(raw) || raw[i] != ':' {
			return out
		}
		start := skipSpace(raw, i+1)
		i = skipValue(raw, start)
		var k string
		if s, ok := plainString(key); ok {
			k = s
		} else if json.Unmarshal(key, &k) != nil {
			continue
		}
		if strings.EqualFold(k, name) { // as encoding/json matches names
			out = raw[start:i]
		}
		if i = skipSpace(raw, i); i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return out
}
