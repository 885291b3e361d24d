package store

import (
	"fmt"
	"io"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Parts of an attachment whose bytes are stored: the image and its
// thumbnail.
const (
	PartImage     = "image"
	PartThumbnail = "thumbnail"
)

// SealPhoto seals part (PartImage or PartThumbnail) of GBV attachment a,
// read from src, into dst as a sealed stream bound to the tenant, ticket,
// attachment and part, and returns the bytes written. The objects of a GBV
// ticket's attachments hold nothing else.
func (s *Store) SealPhoto(dst io.Writer, src io.Reader, a domain.Attachment, part string) (int64, error) {
	n, err := s.keys.SealStream(dst, src, attachmentAAD(a, part))
	if err != nil {
		return n, fmt.Errorf("store.SealPhoto: %w", err)
	}
	return n, nil
}

// OpenPhoto returns the plaintext of part of GBV attachment a from its
// sealed object src; each segment is authenticated before it is read.
func (s *Store) OpenPhoto(src io.Reader, a domain.Attachment, part string) (io.Reader, error) {
	r, err := s.keys.OpenStream(src, attachmentAAD(a, part))
	if err != nil {
		return nil, fmt.Errorf("store.OpenPhoto: %w", err)
	}
	return r, nil
}
