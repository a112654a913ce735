package inbox

import (
	"errors"
	"testing"
)

// FuzzConfirmationToken: whatever text arrives as a request state or a
// confirmationToken, Verify and Redeem never panic and never accept it
// unless it is a token this server issued for that flow and request.
func FuzzConfirmationToken(f *testing.F) {
	// A secret of this process: the fuzzing workers are other processes,
	// and a token one of them issued is, to another, one it never issued.
	c, err := NewConfirmations(NewConfirmSecret(), nil)
	if err != nil {
		f.Fatal(err)
	}
	issued := map[string]ConfirmFlow{}
	for _, flow := range flows {
		tok, err := c.Issue(flow, subject)
		if err != nil {
			f.Fatal(err)
		}
		issued[tok] = flow
		f.Add(tok)
		f.Add(tok[:len(tok)-1])
		f.Add(tok + "=")
	}
	for _, seed := range []string{"", "0123456789abcdef0123456789abcdef", "\x00", "%2F", "AQ", string(make([]byte, TokenLen))} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, flow := range flows {
			err := c.Verify(text, flow, subject)
			if err == nil && issued[text] != flow {
				t.Fatalf("accepted %q for %s, which this server never issued", text, flow)
			}
			var refusal *ConfirmationRefusal
			if err != nil && !errors.As(err, &refusal) {
				t.Fatalf("%q: %v is not a refusal", text, err)
			}
			if _, ok := issued[text]; !ok {
				if err := c.Redeem(t.Context(), text, flow, subject); err == nil {
					t.Fatalf("redeemed %q for %s, which this server never issued", text, flow)
				}
			}
		}
		c.Withdraw(text)
	})
}
