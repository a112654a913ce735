package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// referenceTime is the fixed "now" of the seed.
var referenceTime = time.Date(2026, time.November, 20, 9, 0, 0, 0, time.UTC)

// ReferenceTime returns the fixed "now" of the seed, 2026-11-20T09:00:00Z:
// every seeded timestamp lies before it, most in the three weeks before it.
func ReferenceTime() time.Time { return referenceTime }

// person is a seeded human.
type person struct{ first, last string }

func (p person) name() string { return p.first + " " + p.last }

// emailAt is the person's address in domain, e.g. maya.thompson@example.com.
func (p person) emailAt(domain string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	return clean(p.first) + "." + clean(p.last) + "@" + domain
}

// profile is what makes one account's seed differ from another's.
type profile struct {
	company  string
	domain   string // e.g. juniper-outdoor.example
	portalID int
	appID    int // the private app behind IntegratorActorID
	agents   [2]person
	staff    [3]person // CRM owners beyond the agents (see seedCRM)
	visitors []person  // index 0 is VisitorActorID
}

// agentRoster and visitorRoster give each account its own people: account k
// takes agent pair k mod 3 and visitors from offset 30k in the roster.
var (
	agentRoster = [][2]person{
		{{"Riley", "Chen"}, {"Sam", "Okafor"}},
		{{"Jamie", "Rivera"}, {"Noor", "Haddad"}},
		{{"Alex", "Moreau"}, {"Kenji", "Watanabe"}},
	}
	visitorRoster = []person{
		{"Maya", "Thompson"}, {"Daniel", "Ortiz"}, {"Erin", "Walsh"}, {"Priya", "Raman"}, {"Tom", "Becker"},
		{"Aisha", "Khan"}, {"Lukas", "Schneider"}, {"Grace", "O'Neill"}, {"Hiro", "Tanaka"}, {"Sofia", "Rossi"},
		{"Ben", "Carter"}, {"Nadia", "Petrova"}, {"Owen", "Davies"}, {"Chloe", "Martin"}, {"Marcus", "Bell"},
		{"Ingrid", "Larsen"}, {"Diego", "Alvarez"}, {"Hannah", "Fischer"}, {"Kwame", "Mensah"}, {"Laura", "Nguyen"},
		{"Patrick", "Doyle"}, {"Yara", "Haddad"}, {"Ethan", "Brooks"}, {"Mei", "Lin"}, {"Oscar", "Lindqvist"},
		{"Rosa", "Delgado"}, {"Felix", "Wagner"}, {"Amara", "Obi"}, {"Connor", "Reid"}, {"Lena", "Kowalski"},
		{"Jonas", "Berg"}, {"Fatima", "Zahra"}, {"Liam", "Gallagher"}, {"Ana", "Souza"}, {"Viktor", "Novak"},
		{"Isla", "Campbell"}, {"Rahul", "Mehta"}, {"Clara", "Dubois"}, {"Sean", "Murphy"}, {"Tala", "Reyes"},
		{"Nils", "Johansson"}, {"Keiko", "Sato"}, {"Andre", "Silva"}, {"Molly", "Price"}, {"Tariq", "Aziz"},
		{"Elena", "Popescu"}, {"Jake", "Turner"}, {"Zoe", "Laurent"}, {"Emeka", "Eze"}, {"Freya", "Hughes"},
		{"Mateo", "Romero"}, {"Sanna", "Virtanen"}, {"Caleb", "Ward"}, {"Lucia", "Ferraro"}, {"Arjun", "Nair"},
		{"Nora", "Quinn"}, {"Pavel", "Horak"}, {"Ruby", "Sinclair"}, {"Tobias", "Keller"}, {"Esme", "Hart"},
	}
)

func newProfile(company string, k int) profile {
	p := profile{
		company:  company,
		domain:   domainOf(company),
		portalID: 48151600 + k,
		appID:    1144555,
		agents:   agentRoster[k%len(agentRoster)],
	}
	for i := range 30 {
		p.visitors = append(p.visitors, visitorRoster[(i+30*k)%len(visitorRoster)])
	}
	p.staff = staffRoster[k%len(staffRoster)]
	// NamesakeContactID shares VisitorActorID's last name in every account.
	p.visitors[namesakeVisitor].last = p.visitors[0].last
	return p
}

// domainOf turns a company name into its example domain:
// "Juniper Outdoor Co." becomes "juniper-outdoor.example".
func domainOf(company string) string {
	ascii := strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsMark(r)) {
			return -1 // keep host names ASCII: "Björk" becomes "bjrk"
		}
		return r
	}, strings.ToLower(company))
	words := strings.FieldsFunc(ascii, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
	for len(words) > 1 {
		switch words[len(words)-1] {
		case "co", "company", "inc", "ltd", "llc", "gmbh", "corp", "sa", "ag":
			words = words[:len(words)-1]
			continue
		}
		break
	}
	if len(words) == 0 {
		return "sandbox.example"
	}
	return strings.Join(words, "-") + ".example"
}

// label names an object after the company in every account but the
// default one, so accounts can be told apart by name alone.
func (p *profile) label(base string) string {
	if p.company == DefaultCompany {
		return base
	}
	return base + " (" + p.company + ")"
}

// archivedChannelAccountID is the retired chat widget of the archived inbox.
const archivedChannelAccountID = "240000099"

