package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// serve runs one call through a Server without a network.
func serve(s *Server, method, path, rawQuery, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.URL.RawQuery = rawQuery
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func FuzzThreadsQuery(f *testing.F) {
	for _, q := range []string{
		"", "limit=3", "limit=0", "after=" + encodeCursor([]string{idKey("9000000110")}), "after=%%", "after=W10",
		"associatedContactId=3501&threadStatus=OPEN&sort=-latestMessageTimestamp&latestMessageTimestampAfter=2026-11-01T00:00:00Z",
		"inboxId=147959640&inboxId=x", "archived=true&association=TICKET", "sort=latestMessageTimestamp", "limit=1&after=WyIiXQ",
	} {
		f.Add(q)
	}
	s := New()
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return
		}
		rec := serve(s, http.MethodGet, threadsPath, raw, "")
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("query %q: status %d", raw, rec.Code)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("query %q: invalid JSON %q", raw, rec.Body.String())
		}
	})
}

func FuzzCursor(f *testing.F) {
	f.Add("W10", 1)
	f.Add(encodeCursor([]string{"a", "b"}), 2)
	f.Add("!!!", 1)
	f.Add("bnVsbA", 1) // "null"
	f.Fuzz(func(t *testing.T, s string, n int) {
		key, err := decodeCursor(s, n)
		if err != nil {
			return
		}
		if len(key) != 0 && len(key) != n {
			t.Fatalf("decodeCursor(%q, %d) = %v", s, n, key)
		}
		again, err := decodeCursor(encodeCursor(key), n)
		if err != nil || !slices.Equal(key, again) {
			t.Fatalf("round trip of %v: %v, %v", key, again, err)
		}
	})
}

func FuzzSendMessage(f *testing.F) {
	f.Add(emailEgg)
	f.Add(`{"type":"COMMENT","text":"x","attachments":[{"type":"FILE","fileId":1}]}`)
	f.Add(`{"type":"MESSAGE","recipients":[{"deliveryIdentifier":{"type":"HS_EMAIL_ADDRESS"}}]}`)
	f.Add(`{"type":null,"text":[],"channelId":{}}`)
	f.Add(`[`)
	s := New()
	f.Fuzz(func(t *testing.T, body string) {
		rec := serve(s, http.MethodPost, threadsPath+"/"+EmailThreadID+"/messages", "", body)
		switch rec.Code {
		case http.StatusCreated, http.StatusBadRequest:
		default:
			t.Fatalf("body %q: status %d %s", body, rec.Code, rec.Body)
		}
	})
}
