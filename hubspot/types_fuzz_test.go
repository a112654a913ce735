package hubspot

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzPlainString checks the decoder's shortcut for JSON strings without
// escapes against encoding/json: whenever it answers, it answers the same.
func FuzzPlainString(f *testing.F) {
	for _, seed := range []string{`"2026-11-20T09:00:00Z"`, `"9000000101"`, `"a\"b"`, `"tab\there"`, `"é"`, `""`, `"`, `12`, "\"\x01\"", `"\u00e9"`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := plainString(b)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("plainString(%q) = %q, but it is not a JSON string: %v", b, got, err)
		}
		if got != want {
			t.Fatalf("plainString(%q) = %q, encoding/json says %q", b, got, want)
		}
		var ts Time
		var fs FlexString
		if ts.UnmarshalJSON(b) != nil || fs.UnmarshalJSON(b) != nil || string(fs) != want {
			t.Fatalf("lenient decoders disagree on %q", b)
		}
	})
}

// FuzzUndeclared checks the scan for undeclared fields against decoding
// the object into a map: for any valid JSON, both find the same fields.
func FuzzUndeclared(f *testing.F) {
	for _, seed := range []string{`{"id":"1","x":{"a":[1,"}"]},"y":null}`, `{"a\"b":1,"id":2,"id":3}`, ` { "z" : "\\\"" , "text":"\u00e9" } `, `[1]`, `null`, `{}`, `{"x":1,"x":[2]}`, `{"\u0069d":1}`} {
		f.Add([]byte(seed))
	}
	names := map[string]bool{"id": true, "text": true}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		got := undeclared(b, names)
		var all map[string]json.RawMessage
		var want Extra
		if json.Unmarshal(b, &all) == nil {
			for k, v := range all {
				if !names[k] {
					if want == nil {
						want = Extra{}
					}
					want[k] = v
				}
			}
		}
		if len(got) != len(want) {
			t.Fatalf("undeclared(%s) = %v, want %v", b, got, want)
		}
		for k, v := range want {
			if !bytes.Equal(got[k], v) {
				t.Fatalf("undeclared(%s)[%q] = %s, want %s", b, k, got[k], v)
			}
		}
	})
}

// FuzzItems checks that a page decoded in one pass (items) equals the
// page decoded through Message.UnmarshalJSON, Extra included.
func FuzzItems(f *testing.F) {
	for _, seed := range []string{
		`{"results":[{"id":"1","type":"MESSAGE","text":"hi","hs_x":{"a":1}},{"id":"2","senders":[{"actorId":"V-1"}]}],"paging":{"next":{"after":"2"}}}`,
		`{"results":[],"total":0}`, `{"results":null}`, `{"results":[null,{"x":1}]}`, `{"results":[{"id":1}]}`,
		`{"results":[{"a":1}],"results":[{"b":2}]}`, `{"Results":[{"a":1}]}`, `{"results":[{"a":1}],"RESULTS":[{"b":2}]}`, `{"results":[{"a":1}],"RESULTS":[{"b":2},{"c":3}]}`, `{"res\u0075lts":[{"createdAt":"2026-01-01T00:00:00Z","q":"\""}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		var want, got Page[Message]
		werr := json.Unmarshal(b, &want)
		gerr := items[messageFields, Message]{&got, withExtra}.decodeBody(b)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%s: UnmarshalJSON error %v, items error %v", b, werr, gerr)
		}
		if werr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\nitems %+v\nwant  %+v", b, got, want)
		}
	})
}