func day(d, h int) time.Duration { return time.Duration(d)*24*time.Hour + time.Duration(h)*time.Hour }

func ago(d time.Duration) time.Time { return referenceTime.Add(-d) }

// seed fills the account: inboxes, channels, channel accounts, actors and
// threads. It runs with the server's lock held.
func (a *Account) seed() {
	p := &a.profile
	a.inboxes = map[string]*inbox{}
	for _, in := range []*inbox{
		{ID: InboxID, Name: p.label("Sales & general"), Type: inboxTypeInbox,
			CreatedAt: ago(day(612, 5)), UpdatedAt: ago(day(41, 3))},
		{ID: HelpDeskInboxID, Name: p.label("Customer support"), Type: inboxTypeHelpDesk,
			CreatedAt: ago(day(560, 2)), UpdatedAt: ago(day(9, 6))},
		{ID: ArchivedInboxID, Name: p.label("Holiday returns 2025"), Type: inboxTypeInbox, Archived: true,
			ArchivedAt: ago(day(268, 4)), CreatedAt: ago(day(402, 7)), UpdatedAt: ago(day(268, 4))},
	} {
		a.inboxes[in.ID] = in
	}
	a.channels = map[string]*channel{
		LiveChatChannelID:  {ID: LiveChatChannelID, Name: "Live chat"},
		MessengerChannelID: {ID: MessengerChannelID, Name: "Facebook Messenger"},
		EmailChannelID:     {ID: EmailChannelID, Name: "Email"},
	}
	opaque := func(v string) *deliveryIdentifier { return &deliveryIdentifier{Type: deliveryOpaque, Value: v} }
	email := func(v string) *deliveryIdentifier { return &deliveryIdentifier{Type: deliveryEmail, Value: v} }
	a.channelAccounts = map[string]*channelAccount{}
	for _, ca := range []*channelAccount{
		{ID: ChatChannelAccountID, Name: p.company + " website chat", ChannelID: LiveChatChannelID, InboxID: HelpDeskInboxID,
			CreatedAt: ago(day(559, 3)), DeliveryIdentifier: opaque(fmt.Sprintf("livechat-%d-website", p.portalID))},
		{ID: EmailChannelAccountID, Name: "support@" + p.domain, ChannelID: EmailChannelID, InboxID: HelpDeskInboxID,
			CreatedAt: ago(day(559, 1)), DeliveryIdentifier: email("support@" + p.domain)},
		{ID: MessengerChannelAccountID, Name: p.company + " on Facebook", ChannelID: MessengerChannelID, InboxID: HelpDeskInboxID,
			CreatedAt: ago(day(421, 6)), DeliveryIdentifier: opaque(strconv.Itoa(104872310562200 + p.portalID%100))},
		{ID: SalesEmailChannelAccountID, Name: "sales@" + p.domain, ChannelID: EmailChannelID, InboxID: InboxID,
			CreatedAt: ago(day(611, 8)), DeliveryIdentifier: email("sales@" + p.domain)},
		{ID: archivedChannelAccountID, Name: p.company + " holiday returns chat", ChannelID: LiveChatChannelID,
			InboxID: ArchivedInboxID, Archived: true, ArchivedAt: ago(day(268, 4)), CreatedAt: ago(day(401, 2)),
			DeliveryIdentifier: opaque(fmt.Sprintf("livechat-%d-holiday", p.portalID))},
	} {
		ca.Active, ca.Authorized = !ca.Archived, !ca.Archived
		a.channelAccounts[ca.ID] = ca
	}
	a.seedActors()
	a.threads = map[string]*thread{}
	a.lastWrite = referenceTime.Add(-time.Millisecond)
	for _, st := range seedThreads() {
		a.buildThread(st)
	}
	a.nextThread = 9000000200
	a.nextContact = 3701
	a.seedCRM()
}

func (a *Account) seedActors() {
	p := &a.profile
	avatar := func(slug string) string { return fmt.Sprintf("https://cdn.%s/avatars/%s.png", p.domain, slug) }
	agent := func(id string, who person) *actor {
		return &actor{ID: id, Type: actorAgent, Name: who.name(), Email: who.emailAt(p.domain),
			Avatar: avatar(strings.ToLower(who.first + "-" + who.last))}
	}
	a.actors = map[string]*actor{}
	for _, act := range []*actor{
		agent(AgentActorID, p.agents[0]),
		agent(OtherAgentActorID, p.agents[1]),
		{ID: BotActorID, Type: actorBot, Name: "Trail Guide", Avatar: avatar("trail-guide-bot")},
		{ID: IntegratorActorID, Type: actorIntegrator, Name: p.company + " order desk", Avatar: avatar("order-desk-app")},
		{ID: SystemActorID, Type: actorSystem},
		{ID: EmailActorID, Type: actorEmail, Email: strings.TrimPrefix(EmailActorID, "E-")},
		{ID: LLMActorID, Type: actorLLM, Name: "Customer Agent", Avatar: avatar("customer-agent")},
	} {
		a.actors[act.ID] = act
	}
	for i, who := range p.visitors {
		id := visitorID(i)
		a.actors[id] = &actor{ID: id, Type: actorVisitor, Name: who.name(), Email: who.emailAt("example.com")}
	}
}

// visitorID is the actor ID of seeded visitor i; its contact ID is the
// number after "V-" (VisitorActorID is visitor 0).
func visitorID(i int) string { return "V-" + strconv.Itoa(3501+i) }
