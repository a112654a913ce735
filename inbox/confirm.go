package inbox

import "context"

// The service's side of confirmations: a surface that asks a person about
// a write issues the confirmation here, bound to the request it planned
// and to the caller's credential, and sends the write with it
// (WithConfirmation), which beforeWrite redeems just before the request
// leaves.

// IssueConfirmation returns a new confirmation of planned, sent with the
// caller's credential, through flow (see Confirmations.Issue).
func (s *Service) IssueConfirmation(ctx context.Context, flow ConfirmFlow, planned PlannedRequest) (string, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return "", err
	}
	return s.confirm.Issue(flow, planned.subject(cr.id))
}

// VerifyConfirmation checks, without spending it, that token is a
// confirmation this server issued through flow for planned and the
// caller's credential, and that it has not expired; it returns a
// *ConfirmationRefusal otherwise. It is for an answer that sends
// nothing, such as a person's "no", so that only a genuine question's
// answer is recorded as theirs.
func (s *Service) VerifyConfirmation(ctx context.Context, token string, flow ConfirmFlow, planned PlannedRequest) error {
	cr, err := s.credential(ctx)
	if err != nil {
		return err
	}
	return s.confirm.Verify(token, flow, planned.subject(cr.id))
}

// WithdrawConfirmation closes the question of an elicitation that will not
// be redeemed (see Confirmations.Withdraw) and reports whether it was
// still open.
func (s *Service) WithdrawConfirmation(token string) bool {
	return s.confirm.Withdraw(token)
}

func (p PlannedRequest) subject(credential string) ConfirmSubject {
	return ConfirmSubject{Method: p.Method, Path: p.Path, Body: p.Body, Credential: credential}
}
