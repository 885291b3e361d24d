package seal

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Sealed streams hold content too large to seal in one piece (a photo):
// the plaintext is cut into segments of StreamSegment bytes, each sealed
// with AES-256-GCM under a nonce made of a random prefix, the segment's
// number and a flag on the last segment (the STREAM construction), all
// bound to the same associated data. A reader authenticates each segment
// before it releases its bytes, and a stream that was cut short, reordered
// or spliced from two streams fails to open. Memory stays at one segment
// whatever the size.
//
// Layout: magic "TES1", one byte with the key id's length, the key id, the
// 7-byte nonce prefix, then the segments (each its ciphertext and 16-byte
// tag; every segment but the last holds StreamSegment plaintext bytes, the
// last fewer, possibly none).

// StreamSegment is the plaintext size of every segment but the last.
const StreamSegment = 64 << 10

const (
	streamMagic  = "TES1"
	prefixSize   = 7
	maxSegments  = 1<<32 - 1
	streamTagLen = 16
)

// StreamSize is the size of the sealed stream of plain bytes of plaintext
// sealed with the key keyID.
func StreamSize(keyID string, plain int64) int64 {
	segments := max(1, (plain+StreamSegment-1)/StreamSegment)
	return int64(len(streamMagic)+1+len(keyID)+prefixSize) + plain + segments*streamTagLen
}

// StreamSize is the size of the sealed stream of plain bytes sealed with
// the ring's active key.
func (k *Keyring) StreamSize(plain int64) int64 { return StreamSize(k.active, plain) }

// SealStream seals everything src yields into dst with the active key,
// bound to aad, and returns the number of bytes written.
func (k *Keyring) SealStream(dst io.Writer, src io.Reader, aad []byte) (int64, error) {
	if len(k.active) > 255 {
		return 0, errors.New("seal.SealStream: key id longer than 255 bytes")
	}
	aead := k.aeads[k.active]
	prefix := make([]byte, prefixSize)
	if _, err := rand.Read(prefix); err != nil {
		return 0, fmt.Errorf("seal.SealStream: rand.Read: %w", err)
	}
	head := append(append(append([]byte(streamMagic), byte(len(k.active))), k.active...), prefix...)
	written, err := dst.Write(head)
	total := int64(written)
	if err != nil {
		return total, fmt.Errorf("seal.SealStream: write: %w", err)
	}
	// Read one byte past a segment to learn whether it is the last.
	buf := make([]byte, StreamSegment+1)
	out := make([]byte, 0, StreamSegment+streamTagLen)
	have := 0
	for seg := uint64(0); ; seg++ {
		n, err := io.ReadFull(src, buf[have:])
		have += n
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			return total, fmt.Errorf("seal.SealStream: read: %w", err)
		}
		if seg > maxSegments {
			return total, errors.New("seal.SealStream: stream too long")
		}
		size := min(have, StreamSegment)
		out = aead.Seal(out[:0], streamNonce(prefix, uint32(seg), last), buf[:size], aad)
		written, err := dst.Write(out)
		total += int64(written)
		if err != nil {
			return total, fmt.Errorf("seal.SealStream: write: %w", err)
		}
		if last {
			return total, nil
		}
		// Keep the byte read past the segment.
		copy(buf, buf[size:have])
		have -= size
	}
}

// streamNonce is the nonce of segment seg of the stream with prefix.
func streamNonce(prefix []byte, seg uint32, last bool) []byte {
	nonce := make([]byte, 12)
	copy(nonce, prefix)
	binary.BigEndian.PutUint32(nonce[prefixSize:], seg)
	if last {
		nonce[11] = 1
	}
	return nonce
}

// OpenStream reads the header of the sealed stream src and returns a reader
// of its plaintext, bound to aad. Each segment is authenticated before its
// bytes are returned; a stream that is not whole and in order fails with an
// error before its end.
func (k *Keyring) OpenStream(src io.Reader, aad []byte) (io.Reader, error) {
	head := make([]byte, len(streamMagic)+1)
	if _, err := io.ReadFull(src, head); err != nil {
		return nil, fmt.Errorf("seal.OpenStream: header: %w", err)
	}
	if !bytes.Equal(head[:len(streamMagic)], []byte(streamMagic)) {
		return nil, errors.New("seal.OpenStream: not a sealed stream")
	}
	rest := make([]byte, int(head[len(streamMagic)])+prefixSize)
	if _, err := io.ReadFull(src, rest); err != nil {
		return nil, fmt.Errorf("seal.OpenStream: header: %w", err)
	}
	keyID := string(rest[:len(rest)-prefixSize])
	aead, ok := k.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("seal.OpenStream: unknown key %q", keyID)
	}
	return &streamReader{src: src, aead: aead, aad: aad, prefix: rest[len(rest)-prefixSize:],
		buf: make([]byte, StreamSegment+streamTagLen+1)}, nil
}

// streamReader opens a sealed stream segment by segment.
type streamReader struct {
	src    io.Reader
	aead   cipher.AEAD
	aad    []byte
	prefix []byte
	seg    uint64
	// buf holds the ciphertext read ahead: a segment and one byte more,
	// which tells whether the segment is the last.
	buf   []byte
	have  int
	plain []byte
	done  bool
	err   error
}

// Read implements io.Reader.
func (r *streamReader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.err = r.next()
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

// next opens the next segment into r.plain.
func (r *streamReader) next() error {
	n, err := io.ReadFull(r.src, r.buf[r.have:])
	r.have += n
	last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
	if err != nil && !last {
		return fmt.Errorf("seal.OpenStream: read: %w", err)
	}
	if r.seg > maxSegments {
		return errors.New("seal.OpenStream: stream too long")
	}
	size := min(r.have, StreamSegment+streamTagLen)
	if size < streamTagLen {
		return errors.New("seal.OpenStream: stream cut short")
	}
	plain, err := r.aead.Open(nil, streamNonce(r.prefix, uint32(r.seg), last), r.buf[:size], r.aad)
	if err != nil {
		// A segment that is not the last yet was opened as the last one (or
		// the other way round) fails here too: the stream was cut or grown.
		return fmt.Errorf("seal.OpenStream: segment %d: %w", r.seg, err)
	}
	copy(r.buf, r.buf[size:r.have])
	r.have -= size
	r.seg++
	r.plain, r.done = plain, last
	return nil
}
