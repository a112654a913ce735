package tools

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// questionTextLimit is how much of a message's text the confirmation
// question shows.
const questionTextLimit = 600

// sendQuestion asks the user to confirm a MESSAGE, from the request that
// will be sent: recipients with their addresses, channel, sender, subject
// and the text (or its start).
func sendQuestion(_ context.Context, _ *hubspot.Client, in sendMessageInput, planned hubspot.PlannedRequest) (string, error) {
	var req hubspot.SendMessageRequest
	if err := json.Unmarshal(planned.Body, &req); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("Send this message to the customer? Once sent it cannot be taken back.\n\n")
	b.WriteString("To: ")
	for i, r := range req.Recipients {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(recipientLine(r))
	}
	b.WriteString("\nChannel: " + hubspot.ChannelName(req.ChannelID) + " (channel account " + req.ChannelAccountID + ")")
	b.WriteString("\nFrom agent: " + req.SenderActorID)
	b.WriteString("\nThread: " + string(in.ThreadID))
	if req.Subject != "" {
		b.WriteString("\nSubject: " + req.Subject)
	}
	if n := len(req.Attachments); n > 0 {
		b.WriteString("\nAttachments: " + strconv.Itoa(n))
	}
	b.WriteString("\n\n" + textStart(req.Text, questionTextLimit))
	return b.String(), nil
}

// recipientLine is "Name <address> (TO)", or what of it is known.
func recipientLine(r hubspot.RecipientEgg) string {
	var addrs []string
	for _, d := range r.DeliveryIdentifiers {
		addrs = append(addrs, d.Value)
	}
	line := strings.Join(addrs, ", ")
	switch {
	case r.Name != "" && line != "":
		line = r.Name + " <" + line + ">"
	case r.Name != "":
		line = r.Name
	case line == "":
		line = r.ActorID
	}
	if r.RecipientField != "" && r.RecipientField != "TO" {
		line += " (" + r.RecipientField + ")"
	}
	return line
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

// archiveQuestion asks the user to confirm archiving a thread: which
// thread, whose, and that HubSpot deletes it for good after 30 days. It
// reads the thread and its contact (two calls; the names are a nicety, so
// a failed contact look-up only leaves them out).
func archiveQuestion(ctx context.Context, c *hubspot.Client, in threadWriteInput, _ hubspot.PlannedRequest) (string, error) {
	th, err := c.GetThread(ctx, string(in.ThreadID), nil)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("Archive thread " + th.ID)
	var about []string
	if ch := hubspot.ChannelName(th.OriginalChannelID); ch != "" {
		about = append(about, ch)
	}
	if who := contactLine(ctx, c, th.AssociatedContactID); who != "" {
		about = append(about, "with "+who)
	}
	about = append(about, strings.ToLower(th.Status))
	if !th.LatestMessageTimestamp.IsZero() {
		about = append(about, "last message "+th.LatestMessageTimestamp.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if th.AssignedTo != "" {
		about = append(about, "assigned to "+th.AssignedTo)
	}
	b.WriteString(" (" + strings.Join(about, ", ") + ")?\n\n")
	b.WriteString("It moves to the trash, and HubSpot deletes archived threads for good after 30 days. " +
		"Until then it can be restored (update_thread with archived=false). To only close the conversation, decline and close it instead.")
	return b.String(), nil
}

// contactLine names a thread's contact, "Name <email>", from its visitor
// actor; empty when unknown.
func contactLine(ctx context.Context, c *hubspot.Client, contactID string) string {
	if contactID == "" || hubspot.ValidateNumericID("contactId", contactID) != nil {
		return ""
	}
	a, err := c.GetActor(ctx, "V-"+contactID, "")
	if err != nil {
		return "contact " + contactID
	}
	switch {
	case a.Name != "" && a.Email != "":
		return a.Name + " <" + a.Email + ">"
	case a.Name != "":
		return a.Name
	case a.Email != "":
		return a.Email
	}
	return "contact " + contactID
}
