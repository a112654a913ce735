package hubspot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// The shapes of HubSpot IDs, as regular expressions (RE2 and ECMA 262
// alike), so that a JSON Schema can state the same rule the Validate
// functions check.
const (
	// NumericIDPattern matches thread, inbox, channel, channel account,
	// contact and ticket IDs: 1 to 19 digits.
	NumericIDPattern = `^[0-9]{1,19}$`
	// ActorIDPattern matches actor IDs: a capital letter for the type, a
	// hyphen and an identifier, such as A-123, V-456 or E-jane@example.com.
	ActorIDPattern = `^[A-Z]-[A-Za-z0-9._+@-]{1,254}$`
	// AgentIDPattern matches the actor IDs of agents (HubSpot users): A-123.
	AgentIDPattern = `^A-[A-Za-z0-9._+@-]{1,254}$`
	// MessageIDPattern matches message IDs: letters, digits, '-' and '_',
	// starting with a letter or digit.
	MessageIDPattern = `^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`
)

// MaxEmailLength is the longest email address: 254 characters (RFC 5321's
// 256-octet path, less its angle brackets). ValidateEmail checks it.
const MaxEmailLength = 254

var (
	numericIDRE = regexp.MustCompile(NumericIDPattern)
	actorIDRE   = regexp.MustCompile(ActorIDPattern)
	messageIDRE = regexp.MustCompile(MessageIDPattern)
)

// actorKinds is HubSpot's actor-ID vocabulary, the one table of it: the
// capital letter before an actor ID's hyphen tells the actor's type.
var actorKinds = []struct{ prefix, typ, name string }{
	{"A", ActorAgent, "agent (a HubSpot user)"},
	{"V", ActorVisitor, "visitor"},
	{"I", ActorIntegrator, "integration"},
	{"B", ActorBot, "bot"},
	{"S", ActorSystem, "system"},
	{"E", ActorEmail, "email"},
	{"L", ActorLLM, "LLM"},
}

// ActorTypeOf returns the type of the actor id names, from its prefix:
// ActorAgent for A-123, ActorVisitor for V-456 and so on; "" when the
// prefix is none HubSpot documents.
func ActorTypeOf(id string) string {
	prefix, _, ok := strings.Cut(id, "-")
	if !ok {
		return ""
	}
	for _, k := range actorKinds {
		if k.prefix == prefix {
			return k.typ
		}
	}
	return ""
}

// ActorPrefixes lists the actor-ID prefixes in words, for people and
// models: "A- agent (a HubSpot user), V- visitor, …".
func ActorPrefixes() string {
	parts := make([]string, len(actorKinds))
	for i, k := range actorKinds {
		parts[i] = k.prefix + "- " + k.name
	}
	return strings.Join(parts, ", ")
}

// actorID is the actor ID of type typ with identifier id, such as A-123.
func actorID(typ, id string) string {
	for _, k := range actorKinds {
		if k.typ == typ {
			return k.prefix + "-" + id
		}
	}
	panic("hubspot: no actor type " + typ)
}

// VisitorActorID is the actor ID of a contact or visitor: V-<id>, whose
// name and email BatchGetActors can tell.
func VisitorActorID(contactID string) string { return actorID(ActorVisitor, contactID) }

// IsAgentID reports whether id is an agent's actor ID (A-…): HubSpot sends
// messages only as agents and never delivers them to agents.
func IsAgentID(id string) bool { return ActorTypeOf(id) == ActorAgent }

// ValidateAgentID checks the actor ID of an agent, such as A-123.
func ValidateAgentID(name, id string) error {
	if id == "" {
		return &ArgumentError{Name: name, Reason: "is required: an agent actor ID such as A-123"}
	}
	if !IsAgentID(id) || !actorIDRE.MatchString(id) {
		return &ArgumentError{Name: name, Reason: "must be an agent actor ID (A- followed by the user ID, such as A-123), got " + Quote(id)}
	}
	return nil
}

// ValidateNumericID checks a numeric HubSpot ID (thread, inbox, channel,
// channel account, contact, ticket): 1 to 19 digits. name is the parameter
// named in the error.
func ValidateNumericID(name, id string) error {
	if id == "" {
		return &ArgumentError{Name: name, Reason: "is required: a numeric ID such as 1234567"}
	}
	if numericIDRE.MatchString(id) {
		return nil
	}
	if len(id) > 19 && strings.Trim(id, "0123456789") == "" {
		return &ArgumentError{Name: name, Reason: "must be a numeric ID of at most 19 digits, got " + Quote(id)}
	}
	return &ArgumentError{Name: name, Reason: "must contain only digits, such as 1234567, got " + Quote(id)}
}

// ValidateNumericIDs checks each of ids with ValidateNumericID and returns
// the first error.
func ValidateNumericIDs(name string, ids []string) error {
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
	if !actorIDRE.MatchString(id) {
		return &ArgumentError{Name: name, Reason: "must be an actor ID " + allowed + ", got " + Quote(id)}
	}
	return nil
}

// ValidateMessageID checks a message ID: letters, digits, '-' and '_',
// starting with a letter or digit, at most 128 characters.
func ValidateMessageID(name, id string) error {
	if id == "" {
		return &ArgumentError{Name: name, Reason: "is required: a message ID from list_messages"}
	}
	if !messageIDRE.MatchString(id) {
		return &ArgumentError{Name: name, Reason: "must be a message ID of letters, digits, '-' and '_', got " + Quote(id)}
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
	return &ArgumentError{Name: name, Reason: "must be one of " + strings.Join(allowed, ", ") + ", got " + Quote(v)}
}

// Quote renders untrusted input for an error message, such as an
// ArgumentError's reason: quoted, control characters escaped and cut to a
// readable length. It is the one such renderer; the server's own argument
// errors use it too.
func Quote(s string) string {
	return strconv.Quote(Truncate(s, 80))
}

// Truncate cuts s to at most n bytes, on a UTF-8 boundary, marking a cut
// with "…".
func Truncate(s string, n int) string {
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
