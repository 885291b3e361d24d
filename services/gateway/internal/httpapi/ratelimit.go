package httpapi

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/auth"
)

// RateLimit sets the request budgets of the gateway. A zero rate disables
// that budget.
type RateLimit struct {
	// TenantPerSecond and TenantBurst bound all requests of one tenant.
	TenantPerSecond float64
	TenantBurst     int
	// ClientPerSecond and ClientBurst bound one client: a token's subject
	// within its tenant, or the remote address of an unauthenticated caller.
	ClientPerSecond float64
	ClientBurst     int
	// MaxKeys bounds how many tenants, and how many clients, have a bucket
	// of their own at once; zero means DefaultMaxKeys.
	MaxKeys int
	// Verifier reads the tenant and subject from bearer tokens. Without it
	// every caller is keyed by address. The services still verify every
	// token themselves; this is only for accounting.
	Verifier *auth.Verifier
}

// DefaultMaxKeys is the bucket bound used when RateLimit.MaxKeys is zero:
// about 20 MB of buckets per budget at most.
const DefaultMaxKeys = 100_000

// limiterSet hands out one token bucket per key, up to max keys. A bucket
// unused for idle has refilled completely, so forgetting it changes no
// caller's budget; while every one of max buckets is busy, new keys share
// one overflow bucket, so a flood of new addresses neither grows the map
// nor escapes the limit.
type limiterSet struct {
	mu       sync.Mutex
	perSec   rate.Limit
	burst    int
	max      int
	idle     time.Duration
	buckets  map[string]*bucket
	overflow *rate.Limiter
	sweepAt  time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiterSet(perSec float64, burst, maxKeys int) *limiterSet {
	if perSec <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(math.Ceil(perSec))
	}
	if maxKeys < 1 {
		maxKeys = DefaultMaxKeys
	}
	// The time an empty bucket takes to fill up again, at least a second.
	idle := max(time.Duration(float64(burst)/perSec*float64(time.Second)), time.Second)
	return &limiterSet{perSec: rate.Limit(perSec), burst: burst, max: maxKeys, idle: idle,
		buckets: map[string]*bucket{}, overflow: rate.NewLimiter(rate.Limit(perSec), burst)}
}

// reserve takes one token for key and says how long the caller must wait
// if none is left (0 when the request may go on, with undo giving the token
// back should another budget refuse the request).
func (s *limiterSet) reserve(key string, now time.Time) (wait time.Duration, undo func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lim := s.limiter(key, now)
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request does not spend budget
		return d, func() {}
	}
	return 0, func() { r.CancelAt(now) }
}

// limiter returns key's bucket, making one if there is room, else the
// overflow bucket. Called with s.mu held.
func (s *limiterSet) limiter(key string, now time.Time) *rate.Limiter {
	if b, ok := s.buckets[key]; ok {
		b.seen = now
		return b.lim
	}
	if len(s.buckets) >= s.max || now.After(s.sweepAt) {
		s.sweep(now)
	}
	if len(s.buckets) >= s.max {
		return s.overflow
	}
	b := &bucket{lim: rate.NewLimiter(s.perSec, s.burst), seen: now}
	s.buckets[key] = b
	return b.lim
}

// sweep forgets the buckets idle long enough to be full again, at most once
// per idle period so a full set is not scanned on every request.
func (s *limiterSet) sweep(now time.Time) {
	if !now.After(s.sweepAt) {
		return
	}
	for k, b := range s.buckets {
		if now.Sub(b.seen) >= s.idle {
			delete(s.buckets, k)
		}
	}
	s.sweepAt = now.Add(s.idle)
}

// rateLimited refuses requests over the tenant or client budget with 429 and
// Retry-After (whole seconds, rounded up).
func rateLimited(next http.Handler, rl RateLimit) http.Handler {
	tenants := newLimiterSet(rl.TenantPerSecond, rl.TenantBurst, rl.MaxKeys)
	clients := newLimiterSet(rl.ClientPerSecond, rl.ClientBurst, rl.MaxKeys)
	if tenants == nil && clients == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tenant, client := callerKeys(r, rl.Verifier)
		now := time.Now()
		var wait time.Duration
		undoTenant := func() {}
		if tenants != nil && tenant != "" {
			wait, undoTenant = tenants.reserve(tenant, now)
		}
		if clients != nil && wait == 0 {
			if wait, _ = clients.reserve(client, now); wait > 0 {
				undoTenant()
			}
		}
		if wait > 0 {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			writeStatus(w, http.StatusTooManyRequests, status.New(codes.ResourceExhausted,
				"rate limit exceeded; retry after "+strconv.Itoa(max(secs, 1))+"s"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// callerKeys returns the tenant (empty when unknown) and the client key of a
// request. The token is read with auth.BearerToken, as the services read
// it, so a request the services accept as authenticated is charged to its
// tenant and subject however the scheme is spelled.
func callerKeys(r *http.Request, v *auth.Verifier) (tenant, client string) {
	if vals := r.Header.Values("Authorization"); v != nil && len(vals) == 1 {
		if tok, ok := auth.BearerToken(vals[0]); ok {
			if c, err := v.Verify(tok); err == nil {
				return c.Tenant, "sub:" + c.Tenant + "/" + c.Subject
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "", "addr:" + host
}
