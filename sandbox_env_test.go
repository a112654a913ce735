package main

import (
	"strings"
	"testing"
)

// TestRun_SandboxSwitches checks that HUBSPOT_SANDBOX_WITHHOLD_SCOPES
// reaches the running product's sandbox, and that both sandbox settings
// are checked.
func TestRun_SandboxSwitches(t *testing.T) {
	t.Parallel()
	env := map[string]string{"HUBSPOT_SANDBOX": "true", "HUBSPOT_SANDBOX_WITHHOLD_SCOPES": "conversations.read", "HUBSPOT_SANDBOX_LATENCY": "1ms"}
	stdout, stderr, code := runMain(t, env, "call", "list_inboxes", `{}`)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "403") || !strings.Contains(stderr, "conversations.read") {
		t.Errorf("without conversations.read: exit code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	env["HUBSPOT_SANDBOX_WITHHOLD_SCOPES"] = "crm.objects.contacts.read,crm.objects.owners.read"
	if stdout, stderr, code := runMain(t, env, "call", "list_inboxes", `{}`); code != 0 || !strings.Contains(stdout, "Sales") {
		t.Errorf("without the CRM scopes: exit code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for name, bad := range map[string]map[string]string{
		"HUBSPOT_SANDBOX_WITHHOLD_SCOPES": {"HUBSPOT_SANDBOX": "true", "HUBSPOT_SANDBOX_WITHHOLD_SCOPES": "contacts"},
		"HUBSPOT_SANDBOX_LATENCY":         {"HUBSPOT_SANDBOX": "true", "HUBSPOT_SANDBOX_LATENCY": "1h"},
	} {
		if _, stderr, code := runMain(t, bad, "call", "list_inboxes", `{}`); code != 1 || !strings.Contains(stderr, name) {
			t.Errorf("%s: exit code %d, stderr %q", name, code, stderr)
		}
	}
}
