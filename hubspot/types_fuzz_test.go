package hubspot

import (
	"encoding/json"
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
