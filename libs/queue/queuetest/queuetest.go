// Package queuetest helps test a service's job workers (package outbox of
// each service) against a stand-in for the peer they deliver to.
package queuetest

import (
	"context"
	"sync"
)

// Peer stands in for another service: it records every delivery, and
// fails the first delivery of each kind (as a peer that is down would, with
// context.DeadlineExceeded), so a test of the workers sees every job
// retried under the queue's policy too. The zero Peer is ready to use; a
// service's test wraps it in the client interfaces its workers call.
type Peer struct {
	mu     sync.Mutex
	failed map[string]bool
	got    []Delivery
}

// Delivery is one delivery the peer accepted.
type Delivery struct {
	// Kind names the call.
	Kind string
	// Args are its arguments, as the worker passed them.
	Args any
}

// Deliver records a delivery of kind with args, failing the first one of
// each kind.
func (p *Peer) Deliver(kind string, args any) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.failed[kind] {
		if p.failed == nil {
			p.failed = map[string]bool{}
		}
		p.failed[kind] = true
		return context.DeadlineExceeded
	}
	p.got = append(p.got, Delivery{Kind: kind, Args: args})
	return nil
}

// Seen lists the kinds of the deliveries accepted, in order.
func (p *Peer) Seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.got))
	for _, d := range p.got {
		out = append(out, d.Kind)
	}
	return out
}

// Deliveries lists the deliveries accepted, in order.
func (p *Peer) Deliveries() []Delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Delivery(nil), p.got...)
}
