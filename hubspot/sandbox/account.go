package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultCompany is the company of the default account.
const DefaultCompany = "Juniper Outdoor Co."

// Account is one HubSpot portal inside a Server, selected by its access
// token. Accounts share nothing: each has its own inboxes, threads, actors,
// rate-limit counters and ID sequences. Its methods are safe for concurrent
// use with each other and with HTTP traffic.
type Account struct {
	srv     *Server
	token   string
	profile profile

	inboxes         map[string]*inbox
	channels        map[string]*channel
	channelAccounts map[string]*channelAccount
	threads         map[string]*thread
	actors          map[string]*actor
	owners          []*owner            // by ID
	contacts        map[string]*contact // CRM contacts, by ID
	withheld        map[string]bool     // scopes the token lacks

	visitorIdentification bool
	rate                  rateState

	lastWrite   time.Time // newest timestamp in the account; writes come after it
	messageSeq  int       // drives generated message IDs
	nextThread  int64
	nextContact int
	tokenSeq    int // drives visitor-token IDs
}

// AddAccount adds a freshly seeded account reachable with token, for
// company (DefaultCompany when empty), and returns it. It has the same
// structure and IDs as the default account (the constants in ids.go hold in
// every account) but its own names, addresses and people, so answers tell
// accounts apart. An existing account with the same token is replaced.
// AddAccount panics if token is empty.
func (s *Server) AddAccount(token, company string) *Account {
	if token == "" {
		panic("sandbox: AddAccount needs a non-empty token")
	}
	if company == "" {
		company = DefaultCompany
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &Account{
		srv:                   s,
		token:                 token,
		profile:               newProfile(company, s.created),
		visitorIdentification: s.cfg.visitorIdentification,
		withheld:              maps.Clone(s.cfg.withheld),
	}
	s.created++
	a.seed()
	s.accounts[token] = a
	return a
}

// Account returns the account token selects, or nil.
func (s *Server) Account(token string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[token]
}

// Company returns the account's company name.
func (a *Account) Company() string { return a.profile.company }

// SetVisitorIdentification sets whether the account may create visitor
// identification tokens; false makes the endpoint answer HubSpot's 403 for
// portals without a Professional or Enterprise subscription.
func (a *Account) SetVisitorIdentification(enabled bool) {
	a.srv.mu.Lock()
	defer a.srv.mu.Unlock()
	a.visitorIdentification = enabled
}

// AddIncomingMessage makes the thread's customer write a new message on its
// channel, as if it had just arrived, and returns the message ID. Like
// HubSpot, a new message reopens a closed thread. It fails for unknown and
// archived threads.
func (a *Account) AddIncomingMessage(threadID, text string) (string, error) {
	a.srv.mu.Lock()
	defer a.srv.mu.Unlock()
	t, ok := a.threads[canonicalID(threadID)]
	switch {
	case !ok:
		return "", fmt.Errorf("sandbox: thread %s not found", threadID)
	case t.archived:
		return "", fmt.Errorf("sandbox: thread %s is archived", threadID)
	case text == "":
		return "", fmt.Errorf("sandbox: empty message text")
	}
	now := a.now()
	m := a.customerMessage(t, text, now)
	m.id = a.newMessageID()
	t.appendMessage(m)
	if t.status == statusClosed {
		t.status, t.closedAt = statusOpen, time.Time{}
		t.appendMessage(a.statusChange(SystemActorID, statusOpen, now))
	}
	return m.id, nil
}

// AddThread makes a new customer start a thread on the inbox's channel
// account for channelID (a customer cannot do this through the API) and
// returns the new thread's ID. The new customer is a website visitor
// without a CRM contact.
func (a *Account) AddThread(inboxID, channelID, text string) (string, error) {
	return a.addThread("", inboxID, channelID, text)
}

// AddContactThread is AddThread for a customer the account knows: the
// contact (or visitor) contactID, whose threads HubSpot lists with
// associatedContactId=contactID, starts another thread.
func (a *Account) AddContactThread(contactID, inboxID, channelID, text string) (string, error) {
	if contactID == "" {
		return "", fmt.Errorf("sandbox: no contact ID")
	}
	return a.addThread(contactID, inboxID, channelID, text)
}

func (a *Account) addThread(contact, inboxID, channelID, text string) (string, error) {
	a.srv.mu.Lock()
	defer a.srv.mu.Unlock()
	if text == "" {
		return "", fmt.Errorf("sandbox: empty message text")
	}
	var accounts []*channelAccount
	for _, ca := range a.channelAccounts {
		if ca.InboxID == canonicalID(inboxID) && ca.ChannelID == canonicalID(channelID) && !ca.Archived {
			accounts = append(accounts, ca)
		}
	}
	if len(accounts) == 0 {
		return "", fmt.Errorf("sandbox: inbox %s has no active channel account for channel %s", inboxID, channelID)
	}
	slices.SortFunc(accounts, func(x, y *channelAccount) int { return strings.Compare(idKey(x.ID), idKey(y.ID)) })
	ca := accounts[0]

	v := a.actors["V-"+contact]
	if contact == "" {
		contact = strconv.Itoa(a.nextContact)
		a.nextContact++
		v = &actor{ID: "V-" + contact, Type: actorVisitor, Name: "Website visitor " + contact,
			Email: "visitor" + contact + "@example.com"}
		a.actors[v.ID] = v
	} else if v == nil {
		return "", fmt.Errorf("sandbox: no visitor V-%s", contact)
	}

	now := a.now()
	t := &thread{
		id: strconv.FormatInt(a.nextThread, 10), inboxID: ca.InboxID, status: statusOpen,
		contactID: contact, visitorID: v.ID, createdAt: now,
		channelID: ca.ChannelID, channelAccountID: ca.ID, subject: firstLine(text, 60),
	}
	a.nextThread++
	a.threads[t.id] = t
	m := a.customerMessage(t, text, now)
	m.id = a.newMessageID()
	t.appendMessage(m)
	return t.id, nil
}

// Thread returns the thread, archived or not, as the API renders it (with
// threadAssociations), for assertions that bypass HTTP.
func (a *Account) Thread(threadID string) (json.RawMessage, error) {
	a.srv.mu.Lock()
	defer a.srv.mu.Unlock()
	t, ok := a.threads[canonicalID(threadID)]
	if !ok {
		return nil, fmt.Errorf("sandbox: thread %s not found", threadID)
	}
	return encodeJSON(t.view(true))
}

// now is the timestamp of a write: the clock, but always after everything
// already in the account, so histories stay ordered even with a fixed or
// lagging clock.
func (a *Account) now() time.Time {
	t := stamp(a.srv.cfg.clock())
	if !t.After(a.lastWrite) {
		t = a.lastWrite.Add(time.Millisecond)
	}
	a.lastWrite = t
	return t
}

// newMessageID returns a fresh 32-hex-digit message ID, deterministic per
// account.
func (a *Account) newMessageID() string {
	a.messageSeq++
	return hashID(fmt.Sprintf("%d/new/%d", a.profile.portalID, a.messageSeq))
}

func hashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// firstLine returns s's first line, cut to n runes.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
