package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// messages receives a client stream's messages on a goroutine, so that a
// pause longer than idle, or a stream that takes longer than total,
// refuses the upload (a stalled sender holds no handler forever), and
// lets the reader put one message back (the header of the next file).
type messages[M any] struct {
	ctx      context.Context
	in       chan received[M]
	idle     time.Duration
	deadline <-chan time.Time
	total    time.Duration
	held     *M
	// end is how the stream ended (io.EOF when the client closed its
	// side), returned from then on.
	end error
}

// received is one Recv's outcome.
type received[M any] struct {
	msg M
	err error
}

// receive starts receiving from recv until it fails or ctx ends (when the
// handler returns, gRPC ends the stream and Recv fails).
func receive[M any](ctx context.Context, recv func() (M, error), idle, total time.Duration) *messages[M] {
	m := &messages[M]{ctx: ctx, in: make(chan received[M]), idle: idle, total: total}
	if total > 0 {
		t := time.NewTimer(total)
		go func() { <-ctx.Done(); t.Stop() }()
		m.deadline = t.C
	}
	go func() {
		for {
			msg, err := recv()
			select {
			case m.in <- received[M]{msg, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return m
}

// next returns the next message (the one put back, if any); io.EOF when
// the client closed its side.
func (m *messages[M]) next() (M, error) {
	var zero M
	if m.held != nil {
		msg := *m.held
		m.held = nil
		return msg, nil
	}
	if m.end != nil {
		return zero, m.end
	}
	var idle <-chan time.Time
	if m.idle > 0 {
		t := time.NewTimer(m.idle)
		defer t.Stop()
		idle = t.C
	}
	select {
	case r := <-m.in:
		m.end = r.err
		return r.msg, r.err
	case <-idle:
		return zero, apperr.Invalid("data", fmt.Sprintf("stalled: nothing arrived for %s; an upload must keep sending", m.idle))
	case <-m.deadline:
		return zero, apperr.Invalid("data", fmt.Sprintf("must arrive within %s", m.total))
	case <-m.ctx.Done():
		return zero, m.ctx.Err()
	}
}

// unread puts msg back for the next call of next.
func (m *messages[M]) unread(msg M) { m.held = &msg }

// part is what a message of an upload stream carries.
type part int

const (
	partData  part = iota // the next bytes of the current file
	partFile              // the start of the next file
	partOther             // anything else: out of place
)

// fileReader reads the bytes of one file of an upload stream: data
// messages until the next file starts (or, for a single-file upload, the
// stream ends). A message that is neither is refused.
type fileReader[M any] struct {
	msgs *messages[M]
	kind func(M) (part, []byte)
	buf  []byte
	done bool
	// field names a message out of place in the refusal.
	field string
}

// Read implements io.Reader.
func (r *fileReader[M]) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		msg, err := r.msgs.next()
		if errors.Is(err, io.EOF) {
			r.done = true
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
		k, data := r.kind(msg)
		switch k {
		case partData:
			if len(data) > domain.MaxChunk {
				return 0, apperr.Invalid("data", fmt.Sprintf("each message must carry at most %d bytes; got %d", domain.MaxChunk, len(data)))
			}
			r.buf = data
		case partFile:
			r.msgs.unread(msg)
			r.done = true
			return 0, io.EOF
		default:
			return 0, apperr.Invalid(r.field, "may only be the first message of the stream")
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// streamFiles yields the files of a multi-file upload stream (app.Files):
// each starts with a file message whose description file returns.
type streamFiles[M any] struct {
	msgs  *messages[M]
	kind  func(M) (part, []byte)
	file  func(M) domain.NewFile
	field string
}

// Next implements app.Files.
func (s *streamFiles[M]) Next() (domain.NewFile, io.Reader, error) {
	msg, err := s.msgs.next()
	if err != nil {
		return domain.NewFile{}, nil, err
	}
	switch k, _ := s.kind(msg); k {
	case partFile:
		return s.file(msg), &fileReader[M]{msgs: s.msgs, kind: s.kind, field: s.field}, nil
	case partData:
		return domain.NewFile{}, nil, apperr.Invalid("data", "must follow a file message")
	}
	return domain.NewFile{}, nil, apperr.Invalid(s.field, "may only be the first message of the stream")
}

// first receives the first message of an upload stream; a stream that
// ends at once is refused naming what it must start with.
func first[M any](msgs *messages[M], field string) (M, error) {
	msg, err := msgs.next()
	if errors.Is(err, io.EOF) {
		return msg, apperr.Invalid(field, "is required as the first message")
	}
	return msg, err
}
