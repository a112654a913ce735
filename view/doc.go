// Package view is everything a model reads: threads, messages, people (one
// person line, Person.Line), inboxes, channel accounts and errors (Explain,
// whose kinds the audit log names too). It is one vocabulary shared by the
// tools, the resources and the prompts, lean (what carries no information
// is left out) and cleaned (every field a customer or other outsider can
// write goes through the one sanitizer, Text or Line).
//
// It sits beside the MCP packages (tools, resources), which must not
// import each other: it renders the wire types of hubspot and reads the
// errors of the service layer (inbox), and knows nothing of MCP. It never
// calls HubSpot: the service fetches, view renders.
package view
