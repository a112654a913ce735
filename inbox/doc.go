// Package inbox is the service layer: what the product adds to HubSpot,
// once, for every MCP surface (tools, resources, prompts, completion and
// subscription polling). It sits between those surfaces and the plain
// HubSpot client (package hubspot), knows nothing of MCP, and holds:
//
//   - the credentials: one token, or a bounded pool of per-user tokens
//     (ContextWithToken), each with its own client, limiter and state;
//   - the inbox allowlist (allowlist.go): a foreign object answers
//     exactly like an unknown one, lists are filtered;
//   - newest-first listing of threads (newest.go), the one used by
//     list_threads, the resources' open threads and polling;
//   - names of people (People), for every view of threads and messages;
//   - send defaults (FillDefaults);
//   - planning, dry runs and confirmed writes (plan.go), and the
//     confirmation capability a user's answer is bound to (capability.go,
//     used.go);
//   - traces of the requests a call sent, for the audit (trace.go);
//   - waiting for the rate budget, reported to an observer (wait.go), and
//     polling's share of the budget (WithBudget).
//
// Methods take the caller's context first and return HubSpot's wire types
// (package hubspot) or its typed errors; package view renders them.
package inbox
