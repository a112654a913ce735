package inbox

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func newTestConfirmations(t *testing.T, used UsedRecord) *Confirmations {
	t.Helper()
	c, err := NewConfirmations(testSecret, used)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// subject is a MESSAGE as send_message plans it, sent with one credential.
var subject = ConfirmSubject{
	Method:     "POST",
	Path:       "/conversations/v3/conversations/threads/7301/messages",
	Body:       []byte(`{"type":"MESSAGE","text":"Your replacement ships today.","channelId":"1002"}`),
	Credential: "3f2a9c0d1e4b5a67",
}

var flows = []ConfirmFlow{FlowInputRequired, FlowElicitation, FlowPreview}

func issue(t *testing.T, c *Confirmations, flow ConfirmFlow, s ConfirmSubject) string {
	t.Helper()
	tok, err := c.Issue(flow, s)
	if err != nil {
		t.Fatalf("issue %s: %v", flow, err)
	}
	return tok
}

// wantRefusal checks that err is the refusal want, and that its reason
// reaches an audit record.
func wantRefusal(t *testing.T, what string, err error, want *ConfirmationRefusal) {
	t.Helper()
	var r *ConfirmationRefusal
	if !errors.Is(err, want) || !errors.As(err, &r) || r.Reason != want.Reason {
		t.Errorf("%s: %v, want %q (%v)", what, err, want.Reason, want)
	}
}

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func TestConfirmations_ATokenIsRedeemedOnce(t *testing.T) {
	t.Parallel()
	for _, flow := range flows {
		t.Run(flow.String(), func(t *testing.T) {
			t.Parallel()
			c := newTestConfirmations(t, nil)
			tok := issue(t, c, flow, subject)
			if len(tok) != TokenLen || TokenLen != 88 || !urlSafe.MatchString(tok) { // docs/safe-writes.md says 88
				t.Errorf("token %q: want %d URL-safe characters", tok, TokenLen)
			}
			if err := c.Verify(tok, flow, subject); err != nil {
				t.Fatalf("verify: %v", err)
			}
			if err := c.Verify(tok, flow, subject); err != nil {
				t.Fatalf("verify spends nothing, yet a second verify says %v", err)
			}
			if err := c.Redeem(t.Context(), tok, flow, subject); err != nil {
				t.Fatalf("redeem: %v", err)
			}
			want := ErrConfirmationUsed
			if flow == FlowElicitation {
				want = ErrConfirmationNotAsked // spent by closing its question
			}
			wantRefusal(t, "second redeem", c.Redeem(t.Context(), tok, flow, subject), want)
			if tok2 := issue(t, c, flow, subject); tok2 == tok {
				t.Errorf("two confirmations of one request are one token: %s", tok)
			} else if err := c.Redeem(t.Context(), tok2, flow, subject); err != nil {
				t.Errorf("a new confirmation of the same request: %v", err)
			}
		})
	}
}

// reencode returns tok with its bytes changed by edit, and a tag that is
// not recomputed.
func reencode(t *testing.T, tok string, edit func(raw []byte)) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	edit(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func TestConfirmations_RefusesWhatItDidNotIssueForThisRequestAndCredential(t *testing.T) {
	t.Parallel()
	c := newTestConfirmations(t, nil)
	preview := issue(t, c, FlowPreview, subject)
	other, err := NewConfirmations([]byte("another secret, also 32 bytes long"), nil)
	if err != nil {
		t.Fatal(err)
	}
	withBody := func(body string) ConfirmSubject { s := subject; s.Body = []byte(body); return s }

	for _, tc := range []struct {
		name    string
		token   string
		flow    ConfirmFlow
		subject ConfirmSubject
		want    *ConfirmationRefusal
	}{
		{"empty", "", FlowPreview, subject, ErrConfirmationInvalid},
		{"cut short", preview[:len(preview)-1], FlowPreview, subject, ErrConfirmationInvalid},
		{"one character too many", preview + "A", FlowPreview, subject, ErrConfirmationInvalid},
		{"not base64url", strings.Replace(preview, preview[:1], "+", 1), FlowPreview, subject, ErrConfirmationInvalid},
		{"padded", preview[:len(preview)-2] + "==", FlowPreview, subject, ErrConfirmationInvalid},
		{"the old digest of the request", "0123456789abcdef0123456789abcdef", FlowPreview, subject, ErrConfirmationInvalid},
		{"another version", reencode(t, preview, func(b []byte) { b[0] = 2 }), FlowPreview, subject, ErrConfirmationInvalid},
		{"another server's secret", issue(t, other, FlowPreview, subject), FlowPreview, subject, ErrConfirmationForged},
		{"flow changed", reencode(t, preview, func(b []byte) { b[offFlow] = byte(FlowInputRequired) }), FlowInputRequired, subject, ErrConfirmationForged},
		{"issue time moved", reencode(t, preview, func(b []byte) { b[offIssued+7]++ }), FlowPreview, subject, ErrConfirmationForged},
		{"nonce changed", reencode(t, preview, func(b []byte) { b[offNonce] ^= 1 }), FlowPreview, subject, ErrConfirmationForged},
		{"request binding swapped", reencode(t, preview, func(b []byte) {
			r := issue(t, c, FlowPreview, withBody(`{}`))
			raw, _ := base64.RawURLEncoding.DecodeString(r)
			copy(b[offRequest:offCred], raw[offRequest:offCred])
		}), FlowPreview, withBody(`{}`), ErrConfirmationForged},
		{"tag changed", reencode(t, preview, func(b []byte) { b[tokenLen-1] ^= 0x80 }), FlowPreview, subject, ErrConfirmationForged},
		{"a preview token as a request state", preview, FlowInputRequired, subject, ErrConfirmationOtherFlow},
		{"a preview token in a 2025 session", preview, FlowElicitation, subject, ErrConfirmationOtherFlow},
		{"a request state as a preview token", issue(t, c, FlowInputRequired, subject), FlowPreview, subject, ErrConfirmationOtherFlow},
		{"a request state in a 2025 session", issue(t, c, FlowInputRequired, subject), FlowElicitation, subject, ErrConfirmationOtherFlow},
		{"another method", preview, FlowPreview, ConfirmSubject{"PATCH", subject.Path, subject.Body, subject.Credential}, ErrConfirmationOtherRequest},
		{"another thread", preview, FlowPreview, ConfirmSubject{subject.Method, "/conversations/v3/conversations/threads/7302/messages", subject.Body, subject.Credential}, ErrConfirmationOtherRequest},
		{"another query", preview, FlowPreview, ConfirmSubject{subject.Method, subject.Path + "?x=1", subject.Body, subject.Credential}, ErrConfirmationOtherRequest},
		{"one byte of the body", preview, FlowPreview, withBody(strings.Replace(string(subject.Body), "today", "Today", 1)), ErrConfirmationOtherRequest},
		{"no body", preview, FlowPreview, withBody(""), ErrConfirmationOtherRequest},
		{"path and body split elsewhere", issue(t, c, FlowPreview, ConfirmSubject{"POST", "/ab", []byte("c"), "x"}), FlowPreview,
			ConfirmSubject{"POST", "/a", []byte("bc"), "x"}, ErrConfirmationOtherRequest},
		{"another credential", preview, FlowPreview, ConfirmSubject{subject.Method, subject.Path, subject.Body, "00000000deadbeef"}, ErrConfirmationOtherCredential},
		{"no credential", preview, FlowPreview, ConfirmSubject{subject.Method, subject.Path, subject.Body, ""}, ErrConfirmationOtherCredential},
		{"an elicitation another process asked", issue(t, newTestConfirmations(t, nil), FlowElicitation, subject), FlowElicitation, subject, ErrConfirmationNotAsked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRefusal(t, "verify", c.Verify(tc.token, tc.flow, tc.subject), tc.want)
			wantRefusal(t, "redeem", c.Redeem(t.Context(), tc.token, tc.flow, tc.subject), tc.want)
		})
	}
	// None of those refusals spent the real one.
	if err := c.Redeem(t.Context(), preview, FlowPreview, subject); err != nil {
		t.Errorf("the genuine token after the refusals: %v", err)
	}
}

// TestConfirmations_AnyChangedCharacterIsRefused: every bit of the token
// is covered (66 bytes are exactly 88 base64 characters, so no character
// carries unused bits).
func TestConfirmations_AnyChangedCharacterIsRefused(t *testing.T) {
	t.Parallel()
	c := newTestConfirmations(t, nil)
	tok := issue(t, c, FlowInputRequired, subject)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range len(tok) {
		for _, r := range []byte{alphabet[(strings.IndexByte(alphabet, tok[i])+1)%64], alphabet[(strings.IndexByte(alphabet, tok[i])+33)%64]} {
			changed := tok[:i] + string(r) + tok[i+1:]
			var refusal *ConfirmationRefusal
			if err := c.Verify(changed, FlowInputRequired, subject); !errors.As(err, &refusal) {
				t.Fatalf("character %d changed to %q: %v, want a refusal", i, r, err)
			}
		}
	}
}

func TestConfirmations_ExpireAfterTenMinutes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newTestConfirmations(t, nil)
		toks := map[ConfirmFlow]string{}
		for _, flow := range flows {
			toks[flow] = issue(t, c, flow, subject)
		}
		time.Sleep(ConfirmationTTL - time.Second)
		for _, flow := range flows {
			if err := c.Verify(toks[flow], flow, subject); err != nil {
				t.Errorf("%s after 9m59s: %v", flow, err)
			}
		}
		time.Sleep(time.Second)
		for _, flow := range flows {
			wantRefusal(t, flow.String()+" after 10m", c.Redeem(t.Context(), toks[flow], flow, subject), ErrConfirmationExpired)
		}
		if n := c.Open(); n != 0 {
			t.Errorf("%d questions still open after they expired", n)
		}
	})
}

