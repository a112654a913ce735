package hubspot

import (
	"strconv"
	"strings"
	"unicode"
)

// ValidateNumericID checks a numeric HubSpot ID (thread, inbox, channel,
// channel account, contact, ticket): 1 to 19 digits. name is the parameter
// named in the error.
func ValidateNumericID(name, id string) error {
	if id == "" {
		return &ArgumentError{Name: name, Reason: "is required: a numeric ID such as 1234567"}
	}
	if len(id) > 19 {
		return &ArgumentError{Name: name, Reason: "must be a numeric ID of at most 19 digits, got " + quote(id)}
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return &ArgumentError{Name: name, Reason: "must contain only digits, such as 1234567, got " + quote(id)}
		}
	}
	return nil
}

func validateNumericIDs(name string, ids []string) error {
	for _, id := range ids {
		if err := ValidateNumericID(name, id); err != nil {
			return err
		}
	}
	return nil
}

// ValidateActorID checks an actor ID: one capital letter for the type, a
// hyphen and an identifier, such as A-123 (agent), V-456 (visitor), I-55
// (integration), S-hubspot (system) or E-jane@example.com (email).
func ValidateActorID(name, id string) error {
	const allowed = "such as A-123 (agent), V-456 (visitor), I-55 (integration), S-hubspot (system) or E-jane@example.com"
	if id == "" {
		return &ArgumentError{Name: name, Reason: "is required: an actor ID " + allowed}
	}
	if len(id) < 3 || len(id) > 256 || id[0] < 'A' || id[0] > 'Z' || id[1] != '-' {
		return &ArgumentError{Name: name, Reason: "must be an actor ID " + allowed + ", got " + quote(id)}
	}
	for _, r := range id[2:] {
		if !(r < unicode.MaxASCII && (isAlnum(r) || strings.ContainsRune("._+@-", r))) {
			return &ArgumentError{Name: name, Reason: "must be an actor ID " + allowed + ", got " + quote(id)}
		}
	}
	return nil
}

// ValidateMessageID checks a message ID: letters, digits, '-' and '_',
// starting with a letter or digit, at most 128 characters.
func ValidateMessageID(name, id string) error {
	if id == "" {
		return &ArgumentError{Name: name, Reason: "is required: a message ID from list_messages"}
	}
	if len(id) > 128 || !isAlnum(rune(id[0])) {
		return &ArgumentError{Name: name, Reason: "must be a message ID of letters, digits, '-' and '_', got " + quote(id)}
	}
	for _, r := range id {
		if !(isAlnum(r) || r == '-' || r == '_') {
			return &ArgumentError{Name: name, Reason: "must be a message ID of letters, digits, '-' and '_', got " + quote(id)}
		}
	}
	return nil
}

func validateEnum(name, v string, allowed ...string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return &ArgumentError{Name: name, Reason: "must be one of " + strings.Join(allowed, ", ") + ", got " + quote(v)}
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// quote renders untrusted input for an error message: quoted, control
// characters escaped and cut to a readable length.
func quote(s string) string {
	return strconv.Quote(truncate(s, 80))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// sanitizeText drops control characters from text that goes into errors.
func sanitizeText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
}

func itoa(i int) string { return strconv.Itoa(i) }
