// This file holds the confirmation capability: what the server hands out
// when it asks a person to confirm a write a customer sees or that loses
// data, and what it must get back before it sends that write. See
// docs/safe-writes.md for the modes and flows that use it.

package inbox

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ConfirmationTTL is how long a confirmation stays valid after it is
// issued.
const ConfirmationTTL = 10 * time.Minute

// clockSkew is how far the clocks of replicas sharing MCP_CONFIRM_SECRET
// may disagree: a confirmation issued up to this much "in the future" is
// still accepted, and its used record outlives it by as much.
const clockSkew = time.Minute

// MinConfirmSecretLen is the shortest MCP_CONFIRM_SECRET accepted, in
// bytes: 32 bytes, such as `openssl rand -hex 32` (64 characters) or
// `openssl rand -base64 32` (44 characters) prints.
const MinConfirmSecretLen = 32

// maxAsked bounds the elicitations one process may have open at a time
// (see FlowElicitation): each is a tool call waiting for a person.
const maxAsked = 4096

// ConfirmFlow is the way a person's answer comes back to the server. A
// confirmation is issued for one flow and is redeemed only through it, so
// a token handed to a model for preview-then-confirm is not accepted as a
// 2026-07-28 request state, and neither is accepted in a 2025 session.
type ConfirmFlow uint8

const (
	// FlowInputRequired is protocol 2026-07-28: the tool answers with an
	// input-required result whose requestState is the token; the client
	// asks the person and calls again with their answer and the state.
	FlowInputRequired ConfirmFlow = 1 + iota
	// FlowElicitation is the protocols before 2026-07-28: the tool asks the
	// person with elicitation/create within the call and waits for the
	// answer. The token never leaves the process, and only the process
	// that issued it redeems it, once: a client that writes inputResponses
	// and a requestState into tools/call itself is refused.
	FlowElicitation
	// FlowPreview is preview-then-confirm, for clients that cannot ask: the
	// tool answers with a preview and the token, and the model calls again
	// with the token (confirmationToken) once the person has agreed.
	FlowPreview
)

// String is the flow's name in audit records: input_required,
// elicitation or preview.
func (f ConfirmFlow) String() string {
	switch f {
	case FlowInputRequired:
		return "input_required"
	case FlowElicitation:
		return "elicitation"
	case FlowPreview:
		return "preview"
	}
	return fmt.Sprintf("flow(%d)", uint8(f))
}

func (f ConfirmFlow) valid() bool { return f >= FlowInputRequired && f <= FlowPreview }

// ConfirmSubject is what a confirmation is bound to: the exact request the
// person was asked about, and the credential it will be sent with.
type ConfirmSubject struct {
	// Method, Path (with its query string) and Body are the planned
	// request, byte for byte as the client would send it.
	Method string
	Path   string
	Body   []byte
	// Credential is the fingerprint of the HubSpot credential that sends
	// it (CredentialID).
	Credential string
}

// ConfirmationRefusal is why a confirmation was not accepted. Each refusal
// is one of the Err… values below, matched with errors.Is; Reason names it
// in audit records.
type ConfirmationRefusal struct {
	// Reason is a short word for audit records, such as "used".
	Reason string
	text   string
}

func (r *ConfirmationRefusal) Error() string { return r.text }

