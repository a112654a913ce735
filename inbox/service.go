package inbox

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/ttlmap"
)

// Config configures a Service. Zero values take the defaults.
type Config struct {
	// Token is the HubSpot access token of the account served
	// (HUBSPOT_ACCESS_TOKEN). Ignored with PerUserTokens.
	Token string
	// PerUserTokens serves each request with its own user's token, which
	// the transport puts in the context (ContextWithToken); each
	// credential gets its own client from a bounded pool.
	PerUserTokens bool
	// Pool bounds the pool of per-user clients.
	Pool PoolLimits
	// ClientOptions configure every credential's client: base URL,
	// timeout, longest wait for the budget, user agent. The service adds
	// the limiter, the HTTP client, the cache, the logger and its seams.
	ClientOptions []hubspot.Option
	// Limiter returns the rate limiter of a credential, by its fingerprint
	// (CredentialID); default hubspot.NewWindowLimiter(hubspot.DefaultRate).
	Limiter func(credential string) hubspot.Limiter
	// Transport carries the requests to HubSpot; default
	// hubspot.DefaultTransport(), one bounded set of connections shared by
	// every credential.
	Transport http.RoundTripper
	// CacheTTL is how long each credential's client keeps answers that
	// rarely change (HUBSPOT_CACHE_TTL, see hubspot.WithCache); zero
	// turns the cache off.
	CacheTTL time.Duration
	// Logger receives the clients' logs, with the credential's
	// fingerprint; nil discards them.
	Logger *slog.Logger
	// InboxAllowlist confines the service to these inboxes
	// (HUBSPOT_INBOX_ALLOWLIST); empty allows all. See allowlist.go.
	InboxAllowlist []string
	// SenderActorID is the agent a MESSAGE is sent as when the caller
	// names none (HUBSPOT_SENDER_ACTOR_ID); may be empty.
	SenderActorID string
	// Confirmations issues and redeems the confirmations of writes a
	// person must approve (MCP_CONFIRM_SECRET, MCP_REDIS_URL); nil makes
	// one for this process alone, with a random secret and its used
	// record in memory.
	Confirmations *Confirmations
}

// Service is what the product adds to HubSpot, between the MCP surfaces
// (tools, resources, prompts, completion, polling) and the HubSpot client:
// the credentials, the inbox allowlist, newest-first listing, names of
// people, send defaults, dry runs and confirmed writes, and waiting. Its
// methods take the caller's context, which names the credential (with
// PerUserTokens) and carries the call's trace, dry run, confirmation and
// wait observer. It is safe for concurrent use.
type Service struct {
	cfg     Config
	guard   *guard // nil allows every inbox
	single  *credential
	pool    *pool
	confirm *Confirmations
}

// credential is one HubSpot access token's state: its client and what the
// service learns about its account. A pool entry holds it, so evicting the
// credential forgets it all.
type credential struct {
	id      string
	client  *hubspot.Client
	limiter hubspot.Limiter
	size    int
	// owners records the inbox of threads and channel accounts, for the
	// allowlist; nil without one (a nil Map records nothing).
	owners *ttlmap.Map[string]
	// recentAgents keeps the agents seen in recent threads, when the
	// token cannot read the owners list (see agents).
	recentAgents agentCache
	// refusedAt is when HubSpot last answered 401 (Unix nanoseconds; 0
	// after a success): the pool keeps a refused credential only briefly.
	refusedAt atomic.Int64
}

// New returns a service as cfg describes. With one token, it builds that
// token's client at once, so a malformed token fails here.
func New(cfg Config) (*Service, error) {
	s := &Service{cfg: cfg, confirm: cfg.Confirmations}
	if s.confirm == nil {
		c, err := NewConfirmations(NewConfirmSecret(), nil)
		if err != nil {
			return nil, err
		}
		s.confirm = c
	}
	if len(cfg.InboxAllowlist) > 0 {
		g, err := newGuard(cfg.InboxAllowlist)
		if err != nil {
			return nil, err
		}
		s.guard = g
	}
	if cfg.PerUserTokens {
		s.pool = newPool(s.newCredential, cfg.Pool)
		return s, nil
	}
	norm, err := hubspot.NormalizeToken(cfg.Token)
	if err != nil {
		return nil, err
	}
	cr, err := s.newCredential(norm)
	if err != nil {
		return nil, err
	}
	s.single = cr
	return s, nil
}

// PerUserTokens tells whether each request brings its own token.
func (s *Service) PerUserTokens() bool { return s.pool != nil }

// Credential returns the fingerprint of the caller's credential (see
// CredentialID), to key per-user state and tell users apart in logs. Like
// every method, it fails with ErrNoToken when PerUserTokens is set and ctx
// carries no token.
func (s *Service) Credential(ctx context.Context) (string, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return "", err
	}
	return cr.id, nil
}

// credential returns the caller's credential.
func (s *Service) credential(ctx context.Context) (*credential, error) {
	if s.pool != nil {
		return s.pool.get(ctx)
	}
	if s.single == nil {
		return nil, errors.New("inbox: Service not created with New")
	}
	return s.single, nil
}

// newCredential builds a token's client, with the service's seams: its
// limiter (with polling's budget, see WithBudget), a transport that traces
// attempts (see WithTrace) and notes a refused token, the rate wait that
// reports to the call's observer (see WithWaitObserver), and the hook that
// checks every write (the allowlist, dry runs, confirmed writes). norm is
// a token hubspot.NormalizeToken returned (the pool's build gets it so).
func (s *Service) newCredential(norm string) (*credential, error) {
	cr := &credential{id: CredentialID(norm)}
	if s.cfg.Limiter != nil {
		cr.limiter = s.cfg.Limiter(cr.id)
	}
	if cr.limiter == nil {
		cr.limiter = hubspot.NewWindowLimiter(hubspot.DefaultRate)
	}
	rt := s.cfg.Transport
	if rt == nil {
		rt = hubspot.DefaultTransport()
	}
	logger := s.cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	opts := append(slices.Clone(s.cfg.ClientOptions),
		hubspot.WithLimiter(budgeted{cr.limiter}),
		hubspot.WithHTTPClient(&http.Client{Transport: &tracer{next: rt, cred: cr}}),
		hubspot.WithCache(s.cfg.CacheTTL),
		hubspot.WithLogger(logger.With("credential", cr.id)),
		hubspot.WithRateWait(await),
		hubspot.WithBeforeWrite(func(ctx context.Context, w hubspot.Write) error { return s.beforeWrite(ctx, cr, w) }),
	)
	client, err := hubspot.NewClient(norm, opts...)
	if err != nil {
		return nil, err
	}
	cr.client = client
	if s.guard != nil {
		ttl := s.cfg.CacheTTL
		if ttl <= 0 {
			ttl = ownerTTL
		}
		cr.owners = ttlmap.New[string](ttl)
	}
	cr.size = len(norm) + credentialOverhead
	if wl, ok := cr.limiter.(*hubspot.WindowLimiter); ok {
		// A window limiter records one send time (8 bytes) a call.
		cr.size += 8 * wl.Rate().Calls
	}
	return cr, nil
}

// credentialOverhead estimates a credential's memory besides its token
// and its limiter's window: the client, its logger, the pool's entry.
const credentialOverhead = 2 << 10
