// Package view is what a model reads about threads, messages and people:
// one vocabulary shared by the tools and the resources, lean (what carries
// no information is left out) and cleaned (every field a customer or other
// outsider can write goes through the one sanitizer, Text or Line).
//
// It sits between hubspot, the faithful API client that knows nothing of
// presentation, and the MCP packages (tools, resources), which must not
// import each other; it imports hubspot and the standard library only, so
// it knows nothing of MCP either.
package view
