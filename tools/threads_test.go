package tools

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// batchRead is the actor look-up that names the people of threads.
const batchRead = "POST /conversations/v3/conversations/actors/batch/read"

var emailThread = view.Thread{
	ID: sandbox.EmailThreadID, InboxID: sandbox.HelpDeskInboxID, Status: "OPEN",
	Customer: "Maya Thompson <maya.thompson@example.com>", ContactID: sandbox.VisitorContactID,
	AssignedTo: "Riley Chen (" + sandbox.AgentActorID + ")",
	Channel:    "email", LatestMessageAt: at("2026-11-18T07:32:00Z"), LatestFrom: "customer",
}

func TestListThreadsTool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		args        string
		check       func(t *testing.T, got listOutput[view.Thread])
		wantRequest string
	}{
		{"open threads of a contact, newest ID first", `{"associatedContactId":"3501","threadStatus":"OPEN","sort":["-id"]}`,
			func(t *testing.T, got listOutput[view.Thread]) {
				ids := mapSlice(got.Results, func(th view.Thread) string { return th.ID })
				if diff := cmp.Diff([]string{"9000000120", "9000000109", "9000000107", sandbox.EmailThreadID}, ids); diff != "" {
					t.Errorf("IDs (-want +got):\n%s", diff)
				}
				if got.Total != nil || got.NextCursor != "" {
					t.Errorf("threads have no total and this is the last page: %+v", got)
				}
			},
			"GET /conversations/v3/conversations/threads?associatedContactId=3501&limit=20&sort=-id&threadStatus=OPEN"},
		{"archived threads", `{"archived":true}`,
			func(t *testing.T, got listOutput[view.Thread]) {
				for _, th := range got.Results {
					if !th.Archived {
						t.Errorf("thread %s is not archived", th.ID)
					}
				}
				if len(got.Results) == 0 || got.Results[0].ID != sandbox.ArchivedThreadID {
					t.Errorf("want %s first, got %+v", sandbox.ArchivedThreadID, got.Results)
				}
			},
			"GET /conversations/v3/conversations/threads?archived=true&limit=20"},
		{"by latest message time in an inbox", `{"inboxId":["` + sandbox.InboxID + `"],"sort":["latestMessageTimestamp"],"latestMessageTimestampAfter":"2026-11-18T02:00:00+02:00","limit":2}`,
			func(t *testing.T, got listOutput[view.Thread]) {
				if len(got.Results) != 2 || got.Results[0].ID != sandbox.AllTypesThreadID {
					t.Errorf("want 2 threads starting with %s, got %+v", sandbox.AllTypesThreadID, got.Results)
				}
			},
			"GET /conversations/v3/conversations/threads?inboxId=147959634&latestMessageTimestampAfter=2026-11-18T00%3A00%3A00Z&limit=2&sort=latestMessageTimestamp"},
		{"with ticket associations", `{"threadStatus":"OPEN","association":["TICKET"],"limit":1}`,
			func(t *testing.T, got listOutput[view.Thread]) {
				if len(got.Results) != 1 || got.Results[0].TicketID != "71200440" || got.NextCursor == "" {
					t.Errorf("want thread %s with ticket 71200440 and a next page, got %+v", sandbox.EmailThreadID, got)
				}
			},
			"GET /conversations/v3/conversations/threads?association=TICKET&limit=1&threadStatus=OPEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			var got listOutput[view.Thread]
			e.ok(t, "list_threads", tt.args, &got)
			tt.check(t, got)
			// The list, then one batched read of the names on the page.
			if diff := cmp.Diff([]string{tt.wantRequest, batchRead}, e.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("HubSpot's combination rules are explained before any call", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		for _, c := range []struct{ args, want string }{
			{`{"associatedContactId":"3501"}`, "threadStatus is required with associatedContactId; use OPEN or CLOSED"},
			{`{"associatedContactId":"3501","threadStatus":"OPEN","inboxId":["1"]}`, "associatedContactId cannot be combined with inboxId"},
			{`{"sort":["-id"]}`, "sort must not start with '-' unless associatedContactId is set"},
			{`{"sort":["createdAt"]}`, `sort[0] must be one of id, latestMessageTimestamp, -id, -latestMessageTimestamp, got "createdAt"`},
			{`{"threadStatus":"PENDING"}`, `threadStatus must be one of OPEN, CLOSED, got "PENDING"`},
			{`{"association":["CONTACT"]}`, `association[0] must be one of TICKET`},
			{`{"latestMessageTimestampAfter":"18/11/2026"}`, "latestMessageTimestampAfter must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z"},
			{`{"associatedTicketId":[71200440]}`, `associatedTicketId must be a string ID such as "123", got a list`},
			{`{"limit":-1}`, "limit must be from 1 to 100, got -1"},
		} {
			e.fails(t, "list_threads", c.args, "Invalid arguments: "+c.want, "Nothing was sent to HubSpot.")
		}
		if got := e.requests(); len(got) != 0 {
			t.Errorf("bad input reached HubSpot: %v", got)
		}
	})
}

func TestGetThreadTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	withTicket := emailThread
	withTicket.TicketID = "71200440"
	tests := []struct {
		name string
		args string
		want view.Thread
	}{
		{"a thread", `{"threadId":"` + sandbox.EmailThreadID + `"}`, emailThread},
		{"with its ticket", `{"threadId":"` + sandbox.EmailThreadID + `","association":["TICKET"]}`, withTicket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got view.Thread
			e.ok(t, "get_thread", tt.args, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("thread (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("archived threads need archived=true", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "get_thread", `{"threadId":"`+sandbox.ArchivedThreadID+`"}`, "Thread 9000000104 not found")
		var got view.Thread
		e.ok(t, "get_thread", `{"threadId":"`+sandbox.ArchivedThreadID+`","archived":true}`, &got)
		if !got.Archived {
			t.Errorf("thread %+v is not archived", got)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "get_thread", `{"threadId":9000000101.5}`, `threadId must be a string ID such as "123", got the number 9000000101.5`)
		e.fails(t, "get_thread", `{"threadId":"9000/../1"}`, "threadId must contain only digits")
		e.fails(t, "get_thread", `{"threadId":"12345678901234567890"}`, "threadId must be a numeric ID of at most 19 digits")
	})
}

func TestUpdateThreadTool(t *testing.T) {
	t.Parallel()
	t.Run("close then reopen", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var closed, reopened view.Thread
		e.ok(t, "update_thread", `{"threadId":"`+sandbox.EmailThreadID+`","status":"CLOSED"}`, &closed)
		if closed.Status != "CLOSED" {
			t.Errorf("after closing: %+v", closed)
		}
		e.ok(t, "update_thread", `{"threadId":"`+sandbox.EmailThreadID+`","status":"OPEN"}`, &reopened)
		if reopened.Status != "OPEN" {
			t.Errorf("after reopening: %+v", reopened)
		}
	})
	t.Run("restore an archived thread", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var got view.Thread
		e.ok(t, "update_thread", `{"threadId":"`+sandbox.ArchivedThreadID+`","archived":false}`, &got)
		if got.Archived || got.ID != sandbox.ArchivedThreadID {
			t.Errorf("restored thread: %+v", got)
		}
		reqs := e.sb.Requests()
		if len(reqs) != 2 || reqs[0].Method != "PATCH" || reqs[0].RawQuery != "archived=true" || string(reqs[0].Body) != `{"archived":false}` {
			t.Errorf("restore sent %+v, want PATCH ?archived=true {\"archived\":false}", reqs)
		}
		e.ok(t, "get_thread", `{"threadId":"`+sandbox.ArchivedThreadID+`"}`, &got)
	})
	t.Run("changing the status of an archived thread says to restore it", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "update_thread", `{"threadId":"`+sandbox.ArchivedThreadID+`","status":"CLOSED"}`,
			"Thread 9000000104 not found", "archived threads must be restored first")
	})
	t.Run("restoring an unknown thread", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "update_thread", `{"threadId":"404","archived":false}`,
			"Archived thread 404 not found; list_threads with archived=true finds archived thread IDs")
	})
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "update_thread", `{"threadId":"1"}`, "status or archived is required")
		e.fails(t, "update_thread", `{"threadId":"1","status":"shut"}`, `status must be one of OPEN, CLOSED, got "shut"`)
		// HubSpot's rules, which the client checks before sending anything.
		e.fails(t, "update_thread", `{"threadId":"1"}`, "status or archived is required: set status to OPEN or CLOSED, or archived to false to restore a trashed thread")
		e.fails(t, "update_thread", `{"threadId":"1","archived":"true"}`, "archived can only be false (restore); archiving a thread is a call of its own")
		e.fails(t, "update_thread", `{"threadId":"1","archived":false,"status":"OPEN"}`, "archived cannot be combined with status")
		e.fails(t, "update_thread", `{"status":"OPEN"}`, "threadId is required")
		if got := e.requests(); len(got) != 0 {
			t.Errorf("bad input reached HubSpot: %v", got)
		}
	})
}

func TestArchiveThreadTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got archiveThreadOutput
	e.ok(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, &got)
	if got.ThreadID != sandbox.ClosedThreadID || !got.Archived {
		t.Errorf("archive result %+v", got)
	}
	e.fails(t, "get_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, "not found")
	var again archiveThreadOutput
	// Archiving is idempotent only in effect: HubSpot no longer finds it.
	e.fails(t, "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`, "Thread 9000000103 not found")
	e.ok(t, "update_thread", `{"threadId":"`+sandbox.ClosedThreadID+`","archived":false}`, &again)
}

func TestAssignThreadTools(t *testing.T) {
	t.Parallel()
	t.Run("assign replaces the assignee", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var got view.Thread
		e.ok(t, "assign_thread", `{"threadId":"`+sandbox.EmailThreadID+`","actorId":"`+sandbox.OtherAgentActorID+`"}`, &got)
		if got.AssignedTo != "Sam Okafor ("+sandbox.OtherAgentActorID+")" {
			t.Errorf("assignedTo = %+v, want %s with a name", got.AssignedTo, sandbox.OtherAgentActorID)
		}
		reqs := e.sb.Requests()
		if len(reqs) != 2 || reqs[0].Method != "PUT" || reqs[0].Path != "/conversations/conversations/v3/threads/9000000101/assignee" ||
			string(reqs[0].Body) != `{"actorId":"A-48151624"}` {
			t.Errorf("assign sent %+v", reqs)
		}
	})
	t.Run("unassign leaves no assignee", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		var got unassignThreadOutput
		e.ok(t, "unassign_thread", `{"threadId":"`+sandbox.AssignedThreadID+`"}`, &got)
		if diff := cmp.Diff(unassignThreadOutput{ThreadID: sandbox.AssignedThreadID, Unassigned: true}, got); diff != "" {
			t.Errorf("unassign (-want +got):\n%s", diff)
		}
		var th view.Thread
		e.ok(t, "get_thread", `{"threadId":"`+sandbox.AssignedThreadID+`"}`, &th)
		if th.AssignedTo != "" {
			t.Errorf("thread still assigned to %+v", th.AssignedTo)
		}
	})
	t.Run("only agents can be assigned", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.fails(t, "assign_thread", `{"threadId":"`+sandbox.EmailThreadID+`","actorId":"`+sandbox.VisitorActorID+`"}`,
			`actorId must be an agent actor ID (A- followed by the user ID, such as A-123), got "V-3501"`)
		e.fails(t, "assign_thread", `{"threadId":"`+sandbox.EmailThreadID+`","actorId":"48151624"}`, `actorId "48151624" names no agent; list_agents lists the agents`)
		e.fails(t, "assign_thread", `{"threadId":"`+sandbox.EmailThreadID+`"}`, "actorId is required")
		e.fails(t, "assign_thread", `{"threadId":"`+sandbox.EmailThreadID+`","actorId":"A-999"}`,
			"HubSpot answered 400 VALIDATION_ERROR to assign thread 9000000101 to A-999: Actor A-999 does not exist")
	})
}
