// Package upload reads uploads from HTTP requests for the gateway's
// hand-written streaming handlers: a request body that must keep arriving
// (a pause longer than the idle timeout, or a body slower than the total
// time, ends it), multipart file names as sent (never reduced to a base
// name, so the ticket service can refuse a path), and files passed on in
// bounded chunks, counted against a size limit while they stream.
package upload

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"time"
)

// Chunk is the size of the pieces a file is passed on in: under the 64
// KiB a message of the ticket service's upload streams may carry, and
// small enough that the encoded message fits gRPC's pooled 32 KiB buffers
// (one byte more and each message takes a 1 MiB buffer while it waits to
// be written: 50 MB of them with 16 uploads at once).
const Chunk = 32<<10 - 16

// TooLarge says a file is larger than Limit bytes.
type TooLarge struct{ Limit int64 }

// Error implements error.
func (e *TooLarge) Error() string {
	return fmt.Sprintf("file larger than %d bytes (%d MiB)", e.Limit, e.Limit>>20)
}

// Stalled says the body stopped arriving.
type Stalled struct {
	// Idle is the pause that ended it, or 0 when the whole body took
	// longer than Total.
	Idle, Total time.Duration
}

// Error implements error.
func (e *Stalled) Error() string {
	if e.Idle > 0 {
		return fmt.Sprintf("upload stalled: nothing arrived for %s", e.Idle)
	}
	return fmt.Sprintf("upload too slow: it must arrive within %s", e.Total)
}

// body reads a request body, extending the connection's read deadline by
// idle before each read, never past the total deadline.
type body struct {
	r        io.Reader
	rc       *http.ResponseController
	idle     time.Duration
	total    time.Duration
	deadline time.Time
}

// Body returns r's body as a reader whose reads each wait at most idle,
// all of them together at most total (the server's own read timeout is
// replaced for this request: an upload of 20 MB over a slow line takes
// longer than a JSON call may).
func Body(w http.ResponseWriter, r *http.Request, idle, total time.Duration) io.Reader {
	return &body{r: r.Body, rc: http.NewResponseController(w), idle: idle, total: total, deadline: time.Now().Add(total)}
}

// Read implements io.Reader.
func (b *body) Read(p []byte) (int, error) {
	next := time.Now().Add(b.idle)
	if next.After(b.deadline) {
		next = b.deadline
	}
	// An http.ResponseWriter that cannot set deadlines (a test recorder)
	// reads without them.
	_ = b.rc.SetReadDeadline(next)
	n, err := b.r.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		if time.Now().Before(b.deadline) {
			return n, &Stalled{Idle: b.idle}
		}
		return n, &Stalled{Total: b.total}
	}
	return n, err
}

// Parts returns the multipart reader of r's body read through body, or an
// error that says the request is not multipart/form-data.
func Parts(r *http.Request, body io.Reader) (*multipart.Reader, error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return nil, errors.New("Content-Type must be multipart/form-data with a boundary")
	}
	return multipart.NewReader(body, params["boundary"]), nil
}

// IsMultipart reports whether r's body is multipart/form-data.
func IsMultipart(r *http.Request) bool {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && ct == "multipart/form-data"
}

// FileName is the file name a part's Content-Disposition gives, as sent
// (multipart.Part.FileName keeps only its last element, which would hide a
// path the ticket service must refuse); "" for a field.
func FileName(p *multipart.Part) string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// IsFile reports whether part p carries a file (it has a file name
// parameter, even an empty one).
func IsFile(p *multipart.Part) bool {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return false
	}
	_, ok := params["filename"]
	return ok
}

// Field reads a text part of at most max bytes.
func Field(p *multipart.Part, max int64) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, max+1))
	if err != nil {
		return "", err
	}
	if int64(len(b)) > max {
		return "", fmt.Errorf("field %s is longer than %d bytes", p.FormName(), max)
	}
	return string(b), nil
}

// Stream passes r on in chunks of at most Chunk bytes through send,
// refusing it with *TooLarge once it passes max bytes, and returns the
// bytes passed. A send error stops it (the receiver answered already).
func Stream(r io.Reader, max int64, send func([]byte) error) (int64, error) {
	buf := make([]byte, Chunk)
	var total int64
	for {
		n, err := io.ReadFull(r, buf)
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			// A body that failed to arrive (a stall) is the answer, not
			// what passing its last piece on then says.
			return total, err
		}
		if n > 0 {
			total += int64(n)
			if total > max {
				return total, &TooLarge{Limit: max}
			}
			if serr := send(buf[:n]); serr != nil {
				return total, serr
			}
		}
		if last {
			return total, nil
		}
	}
}
