package inbox

import (
	"context"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// ListMessages lists the history of a thread: messages, comments and
// events. A thread of an inbox outside the allowlist is not found, and a
// move from or to such an inbox does not name it.
func (s *Service) ListMessages(ctx context.Context, threadID string, opts *hubspot.ListMessagesOptions) (*hubspot.Page[hubspot.Message], error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	return s.listMessages(ctx, cr, threadID, opts)
}

// listMessages is ListMessages with the caller's credential.
func (s *Service) listMessages(ctx context.Context, cr *credential, threadID string, opts *hubspot.ListMessagesOptions) (*hubspot.Page[hubspot.Message], error) {
	if err := s.readable(ctx, cr, threadID, ""); err != nil {
		return nil, err
	}
	p, err := cr.client.ListMessages(ctx, threadID, opts)
	if err != nil {
		return nil, err
	}
	if s.guard != nil {
		for i := range p.Results {
			s.guard.redact(&p.Results[i])
		}
	}
	return p, nil
}

// GetMessage gets one message of a thread. property is HubSpot's optional
// property parameter.
func (s *Service) GetMessage(ctx context.Context, threadID, messageID, property string) (*hubspot.Message, error) {
	cr, err := s.threadRead(ctx, threadID, messageID)
	if err != nil {
		return nil, err
	}
	m, err := cr.client.GetMessage(ctx, threadID, messageID, property)
	if err != nil {
		return nil, err
	}
	if s.guard != nil {
		s.guard.redact(m)
	}
	return m, nil
}

// GetMessageOriginalContent gets the full original text of a message that
// HubSpot truncated.
func (s *Service) GetMessageOriginalContent(ctx context.Context, threadID, messageID, property string) (*hubspot.MessageContent, error) {
	cr, err := s.threadRead(ctx, threadID, messageID)
	if err != nil {
		return nil, err
	}
	return cr.client.GetMessageOriginalContent(ctx, threadID, messageID, property)
}

// threadRead returns the caller's credential for a read addressed by
// thread (and message), after checking the IDs and the thread's inbox.
func (s *Service) threadRead(ctx context.Context, threadID, messageID string) (*credential, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.readable(ctx, cr, threadID, messageID); err != nil {
		return nil, err
	}
	return cr, nil
}

// readable checks a read addressed by thread (and message) with cr: the
// IDs and the thread's inbox.
func (s *Service) readable(ctx context.Context, cr *credential, threadID, messageID string) error {
	if err := hubspot.ValidateNumericID("threadId", threadID); err != nil {
		return err
	}
	if messageID != "" {
		if err := hubspot.ValidateMessageID("messageId", messageID); err != nil {
			return err
		}
	}
	return s.checkThread(ctx, cr, "", "", threadID)
}
