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

// FuzzUndeclared checks the undeclared fields of a message against
// decoding the object into a map: any field Message does not declare, and
// only those.
func FuzzUndeclared(f *testing.F) {
	for _, seed := range []string{`{"id":"1","x":{"a":[1,"}"]},"y":null}`, `{"a\"b":1,"id":2,"id":3}`, ` { "z" : "\\\"" , "text":"\u00e9" } `, `[1]`, `null`, `{}`, `{"x":1,"x":[2]}`, `{"\u0069d":1}`} {
		f.Add([]byte(seed))
	}
	names := declaredNames(reflect.TypeFor[Message]())
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		got := undeclared[Message](b)
		var all map[string]json.RawMessage
		_ = json.Unmarshal(b, &all)
		n := 0
		for k, v := range all {
			if names[k] {
				continue
			}
			n++
			if !bytes.Equal(got[k], v) {
				t.Fatalf("undeclared(%s)[%q] = %s, want %s", b, k, got[k], v)
			}
		}
		if len(got) != n {
			t.Fatalf("undeclared(%s) = %v, want %d fields", b, got, n)
		}
	})
}

// FuzzPageExtras checks that a page decoded with a property asked for is
// the page decoded plainly, each result with its undeclared fields.
func FuzzPageExtras(f *testing.F) {
	for _, seed := range []string{
		`{"results":[{"id":"1","type":"MESSAGE","text":"hi","hs_x":{"a":1}},{"id":"2","senders":[{"actorId":"V-1"}]}],"paging":{"next":{"after":"2"}}}`,
		`{"results":[],"total":0}`, `{"results":null}`, `{"results":[null,{"x":1}]}`, `{"results":[{"id":1}]}`,
		`{"results":[{"a":1}],"results":[{"b":2}]}`, `{"Results":[{"a":1}]}`, `{"results":[{"a":1}],"RESULTS":[{"b":2}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		var plain, got Page[Message]
		perr := json.Unmarshal(b, &plain)
		gerr := pageInto(&got, "hs_x").(bodyDecoder).decodeBody(b)
		if (perr == nil) != (gerr == nil) {
			t.Fatalf("%s: plain error %v, with property %v", b, perr, gerr)
		}
		if perr != nil {
			return
		}
		for i := range got.Results {
			if i < len(plain.Results) {
				plain.Results[i].Extra = got.Results[i].Extra
			}
		}
		if !reflect.DeepEqual(got, plain) {
			t.Fatalf("%s:\nwith property %+v\nplain         %+v", b, got, plain)
		}
	})
}
