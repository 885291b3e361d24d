package console

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func TestTheBundleIsSentGzippedToBrowsersThatAcceptIt(t *testing.T) {
	t.Parallel()
	script := "console.log(" + strings.Repeat(`"a municipal queue of tickets", `, 400) + "1)"
	files := fstest.MapFS{
		"index.html":            {Data: []byte("<!doctype html><title>console</title>" + strings.Repeat("<!-- padding -->", 50))},
		"placeholder.html":      {Data: []byte("not built")},
		"assets/main-ABC123.js": {Data: []byte(script)},
		"assets/logo.png":       {Data: []byte("\x89PNG\r\n\x1a\n not text")},
	}
	h := newTestHandler(t, files, Settings{})
	fetch := func(path, accept string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		h.ServeHTTP(rec, req)
		return rec
	}
	gunzip := func(t *testing.T, rec *httptest.ResponseRecorder) string {
		t.Helper()
		zr, err := gzip.NewReader(rec.Body)
		require.NoError(t, err)
		b, err := io.ReadAll(zr)
		require.NoError(t, err)
		return string(b)
	}

	t.Run("a script is gzipped, smaller, with its type, and opens to the same bytes", func(t *testing.T) {
		rec := fetch("/console/assets/main-ABC123.js", "gzip, deflate, br")
		require.Equal(t, 200, rec.Code)
		require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
		require.Contains(t, rec.Header().Get("Content-Type"), "javascript")
		require.Contains(t, rec.Header().Values("Vary"), "Accept-Encoding")
		require.Equal(t, "public, max-age=31536000, immutable", rec.Header().Get("Cache-Control"))
		require.Less(t, rec.Body.Len(), len(script)/3)
		require.Equal(t, script, gunzip(t, rec))
	})
	t.Run("a deep link's index is gzipped too", func(t *testing.T) {
		rec := fetch("/console/tickets/8a0f", "gzip")
		require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
		require.Contains(t, gunzip(t, rec), "<title>console</title>")
		require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	})
	for _, accept := range []string{"", "identity", "br", "gzip;q=0", "GZIP;q=0.0"} {
		t.Run("no gzip for Accept-Encoding "+accept, func(t *testing.T) {
			rec := fetch("/console/assets/main-ABC123.js", accept)
			require.Empty(t, rec.Header().Get("Content-Encoding"))
			require.Equal(t, script, rec.Body.String())
		})
	}
	t.Run("an image is sent as it is", func(t *testing.T) {
		rec := fetch("/console/assets/logo.png", "gzip")
		require.Empty(t, rec.Header().Get("Content-Encoding"))
	})
}
