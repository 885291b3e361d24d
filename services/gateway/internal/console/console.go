// Package console serves the operator console: the single-page app built
// from web/console and embedded in the gateway binary, its settings
// (config.json) and, in development mode only, the sign-in that mints a
// development token. Every path under /console/ that is not a file serves
// index.html, so each view has a URL that survives a reload.
package console

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// site holds the built console (index.html and assets/), or only the
// placeholder page when the gateway was built without it.
//
//go:embed all:site
var site embed.FS

// Prefix is the URL path the console is served under.
const Prefix = "/console/"

// Handler serves the console under Prefix.
type Handler struct {
	files    fs.FS
	index    []byte
	built    bool
	modTime  time.Time
	settings Settings
	csp      string
	mux      *http.ServeMux
	// gzipped holds the gzip-compressed copy of every text file of the
	// bundle (see gzipFiles), by name; index.html's under "index.html".
	gzipped map[string][]byte
}

// New returns the console handler for settings, serving the embedded files.
func New(s Settings) (*Handler, error) {
	files, err := fs.Sub(site, "site")
	if err != nil {
		return nil, err
	}
	return newHandler(files, s)
}

// newHandler serves files (the embedded site, or a test's) with settings.
func newHandler(files fs.FS, s Settings) (*Handler, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	h := &Handler{files: files, settings: s, csp: s.contentSecurityPolicy(), modTime: time.Now()}
	index, err := fs.ReadFile(files, "index.html")
	if err == nil {
		h.index, h.built = index, true
	} else if h.index, err = fs.ReadFile(files, "placeholder.html"); err != nil {
		return nil, err
	}
	if h.gzipped, err = gzipFiles(files); err != nil {
		return nil, err
	}
	if gz, ok := h.gzipped["placeholder.html"]; ok && !h.built {
		// The placeholder is served in the index's place.
		h.gzipped["index.html"] = gz
	}
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET "+Prefix+"config.json", h.serveConfig)
	h.mux.HandleFunc("POST "+Prefix+"dev-token", h.serveDevToken)
	h.mux.HandleFunc("GET "+Prefix, h.serveFile)
	h.mux.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
	})
	return h, nil
}

// Built reports whether the gateway carries the console's bundle (not
// only the placeholder page).
func (h *Handler) Built() bool { return h.built }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

// serveFile serves a file of the bundle, or index.html for any other path
// (a deep link into the app). Hashed assets are cached for a year; the
// index, which names them, is revalidated on every load.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), strings.TrimSuffix(Prefix, "/"))
	name = strings.TrimPrefix(name, "/")
	if name != "" && name != "index.html" && name != "placeholder.html" {
		if f, err := fs.Stat(h.files, name); err == nil && !f.IsDir() {
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			if !h.serveGzipped(w, r, name) {
				http.ServeFileFS(w, r, h.files, name)
			}
			return
		}
		if strings.HasPrefix(name, "assets/") {
			// A missing asset is a 404, not the app: a stale index must
			// not load HTML as a script.
			http.NotFound(w, r)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if h.serveGzipped(w, r, "index.html") {
		return
	}
	http.ServeContent(w, r, "index.html", h.modTime, bytes.NewReader(h.index))
}
