package main

import (
	"io"
	"maps"
	"strings"
	"testing"

	"github.com/sethvargo/go-envconfig"
)

// testConfirmSecret is the MCP_CONFIRM_SECRET of test servers that need
// one (stateless HTTP, Redis).
const testConfirmSecret = "test-confirm-secret-0123456789abcdef"

// configWith loads the configuration of a sandbox server from env.
func configWith(t *testing.T, env map[string]string) (*Config, error) {
	t.Helper()
	all := map[string]string{"HUBSPOT_SANDBOX": "true"}
	maps.Copy(all, env)
	cfg, _, err := loadConfig(t.Context(), nil, envconfig.MapLookuper(all), io.Discard)
	return cfg, err
}

func TestConfig_ConfirmWritesModesAndTheirOldNames(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                  "elicit-or-preview",
		"never":             "never",
		"elicit-or-preview": "elicit-or-preview",
		"elicit-only":       "elicit-only",
		"elicit":            "elicit-or-preview",
		"Always":            "elicit-only",
	} {
		env := map[string]string{}
		if in != "" {
			env["MCP_CONFIRM_WRITES"] = in
		}
		cfg, err := configWith(t, env)
		if err != nil || cfg.ConfirmWrites != want {
			t.Errorf("MCP_CONFIRM_WRITES=%q: %v %v, want %q", in, cfg, err, want)
		}
	}
	if _, stderr, code := runMain(t, map[string]string{"HUBSPOT_SANDBOX": "true"}, "--confirm-writes", "always", "tools"); code != 0 {
		t.Errorf("--confirm-writes always: exit %d: %s", code, stderr)
	}
}

func TestConfig_OneRedisSettingWithItsOldName(t *testing.T) {
	t.Parallel()
	const url, other = "redis://127.0.0.1:6379/0", "redis://:hunter2-password@10.0.0.9:6379/1"
	for _, tc := range []struct {
		name string
		env  map[string]string
		addr string // of the Redis used; empty: none
		err  []string
	}{
		{"none", nil, "", nil},
		{"the new name", map[string]string{"MCP_REDIS_URL": url}, "127.0.0.1:6379", nil},
		{"the old name", map[string]string{"HUBSPOT_RATE_LIMIT_REDIS_URL": url}, "127.0.0.1:6379", nil},
		{"both, the same", map[string]string{"MCP_REDIS_URL": url, "HUBSPOT_RATE_LIMIT_REDIS_URL": url}, "127.0.0.1:6379", nil},
		{"both, different", map[string]string{"MCP_REDIS_URL": url, "HUBSPOT_RATE_LIMIT_REDIS_URL": other}, "",
			[]string{"MCP_REDIS_URL and HUBSPOT_RATE_LIMIT_REDIS_URL (its old name) are set to different Redis URLs: set only MCP_REDIS_URL"}},
		{"a bad URL under the new name", map[string]string{"MCP_REDIS_URL": "http://:hunter2-password@x"}, "", []string{"MCP_REDIS_URL: want redis://"}},
		{"a bad URL under the old name", map[string]string{"HUBSPOT_RATE_LIMIT_REDIS_URL": "http://:hunter2-password@x"}, "", []string{"HUBSPOT_RATE_LIMIT_REDIS_URL: want redis://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := configWith(t, tc.env)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("no error, want %q", tc.err)
				}
				for _, want := range tc.err {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q lacks %q", err, want)
					}
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error shows the Redis password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if cfg.redis != nil {
				got = cfg.redis.Addr
			}
			if got != tc.addr {
				t.Errorf("Redis at %q, want %q", got, tc.addr)
			}
		})
	}
}

func TestConfig_ConfirmSecretWhereReplicasShareConfirmations(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-0123456789abcdef0123456789"
	httpEnv := map[string]string{"MCP_TRANSPORT": "http"}
	with := func(base map[string]string, kv ...string) map[string]string {
		env := maps.Clone(base)
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // an error mentioning it; empty: none
	}{
		{"one server over stdio", nil, ""},
		{"one server over HTTP", httpEnv, ""},
		{"stateless HTTP", with(httpEnv, "MCP_STATELESS", "true"), "MCP_CONFIRM_SECRET is not set: with MCP_STATELESS=true"},
		{"HTTP with Redis", with(httpEnv, "MCP_REDIS_URL", "redis://127.0.0.1:6379/0"), "MCP_CONFIRM_SECRET is not set: with Redis is configured"},
		{"SSE with Redis under its old name", with(httpEnv, "MCP_TRANSPORT", "sse", "HUBSPOT_RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379/0"), "MCP_CONFIRM_SECRET is not set"},
		{"stdio with Redis: each process issues its own", map[string]string{"MCP_REDIS_URL": "redis://127.0.0.1:6379/0"}, ""},
		{"stateless, confirmations off", with(httpEnv, "MCP_STATELESS", "true", "MCP_CONFIRM_WRITES", "never"), ""},
		{"stateless with the secret", with(httpEnv, "MCP_STATELESS", "true", "MCP_CONFIRM_SECRET", secret), ""},
		{"Redis with the secret", with(httpEnv, "MCP_REDIS_URL", "redis://127.0.0.1:6379/0", "MCP_CONFIRM_SECRET", secret), ""},
		{"too short", map[string]string{"MCP_CONFIRM_SECRET": secret[:31]}, "MCP_CONFIRM_SECRET is too short (31 characters): use at least 32 random characters"},
		{"too short, even where it is not required", with(httpEnv, "MCP_CONFIRM_SECRET", "short"), "MCP_CONFIRM_SECRET is too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := configWith(t, tc.env)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error: %v", err)
			case tc.want == "":
				if cfg.ConfirmSecret != tc.env["MCP_CONFIRM_SECRET"] {
					t.Errorf("secret %q, want %q", cfg.ConfirmSecret, tc.env["MCP_CONFIRM_SECRET"])
				}
			case err == nil || !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			case strings.Contains(err.Error(), "s3cr3t"), strings.Contains(err.Error(), "short\""):
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
	// The error reaches the operator as one line.
	_, stderr, code := runMain(t, map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_TRANSPORT": "http", "MCP_STATELESS": "true", "MCP_CONFIRM_SECRET": "s3cr3t"})
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "MCP_CONFIRM_SECRET is too short") || strings.Contains(stderr, "s3cr3t") {
		t.Errorf("exit %d, stderr %q: want one line naming MCP_CONFIRM_SECRET and not showing it", code, stderr)
	}
}
