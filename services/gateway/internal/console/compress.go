package console

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// compressible are the kinds of file worth compressing: text. Images and
// fonts in the bundle are compressed already.
var compressible = map[string]bool{".js": true, ".css": true, ".html": true, ".json": true, ".svg": true, ".map": true, ".txt": true}

// gzipFiles compresses every compressible file of files once, at start, so
// a browser on a municipal network downloads the bundle at a third of its
// size and no request pays for compression. A file that gzip does not make
// smaller is left out.
func gzipFiles(files fs.FS) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[path.Ext(name)] {
			return err
		}
		raw, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if _, err := zw.Write(raw); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if b.Len() < len(raw) {
			out[name] = b.Bytes()
		}
		return nil
	})
	return out, err
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (listed, or by "*", and not with q=0).
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// serveGzipped answers with the gzip-compressed copy of name when there is
// one and the client accepts it, reporting whether it did.
func (h *Handler) serveGzipped(w http.ResponseWriter, r *http.Request, name string) bool {
	w.Header().Add("Vary", "Accept-Encoding")
	gz, ok := h.gzipped[name]
	if !ok || !acceptsGzip(r) {
		return false
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Content-Encoding", "gzip")
	http.ServeContent(w, r, name, h.modTime, bytes.NewReader(gz))
	return true
}
