// Package photo cleans uploaded photos: it tells what a file is from its
// content (never its name or declared type), accepts JPEG, PNG and WebP,
// refuses images that declare more pixels or need more memory than the
// limits before decoding them, turns the image upright by its EXIF
// orientation and encodes it again, so that none of the file's metadata
// (EXIF with GPS position, camera and time, XMP, IPTC, ICC profiles,
// comments, trailing data) survives, and makes a thumbnail. It reads and
// writes streams and nothing else: no files, no network.
package photo

import (
	"bytes"
	"net/http"
	"strings"
)

// Format is an image format this package accepts.
type Format string

// The accepted formats.
const (
	JPEG Format = "JPEG"
	PNG  Format = "PNG"
	WebP Format = "WebP"
)

// SniffLen is how many leading bytes Sniff looks at.
const SniffLen = 512

// signature is a leading byte pattern and what a file that starts with it
// is, in words for a refusal.
type signature struct {
	prefix string
	what   string
}

// others are formats people upload that are not accepted, named so a
// refusal can say what was found.
var others = []signature{
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"II*\x00", "a TIFF image"},
	{"MM\x00*", "a TIFF image"},
	{"BM", "a BMP image"},
	{"\x00\x00\x01\x00", "an ICO image"},
	{"%PDF-", "a PDF document"},
	{"PK\x03\x04", "a ZIP archive"},
	{"\x7fELF", "an executable program"},
	{"MZ", "a Windows program"},
	{"\x1f\x8b", "a gzip archive"},
}

// Sniff tells from the leading bytes of a file (up to SniffLen) whether it
// is an accepted image, and otherwise what it seems to be (e.g. "an SVG
// image", "text/html"), for the refusal.
func Sniff(head []byte) (f Format, found string) {
	switch {
	case len(head) >= 3 && bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return JPEG, "a JPEG image"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, "a PNG image"
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return WebP, "a WebP image"
	case len(head) == 0:
		return "", "an empty file"
	}
	for _, s := range others {
		if bytes.HasPrefix(head, []byte(s.prefix)) {
			return "", s.what
		}
	}
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		switch string(head[8:12]) {
		case "heic", "heix", "heim", "heis", "mif1", "msf1", "hevc", "hevx":
			return "", "a HEIC image"
		case "avif", "avis":
			return "", "an AVIF image"
		}
		return "", "an MP4 or QuickTime video"
	}
	text := strings.ToLower(string(head))
	if strings.Contains(text, "<svg") {
		return "", "an SVG image"
	}
	ct := http.DetectContentType(head)
	if ct == "application/octet-stream" {
		return "", "unrecognised binary data"
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return "", ct
}
