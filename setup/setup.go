// Package setup is the setup command: from a downloaded binary to a
// configured assistant in one command. It explains where a HubSpot token
// comes from, takes it without echoing it (or from the environment or a
// flag), checks it against HubSpot scope by scope, and writes the server
// into the configuration of Claude Desktop, Claude Code, Cursor or VS Code,
// merging with what is there.
package setup

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// Env is what setup reads from its surroundings; zero fields take the
// process's own. Tests fake them.
type Env struct {
	// Args are setup's arguments, after the word setup.
	Args []string
	// Lookup reads an environment variable.
	Lookup func(string) (string, bool)
	Stdin  io.Reader
	Stdout io.Writer
	// GOOS picks the configuration paths (runtime.GOOS when empty).
	GOOS string
	// Home is the user's home folder (os.UserHomeDir when empty).
	Home string
	// Dir is the project folder of project-scoped configurations (the
	// working directory when empty).
	Dir string
	// Executable is the server binary the client is to start
	// (os.Executable when empty).
	Executable string
	// Sandbox is --sandbox given before the word setup.
	Sandbox bool
	// BaseURL is HubSpot's API host (HUBSPOT_BASE_URL or its default).
	BaseURL string
	// Version is the server's version, for HubSpot's User-Agent.
	Version string
	Now     func() time.Time
}

// options are setup's flags.
type options struct {
	client   string
	scope    string
	sandbox  bool
	yes      bool
	print    bool
	token    string
	sender   string
	command  string
	noVerify bool
	baseURL  string
}

// Run runs the setup command. Its errors are one line, and a failure
// changes no file.
func Run(ctx context.Context, e Env) error {
	if err := e.fill(); err != nil {
		return err
	}
	o, err := parseFlags(e)
	if err != nil {
		return err
	}
	s := &session{env: e, o: o, in: bufio.NewReader(e.Stdin), out: e.Stdout}
	return s.run(ctx)
}

func (e *Env) fill() error {
	if e.Lookup == nil {
		e.Lookup = os.LookupEnv
	}
	if e.Stdin == nil {
		e.Stdin = os.Stdin
	}
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.GOOS == "" {
		e.GOOS = runtime.GOOS
	}
	if e.Home == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("setup: cannot find your home folder (%v); set HOME", err)
		}
		e.Home = home
	}
	if e.Dir == "" {
		dir, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("setup: cannot read the working directory: %v", err)
		}
		e.Dir = dir
	}
	if e.BaseURL == "" {
		e.BaseURL = hubspot.DefaultBaseURL
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	return nil
}

func parseFlags(e Env) (options, error) {
	o := options{sandbox: e.Sandbox, baseURL: e.BaseURL}
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.client, "client", "", "the assistant to configure: "+clientNames())
	fs.StringVar(&o.scope, "scope", "", "user (every project; the default) or project (this folder: .mcp.json, .cursor/mcp.json or .vscode/mcp.json, which hold no token)")
	fs.BoolVar(&o.sandbox, "sandbox", o.sandbox, "configure the embedded demo account: no HubSpot token needed")
	fs.BoolVar(&o.yes, "yes", false, "ask nothing: take the token from "+tokenVar+" or --token, and write")
	fs.BoolVar(&o.print, "print", false, "only print the entry (and where it goes); change no file")
	fs.StringVar(&o.token, "token", "", "the HubSpot token, for scripts (others on this machine may see it in the process list; prefer "+tokenVar+")")
	fs.StringVar(&o.sender, "sender", "", "default sender of replies: an agent actor ID such as A-123, or the agent's email address (HUBSPOT_SENDER_ACTOR_ID); without it, setup offers the account's agents")
	fs.StringVar(&o.command, "command", "", "the server binary the assistant starts (default: this binary)")
	fs.BoolVar(&o.noVerify, "no-verify", false, "write without checking the token against HubSpot")
	fs.StringVar(&o.baseURL, "base-url", o.baseURL, "HubSpot API host (HUBSPOT_BASE_URL)")
	if err := fs.Parse(e.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			setupUsage(fs, e.Stdout) // setup -h: the usage goes to stdout
			return o, flag.ErrHelp
		}
		return o, fmt.Errorf("setup: %v; run setup -h for its flags", err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("setup: unexpected argument %q; run setup -h for its flags", fs.Arg(0))
	}
	if o.client != "" {
		if _, ok := findClient(o.client); !ok {
			return o, fmt.Errorf("setup: --client %q: want %s", o.client, strings.ReplaceAll(clientNames(), "|", ", "))
		}
	}
	if o.scope != "" && o.scope != scopeUser && o.scope != scopeProject {
		return o, fmt.Errorf("setup: --scope %q: want user or project", o.scope)
	}
	if o.sender != "" {
		if err := inbox.ValidateAgentSetting("--sender", o.sender); err != nil {
			return o, fmt.Errorf("setup: %v", err)
		}
	}
	if _, err := hubspot.ParseBaseURL(o.baseURL); err != nil {
		return o, fmt.Errorf("setup: --base-url: %v", err)
	}
	return o, nil
}

func setupUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, `hubspot-conversations-mcp setup: check a HubSpot token and add this server to an assistant.

Usage:
  hubspot-conversations-mcp setup                                   ask for everything
  hubspot-conversations-mcp setup --client claude-desktop           configure Claude Desktop
  hubspot-conversations-mcp setup --sandbox --client cursor --yes   the demo account, no questions
  %s=… hubspot-conversations-mcp setup --client claude-code --yes

The token: %s.

Flags:
`, tokenVar, view.TokenKinds)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// session is one run of setup.
type session struct {
	env Env
	o   options
	in  *bufio.Reader
	out io.Writer
}

func (s *session) say(format string, args ...any) { fmt.Fprintf(s.out, format+"\n", args...) }

func (s *session) run(ctx context.Context) error {
	c, err := s.chooseClient()
	if err != nil {
		return err
	}
	scope := s.o.scope
	if scope == "" {
		scope = c.scopes[0]
	}
	if !slices.Contains(c.scopes, scope) {
		return fmt.Errorf("setup: %s has no %s scope; want %s", c.title, scope, strings.Join(c.scopes, " or "))
	}
	command, err := s.command()
	if err != nil {
		return err
	}
	e := entry{command: command}
	if s.o.sandbox {
		e.args = []string{"--sandbox"}
		if err := s.verifySandbox(ctx); err != nil {
			return err
		}
	} else {
		if e.token, err = s.readToken(); err != nil {
			return err
		}
		// One client checks the token and reads the agents.
		var hs *hubspot.Client
		var r *report
		if !s.o.noVerify {
			if hs, err = s.newClient(e.token, s.o.baseURL); err != nil {
				return err
			}
			if r, err = s.verify(ctx, hs); err != nil {
				return err
			}
		}
		sender, err := s.chooseSender(ctx, hs, r)
		if err != nil {
			return err
		}
		if sender != "" {
			e.env = append(e.env, [2]string{"HUBSPOT_SENDER_ACTOR_ID", sender})
		}
		if strings.TrimRight(s.o.baseURL, "/") != hubspot.DefaultBaseURL {
			e.env = append(e.env, [2]string{"HUBSPOT_BASE_URL", s.o.baseURL})
		}
	}
	p := place{goos: s.env.GOOS, home: s.env.Home, dir: s.env.Dir, lookup: s.env.Lookup}
	path := c.path(p, scope)
	if s.o.print {
		return s.printEntry(c, e, scope, path)
	}
	return s.write(c, e, scope, path)
}

// chooseClient takes --client, or asks.
func (s *session) chooseClient() (client, error) {
	if s.o.client != "" {
		c, _ := findClient(s.o.client)
		return c, nil
	}
	if s.o.yes {
		return client{}, fmt.Errorf("setup: --yes needs --client %s", clientNames())
	}
	s.say("Which assistant should use the HubSpot Conversations server?")
	for i, c := range clients {
		s.say("  %d. %s", i+1, c.title)
	}
	for {
		answer, err := s.ask(fmt.Sprintf("Number (1-%d): ", len(clients)))
		if err != nil {
			return client{}, err
		}
		for i, c := range clients {
			if answer == fmt.Sprint(i+1) || strings.EqualFold(answer, c.name) {
				return c, nil
			}
		}
		s.say("Please answer with a number from 1 to %d.", len(clients))
	}
}

// ask prints a question and reads one line of answer.
func (s *session) ask(question string) (string, error) {
	fmt.Fprint(s.out, question)
	line, err := s.in.ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		fmt.Fprintln(s.out)
		return "", errors.New("setup: no answer on standard input; pass the flags instead (setup -h), with --yes to ask nothing")
	}
	return strings.TrimSpace(line), nil
}

// command is the binary the client is to start: --command, or this one,
// made absolute. A link stays a link: a package manager's stable name
// (/opt/homebrew/bin/…, ~/bin/…) outlives the versioned file it points to.
func (s *session) command() (string, error) {
	path := s.o.command
	if path == "" {
		path = s.env.Executable
	}
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("setup: cannot find this program's path (%v); pass --command PATH", err)
		}
		path = exe
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("setup: --command %q: %v", path, err)
	}
	if s.o.command == "" && strings.Contains(filepath.ToSlash(abs), "/go-build") {
		return "", errors.New("setup: this is a temporary `go run` build, deleted when it exits: build the binary first " +
			"(go build -o hubspot-conversations-mcp .) and run ./hubspot-conversations-mcp setup, or pass --command PATH")
	}
	if info, err := os.Stat(abs); err != nil || info.IsDir() {
		return "", fmt.Errorf("setup: %s is not a program this assistant can start; pass --command PATH", abs)
	}
	return abs, nil
}

