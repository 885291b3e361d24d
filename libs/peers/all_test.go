package peers_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"

	"github.com/salga/trustengine/libs/peers"
)

func TestAProcessDialsThePeersWhoseAddressIsSet(t *testing.T) {
	t.Parallel()
	id := peers.Service(serviceSecret, "ticket")
	var routing, sla *grpc.ClientConn
	conns, err := peers.DialAll(id,
		peers.Peer{Addr: "127.0.0.1:1", Use: func(c grpc.ClientConnInterface) { routing = c.(*grpc.ClientConn) }},
		peers.Peer{Addr: "", Use: func(c grpc.ClientConnInterface) { sla = c.(*grpc.ClientConn) }})
	require.NoError(t, err)
	require.NotNil(t, routing, "a peer with an address gets its connection")
	require.Nil(t, sla, "a peer without one gets none")
	require.NoError(t, conns.Close())
	require.Equal(t, connectivity.Shutdown, routing.GetState(), "Close closes every connection")

	none, err := peers.DialAll(id)
	require.NoError(t, err)
	require.NoError(t, none.Close(), "a process that calls no peer closes nothing")
}

func TestAPeerThatCannotBeDialedClosesTheOthers(t *testing.T) {
	t.Parallel()
	var first *grpc.ClientConn
	_, err := peers.DialAll(peers.Service(serviceSecret, "sla"),
		peers.Peer{Addr: "127.0.0.1:1", Use: func(c grpc.ClientConnInterface) { first = c.(*grpc.ClientConn) }},
		peers.Peer{Addr: "%zz", Use: func(grpc.ClientConnInterface) { t.Error("a malformed address gets no connection") }})
	require.ErrorContains(t, err, "%zz")
	require.Equal(t, connectivity.Shutdown, first.GetState(), "the connection already opened is closed")
}
