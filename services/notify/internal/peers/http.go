package peers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// sendTimeout bounds one call to a provider, inside the queue's job
// timeout: a provider that hangs is a temporary failure, retried.
const sendTimeout = 10 * time.Second

// newHTTPClient is the client of a provider's API: bounded, and never
// following a redirect (a provider does not redirect an API call; a
// webhook that does is refused rather than followed somewhere else).
func newHTTPClient() *http.Client {
	return &http.Client{Timeout: sendTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// limiter is a provider's rate limit, per process: perSecond requests a
// second with a burst of one second's worth.
func limiter(perSecond float64) *rate.Limiter {
	if perSecond <= 0 {
		return rate.NewLimiter(rate.Inf, 1)
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))
}

// call sends req (after the limiter allows it) and returns the response
// body of a 2xx; any other outcome is a domain.SendError: temporary for a
// network failure, a timeout, 408, 429 and 5xx, permanent for the rest.
func call(ctx context.Context, client *http.Client, lim *rate.Limiter, provider string, req *http.Request) (int, []byte, error) {
	if err := lim.Wait(ctx); err != nil {
		return 0, nil, domain.Temporary("%s: rate limit: %v", provider, err)
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, domain.Temporary("%s: %v", provider, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return resp.StatusCode, nil, domain.Temporary("%s: reading the answer: %v", provider, err)
	}
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return c, body, nil
	case c == http.StatusTooManyRequests || c == http.StatusRequestTimeout || c >= 500:
		return c, body, domain.Temporary("%s: HTTP %d: %s", provider, c, snippet(body))
	default:
		return c, body, domain.Permanent("%s: HTTP %d: %s", provider, c, snippet(body))
	}
}

// newRequest builds a request with a body.
func newRequest(method, url, contentType string, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return nil, domain.Permanent("bad provider URL: %v", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "TrustEngine-Notify/1")
	return req, nil
}

// snippet is the start of a provider's answer, for the message's error.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// digits is an E.164 number without its plus, as Clickatell and WhatsApp
// write numbers.
func digits(e164 string) string { return strings.TrimPrefix(e164, "+") }

// plus is a number as a provider wrote it, in E.164.
func plus(n string) string {
	n = strings.TrimSpace(n)
	if n == "" || strings.HasPrefix(n, "+") {
		return n
	}
	return "+" + n
}

// errorf wraps a provider adapter's own failure.
func errorf(format string, args ...any) error { return fmt.Errorf("peers: "+format, args...) }