// readToken takes the token from --token, HUBSPOT_ACCESS_TOKEN or
// standard input: a prompt that does not echo on a terminal, one line
// otherwise.
func (s *session) readToken() (string, error) {
	raw, from := s.o.token, "--token"
	if raw == "" {
		raw, _ = s.env.Lookup(tokenVar)
		from = tokenVar
	}
	if raw == "" {
		if s.o.yes {
			return "", fmt.Errorf("setup: no HubSpot token: set %s or pass --token (or --sandbox for the demo account). The token: %s", tokenVar, view.TokenKinds)
		}
		s.explainToken()
		var err error
		if raw, err = s.promptSecret("Paste the token (it is not shown): "); err != nil {
			return "", err
		}
		from = "the prompt"
	}
	token, err := hubspot.NormalizeToken(raw)
	if err != nil {
		return "", fmt.Errorf("setup: the token from %s: %v", from, err)
	}
	return token, nil
}

// explainToken says where a token comes from and what each scope does.
func (s *session) explainToken() {
	s.say("")
	s.say("The server needs a HubSpot access token: %s.", view.TokenKinds)
	s.say("To create a Service Key, %s:", view.CreateServiceKey)
	for _, sc := range view.Scopes {
		need := "optional"
		if sc.Required {
			need = "required"
		}
		s.say("  %-52s %s: %s", sc.Name, need, sc.Enables)
	}
	s.say("")
}

// promptSecret reads a secret without echo from a terminal, or a line
// from other input.
func (s *session) promptSecret(prompt string) (string, error) {
	if f, ok := s.env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(s.out, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(s.out)
		if err != nil {
			return "", fmt.Errorf("setup: cannot read the token: %v", err)
		}
		return string(b), nil
	}
	line, err := s.ask(prompt)
	if err != nil {
		return "", fmt.Errorf("setup: no HubSpot token: set %s, pass --token, or type it when asked", tokenVar)
	}
	fmt.Fprintln(s.out)
	return line, nil
}

// chooseSender returns the default sender agent to configure
// (HUBSPOT_SENDER_ACTOR_ID), from the account's agents when the token can
// read them (HubSpot's owners list, scope crm.objects.owners.read; the
// rule of who is an agent is inbox's, the one list_agents uses):
//   - --sender as an email address is resolved to that agent's actor ID;
//     one that no agent has is refused, and nothing is written (for an
//     account with more owners than setup reads, inbox.MaxOwners, the
//     error says so and asks for the actor ID);
//   - --sender as an actor ID is written as given, named when it is an
//     agent's;
//   - without --sender, and without --yes, the agents are offered to pick
//     from, by number, email, name or actor ID (Enter for none).
//
// Without the scope, or with --no-verify, --sender is written as given (an
// address is then resolved by the server when it is first needed) and no
// list is offered. c is the client verify checked the token with, and r
// its report; both are nil with --no-verify. When the report says the
// token lacks the scope, the list is not asked for (HubSpot would refuse).
func (s *session) chooseSender(ctx context.Context, c *hubspot.Client, r *report) (string, error) {
	given := s.o.sender
	if s.o.noVerify || (given == "" && s.o.yes) {
		return given, nil
	}
	lacksScope := "listing the agents needs the scope " + hubspot.ScopeOwnersRead + ", which the token lacks"
	var agents []inbox.Agent
	complete := true
	var why string
	if r.scopeState(hubspot.ScopeOwnersRead) == missing {
		why = lacksScope
	} else {
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		var err error
		if agents, complete, err = inbox.ReadAgents(ctx, c); err != nil {
			why = "could not read the agents list (" + agentsUnread(err) + ")"
			if _, ok := hubspot.MissingScopes(err); ok {
				why = lacksScope
			}
		}
	}
	if why != "" {
		if given != "" {
			s.say("Default sender: %s, written as given (%s, so it was not checked).", given, why)
			return given, nil
		}
		s.say("No default sender was set: %s. Set HUBSPOT_SENDER_ACTOR_ID to an agent's actor ID or email address later, or pass --sender.", why)
		return "", nil
	}
	if given != "" {
		return s.matchSender(agents, complete, given)
	}
	return s.askSender(agents)
}

// agentsUnread says why the agents list could not be read: HubSpot's
// answer, or what happened when there was none (a timeout, the network).
func agentsUnread(err error) string {
	if a := view.Explain(err).Answered(); a != "" {
		return a
	}
	return view.Line(err.Error(), 200)
}

