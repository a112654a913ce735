package setup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// object is a JSON object that keeps its members' order, so a file setup
// edits keeps everything it does not touch where it was.
type object struct {
	members []member
}

type member struct {
	key   string
	value json.RawMessage
}

// parseObject reads a JSON object. An empty or blank input is an empty
// object (a config file that exists but was never written).
func parseObject(data []byte) (*object, error) {
	o := &object{}
	if len(bytes.TrimSpace(data)) == 0 {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(data, dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("it holds JSON, but not an object ({ … })")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(data, dec, err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxError(data, dec, err)
		}
		o.set(key, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, syntaxError(data, dec, errors.New("more JSON after the object"))
	}
	return o, nil
}

// syntaxError says where the JSON broke, as a line and column.
func syntaxError(data []byte, dec *json.Decoder, err error) error {
	offset := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = se.Offset
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		offset = int64(len(data))
		err = errors.New("it ends in the middle of the JSON")
	}
	line := 1 + bytes.Count(data[:min(int(offset), len(data))], []byte("\n"))
	col := int(offset) - bytes.LastIndexByte(data[:min(int(offset), len(data))], '\n') - 1
	return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, max(col, 1), err)
}

func (o *object) get(key string) (json.RawMessage, bool) {
	for _, m := range o.members {
		if m.key == key {
			return m.value, true
		}
	}
	return nil, false
}

// set replaces key's value in place, or appends it.
func (o *object) set(key string, value json.RawMessage) {
	for i, m := range o.members {
		if m.key == key {
			o.members[i].value = value
			return
		}
	}
	o.members = append(o.members, member{key, value})
}

// child returns the object under key, empty when absent, and an error
// when key holds something else.
func (o *object) child(key string) (*object, error) {
	raw, ok := o.get(key)
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return &object{}, nil
	}
	c, err := parseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("its %q is not an object", key)
	}
	return c, nil
}

// setChild stores c under key.
func (o *object) setChild(key string, c *object) {
	o.set(key, c.marshal(""))
}

// marshal renders the object with two-space indentation, each value
// indented as a whole.
func (o *object) marshal(prefix string) json.RawMessage {
	if len(o.members) == 0 {
		return json.RawMessage("{}")
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, m := range o.members {
		key, _ := json.Marshal(m.key)
		var v bytes.Buffer
		if err := json.Indent(&v, m.value, prefix+"  ", "  "); err != nil {
			v.Reset()
			v.Write(m.value)
		}
		fmt.Fprintf(&b, "%s  %s: %s", prefix, key, v.Bytes())
		if i < len(o.members)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(prefix + "}")
	return b.Bytes()
}

// mustJSON encodes a value that cannot fail to encode (strings, maps and
// slices of them), without HTML escaping.
func mustJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimSpace(b.Bytes())
}

// configFile is a client's configuration file as found on disk.
type configFile struct {
	path   string
	exists bool
	mode   fs.FileMode
	data   []byte
	root   *object
}

// readConfig reads and parses path; a missing file is an empty object.
// Errors are one line that names the file.
func readConfig(path string) (*configFile, error) {
	// A configuration kept elsewhere behind a symbolic link (dotfiles) is
	// edited where it is, and the link stays.
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	f := &configFile{path: path}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.root = &object{}
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("cannot read %s (%v); nothing was changed", path, unwrapPathError(err))
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (%v); nothing was changed", path, unwrapPathError(err))
	}
	f.exists, f.mode, f.data = true, info.Mode().Perm(), data
	if f.root, err = parseObject(data); err != nil {
		return nil, fmt.Errorf("%s is not a configuration setup can edit: %v; nothing was changed (fix or move the file, then run setup again)", path, err)
	}
	return f, nil
}

// unwrapPathError drops the path an *fs.PathError repeats.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// write saves the edited configuration: a backup of the previous file
// first (mode 0600, as it may hold other servers' secrets), then the new
// content through a temporary file renamed over the old one, so a failure
// leaves the old file whole. A file holding a secret gets mode 0600;
// otherwise an existing file keeps its mode and a new one gets 0644. It returns the backup's path
// ("" when there was no file).
func (f *configFile) write(holdsSecret bool, now time.Time) (backup string, err error) {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create %s (%v); nothing was changed", dir, unwrapPathError(err))
	}
	if f.exists {
		if backup, err = writeBackup(f.path, f.data, now); err != nil {
			return "", fmt.Errorf("cannot back up %s to %s (%v); nothing was changed", f.path, backup, unwrapPathError(err))
		}
	}
	mode := f.mode
	if !f.exists {
		mode = 0o644
	}
	if holdsSecret {
		mode = 0o600
	}
	content := append(f.root.marshal(""), '\n')
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.path)+".*.tmp")
	if err != nil {
		return backup, fmt.Errorf("cannot write in %s (%v); %s was not changed", dir, unwrapPathError(err), f.path)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(mode); err != nil && !isWindows() {
		_ = tmp.Close()
		return backup, fmt.Errorf("cannot set the mode of %s (%v); %s was not changed", tmp.Name(), err, f.path)
	}
	if _, err := tmp.Write(content); err != nil {
		_ = tmp.Close()
		return backup, fmt.Errorf("cannot write %s (%v); %s was not changed", tmp.Name(), err, f.path)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return backup, fmt.Errorf("cannot write %s (%v); %s was not changed", tmp.Name(), err, f.path)
	}
	if err := tmp.Close(); err != nil {
		return backup, fmt.Errorf("cannot write %s (%v); %s was not changed", tmp.Name(), err, f.path)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return backup, fmt.Errorf("cannot replace %s (%v); it was not changed", f.path, unwrapPathError(err))
	}
	return backup, nil
}

// writeBackup saves data beside path as path.<time>.bak, mode 0600. It
// never replaces a backup: a second run within the same second, whose
// previous file is the first run's result, gets path.<time>-2.bak, so the
// backup of the file the user had is kept.
func writeBackup(path string, data []byte, now time.Time) (string, error) {
	stamp := path + "." + now.UTC().Format("20060102T150405Z")
	backup := stamp + ".bak"
	for n := 2; ; n++ {
		b, err := os.OpenFile(backup, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && n <= 100 {
			backup = fmt.Sprintf("%s-%d.bak", stamp, n)
			continue
		}
		if err != nil {
			return backup, err
		}
		_, err = b.Write(data)
		if cerr := b.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(backup)
		}
		return backup, err
	}
}

// displayPath shortens a path under home to ~/….
func displayPath(path, home string) string {
	if home != "" {
		if rest, ok := strings.CutPrefix(path, home+string(filepath.Separator)); ok {
			return "~" + string(filepath.Separator) + rest
		}
	}
	return path
}
