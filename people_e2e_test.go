package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// Issue 14, "People, not IDs": each "Done means" point end to end, through
// the official Go SDK client, against the sandbox over real HTTP.

const (
	mayaEmail = "maya.thompson@example.com"
	danaEmail = "dana.whitfield@juniper-outdoor.example"
	samEmail  = "sam.okafor@juniper-outdoor.example"
)

// mayaThreads are the six threads of contact 3501 (four OPEN, two CLOSED),
// newest activity first.
var mayaThreads = []string{"9000000109", sandbox.EmailThreadID, "9000000107", "9000000120", sandbox.ClosedThreadID, "9000000108"}

// peopleServer starts the server on a test sandbox with sandbox options.
func peopleServer(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, *gomcp.ClientSession) {
	t.Helper()
	sb, url := startTestSandbox(t, opts...)
	cs := connect(t, "", []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken,
		"HUBSPOT_SENDER_ACTOR_ID=" + sandbox.AgentActorID, "HUBSPOT_RATE_LIMIT=1000/10s"})
	return sb, cs
}

// hubspotCalls returns the calls the sandbox received since the mark,
// without the actor reads that name people.
func hubspotCalls(sb *sandbox.Server, mark int) []string {
	var out []string
	for _, r := range sb.Requests()[mark:] {
		if strings.HasSuffix(r.Path, "/actors/batch/read") {
			continue
		}
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func ids(out map[string]any) []string {
	var ids []string
	for _, r := range results(out) {
		ids = append(ids, r.(map[string]any)["id"].(string))
	}
	return ids
}

func newestFirst(t *testing.T, out map[string]any) {
	t.Helper()
	var prev time.Time
	for i, r := range results(out) {
		at, err := time.Parse(time.RFC3339, r.(map[string]any)["latestMessageAt"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && at.After(prev) {
			t.Errorf("result %d (%v) is newer than the one before it: not newest first", i, r)
		}
		prev = at
	}
}

// TestPeople_EmailFindsEveryConversationInOneCall: a model given only
// tools/list finds every conversation of a customer with a CRM contact
// from the email address, OPEN and CLOSED, newest first, in one tool call
// and at most three HubSpot calls besides the actor read for names.
func TestPeople_EmailFindsEveryConversationInOneCall(t *testing.T) {
	t.Parallel()
	sb, cs := peopleServer(t)
	list, err := cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var search *gomcp.Tool
	for _, tl := range list.Tools {
		if tl.Name == "search_threads" {
			search = tl
		}
	}
	if search == nil || !strings.Contains(search.Description, "email") || !strings.Contains(search.Description, "OPEN and CLOSED") {
		t.Fatalf("tools/list does not offer search_threads by email: %+v", search)
	}

	mark := len(sb.Requests())
	out := callOK(t, cs, "search_threads", map[string]any{"customer": mayaEmail})
	if got := ids(out); !slices.Equal(got, mayaThreads) {
		t.Errorf("threads %v, want Maya's six, newest first: %v", got, mayaThreads)
	}
	newestFirst(t, out)
	statuses := map[any]int{}
	for _, r := range results(out) {
		th := r.(map[string]any)
		statuses[th["status"]]++
		if th["customer"] != "Maya Thompson <"+mayaEmail+">" {
			t.Errorf("customer %v", th["customer"])
		}
	}
	if statuses["OPEN"] != 4 || statuses["CLOSED"] != 2 {
		t.Errorf("statuses %v, want 4 OPEN and 2 CLOSED", statuses)
	}
	// Every thread names Maya and her contact ID: she is not listed again.
	if got, ok := out["contacts"]; ok {
		t.Errorf("contacts %v: the threads already name the one contact", got)
	}
	for _, r := range results(out) {
		if th := r.(map[string]any); th["contactId"] != "3501" {
			t.Errorf("thread %v: contactId %v, want 3501", th["id"], th["contactId"])
		}
	}
	calls := hubspotCalls(sb, mark)
	if len(calls) > 3 {
		t.Errorf("%d HubSpot calls besides names, want at most 3: %v", len(calls), calls)
	}
	if !slices.Contains(calls, "GET /crm/v3/objects/contacts/"+mayaEmail) {
		t.Errorf("the contact was not read by address: %v", calls)
	}
	t.Logf("search_threads by email: %d HubSpot calls besides names: %v", len(calls), calls)

	t.Run("one cursor pages through the merged OPEN and CLOSED lists", func(t *testing.T) {
		var all []string
		after := ""
		for page := 0; page < 5; page++ {
			args := map[string]any{"customer": mayaEmail, "limit": 4}
			if after != "" {
				args["after"] = after
			}
			out := callOK(t, cs, "search_threads", args)
			all = append(all, ids(out)...)
			after, _ = out["nextCursor"].(string)
			if after == "" {
				break
			}
		}
		if !slices.Equal(all, mayaThreads) {
			t.Errorf("pages gave %v, want %v", all, mayaThreads)
		}
		text := callError(t, cs, "search_threads", map[string]any{"customer": "owen.thompson@example.com", "after": "search~bogus"})
		if !strings.Contains(text, "after must be the nextCursor of a previous search_threads call") {
			t.Errorf("a bad cursor: %s", text)
		}
	})
	t.Run("threadStatus and inboxId narrow it", func(t *testing.T) {
		out := callOK(t, cs, "search_threads", map[string]any{"customer": mayaEmail, "status": "closed"})
		if got := ids(out); !slices.Equal(got, []string{sandbox.ClosedThreadID, "9000000108"}) {
			t.Errorf("CLOSED: %v", got)
		}
		out = callOK(t, cs, "search_threads", map[string]any{"customer": mayaEmail, "inboxId": sandbox.InboxID})
		if got := ids(out); !slices.Equal(got, []string{"9000000120"}) || !strings.Contains(out["note"].(string), "5 threads of other inboxes were left out") {
			t.Errorf("inbox %s: %v, note %v", sandbox.InboxID, got, out["note"])
		}
	})
	t.Run("a visitor without a CRM contact is found among recent threads", func(t *testing.T) {
		out := callOK(t, cs, "search_threads", map[string]any{"customer": "sofia.rossi@example.com"})
		if got := ids(out); !slices.Equal(got, []string{sandbox.ContactlessThreadID}) {
			t.Errorf("threads %v, want %s", got, sandbox.ContactlessThreadID)
		}
		if note, _ := out["note"].(string); !strings.Contains(note, "No CRM contact matches") {
			t.Errorf("note %q", note)
		}
	})
	t.Run("nobody matches: an empty answer that says so", func(t *testing.T) {
		out := callOK(t, cs, "search_threads", map[string]any{"customer": "nobody.at.all@example.net"})
		if len(results(out)) != 0 || !strings.Contains(out["note"].(string), `No CRM contact matches "nobody.at.all@example.net"`) {
			t.Errorf("answer %v", out)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, s := range list {
		out = append(out, s.(string))
	}
	return out
}

// TestPeople_AmbiguousNames: a name matching several contacts lists the
// threads of each and says who matched; past MaxSearchContacts it says how
// many matched and asks for a more precise query; an agent's name that
// matches two agents is refused with the candidates, and nothing is sent.
func TestPeople_AmbiguousNames(t *testing.T) {
	t.Parallel()
	sb, cs := peopleServer(t)
	out := callOK(t, cs, "search_threads", map[string]any{"customer": "Thompson"})
	customers := map[string]bool{}
	for _, r := range results(out) {
		th := r.(map[string]any)
		customers[th["customer"].(string)+" (contact "+th["contactId"].(string)+")"] = true
	}
	if want := map[string]bool{"Owen Thompson <owen.thompson@example.com> (contact 3513)": true,
		"Maya Thompson <" + mayaEmail + "> (contact 3501)": true}; !maps.Equal(customers, want) || out["contacts"] != nil {
		t.Errorf("customers %v, contacts %v: want Maya's and Owen's threads, each naming its contact, and no contact said twice", customers, out["contacts"])
	}
	if got := ids(out); len(got) != 7 || got[0] != sandbox.NamesakeThreadID {
		t.Errorf("threads %v, want Owen's newest one first, then Maya's six", got)
	}
	newestFirst(t, out)
	// A contact who matched but has no thread is named once, in contacts.
	out = callOK(t, cs, "search_threads", map[string]any{"customer": "Maya"})
	if got := toStrings(out["contacts"]); !slices.Equal(got, []string{"Maya Lindgren <maya.lindgren@example.org> (contact 3601)"}) {
		t.Errorf("Maya: contacts %v, want only Maya Lindgren, who has no conversation", got)
	}
	if got := ids(out); !slices.Equal(got, mayaThreads) {
		t.Errorf("Maya: threads %v, want Maya Thompson's %v", got, mayaThreads)
	}

	out = callOK(t, cs, "search_threads", map[string]any{"customer": "example.com"})
	if note, _ := out["note"].(string); !strings.Contains(note, "contacts match; these are the threads of the first 3") {
		t.Errorf("many contacts: contacts %v, note %q", out["contacts"], note)
	}

	sb.InjectFault(sandbox.Fault{Method: "GET", Path: "/crm/v3/owners", Status: 200, Times: -1, Body: `{"results":[
		{"id":"83512003","email":"` + danaEmail + `","firstName":"Dana","lastName":"Whitfield","userId":48151625,"type":"PERSON","archived":false,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"},
		{"id":"83512009","email":"dana.kim@juniper-outdoor.example","firstName":"Dana","lastName":"Kim","userId":48151626,"type":"PERSON","archived":false,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"}]}`})
	mark := len(sb.Requests())
	text := callError(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": "Dana"})
	for _, w := range []string{`actorId "Dana" matches 2 agents`, "Dana Kim <dana.kim@juniper-outdoor.example> (A-48151626)",
		"Dana Whitfield <" + danaEmail + "> (A-48151625)", "Nothing was sent"} {
		if !strings.Contains(text, w) {
			t.Errorf("ambiguous agent: %q lacks %q", text, w)
		}
	}
	// The same for a sender, and for handoff_note's colleague.
	text = callError(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "On its way.", "senderActorId": "dana"})
	if !strings.Contains(text, `senderActorId "dana" matches 2 agents`) || !strings.Contains(text, "Dana Kim") || !strings.Contains(text, "Nothing was sent") {
		t.Errorf("ambiguous sender: %q", text)
	}
	if _, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: "handoff_note", Arguments: map[string]string{"threadId": sandbox.EmailThreadID, "toActorId": "Dana"}}); err == nil ||
		!strings.Contains(err.Error(), `"Dana" matches 2 agents`) {
		t.Errorf("handoff_note to an ambiguous name: %v", err)
	}
	for _, r := range sb.Requests()[mark:] {
		if r.Method != "GET" {
			t.Errorf("an ambiguous agent sent %s %s", r.Method, r.Path)
		}
	}
}

// TestPeople_AssignByNameOrEmail: a colleague given only by name takes one
// look-up (list_agents), and by email none: assign_thread takes the
// address, and a name that matches exactly one agent.
func TestPeople_AssignByNameOrEmail(t *testing.T) {
	t.Parallel()
	_, cs := peopleServer(t)
	agents := callOK(t, cs, "list_agents", map[string]any{"query": "Dana"})
	list, _ := agents["agents"].([]any)
	if len(list) != 1 {
		t.Fatalf("list_agents Dana: %v", agents)
	}
	dana := list[0].(map[string]any)
	if dana["actorId"] != sandbox.OwnerOnlyAgentActorID || dana["name"] != "Dana Whitfield" || dana["email"] != danaEmail {
		t.Errorf("Dana: %v", dana)
	}
	assigned := func(th map[string]any, want string) {
		t.Helper()
		if th["assignedTo"] != want {
			t.Errorf("assignedTo %v, want %s", th["assignedTo"], want)
		}
	}
	assigned(callOK(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": dana["actorId"]}),
		"Dana Whitfield ("+sandbox.OwnerOnlyAgentActorID+")")
	assigned(callOK(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": samEmail}),
		"Sam Okafor ("+sandbox.OtherAgentActorID+")")
	assigned(callOK(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "assignee": "Dana Whitfield"}),
		"Dana Whitfield ("+sandbox.OwnerOnlyAgentActorID+")")

	all := callOK(t, cs, "list_agents", map[string]any{})
	var names []string
	for _, a := range all["agents"].([]any) {
		names = append(names, a.(map[string]any)["name"].(string))
	}
	if !slices.Equal(names, []string{"Dana Whitfield", "Riley Chen", "Sam Okafor"}) || all["partial"] != nil {
		t.Errorf("agents %v (partial %v): want the three agents, no queue, archived owner or owner without a user", names, all["partial"])
	}
	text := callError(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": "nobody@juniper-outdoor.example"})
	if !strings.Contains(text, `actorId "nobody@juniper-outdoor.example" names no agent; list_agents lists the agents`) {
		t.Errorf("unknown address: %s", text)
	}

	res, err := cs.GetPrompt(t.Context(), &gomcp.GetPromptParams{Name: "handoff_note", Arguments: map[string]string{"threadId": sandbox.EmailThreadID, "toActorId": "Sam"}})
	if err != nil {
		t.Fatal(err)
	}
	task := res.Messages[len(res.Messages)-1].Content.(*gomcp.TextContent).Text
	if !strings.Contains(task, "so that Sam Okafor ("+sandbox.OtherAgentActorID+") can take over") ||
		!strings.Contains(task, "actorId "+sandbox.OtherAgentActorID) {
		t.Errorf("handoff_note by name:\n%s", task)
	}
}

// TestPeople_SenderByEmail: HUBSPOT_SENDER_ACTOR_ID and senderActorId take
// an agent's email address; the message goes out as that agent's actor ID.
func TestPeople_SenderByEmail(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	cs := connect(t, "", []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken,
		"HUBSPOT_SENDER_ACTOR_ID=RILEY.CHEN@juniper-outdoor.example", "MCP_CONFIRM_WRITES=never"})
	sent := func() map[string]any {
		t.Helper()
		reqs := sb.Requests()
		for i := len(reqs) - 1; i >= 0; i-- {
			if reqs[i].Method == "POST" && strings.HasSuffix(reqs[i].Path, "/messages") {
				var body map[string]any
				if err := json.Unmarshal(reqs[i].Body, &body); err != nil {
					t.Fatal(err)
				}
				return body
			}
		}
		t.Fatal("nothing sent")
		return nil
	}
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "text": "On its way."})
	if got := sent()["senderActorId"]; got != sandbox.AgentActorID {
		t.Errorf("sent as %v, want %s (HUBSPOT_SENDER_ACTOR_ID by email)", got, sandbox.AgentActorID)
	}
	callOK(t, cs, "send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "MESSAGE", "body": "Tracking attached.", "senderActorId": samEmail})
	if got := sent(); got["senderActorId"] != sandbox.OtherAgentActorID || got["text"] != "Tracking attached." {
		t.Errorf("sent %v, want Sam's actor ID and the body alias as text", got)
	}
}

// TestPeople_MissingScopes: without the contacts or owners scope, the
// answers are useful, partial, and name the scope; never a bare 403.
func TestPeople_MissingScopes(t *testing.T) {
	t.Parallel()
	sb, cs := peopleServer(t, sandbox.WithoutScopes(hubspot.ScopeContactsRead, hubspot.ScopeOwnersRead))

	out := callOK(t, cs, "search_threads", map[string]any{"customer": mayaEmail})
	note, _ := out["note"].(string)
	if out["partial"] != true || !strings.Contains(note, "lacks the scope "+hubspot.ScopeContactsRead) || !strings.Contains(note, "100 most recently active threads") {
		t.Errorf("partial %v, note %q", out["partial"], note)
	}
	if got := ids(out); !slices.Equal(got, mayaThreads) {
		t.Errorf("threads %v, want Maya's six (all among the recent threads here)", got)
	}
	newestFirst(t, out)

	agents := callOK(t, cs, "list_agents", map[string]any{})
	note, _ = agents["note"].(string)
	if agents["partial"] != true || !strings.Contains(note, "lacks the scope "+hubspot.ScopeOwnersRead) {
		t.Errorf("list_agents: partial %v, note %q", agents["partial"], note)
	}
	var found []string
	for _, a := range agents["agents"].([]any) {
		found = append(found, a.(map[string]any)["actorId"].(string))
	}
	if !slices.Contains(found, sandbox.AgentActorID) || !slices.Contains(found, sandbox.OtherAgentActorID) || slices.Contains(found, sandbox.OwnerOnlyAgentActorID) {
		t.Errorf("agents seen in recent threads: %v", found)
	}
	// An address among them still works; a name is not trusted from a
	// partial list; someone only the owners list knows is not found.
	th := callOK(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": samEmail})
	if th["assignedTo"] != "Sam Okafor ("+sandbox.OtherAgentActorID+")" {
		t.Errorf("assigned to %v", th["assignedTo"])
	}
	for _, c := range []struct{ ref, want string }{
		{"Sam", `matches only Sam Okafor <` + samEmail + `> (A-48151624) among the agents seen in recent threads (the access token lacks the scope crm.objects.owners.read`},
		{danaEmail, `names no agent among the agents seen in recent threads (the access token lacks the scope crm.objects.owners.read`},
	} {
		if text := callError(t, cs, "assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": c.ref}); !strings.Contains(text, c.want) {
			t.Errorf("%s: %s", c.ref, text)
		}
	}
	for _, r := range sb.Requests() {
		if r.Status == 403 && !strings.HasPrefix(r.Path, "/crm/") {
			t.Errorf("a conversations call was refused: %s %s", r.Method, r.Path)
		}
	}
}

// TestPeople_NoParameterIgnored: list_threads {"status":"OPEN"} lists only
// OPEN threads (an alias), and an unknown parameter is refused with a
// suggestion on every tool, read-only ones included, sending nothing.
func TestPeople_NoParameterIgnored(t *testing.T) {
	t.Parallel()
	sb, cs := peopleServer(t)
	for _, status := range []string{"OPEN", "CLOSED"} {
		out := callOK(t, cs, "list_threads", map[string]any{"status": status, "limit": 100})
		if len(results(out)) == 0 {
			t.Errorf("status %s: no threads", status)
		}
		for _, r := range results(out) {
			if got := r.(map[string]any)["status"]; got != status {
				t.Errorf(`list_threads {"status":%q} returned a %v thread`, status, got)
			}
		}
	}
	mark := len(sb.Requests())
	for _, c := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"list_threads", map[string]any{"threadStatuss": "OPEN"}, `"threadStatuss" is not a known parameter (did you mean threadStatus?)`},
		{"get_thread", map[string]any{"threadId": sandbox.EmailThreadID, "verbose": true}, `"verbose" is not a known parameter; allowed: threadId, archived, association, property`},
		{"update_thread", map[string]any{"threadId": sandbox.EmailThreadID, "threadStatus": "CLOSED"}, `"threadStatus" is not a known parameter (did you mean status?)`},
		{"send_message", map[string]any{"threadId": sandbox.EmailThreadID, "type": "COMMENT", "text": "x", "dry_run": true}, `"dry_run" is not a known parameter (did you mean dryRun?)`},
	} {
		if text := callError(t, cs, c.tool, c.args); !strings.Contains(text, c.want) || !strings.Contains(text, "Nothing was sent to HubSpot") {
			t.Errorf("%s(%v): %s", c.tool, c.args, text)
		}
	}
	if got := sb.Requests()[mark:]; len(got) != 0 {
		t.Errorf("refused calls reached HubSpot: %d requests", len(got))
	}
}

// TestPeople_AssignToAColleagueCounts: "assign a thread to a colleague
// given only their name or email: one lookup call, or none with the
// email", counted at the client (tool calls) and at HubSpot, each route on
// a fresh server, as a model given only tools/list would take it.
func TestPeople_AssignToAColleagueCounts(t *testing.T) {
	t.Parallel()
	const assign = "PUT /conversations/conversations/v3/threads/" + sandbox.EmailThreadID + "/assignee"
	type caller func(name string, args map[string]any) map[string]any
	for _, c := range []struct {
		name    string
		route   func(t *testing.T, call caller)
		lookups int
		want    []string // HubSpot calls besides the names' actor reads
	}{
		{"by email: no look-up", func(t *testing.T, call caller) {
			call("assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": samEmail})
		}, 0, []string{"GET /crm/v3/owners", assign}},
		{"by name: one look-up, then the actor ID", func(t *testing.T, call caller) {
			found := call("list_agents", map[string]any{"query": "Sam"})
			list, _ := found["agents"].([]any)
			if len(list) != 1 {
				t.Fatalf("list_agents Sam: %v", found)
			}
			call("assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": list[0].(map[string]any)["actorId"]})
		}, 1, []string{"GET /crm/v3/owners", assign}},
		{"by a name that names one agent: no look-up either", func(t *testing.T, call caller) {
			call("assign_thread", map[string]any{"threadId": sandbox.EmailThreadID, "actorId": "Sam Okafor"})
		}, 0, []string{"GET /crm/v3/owners", assign}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sb, cs := peopleServer(t)
			list, err := cs.ListTools(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, tl := range list.Tools {
				if tl.Name == "assign_thread" && !strings.Contains(string(mustJSON(t, tl.InputSchema)), "email or name") {
					t.Errorf("assign_thread's actorId does not say it takes an email or a name: %s", mustJSON(t, tl.InputSchema))
				}
			}
			mark, calls := len(sb.Requests()), 0
			c.route(t, func(name string, args map[string]any) map[string]any {
				calls++
				return callOK(t, cs, name, args)
			})
			if calls != c.lookups+1 {
				t.Errorf("%d tool calls, want %d look-ups and the assignment", calls, c.lookups)
			}
			if got := hubspotCalls(sb, mark); !slices.Equal(got, c.want) {
				t.Errorf("HubSpot calls %v, want %v", got, c.want)
			}
			th := callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
			if th["assignedTo"] != "Sam Okafor ("+sandbox.OtherAgentActorID+")" {
				t.Errorf("assignedTo %v", th["assignedTo"])
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPeople_InboxFilterPageBound: HubSpot cannot filter a contact's
// threads by inbox, so the server does, reading at most SearchPageBound
// threads per contact and status a page; when that bound ends a page
// early, the answer says so and nextCursor reads on to the rest.
func TestPeople_InboxFilterPageBound(t *testing.T) {
	t.Parallel()
	sb, cs := peopleServer(t)
	acct := sb.Account(sandbox.DefaultToken)
	for i := range inbox.SearchPageBound + 1 {
		if _, err := acct.AddContactThread(sandbox.VisitorContactID, sandbox.HelpDeskInboxID, sandbox.LiveChatChannelID, fmt.Sprintf("Question %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var got, notes []string
	after := ""
	for page := 0; page < 5; page++ {
		args := map[string]any{"customer": mayaEmail, "inboxId": sandbox.InboxID}
		if after != "" {
			args["after"] = after
		}
		out := callOK(t, cs, "search_threads", args)
		got = append(got, ids(out)...)
		note, _ := out["note"].(string)
		notes = append(notes, note)
		if after, _ = out["nextCursor"].(string); after == "" {
			break
		}
	}
	if !slices.Equal(got, []string{"9000000120"}) {
		t.Errorf("threads %v, want Maya's one thread of inbox %s", got, sandbox.InboxID)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "The page bound (100 threads read per contact and status) ended this page early; nextCursor reads on.") ||
		!strings.Contains(notes[0], "threads of other inboxes were left out") {
		t.Errorf("notes %q: want a first page the bound ended, saying so, and a second", notes)
	}
}
