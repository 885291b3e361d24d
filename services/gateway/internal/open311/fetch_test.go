package open311

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOnlyPublicAddressesArePublic(t *testing.T) {
	t.Parallel()
	for addr, public := range map[string]bool{
		"8.8.8.8": true, "41.0.0.1": true, "2001:4860:4860::8888": true,
		"127.0.0.1": false, "127.1.2.3": false, "::1": false, "10.0.0.1": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00::1": false, "100.64.0.1": false, "0.0.0.0": false, "::": false,
		"224.0.0.1": false, "255.255.255.255": false, "198.18.0.1": false, "::ffff:127.0.0.1": false, "::ffff:169.254.169.254": false,
		"64:ff9b::7f00:1": false,
	} {
		require.Equal(t, public, Public(netip.MustParseAddr(addr)), addr)
	}
}

// photoServer serves a photo on loopback, with a redirect and an oversized
// file beside it.
func photoServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/photo.jpg", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("\xff\xd8\xffphoto")) })
	mux.HandleFunc("/big.jpg", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(bytes.Repeat([]byte("x"), 5000)) })
	mux.HandleFunc("/gone.jpg", func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) })
	mux.HandleFunc("/slow.jpg", func(w http.ResponseWriter, _ *http.Request) { time.Sleep(2 * time.Second) })
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	mux.HandleFunc("/to-other-loopback", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace("http://"+r.Host+"/photo.jpg", "127.0.0.1", "127.0.0.2", 1), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAMediaURLIsFetchedOnlyFromWhereItMayBe(t *testing.T) {
	t.Parallel()
	srv := photoServer(t)
	strict := NewFetcher(FetchOptions{MaxBytes: 1000, Timeout: time.Second})
	loopback := NewFetcher(FetchOptions{MaxBytes: 1000, Timeout: time.Second, Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	for _, tc := range []struct {
		name string
		f    *Fetcher
		url  string
		says string
	}{
		{"loopback without the allow-list", strict, srv.URL + "/photo.jpg", "127.0.0.1 is not a public address"},
		{"the cloud metadata address", strict, "http://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public address"},
		{"a private address", strict, "http://10.1.2.3/x.jpg", "10.1.2.3 is not a public address"},
		{"a redirect to the metadata address", loopback, srv.URL + "/to-metadata", "169.254.169.254 is not a public address"},
		{"a redirect to another loopback address", loopback, srv.URL + "/to-other-loopback", "127.0.0.2 is not a public address"},
		{"a file scheme", loopback, "file:///etc/passwd", "only http and https URLs are fetched"},
		{"a gopher scheme", loopback, "gopher://example.org/", "only http and https URLs are fetched"},
		{"credentials in the URL", loopback, "http://user:pw@127.0.0.1/photo.jpg", "a URL with credentials is not fetched"},
		{"a file over the size cap", loopback, srv.URL + "/big.jpg", "it is larger than 1000 bytes"},
		{"a missing file", loopback, srv.URL + "/gone.jpg", "the server answered 404 Not Found"},
		{"a server slower than the timeout", loopback, srv.URL + "/slow.jpg", "Timeout exceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			_, err := tc.f.Fetch(context.Background(), tc.url, &b)
			require.ErrorContains(t, err, tc.says)
			require.LessOrEqual(t, b.Len(), 1001)
		})
	}
	t.Run("a photo on an allowed address is fetched", func(t *testing.T) {
		t.Parallel()
		var b bytes.Buffer
		n, err := loopback.Fetch(context.Background(), srv.URL+"/photo.jpg", &b)
		require.NoError(t, err)
		require.Equal(t, int64(8), n)
		require.Equal(t, "\xff\xd8\xffphoto", b.String())
	})
}
