package open311

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// Fetcher downloads the photo an Open311 client names in media_url, from
// the gateway, so with care: only http and https, only public addresses
// (the address is checked when each connection is made, so neither a DNS
// answer that changes between look-up and connect nor a redirect reaches
// the municipality's own network), no proxy from the environment, a few
// redirects, short timeouts, and a size cap counted while it streams.
type Fetcher struct {
	client   *http.Client
	maxBytes int64
}

// FetchOptions configure a Fetcher.
type FetchOptions struct {
	// MaxBytes is the largest photo fetched.
	MaxBytes int64
	// Timeout bounds a whole fetch, redirects included.
	Timeout time.Duration
	// Allow lists address ranges that may be fetched although they are not
	// public (loopback for tests); empty in production.
	Allow []netip.Prefix
}

// reserved are the ranges netip's predicates leave out that are not
// public either: shared address space (carrier NAT), benchmarking, the
// "this network" block and the reserved class E.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

// Public reports whether a is an address on the public internet: not
// loopback, private, link-local, multicast, unspecified or reserved (an
// IPv4 address in IPv6 form is judged as IPv4).
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// NewFetcher returns a Fetcher with o's limits.
func NewFetcher(o FetchOptions) *Fetcher {
	allowed := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range o.Allow {
			if p.Contains(a) {
				return true
			}
		}
		return Public(a)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("address %s: %w", address, err)
		}
		if !allowed(ap.Addr()) {
			return fmt.Errorf("%s is not a public address", ap.Addr())
		}
		return nil
	}}
	transport := &http.Transport{
		Proxy: nil, DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 5 * time.Second, MaxIdleConns: 4, IdleConnTimeout: 30 * time.Second,
	}
	return &Fetcher{maxBytes: o.MaxBytes, client: &http.Client{
		Transport: transport, Timeout: o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("more than 3 redirects")
			}
			return checkURL(req.URL)
		},
	}}
}

// checkURL refuses what is not an absolute http(s) URL without
// credentials.
func checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("only http and https URLs are fetched")
	case u.Host == "":
		return errors.New("the URL has no host")
	case u.User != nil:
		return errors.New("a URL with credentials is not fetched")
	}
	return nil
}

// Fetch downloads raw into dst and returns the bytes written; the error
// says, in words for the client, why the photo could not be had.
func (f *Fetcher) Fetch(ctx context.Context, raw string, dst io.Writer) (int64, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return 0, errors.New("not a URL")
	}
	if err := checkURL(u); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, errors.New("not a URL")
	}
	req.Header.Set("Accept", "image/jpeg, image/png, image/webp")
	req.Header.Set("User-Agent", "TrustEngine-Open311/1")
	resp, err := f.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.ContentLength > f.maxBytes {
		return 0, fmt.Errorf("it is larger than %d bytes", f.maxBytes)
	}
	n, err := io.Copy(dst, io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return n, fmt.Errorf("reading it failed: %w", err)
	}
	if n > f.maxBytes {
		return n, fmt.Errorf("it is larger than %d bytes", f.maxBytes)
	}
	return n, nil
}