// matchSender checks --sender against the agents; complete is false when
// the account has more owners than were read.
func (s *session) matchSender(agents []inbox.Agent, complete bool, given string) (string, error) {
	if hubspot.IsAgentID(given) {
		for _, a := range agents {
			if a.ActorID == given {
				s.say("Default sender: %s.", view.AgentLine(a))
				return given, nil
			}
		}
		s.say("Default sender: %s, written as given, though it is not among the account's %d agents.", given, len(agents))
		return given, nil
	}
	found := inbox.MatchAgents(agents, given)
	if len(found) == 0 && !complete {
		// The server reads the same owners (inbox.ReadAgents), so it would
		// not find the address either: only the actor ID can name this agent.
		return "", fmt.Errorf("setup: --sender %s: none of the first %d owners of the account (as many as setup and the server read) has this address; pass the agent's actor ID (A-123) instead; nothing was written",
			hubspot.Quote(given), inbox.MaxOwners)
	}
	if len(found) != 1 {
		return "", fmt.Errorf("setup: --sender %s: no agent of this account has this address; run setup without --sender and --yes to choose from the list; nothing was written", hubspot.Quote(given))
	}
	s.say("Default sender: %s.", view.AgentLine(found[0]))
	return found[0].ActorID, nil
}

// maxOffered bounds the agents setup lists to choose from.
const maxOffered = 30

// askSender offers the agents to pick the default sender from.
func (s *session) askSender(agents []inbox.Agent) (string, error) {
	if len(agents) == 0 {
		s.say("The account has no agents to send replies as; no default sender was set.")
		return "", nil
	}
	s.say("Who should replies be sent as by default (HUBSPOT_SENDER_ACTOR_ID)? The account's agents:")
	for i, a := range agents[:min(len(agents), maxOffered)] {
		s.say("  %d. %s", i+1, view.AgentLine(a))
	}
	if len(agents) > maxOffered {
		s.say("  … and %d more: answer with an email address or name.", len(agents)-maxOffered)
	}
	for {
		answer, err := s.ask("Number, email address or name (Enter for none): ")
		if err != nil {
			return "", err
		}
		if answer == "" {
			s.say("No default sender was set; a model then names the sender of each reply.")
			return "", nil
		}
		if n, err := strconv.Atoi(answer); err == nil && n >= 1 && n <= min(len(agents), maxOffered) {
			s.say("Default sender: %s.", view.AgentLine(agents[n-1]))
			return agents[n-1].ActorID, nil
		}
		found := inbox.MatchAgents(agents, answer)
		if hubspot.IsAgentID(answer) {
			found = slices.DeleteFunc(slices.Clone(agents), func(a inbox.Agent) bool { return a.ActorID != answer })
		}
		if len(found) == 1 {
			s.say("Default sender: %s.", view.AgentLine(found[0]))
			return found[0].ActorID, nil
		}
		if len(found) > 1 {
			s.say("%d agents match %s; please be more precise, or answer with a number.", len(found), hubspot.Quote(answer))
			continue
		}
		s.say("No agent matches %s; answer with a number from 1 to %d, an email address or a name.", hubspot.Quote(answer), min(len(agents), maxOffered))
	}
}

// printEntry prints where the entry goes and the entry itself.
func (s *session) printEntry(c client, e entry, scope, path string) error {
	root := &object{}
	if _, err := c.apply(root, e, scope); err != nil {
		return fmt.Errorf("setup: %v", err)
	}
	s.say("# %s (%s scope): add this to %s", c.title, scope, path)
	_, err := s.out.Write(append(root.marshal(""), '\n'))
	return err
}

// write merges the entry into the client's file, after asking unless
// --yes.
func (s *session) write(c client, e entry, scope, path string) error {
	f, err := readConfig(path)
	if err != nil {
		return fmt.Errorf("setup: %v", err)
	}
	holdsSecret, err := c.apply(f.root, e, scope)
	if err != nil {
		return fmt.Errorf("setup: %s is not a configuration setup can edit: %v; nothing was changed", path, err)
	}
	shown := displayPath(path, s.env.Home)
	if !s.o.yes {
		verb := "Create"
		if f.exists {
			verb = "Add " + ServerName + " to"
		}
		answer, err := s.ask(fmt.Sprintf("%s %s? [Y/n] ", verb, shown))
		if err != nil {
			return err
		}
		if a := strings.ToLower(answer); a != "" && a != "y" && a != "yes" {
			s.say("Nothing was changed.")
			return nil
		}
	}
	backup, err := f.write(holdsSecret, s.env.Now())
	if err != nil {
		return fmt.Errorf("setup: %v", err)
	}
	what := "Created " + shown
	if f.exists {
		what = "Updated " + shown + " (the previous file is kept as " + filepath.Base(backup) + ")"
	}
	if holdsSecret && !isWindows() {
		what += "; it holds the token, so only you can read it (mode 0600)"
	}
	s.say("%s.", what)
	s.say("%s", c.after(scope))
	return nil
}
