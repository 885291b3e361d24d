package peers

import (
	"errors"
	"io"

	"google.golang.org/grpc"
)

// Peer is one service a process may call: its address, empty when this
// process does not call it (work for it waits in the queue's table for a
// process that does), and Use, which builds the process's adapter over the
// connection.
type Peer struct {
	// Addr is the peer's gRPC address, or "" for none.
	Addr string
	// Use receives the connection to Addr.
	Use func(grpc.ClientConnInterface)
}

// DialAll connects as id to every peer whose address is set, hands each
// connection to the peer's Use and returns a closer of them all. When one
// fails, it closes those it opened and returns the error.
func DialAll(id Identity, ps ...Peer) (io.Closer, error) {
	var conns connections
	for _, p := range ps {
		if p.Addr == "" {
			continue
		}
		conn, err := Dial(p.Addr, id)
		if err != nil {
			return nil, errors.Join(err, conns.Close())
		}
		conns = append(conns, conn)
		p.Use(conn)
	}
	return conns, nil
}

// connections are closed together.
type connections []*grpc.ClientConn

// Close implements io.Closer.
func (cs connections) Close() error {
	errs := make([]error, 0, len(cs))
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