// The refusals Verify and Redeem return.
var (
	// ErrConfirmationInvalid: the text is not a confirmation token at all
	// (wrong length, alphabet or version), for example one cut short.
	ErrConfirmationInvalid = &ConfirmationRefusal{"invalid", "not a confirmation token issued by this server"}
	// ErrConfirmationForged: it looks like a token, but this server (or a
	// replica sharing MCP_CONFIRM_SECRET) did not issue it, or it was
	// altered.
	ErrConfirmationForged = &ConfirmationRefusal{"forged", "the confirmation was not issued by this server, or it was altered"}
	// ErrConfirmationExpired: it was issued more than ConfirmationTTL ago.
	ErrConfirmationExpired = &ConfirmationRefusal{"expired", "the confirmation has expired (a confirmation is valid for 10 minutes)"}
	// ErrConfirmationOtherFlow: it was issued for another way of
	// confirming, such as a preview token presented as a request state.
	ErrConfirmationOtherFlow = &ConfirmationRefusal{"other_flow", "the confirmation was issued for another way of confirming"}
	// ErrConfirmationOtherRequest: it confirms a different request; what
	// would be sent changed since the person was asked.
	ErrConfirmationOtherRequest = &ConfirmationRefusal{"other_request", "the confirmation was given for a different request: what would be sent changed since the person was asked"}
	// ErrConfirmationOtherCredential: it was issued to another HubSpot
	// credential.
	ErrConfirmationOtherCredential = &ConfirmationRefusal{"other_credential", "the confirmation was given for another HubSpot credential"}
	// ErrConfirmationNotAsked: a FlowElicitation confirmation this process
	// has no open question for: it was never sent, was already answered,
	// or was asked by another process.
	ErrConfirmationNotAsked = &ConfirmationRefusal{"not_asked", "no confirmation question is open for this answer"}
	// ErrConfirmationUsed: it was already spent by an attempt to send.
	ErrConfirmationUsed = &ConfirmationRefusal{"used", "the confirmation was already used: each confirmation sends once"}
	// ErrConfirmationUnrecorded: spending it could not be recorded (Redis
	// unreachable, or the in-memory record full), so it is not honoured.
	ErrConfirmationUnrecorded = &ConfirmationRefusal{"unrecorded", "the confirmation could not be recorded as used, so it was not honoured"}
)

// ErrTooManyQuestions is what Issue returns for FlowElicitation when this
// process already has the maximum of open questions.
var ErrTooManyQuestions = errors.New("too many confirmation questions are waiting for an answer")

// Confirmations issues and redeems confirmations: opaque, URL-safe tokens
// keyed with the server's secret (HMAC-SHA256), bound to one planned
// request and one credential, valid for ConfirmationTTL, each with a
// random nonce, and spent by the first attempt to send. It is safe for
// concurrent use.
//
// Replicas that share the secret and a UsedRecord in Redis honour each
// other's confirmations and never both spend one.
type Confirmations struct {
	tagKey  []byte
	bindKey []byte
	used    UsedRecord

	mu sync.Mutex
	// asked holds the nonces of the FlowElicitation confirmations issued
	// by this process and neither redeemed nor withdrawn, with their
	// expiry.
	asked map[nonce]time.Time
}

// NewConfirmations returns Confirmations keyed with secret (at least
// MinConfirmSecretLen bytes; see NewConfirmSecret) that records spent
// confirmations in used (nil: in memory, see NewMemoryUsed).
func NewConfirmations(secret []byte, used UsedRecord) (*Confirmations, error) {
	if len(secret) < MinConfirmSecretLen {
		return nil, fmt.Errorf("the confirmation secret has %d bytes; it needs at least %d", len(secret), MinConfirmSecretLen)
	}
	if used == nil {
		used = NewMemoryUsed(0)
	}
	return &Confirmations{
		tagKey:  deriveKey(secret, "tag"),
		bindKey: deriveKey(secret, "bind"),
		used:    used,
		asked:   map[nonce]time.Time{},
	}, nil
}

// NewConfirmSecret returns a random secret, for a server that runs alone
// and was given none.
func NewConfirmSecret() []byte {
	return []byte(rand.Text() + rand.Text()) // 2 × 26 base32 characters, 2 × 128 bits
}

func deriveKey(secret []byte, purpose string) []byte {
	key, err := hkdf.Key(sha256.New, secret, nil, "hubspot-conversations-mcp confirmation v1 "+purpose, sha256.Size)
	if err != nil {
		panic(err) // only for lengths over 255 × 32 bytes
	}
	return key
}

// The token: version, flow, issue time (Unix seconds), nonce, the
// request's and the credential's keyed fingerprints, and the tag over all
// of them, in base64url without padding.
const (
	tokenVersion = 1
	nonceLen     = 16
	requestLen   = 16
	credLen      = 8
	tagLen       = 16
	offFlow      = 1
	offIssued    = 2
	offNonce     = offIssued + 8
	offRequest   = offNonce + nonceLen
	offCred      = offRequest + requestLen
	offTag       = offCred + credLen
	tokenLen     = offTag + tagLen
)

