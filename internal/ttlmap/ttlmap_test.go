package ttlmap

import (
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestMap_ExpiresAndStaysBounded: an entry is answered for its TTL, not
// after, and a Map keeps at most MaxEntries entries.
func TestMap_ExpiresAndStaysBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := New[int](time.Minute)
		m.Put("k", 1)
		if v, ok := m.Get("k"); !ok || v != 1 {
			t.Fatalf("fresh entry = %d, %v", v, ok)
		}
		time.Sleep(time.Minute + time.Second)
		if _, ok := m.Get("k"); ok {
			t.Error("expired entry returned")
		}
		for i := range MaxEntries + 10 {
			m.Put(strings.Repeat("x", i%7)+string(rune('a'+i%26))+strconv.Itoa(i), i)
		}
		if n := len(m.entries); n > MaxEntries {
			t.Errorf("%d entries, want at most %d", n, MaxEntries)
		}
	})
}

func TestMap_ExpiredEntriesGoFirstWhenFull(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := New[string](time.Minute)
		for i := range MaxEntries - 1 {
			m.Put("old"+strconv.Itoa(i), "old")
		}
		time.Sleep(30 * time.Second)
		m.Put("fresh", "fresh")
		time.Sleep(31 * time.Second) // the old ones expired, the fresh one not
		m.Put("new", "new")
		if v, ok := m.Get("fresh"); !ok || v != "fresh" {
			t.Errorf("an unexpired entry was dropped to make room: %q, %v", v, ok)
		}
		if n := len(m.entries); n != 2 {
			t.Errorf("%d entries, want 2 (the expired ones dropped)", n)
		}
	})
}

func TestMap_DropAndNil(t *testing.T) {
	t.Parallel()
	m := New[string](time.Minute)
	m.Put("k", "v")
	m.Drop("k")
	if _, ok := m.Get("k"); ok {
		t.Error("a dropped entry was returned")
	}
	var off *Map[string]
	off.Put("k", "v")
	off.Drop("k")
	if _, ok := off.Get("k"); ok {
		t.Error("a nil Map held an entry")
	}
	if off.TTL() != 0 || m.TTL() != time.Minute {
		t.Errorf("TTL = %s and %s, want 0 and 1m", off.TTL(), m.TTL())
	}
}