func TestConfirmations_IssuedInTheFutureIsRefused(t *testing.T) {
	t.Parallel()
	c := newTestConfirmations(t, nil)
	future := func(ahead time.Duration) string {
		tk := token{flow: FlowPreview, issued: time.Now().Add(ahead).Truncate(time.Second)}
		tk.request, tk.cred = c.bindings(subject)
		return c.encode(&tk)
	}
	if err := c.Verify(future(30*time.Second), FlowPreview, subject); err != nil {
		t.Errorf("a replica 30s ahead: %v", err)
	}
	err := c.Verify(future(5*time.Minute), FlowPreview, subject)
	wantRefusal(t, "a replica 5m ahead", err, ErrConfirmationExpired)
	if err == nil || !strings.Contains(err.Error(), "clocks") {
		t.Errorf("the refusal does not say why: %v", err)
	}
}

// failingUsed is a used record that cannot be reached.
type failingUsed struct{ err error }

func (f failingUsed) MarkUsed(context.Context, string, time.Time) (bool, error) { return false, f.err }

func TestConfirmations_WithoutTheUsedRecordNothingIsHonoured(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial unix /run/redis.sock: connect: no such file or directory")
	c := newTestConfirmations(t, failingUsed{cause})
	for _, flow := range []ConfirmFlow{FlowInputRequired, FlowPreview} {
		err := c.Redeem(t.Context(), issue(t, c, flow, subject), flow, subject)
		wantRefusal(t, flow.String(), err, ErrConfirmationUnrecorded)
		if !errors.Is(err, cause) {
			t.Errorf("%s: %v does not wrap the cause", flow, err)
		}
	}
	// A 2025 elicitation is spent in the process that asked: it needs no
	// record.
	if err := c.Redeem(t.Context(), issue(t, c, FlowElicitation, subject), FlowElicitation, subject); err != nil {
		t.Errorf("elicitation: %v", err)
	}
}

