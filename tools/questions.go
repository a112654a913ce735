package tools

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// questionTextLimit is how much of a message's text the confirmation
// question shows.
const questionTextLimit = 600

// sendQuestion asks a person to confirm a MESSAGE, from the request that
// will be sent: recipients by name with the addresses it goes to (never an
// opaque chat ID), the channel and the account it leaves from, the sender
// by name, the subject and the text (or its start). Names come from
// HubSpot's actors and channel accounts (cached); a failed look-up only
// leaves a name out.
func sendQuestion(ctx context.Context, svc *inbox.Service, in sendMessageInput, planned inbox.PlannedRequest) (string, error) {
	var req hubspot.SendMessageRequest
	if err := json.Unmarshal(planned.Body, &req); err != nil {
		return "", err
	}
	ids := []string{req.SenderActorID}
	for _, r := range req.Recipients {
		ids = append(ids, r.ActorID)
	}
	people := view.People(svc.People(ctx, ids))
	var b strings.Builder
	b.WriteString("Send this message to the customer? Once sent it cannot be taken back.\n\n")
	b.WriteString("To: ")
	for i, r := range req.Recipients {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(view.Recipient(r, people).Line(nil))
	}
	b.WriteString("\nChannel: " + view.ChannelName(req.ChannelID) + ", from " + channelAccountLine(ctx, svc, req.ChannelAccountID))
	b.WriteString("\nFrom: " + people.Person(req.SenderActorID).Line(nil))
	b.WriteString("\nThread: " + string(in.ThreadID))
	if req.Subject != "" {
		b.WriteString("\nSubject: " + view.Line(req.Subject, 300))
	}
	if n := len(req.Attachments); n > 0 {
		b.WriteString("\nAttachments: " + strconv.Itoa(n))
	}
	b.WriteString("\n\n" + textStart(view.Text(req.Text), questionTextLimit))
	return b.String(), nil
}

// channelAccountLine names the channel account a message leaves from: its
// name and its own address, when it has one, or its ID when it cannot be
// read.
func channelAccountLine(ctx context.Context, svc *inbox.Service, id string) string {
	ca, err := svc.GetChannelAccount(ctx, id, false)
	if err != nil {
		return "channel account " + id
	}
	v := view.NewChannelAccount(*ca)
	p := view.Person{Name: v.Name, Address: v.Address}
	if strings.EqualFold(p.Name, p.Address) {
		p.Address = ""
	}
	if line := p.Line(nil); line != "" {
		return line
	}
	return "channel account " + id
}

// textStart is text cut to at most limit characters, saying how much was
// left out.
func textStart(text string, limit int) string {
	runes := []rune(text)
	if len(runes) <= limit {
		return text
	}
	return string(runes[:limit]) + "… (" + strconv.Itoa(len(runes)-limit) + " more characters)"
}

// archiveQuestion asks a person to confirm archiving a thread: which
// thread, whose, and that HubSpot deletes it for good after 30 days. It
// reads the thread as it is now (inbox.Fresh: a colleague may have closed
// or taken it a moment ago) and names its customer and assignee (cached
// names; a failed look-up only leaves them out).
func archiveQuestion(ctx context.Context, svc *inbox.Service, in archiveThreadInput, _ inbox.PlannedRequest) (string, error) {
	th, err := svc.GetThread(inbox.Fresh(ctx), string(in.ThreadID), nil)
	if err != nil {
		return "", err
	}
	v := view.NewThread(*th, svc.People(ctx, view.ThreadActors([]hubspot.Thread{*th})), "")
	var about []string
	if v.Channel != "" {
		about = append(about, v.Channel)
	}
	if v.Customer != "" {
		about = append(about, "with "+v.Customer)
	} else if v.ContactID != "" {
		about = append(about, "with contact "+v.ContactID)
	}
	about = append(about, strings.ToLower(v.Status))
	if !th.LatestMessageTimestamp.IsZero() {
		about = append(about, "last message "+th.LatestMessageTimestamp.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if v.AssignedTo != "" {
		about = append(about, "assigned to "+v.AssignedTo)
	} else {
		about = append(about, "unassigned")
	}
	return "Archive thread " + th.ID + " (" + strings.Join(about, ", ") + ")?\n\n" +
		"It moves to the trash, and HubSpot deletes archived threads for good after 30 days. " +
		"Until then it can be restored (update_thread with archived=false). " +
		"To only close the conversation, do not archive it: close it (update_thread with status CLOSED).", nil
}
