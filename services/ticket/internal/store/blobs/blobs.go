// Package blobs keeps the ticket service's photos: objects addressed by
// keys the service makes (`<tenant>/<sha-256 hex>`), never by anything a
// caller names, in a local directory or in S3-compatible object storage.
// Objects are written whole or not at all, and a key's object is only ever
// the bytes whose hash it names, so writing one twice is harmless.
package blobs

import (
	"context"
	"errors"
	"io"
	"regexp"
	"time"
)

// ErrNotFound says an object does not exist.
var ErrNotFound = errors.New("blobs: object not found")

// Store keeps objects by key.
type Store interface {
	// Put writes the size bytes of r as the object key, replacing any.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the object key; ErrNotFound when there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the object key; a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// Exists reports whether the object key exists.
	Exists(ctx context.Context, key string) (bool, error)
	// List returns the keys that begin with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// SignedURL returns a link that downloads the object key for ttl
	// without further credentials, served with contentType; "" when the
	// store cannot sign links (a local directory).
	SignedURL(ctx context.Context, key string, ttl time.Duration, contentType string) (string, error)
}

// keyPattern is the only shape of key a store accepts: a municipality code
// and a SHA-256 in hex. Nothing a caller sends can become a path.
var keyPattern = regexp.MustCompile(`^[A-Z0-9]{2,8}/[0-9a-f]{64}$`)

// checkKey refuses a key of any other shape.
func checkKey(key string) error {
	if !keyPattern.MatchString(key) {
		return errors.New("blobs: malformed key")
	}
	return nil
}
