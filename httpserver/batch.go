package httpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
)

// MaxBatch is the most messages one JSON-RPC batch may hold: each request
// runs at once, as if sent in its own POST.
const MaxBatch = 50

// batches answers JSON-RPC batches (a POSTed JSON array) on Streamable HTTP
// sessions of protocol 2025-03-26, the only version that has them (its
// clients MUST be able to send them and servers MUST accept them); mcp-go
// v1.2.1 implements them on no transport. Each message goes through next as
// its own POST, with the same headers, concurrently; the responses come
// back as one JSON array (202 when the batch held no request). A tool in a
// batch cannot ask its user (mcpadapt.WithoutQuestions). Other
// versions, and the legacy SSE transport, get 400 with -32600.
func (hs *Server) batches(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := readAndRestore(r)
		if err != nil || !isBatch(body) {
			next.ServeHTTP(w, r)
			return
		}
		version := strings.TrimSpace(r.Header.Get("Mcp-Protocol-Version"))
		// Without the header a client is taken to speak 2025-03-26, as the
		// spec says a server should assume.
		if hs.sse != nil || (version != "" && version != "2025-03-26") {
			refuseBatch(w, "JSON-RPC batches are not supported in this protocol version (only 2025-03-26 has them): send each request in its own POST")
			return
		}
		var msgs []json.RawMessage
		if err := json.Unmarshal(body, &msgs); err != nil {
			writeJSON(w, http.StatusBadRequest, rpcError(nil, -32700, "the batch is not valid JSON"))
			return
		}
		if len(msgs) == 0 || len(msgs) > MaxBatch {
			refuseBatch(w, fmt.Sprintf("a batch holds 1 to %d messages, this one %d", MaxBatch, len(msgs)))
			return
		}
		answers := make([][]json.RawMessage, len(msgs))
		var failure *batchRecorder // a refusal of the whole POST (session unknown…)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i, msg := range msgs {
			if id, isInit := initializeID(msg); isInit {
				// 2025-03-26: "The initialize request MUST NOT be part of a
				// JSON-RPC batch."
				answers[i] = []json.RawMessage{mustJSON(rpcError(id, -32600, "initialize must not be part of a batch: send it alone"))}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				// A batch's answer cannot stream, so no question can reach
				// the client from inside it.
				sub := r.Clone(mcpadapt.WithoutQuestions(r.Context(), mcpadapt.NoQuestionsBatch))
				sub.Body = io.NopCloser(bytes.NewReader(msg))
				sub.ContentLength = int64(len(msg))
				rec := &batchRecorder{header: http.Header{}}
				next.ServeHTTP(rec, sub)
				got, ok := rec.responses()
				mu.Lock()
				defer mu.Unlock()
				if !ok && failure == nil {
					failure = rec
				}
				answers[i] = got
			}()
		}
		wg.Wait()
		if failure != nil {
			failure.replay(w)
			return
		}
		out := []json.RawMessage{}
		for _, a := range answers {
			out = append(out, a...)
		}
		if len(out) == 0 {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func refuseBatch(w http.ResponseWriter, message string) {
	writeJSON(w, http.StatusBadRequest, rpcError(nil, -32600, message))
}

func rpcError(id any, code int, message string) map[string]any {
	return map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": message}}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// initializeID tells whether msg is an initialize request, and its id.
func initializeID(msg json.RawMessage) (json.RawMessage, bool) {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if json.Unmarshal(msg, &m) != nil || m.Method != "initialize" {
		return nil, false
	}
	return m.ID, true
}

// batchRecorder keeps the answer to one message of a batch.
type batchRecorder struct {
	mu     sync.Mutex
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *batchRecorder) Header() http.Header { return r.header }

func (r *batchRecorder) WriteHeader(code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == 0 {
		r.status = code
	}
}

func (r *batchRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// responses returns the JSON-RPC response the message got: none for a
// notification or a response (202), or the JSON body. ok is false when the
// POST itself was refused without a JSON-RPC answer (an unknown session,
// say).
//
// batchRecorder is not an http.Flusher, so mcp-go takes it for a response
// that cannot stream (server.HTTPResponseWriter.CanStream): it answers with
// one JSON body and never upgrades to an event stream. Notifications sent
// meanwhile are dropped, as a batch answer has no place for them.
func (r *batchRecorder) responses() ([]json.RawMessage, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	body := bytes.TrimSpace(r.body.Bytes())
	switch {
	case status == http.StatusAccepted:
		return nil, true
	case isResponse(body):
		return []json.RawMessage{json.RawMessage(body)}, true
	default:
		return nil, false
	}
}

// replay writes the recorded answer as the answer to the whole POST.
func (r *batchRecorder) replay(w http.ResponseWriter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(r.body.Len()))
	w.WriteHeader(max(r.status, http.StatusOK))
	_, _ = w.Write(r.body.Bytes())
}

// isResponse tells whether data is a JSON-RPC response: an id and a result
// or an error, no method.
func isResponse(data []byte) bool {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	return json.Unmarshal(data, &m) == nil && m.Method == "" && len(m.ID) > 0 && (m.Result != nil || m.Error != nil)
}
