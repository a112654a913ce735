package mcpadapt

import "context"

// Why a request's connection cannot carry a question (elicitation/create)
// to its client, as WithoutQuestions records it.
const (
	// NoQuestionsBatch: the request is a member of a JSON-RPC batch.
	NoQuestionsBatch = "batch"
	// NoQuestionsSSE: the request came over the legacy HTTP+SSE transport.
	NoQuestionsSSE = "sse"
	// NoQuestionsStateless: the request came over Streamable HTTP without
	// sessions (MCP_STATELESS). A client before 2026-07-28 declared what it
	// supports in an initialize the server did not keep, and its answer to
	// a question would have no session to find its way back by. This one
	// is no workaround: a server without sessions cannot ask such a
	// client, whatever mcp-go does.
	NoQuestionsStateless = "stateless"
)

type noQuestionsKey struct{}

// WithoutQuestions marks the context of a request whose connection cannot
// carry a server-initiated request to the client, for the reason why
// (NoQuestionsBatch, NoQuestionsSSE): a tool must not ask its user there,
// since the question would never reach them. QuestionsBlocked reads the
// mark; mcp-go keeps the values of the HTTP request's context in the
// handler's.
//
// The misbehaviours (TestPinned_NonStreamingPOSTQueuesTheQuestion and
// TestPinned_SSESessionCannotAsk):
//   - mcp-go v1.2.1 sends a question asked while it serves a POST whose
//     answer cannot stream (a batch member: httpserver answers a batch as
//     one JSON array) to the session's GET stream, or queues it for one,
//     and then waits for an answer that never comes; nothing fails at
//     once.
//   - Its legacy SSE session does not implement server.SessionWithElicitation,
//     and its SSE server does not route a client's answers back, so a
//     question cannot be asked there at all. A tool would see that from
//     the session's type alone, but could not tell the user why; the mark
//     names the transport.
//
// Delete the batch mark when mcp-go fails a server-initiated request at
// once where the POST cannot stream (or stops queueing it), and the SSE
// mark when its SSE session implements SessionWithElicitation and routes
// the answers back; the pinned tests then fail.
func WithoutQuestions(ctx context.Context, why string) context.Context {
	return context.WithValue(ctx, noQuestionsKey{}, why)
}

// QuestionsBlocked returns why the request of ctx cannot carry a question
// to its client (see WithoutQuestions), or "" when nothing marked it.
func QuestionsBlocked(ctx context.Context) string {
	why, _ := ctx.Value(noQuestionsKey{}).(string)
	return why
}
