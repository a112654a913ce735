package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// newConfirmations keys the confirmations with MCP_CONFIRM_SECRET, or a
// secret of this process, and records the spent ones in Redis when there
// is one, else in memory. The secret is never logged.
//
// The call command runs one process per call, so a confirmation its
// preview hands out is passed back to another process: without
// MCP_CONFIRM_SECRET and Redis, it keeps its secret and its record of
// spent confirmations in the user's configuration directory (callState),
// where the next call finds them. With MCP_CONFIRM_WRITES=never no
// confirmation is issued or accepted: nothing is kept between calls, and
// the directory is not needed.
func newConfirmations(cfg *Config, rdb *redis.Client) (*inbox.Confirmations, error) {
	secret := []byte(cfg.ConfirmSecret)
	var used inbox.UsedRecord
	if rdb != nil {
		used = inbox.NewRedisUsed(rdb)
	}
	keep := cfg.calling && cfg.ConfirmWrites != string(inbox.ConfirmNever)
	if keep && (len(secret) == 0 || used == nil) {
		dir, err := callState()
		if err != nil {
			return nil, fmt.Errorf("call: keep confirmations between calls: %w", err)
		}
		if len(secret) == 0 {
			if secret, err = callSecret(filepath.Join(dir, "secret")); err != nil {
				return nil, fmt.Errorf("call: keep confirmations between calls: %w", err)
			}
		}
		if used == nil {
			if used, err = inbox.NewDirUsed(filepath.Join(dir, "used")); err != nil {
				return nil, fmt.Errorf("call: keep confirmations between calls: %w", err)
			}
		}
	}
	if len(secret) == 0 {
		secret = inbox.NewConfirmSecret()
	}
	return inbox.NewConfirmations(secret, used)
}

// callState is the directory where the call command keeps what its
// confirmations need between processes.
func callState() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	dir = filepath.Join(dir, "hubspot-conversations-mcp", "call-confirmations")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	// MkdirAll leaves the mode of a directory that existed alone: only
	// this user may read the secret, or list and add spent confirmations.
	return dir, os.Chmod(dir, 0o700)
}

// callSecret reads the call command's confirmation secret from path, or
// creates it (mode 0600) on first use. The secret is written whole to a
// temporary file beside path, then linked to path, so path never holds
// less than a whole secret: of two processes creating it at once, the
// second to link reads the first's.
func callSecret(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil && len(b) >= inbox.MinConfirmSecretLen {
		return b, os.Chmod(path, 0o600)
	}
	secret := inbox.NewConfirmSecret()
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(secret)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	err = os.Link(tmp.Name(), path)
	if errors.Is(err, fs.ErrExist) {
		b, rerr := os.ReadFile(path)
		if rerr == nil && len(b) >= inbox.MinConfirmSecretLen {
			return b, nil
		}
		// Cut short (a crash while an older version wrote it in place,
		// or before it reached the disk): start over.
		if err = os.Remove(path); err == nil {
			err = os.Link(tmp.Name(), path)
		}
	}
	if err != nil {
		return nil, err
	}
	return secret, nil
}

// confirmationHint follows a preview that `call` printed (a result whose
// reason is confirmation_required) with what to run once the person
// agrees: the same call with the preview's token. It returns
// errNeedsConfirmation then, and nil for any other result.
func confirmationHint(name string, args map[string]any, structured any, stderr io.Writer) error {
	out, ok := structured.(map[string]any)
	token, _ := out["confirmationToken"].(string)
	if !ok || out["reason"] != "confirmation_required" || token == "" {
		return nil
	}
	again := maps.Clone(args)
	again["confirmationToken"] = token
	b, err := json.Marshal(again)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "\nNothing was done: a person must agree first. Show them the preview above; "+
		"once they agree, run this within %d minutes, with the same flags and environment:\n\n  hubspot-conversations-mcp call %s %s\n",
		int(inbox.ConfirmationTTL.Minutes()), name, shellQuote(string(b)))
	return errNeedsConfirmation
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