// TokenLen is the length of every confirmation token, in characters.
var TokenLen = base64.RawURLEncoding.EncodedLen(tokenLen)

type nonce [nonceLen]byte

// token is a decoded confirmation token.
type token struct {
	flow    ConfirmFlow
	issued  time.Time
	nonce   nonce
	request [requestLen]byte
	cred    [credLen]byte
	raw     [tokenLen]byte
}

// Issue returns a new confirmation of s through flow. For FlowElicitation
// it also opens the question in this process (see Withdraw); it fails with
// ErrTooManyQuestions when too many are open.
func (c *Confirmations) Issue(flow ConfirmFlow, s ConfirmSubject) (string, error) {
	if !flow.valid() {
		return "", fmt.Errorf("issue a confirmation: unknown flow %d", uint8(flow))
	}
	now := time.Now()
	var t token
	t.flow, t.issued = flow, now.Truncate(time.Second)
	rand.Read(t.nonce[:])
	t.request, t.cred = c.bindings(s)
	if flow == FlowElicitation {
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.asked) >= maxAsked {
			c.sweepAsked(now)
		}
		if len(c.asked) >= maxAsked {
			return "", ErrTooManyQuestions
		}
		c.asked[t.nonce] = t.issued.Add(ConfirmationTTL)
	}
	return c.encode(&t), nil
}

// Verify checks that token is a confirmation this server issued for s
// through flow and that it has not expired, without spending it; it
// returns one of the refusals otherwise. It does not consult the used
// record: only Redeem settles whether a confirmation is still unspent.
func (c *Confirmations) Verify(token string, flow ConfirmFlow, s ConfirmSubject) error {
	_, err := c.open(token, flow, s, false)
	return err
}

// open checks token as Verify describes; with spend, it also closes a
// FlowElicitation confirmation's question, which spends it.
func (c *Confirmations) open(text string, flow ConfirmFlow, s ConfirmSubject, spend bool) (*token, error) {
	t, err := c.check(text, flow, s)
	if err != nil {
		return nil, err
	}
	if flow == FlowElicitation {
		c.mu.Lock()
		defer c.mu.Unlock()
		if _, ok := c.asked[t.nonce]; !ok {
			return nil, ErrConfirmationNotAsked
		}
		if spend {
			delete(c.asked, t.nonce)
		}
	}
	return t, nil
}

// Redeem verifies token as Verify does and spends it: of any number of
// attempts to redeem one confirmation, in this process or in replicas
// sharing the used record, exactly one succeeds. The caller sends the
// request only after Redeem returned nil, and the confirmation is spent
// whatever happens next: a failed or uncertain send needs a new
// confirmation.
//
// A FlowElicitation confirmation is spent by closing its question in this
// process; the others are recorded in the UsedRecord until they expire. It
// returns ErrConfirmationUnrecorded (wrapping the cause) when that record
// fails: without it, single use cannot be promised.
func (c *Confirmations) Redeem(ctx context.Context, token string, flow ConfirmFlow, s ConfirmSubject) error {
	t, err := c.open(token, flow, s, true)
	if err != nil || flow == FlowElicitation {
		return err
	}
	first, err := c.used.MarkUsed(ctx, base64.RawURLEncoding.EncodeToString(t.nonce[:]), t.issued.Add(ConfirmationTTL+clockSkew))
	switch {
	case err != nil:
		return fmt.Errorf("%w: %w", ErrConfirmationUnrecorded, err)
	case !first:
		return ErrConfirmationUsed
	}
	return nil
}

