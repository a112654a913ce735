package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// visitorTokenTTL is how long HubSpot's identification tokens live.
const visitorTokenTTL = 12 * time.Hour

// createVisitorToken is POST /visitor-identification/v3/tokens/create.
func createVisitorToken(a *Account, r *http.Request) (reply, error) {
	if !a.visitorIdentification {
		return reply{}, &apiError{
			status:   http.StatusForbidden,
			category: categoryForbidden,
			message: "Access to the visitor identification API requires a Professional or Enterprise subscription; " +
				"this account does not have a qualifying subscription",
		}
	}
	var body struct {
		Email     *string           `json:"email"`
		FirstName string            `json:"firstName"`
		LastName  string            `json:"lastName"`
		Context   map[string]string `json:"hsCustomerAgentContext"`
	}
	if err := decodeBody(r, &body); err != nil {
		return reply{}, err
	}
	if body.Email == nil || *body.Email == "" {
		return reply{}, invalidParam("email", "email is required")
	}
	if !looksLikeEmail(*body.Email) {
		return reply{}, invalidParam("email", "Invalid value for field 'email': %q is not a valid email address", *body.Email)
	}
	a.tokenSeq++
	now := a.srv.cfg.clock().UTC()
	claims := map[string]any{
		"sub":      *body.Email,
		"email":    *body.Email,
		"portalId": a.profile.portalID,
		"iat":      now.Unix(),
		"exp":      now.Add(visitorTokenTTL).Unix(),
		"jti":      hashID(fmt.Sprintf("%d/visitor-token/%d", a.profile.portalID, a.tokenSeq)),
	}
	if body.FirstName != "" {
		claims["firstName"] = body.FirstName
	}
	if body.LastName != "" {
		claims["lastName"] = body.LastName
	}
	if len(body.Context) > 0 {
		claims["hsCustomerAgentContext"] = body.Context
	}
	token, err := signJWT(claims, []byte(fmt.Sprintf("sandbox-visitor-key/%d", a.profile.portalID)))
	if err != nil {
		return reply{}, err
	}
	return reply{body: map[string]string{"token": token}}, nil
}

// looksLikeEmail accepts a bare address with a dotted domain.
func looksLikeEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

// signJWT returns an HS256 JSON Web Token of claims.
func signJWT(claims map[string]any, key []byte) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	unsigned := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil)), nil
}
