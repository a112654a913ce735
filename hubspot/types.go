package hubspot

import (
	"bytes"
	"encoding/json"
	"net/url"
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

// values is the query of o; every list's query starts from it.
func (o ListOptions) values() url.Values {
	v := url.Values{}
	if o.After != "" {
		v.Set("after", o.After)
	}
	setInt(v, "limit", o.Limit)
	for _, s := range o.Sort {
		v.Add("sort", s)
	}
	return v
}

// setBool and setInt add a query parameter unless it has its zero value.
func setBool(v url.Values, key string, b bool) {
	if b {
		v.Set(key, "true")
	}
}

func setInt(v url.Values, key string, n int) {
	if n != 0 {
		v.Set(key, strconv.Itoa(n))
	}
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
// does not declare, such as what HubSpot adds for a requested property. It
// is filled only when a method's property parameter is set: decoding it
// costs a second pass over the answer.
type Extra map[string]json.RawMessage

// withExtra is a type with an Extra field.
type withExtra[T any] interface {
	*T
	extra() *Extra
}

func (t *Thread) extra() *Extra         { return &t.Extra }
func (m *Message) extra() *Extra        { return &m.Extra }
func (c *MessageContent) extra() *Extra { return &c.Extra }
func (a *Actor) extra() *Extra          { return &a.Extra }

// declared caches the JSON names each type declares.
var declared sync.Map // reflect.Type → map[string]bool

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

// undeclared returns the top-level fields of the JSON object raw that T
// does not declare, or nil when there are none or raw is no object.
func undeclared[T any](raw []byte) Extra {
	var all map[string]json.RawMessage
	if json.Unmarshal(raw, &all) != nil {
		return nil
	}
	names := declaredNames(reflect.TypeFor[T]())
	var out Extra
	for k, v := range all {
		if !names[k] {
			if out == nil {
				out = Extra{}
			}
			out[k] = v
		}
	}
	return out
}

// bodyDecoder is an answer's destination that decodes the body itself;
// Client.call hands it the body instead of calling json.Unmarshal.
type bodyDecoder interface{ decodeBody(body []byte) error }

// object decodes an answer into v and, when a property was asked for,
// the fields of the answer v's type does not declare into v's Extra.
type object[T any, PT withExtra[T]] struct {
	v        PT
	property string
}

func (d object[T, PT]) decodeBody(body []byte) error {
	if err := json.Unmarshal(body, d.v); err != nil {
		return err
	}
	if d.property != "" {
		*d.v.extra() = undeclared[T](body)
	}
	return nil
}

// into returns the destination of an answer decoded into v, with the
// undeclared fields when property is set.
func into[T any, PT withExtra[T]](v PT, property string) any {
	if property == "" {
		return v
	}
	return object[T, PT]{v, property}
}

// results decodes a list answer (a Page, or an actor batch: anything with
// results) into dst and, when a property was asked for, each result's
// undeclared fields into its Extra.
type results[T any, PT withExtra[T]] struct {
	dst      any
	items    func() []T
	property string
}

func (d results[T, PT]) decodeBody(body []byte) error {
	if err := json.Unmarshal(body, d.dst); err != nil {
		return err
	}
	if d.property == "" {
		return nil
	}
	var raw struct {
		Results []json.RawMessage `json:"results"`
	}
	items := d.items()
	if json.Unmarshal(body, &raw) != nil || len(raw.Results) != len(items) {
		return nil
	}
	for i := range items {
		*PT(&items[i]).extra() = undeclared[T](raw.Results[i])
	}
	return nil
}

// pageInto returns the destination of a list answer decoded into p.
func pageInto[T any, PT withExtra[T]](p *Page[T], property string) any {
	if property == "" {
		return p
	}
	return results[T, PT]{dst: p, items: func() []T { return p.Results }, property: property}
}