// Withdraw closes the question of a FlowElicitation confirmation that will
// not be redeemed: the person declined or cancelled, or the call ended
// without an answer. It reports whether the question was open; tokens of
// other flows, and anything that is not a token of this server, are left
// alone.
func (c *Confirmations) Withdraw(token string) bool {
	t, err := c.decode(token)
	if err != nil || t.flow != FlowElicitation {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.asked[t.nonce]
	delete(c.asked, t.nonce)
	return ok
}

func (c *Confirmations) sweepAsked(now time.Time) {
	for n, expiry := range c.asked {
		if !now.Before(expiry) {
			delete(c.asked, n)
		}
	}
}

// check decodes token and checks everything but whether it is spent, in
// the order that gives the most useful reason: who issued it, for which
// flow, when, for which request and credential.
func (c *Confirmations) check(text string, flow ConfirmFlow, s ConfirmSubject) (*token, error) {
	t, err := c.decode(text)
	if err != nil {
		return nil, err
	}
	if t.flow != flow {
		return nil, ErrConfirmationOtherFlow
	}
	now := time.Now()
	if !now.Before(t.issued.Add(ConfirmationTTL)) {
		return nil, ErrConfirmationExpired
	}
	if t.issued.After(now.Add(clockSkew)) {
		return nil, fmt.Errorf("%w; it was issued %s in the future, so the replicas' clocks disagree", ErrConfirmationExpired, t.issued.Sub(now).Round(time.Second))
	}
	request, cred := c.bindings(s)
	if !hmac.Equal(request[:], t.request[:]) {
		return nil, ErrConfirmationOtherRequest
	}
	if !hmac.Equal(cred[:], t.cred[:]) {
		return nil, ErrConfirmationOtherCredential
	}
	return t, nil
}

// decode parses a token and checks its tag.
func (c *Confirmations) decode(text string) (*token, error) {
	if len(text) != TokenLen {
		return nil, ErrConfirmationInvalid
	}
	var t token
	if n, err := base64.RawURLEncoding.Strict().Decode(t.raw[:], []byte(text)); err != nil || n != tokenLen || t.raw[0] != tokenVersion {
		return nil, ErrConfirmationInvalid
	}
	if !hmac.Equal(c.tag(t.raw[:offTag]), t.raw[offTag:]) {
		return nil, ErrConfirmationForged
	}
	t.flow = ConfirmFlow(t.raw[offFlow])
	if !t.flow.valid() {
		return nil, ErrConfirmationForged // a tag of this key over a flow it never issues
	}
	t.issued = time.Unix(int64(binary.BigEndian.Uint64(t.raw[offIssued:])), 0)
	copy(t.nonce[:], t.raw[offNonce:])
	copy(t.request[:], t.raw[offRequest:])
	copy(t.cred[:], t.raw[offCred:])
	return &t, nil
}

func (c *Confirmations) encode(t *token) string {
	t.raw[0] = tokenVersion
	t.raw[offFlow] = byte(t.flow)
	binary.BigEndian.PutUint64(t.raw[offIssued:], uint64(t.issued.Unix()))
	copy(t.raw[offNonce:], t.nonce[:])
	copy(t.raw[offRequest:], t.request[:])
	copy(t.raw[offCred:], t.cred[:])
	copy(t.raw[offTag:], c.tag(t.raw[:offTag]))
	return base64.RawURLEncoding.EncodeToString(t.raw[:])
}

func (c *Confirmations) tag(b []byte) []byte {
	m := hmac.New(sha256.New, c.tagKey)
	m.Write(b)
	return m.Sum(nil)[:tagLen]
}

// bindings are the keyed fingerprints of s's request and credential. Each
// part is length-prefixed, so no two different requests share an input.
func (c *Confirmations) bindings(s ConfirmSubject) (request [requestLen]byte, cred [credLen]byte) {
	m := hmac.New(sha256.New, c.bindKey)
	m.Write([]byte("request"))
	for _, part := range [][]byte{[]byte(s.Method), []byte(s.Path), s.Body} {
		m.Write(binary.AppendUvarint(nil, uint64(len(part))))
		m.Write(part)
	}
	copy(request[:], m.Sum(nil))
	m = hmac.New(sha256.New, c.bindKey)
	m.Write([]byte("credential"))
	m.Write([]byte(s.Credential))
	copy(cred[:], m.Sum(nil))
	return request, cred
}
