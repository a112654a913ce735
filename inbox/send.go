package inbox

import (
	"context"
	"strconv"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// FillDefaults looks among the thread's LookupLimit newest history entries
// (HubSpot's largest page) for the latest incoming message, so a MESSAGE
// with defaults costs one read and the send, however long the thread.
const LookupLimit = 100

// StepError is the failure of a read-only step before a write, such as
// FillDefaults' look-up of the latest incoming message: nothing was sent.
type StepError struct {
	// Action says what the step tried, for the reader of the error.
	Action string
	Err    error
}

func (e *StepError) Error() string { return e.Action + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// FillDefaults completes a MESSAGE to send on a thread, leaving a COMMENT
// as it is: the sender from Config.SenderActorID, and the channel, channel
// account, recipients and an email's subject from the thread's latest
// incoming message. It returns that message's ID when it used it. A step
// that fails returns a *StepError; a MESSAGE that cannot be completed
// returns a *hubspot.ArgumentError naming what to pass.
func (s *Service) FillDefaults(ctx context.Context, threadID string, req *hubspot.SendMessageRequest) (string, error) {
	// The sender, given as an actor ID, an email address or a name, is
	// resolved first: a COMMENT may name one too.
	from := ""
	if req.SenderActorID == "" && req.Type == hubspot.MessageTypeMessage {
		req.SenderActorID, from = s.cfg.SenderActorID, "HUBSPOT_SENDER_ACTOR_ID"
	}
	if from != "" && req.SenderActorID != "" && ValidateAgentSetting(from, req.SenderActorID) != nil {
		return "", argErr("senderActorId", "must be passed: HUBSPOT_SENDER_ACTOR_ID is "+hubspot.Quote(req.SenderActorID)+
			", which is neither an agent actor ID (A-…) nor an email address")
	}
	if req.SenderActorID != "" {
		a, err := s.resolveAgent(ctx, nil, "senderActorId", from, req.SenderActorID)
		if err != nil {
			return "", err
		}
		req.SenderActorID = a.ActorID
	}
	if req.Type != hubspot.MessageTypeMessage {
		return "", nil
	}
	if req.SenderActorID == "" {
		return "", argErr("senderActorId", "is required for a MESSAGE: set HUBSPOT_SENDER_ACTOR_ID, or pass the actor ID (A-…) or email address of the agent sending; "+
			"list_agents lists the agents")
	}
	if req.ChannelID != "" && req.ChannelAccountID != "" && len(req.Recipients) > 0 {
		return "", nil
	}
	ref, err := s.latestIncoming(ctx, threadID)
	if err != nil {
		return "", &StepError{Action: "find the latest incoming message of thread " + threadID + " (to default channelId, channelAccountId and recipients)", Err: err}
	}
	missing := func(name string) error {
		why := "the thread has no incoming message among its " + strconv.Itoa(LookupLimit) + " most recent entries to copy it from"
		if ref != nil {
			why = "channelId " + req.ChannelID + " differs from the channel of the latest incoming message " + ref.ID
		}
		return argErr(name, "is required for this MESSAGE: "+why+"; pass it explicitly (list_channel_accounts lists channels and accounts)")
	}
	if ref == nil || (req.ChannelID != "" && req.ChannelID != ref.ChannelID) {
		switch {
		case req.ChannelID == "":
			return "", missing("channelId")
		case req.ChannelAccountID == "":
			return "", missing("channelAccountId")
		case len(req.Recipients) == 0:
			return "", missing("recipients")
		}
	}
	if req.ChannelID == "" {
		req.ChannelID = ref.ChannelID
	}
	if req.ChannelAccountID == "" {
		req.ChannelAccountID = ref.ChannelAccountID
	}
	if req.Subject == "" && ref.Subject != "" && req.ChannelID == hubspot.ChannelEmail {
		// An email reply without a subject reaches the customer as "(no subject)".
		req.Subject = replySubject(ref.Subject)
	}
	if len(req.Recipients) == 0 {
		req.Recipients = replyRecipients(*ref)
		if len(req.Recipients) == 0 {
			return "", argErr("recipients", "is required for this MESSAGE: the latest incoming message "+ref.ID+
				" names no sender address to reply to; pass recipients with deliveryIdentifiers")
		}
	}
	return ref.ID, nil
}

// SendMessage sends a message or adds a comment to a thread, as req says
// (see FillDefaults to complete a MESSAGE first), and returns the created
// message. It is never retried once the request may have reached HubSpot,
// so a message is never sent twice.
func (s *Service) SendMessage(ctx context.Context, threadID string, req hubspot.SendMessageRequest) (*hubspot.Message, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	m, err := cr.client.SendMessage(withTarget(ctx, target{threadID: threadID, channelAccountID: req.ChannelAccountID}), threadID, req)
	cr.wrote(threadID, nil, err)
	return m, err
}

// latestIncoming returns the newest INCOMING message of type MESSAGE among
// the thread's LookupLimit most recent history entries, or nil: one read.
func (s *Service) latestIncoming(ctx context.Context, threadID string) (*hubspot.Message, error) {
	page, err := s.ListMessages(ctx, threadID, &hubspot.ListMessagesOptions{ListOptions: hubspot.ListOptions{Limit: LookupLimit, Sort: []string{"-createdAt"}}})
	if err != nil {
		return nil, err
	}
	for i, m := range page.Results {
		if m.Type == hubspot.MessageTypeMessage && m.Direction == hubspot.DirectionIncoming {
			return &page.Results[i], nil
		}
	}
	return nil, nil
}

// replySubject is the subject of a reply to an email with subject s.
func replySubject(s string) string {
	if len(s) >= 3 && strings.EqualFold(s[:3], "re:") {
		return s
	}
	return "Re: " + s
}

// replyRecipients addresses a reply to the senders of m. Agents are never
// recipients, so their actor IDs are dropped.
func replyRecipients(m hubspot.Message) []hubspot.RecipientEgg {
	var out []hubspot.RecipientEgg
	for _, s := range m.Senders {
		d := s.DeliveryIdentifier
		if d == nil || d.Type == "" || strings.TrimSpace(d.Value) == "" {
			continue
		}
		r := hubspot.RecipientEgg{Name: s.Name, DeliveryIdentifiers: []hubspot.DeliveryIdentifier{*d}}
		if !hubspot.IsAgentID(s.ActorID) {
			r.ActorID = s.ActorID
		}
		if d.Type == hubspot.DeliveryEmail {
			r.RecipientField = "TO"
		}
		out = append(out, r)
	}
	return out
}

func argErr(name, reason string) error { return &hubspot.ArgumentError{Name: name, Reason: reason} }