func TestConfirmations_ExactlyOneOfManyConcurrentRedeemersWins(t *testing.T) {
	t.Parallel()
	for _, flow := range flows {
		t.Run(flow.String(), func(t *testing.T) {
			t.Parallel()
			c := newTestConfirmations(t, nil)
			tok := issue(t, c, flow, subject)
			wins := redeemConcurrently(t, []*Confirmations{c}, tok, flow, 64)
			if wins != 1 {
				t.Errorf("%d of 64 concurrent redeemers won, want 1", wins)
			}
		})
	}
}

// redeemConcurrently redeems tok n times at once, spread over replicas,
// and returns how many succeeded; every other attempt must be refused as
// used (or, for an elicitation, as no longer asked).
func redeemConcurrently(t *testing.T, replicas []*Confirmations, tok string, flow ConfirmFlow, n int) int {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wins  int
		start = make(chan struct{})
	)
	for i := range n {
		c := replicas[i%len(replicas)]
		wg.Go(func() {
			<-start
			err := c.Redeem(t.Context(), tok, flow, subject)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, ErrConfirmationUsed), errors.Is(err, ErrConfirmationNotAsked):
			default:
				t.Errorf("redeem: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	return wins
}

func TestConfirmations_ReplicasSharingTheSecretAndRecordHonourEachOther(t *testing.T) {
	t.Parallel()
	used := NewMemoryUsed(0)
	a, b := newTestConfirmations(t, used), newTestConfirmations(t, used)
	for _, flow := range []ConfirmFlow{FlowInputRequired, FlowPreview} {
		tok := issue(t, a, flow, subject)
		if err := b.Redeem(t.Context(), tok, flow, subject); err != nil {
			t.Errorf("%s issued by a, redeemed by b: %v", flow, err)
		}
		wantRefusal(t, flow.String()+" again at a", a.Redeem(t.Context(), tok, flow, subject), ErrConfirmationUsed)
	}
	// A 2025 question is answered in the process that asked it.
	tok := issue(t, a, FlowElicitation, subject)
	wantRefusal(t, "elicitation at b", b.Redeem(t.Context(), tok, FlowElicitation, subject), ErrConfirmationNotAsked)
	if err := a.Redeem(t.Context(), tok, FlowElicitation, subject); err != nil {
		t.Errorf("elicitation at a: %v", err)
	}
}

func TestConfirmations_WithdrawClosesAQuestion(t *testing.T) {
	t.Parallel()
	c := newTestConfirmations(t, nil)
	tok := issue(t, c, FlowElicitation, subject)
	if n := c.Open(); n != 1 {
		t.Errorf("%d questions open, want 1", n)
	}
	if !c.Withdraw(tok) || c.Withdraw(tok) {
		t.Error("withdraw: want true once, then false")
	}
	wantRefusal(t, "a withdrawn question", c.Redeem(t.Context(), tok, FlowElicitation, subject), ErrConfirmationNotAsked)
	preview := issue(t, c, FlowPreview, subject)
	if c.Withdraw(preview) || c.Withdraw("garbage") || c.Withdraw(issue(t, newTestConfirmations(t, nil), FlowElicitation, subject)) {
		t.Error("withdraw closed something that is not an open question of this process")
	}
	if err := c.Redeem(t.Context(), preview, FlowPreview, subject); err != nil {
		t.Errorf("a preview token after withdraw: %v", err)
	}
	if n := c.Open(); n != 0 {
		t.Errorf("%d questions open, want 0", n)
	}
}

func TestConfirmations_OpenQuestionsAreBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newTestConfirmations(t, nil)
		for range maxAsked {
			issue(t, c, FlowElicitation, subject)
		}
		if _, err := c.Issue(FlowElicitation, subject); !errors.Is(err, ErrTooManyQuestions) {
			t.Fatalf("question %d: %v, want ErrTooManyQuestions", maxAsked+1, err)
		}
		// The other flows keep nothing in the process.
		issue(t, c, FlowPreview, subject)
		time.Sleep(ConfirmationTTL)
		issue(t, c, FlowElicitation, subject)
		if n := c.Open(); n != 1 {
			t.Errorf("%d open after the old ones expired, want 1", n)
		}
	})
}

func TestNewConfirmations_NeedsAStrongSecret(t *testing.T) {
	t.Parallel()
	if _, err := NewConfirmations([]byte("0123456789abcdef0123456789abcde"), nil); err == nil || !strings.Contains(err.Error(), "32") {
		t.Errorf("31 bytes: %v, want an error naming the minimum", err)
	}
	a, b := NewConfirmSecret(), NewConfirmSecret()
	if len(a) < MinConfirmSecretLen || string(a) == string(b) {
		t.Errorf("generated secrets %q and %q: want two different ones of at least %d bytes", a, b, MinConfirmSecretLen)
	}
	if _, err := NewConfirmations(a, nil); err != nil {
		t.Errorf("a generated secret: %v", err)
	}
	if _, err := (&Confirmations{}).Issue(ConfirmFlow(9), subject); err == nil {
		t.Error("an unknown flow was issued")
	}
}
