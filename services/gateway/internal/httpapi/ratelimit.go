package httpapi

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
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
	// Verifier reads the tenant and subject from bearer tokens. Without it
	// every caller is keyed by address. The services still verify every
	// token themselves; this is only for accounting.
	Verifier *auth.Verifier
}

// limiterSet hands out one token bucket per key and forgets idle ones.
type limiterSet struct {
	mu      sync.Mutex
	perSec  rate.Limit
	burst   int
	buckets map[string]*bucket
	sweepAt time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiterSet(perSec float64, burst int) *limiterSet {
	if perSec <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(math.Ceil(perSec))
	}
	return &limiterSet{perSec: rate.Limit(perSec), burst: burst, buckets: map[string]*bucket{}}
}

// reserve takes one token for key and says how long the caller must wait
// if none is left (0 when the request may go on, with undo giving the token
// back should another budget refuse the request).
func (s *limiterSet) reserve(key string, now time.Time) (wait time.Duration, undo func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.After(s.sweepAt) {
		// Forget buckets idle long enough to have refilled completely.
		for k, b := range s.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(s.buckets, k)
			}
		}
		s.sweepAt = now.Add(time.Minute)
	}
	b, ok := s.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(s.perSec, s.burst)}
		s.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request does not spend budget
		return d, func() {}
	}
	return 0, func() { r.CancelAt(now) }
}

// rateLimited refuses requests over the tenant or client budget with 429 and
// Retry-After (whole seconds, rounded up).
func rateLimited(next http.Handler, rl RateLimit) http.Handler {
	tenants := newLimiterSet(rl.TenantPerSecond, rl.TenantBurst)
	clients := newLimiterSet(rl.ClientPerSecond, rl.ClientBurst)
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
// request.
func callerKeys(r *http.Request, v *auth.Verifier) (tenant, client string) {
	if v != nil {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if c, err := v.Verify(strings.TrimSpace(tok)); err == nil {
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
