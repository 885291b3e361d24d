package auth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxDocumentBytes bounds a discovery document or key set: an issuer (or
// whoever answers in its place) cannot make a process read without end.
const maxDocumentBytes = 1 << 20

// minRSABits is the smallest RSA modulus accepted from a key set.
const minRSABits = 2048

// keySet is an issuer's signing keys, discovered through its
// /.well-known/openid-configuration and cached. It is fetched again when a
// token names a key it lacks (the issuer rotated) and when the cache is
// older than maxAge (the issuer withdrew a key), at most once per
// minInterval however many tokens ask, so that tokens with invented key
// ids cannot make every request call the issuer.
type keySet struct {
	issuer      string
	client      *http.Client
	minInterval time.Duration
	maxAge      time.Duration
	now         func() time.Time

	current atomic.Pointer[fetchedKeys]

	// fetchMu is held while fetching; lastAttempt and lastErr with it.
	fetchMu     sync.Mutex
	lastAttempt time.Time
	lastErr     error
}

// fetchedKeys is one answer of the issuer's key set, never changed.
type fetchedKeys struct {
	byKID   map[string]*rsa.PublicKey
	fetched time.Time
}

// find returns the key named kid. A token without a kid matches only a set
// of one key.
func (f *fetchedKeys) find(kid string) *rsa.PublicKey {
	if f == nil {
		return nil
	}
	if k, ok := f.byKID[kid]; ok {
		return k
	}
	if kid == "" && len(f.byKID) == 1 {
		for _, k := range f.byKID {
			return k
		}
	}
	return nil
}

// key returns the public key named kid, fetching the key set again when
// the cache lacks it or is stale and the rate limit allows.
func (s *keySet) key(kid string) (*rsa.PublicKey, error) {
	cached := s.current.Load()
	if k := cached.find(kid); k != nil {
		if s.now().Sub(cached.fetched) < s.maxAge {
			return k, nil
		}
		// Stale: refresh if no one else is, and go on with what is
		// known; an issuer that cannot be reached does not sign everyone out.
		if s.fetchMu.TryLock() {
			s.refreshLocked()
			s.fetchMu.Unlock()
		}
		if fresh := s.current.Load().find(kid); fresh != nil {
			return fresh, nil
		}
		return nil, fmt.Errorf("the issuer no longer publishes key %q", kid)
	}
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	if now := s.current.Load(); now != cached {
		// Another caller fetched while this one waited.
		if k := now.find(kid); k != nil {
			return k, nil
		}
	}
	s.refreshLocked()
	if k := s.current.Load().find(kid); k != nil {
		return k, nil
	}
	if s.lastErr != nil {
		return nil, fmt.Errorf("no key %q from %s (last fetch: %w)", kid, s.issuer, s.lastErr)
	}
	return nil, fmt.Errorf("no key %q from %s", kid, s.issuer)
}

// refreshLocked fetches the key set unless the last attempt was less than
// minInterval ago. The caller holds fetchMu.
func (s *keySet) refreshLocked() {
	if !s.lastAttempt.IsZero() && s.now().Sub(s.lastAttempt) < s.minInterval {
		return
	}
	s.lastAttempt = s.now()
	ctx, cancel := context.WithTimeout(context.Background(), s.client.Timeout)
	defer cancel()
	s.lastErr = s.fetch(ctx)
}

// refresh fetches the key set now, whatever the rate limit says: at start.
func (s *keySet) refresh(ctx context.Context) error {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	s.lastAttempt = s.now()
	s.lastErr = s.fetch(ctx)
	return s.lastErr
}

// discovery is the part of an OpenID Provider's metadata the suite reads.
type discovery struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
}

// jwk is one JSON Web Key; only RSA signing keys are used.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// fetch reads the discovery document and the key set it names, and
// replaces the cached keys with the set's RS256 signing keys.
func (s *keySet) fetch(ctx context.Context) error {
	var d discovery
	if err := s.getJSON(ctx, strings.TrimSuffix(s.issuer, "/")+"/.well-known/openid-configuration", &d); err != nil {
		return err
	}
	// OpenID Connect Discovery 1.0, section 4.3: the document must name
	// the issuer it was fetched for, exactly.
	if d.Issuer != s.issuer {
		return fmt.Errorf("the discovery document names issuer %q, not %q", d.Issuer, s.issuer)
	}
	u, err := url.Parse(d.JWKSURI)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("the discovery document's jwks_uri %q is not an absolute http(s) URL", d.JWKSURI)
	}
	if strings.HasPrefix(s.issuer, "https://") && u.Scheme != "https" {
		return fmt.Errorf("the discovery document's jwks_uri %q is not https", d.JWKSURI)
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := s.getJSON(ctx, d.JWKSURI, &set); err != nil {
		return err
	}
	keys, err := rsaSigningKeys(set.Keys)
	if err != nil {
		return fmt.Errorf("%s: %w", d.JWKSURI, err)
	}
	s.current.Store(&fetchedKeys{byKID: keys, fetched: s.now()})
	return nil
}

// rsaSigningKeys returns the RS256 signing keys of a key set by kid. Keys
// for encryption, of other types or algorithms are left out; a set with
// none, with two keys of one kid or with a key too short is refused.
func rsaSigningKeys(keys []jwk) (map[string]*rsa.PublicKey, error) {
	out := map[string]*rsa.PublicKey{}
	for _, k := range keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") || (k.Alg != "" && k.Alg != "RS256") {
			continue
		}
		if _, dup := out[k.Kid]; dup {
			return nil, fmt.Errorf("two signing keys have kid %q", k.Kid)
		}
		n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
		if err != nil {
			return nil, fmt.Errorf("key %q: modulus: %w", k.Kid, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
		if err != nil {
			return nil, fmt.Errorf("key %q: exponent: %w", k.Kid, err)
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if len(e) > 4 || pub.E < 3 || pub.E%2 == 0 {
			return nil, fmt.Errorf("key %q: exponent is not a small odd number", k.Kid)
		}
		if pub.N.BitLen() < minRSABits {
			return nil, fmt.Errorf("key %q: %d-bit modulus, at least %d needed", k.Kid, pub.N.BitLen(), minRSABits)
		}
		out[k.Kid] = pub
	}
	if len(out) == 0 {
		return nil, errors.New("no RS256 signing key in the key set")
	}
	return out, nil
}

// getJSON fetches u and decodes its JSON body into dst.
func (s *keySet) getJSON(ctx context.Context, u string, dst any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if len(body) > maxDocumentBytes {
		return fmt.Errorf("GET %s: larger than %d bytes", u, maxDocumentBytes)
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}
