package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
)

// listServices asks a process for its services over server reflection.
func (s *suite) listServices(addr, token string) ([]string, error) {
	s.t.Helper()
	ctx := context.Background()
	stream, err := reflectionpb.NewServerReflectionClient(s.dial(addr, token)).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = stream.CloseSend() }()
	// io.EOF means the server ended the stream (a refusal); Recv says why.
	if err := stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	resp, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, svc := range resp.GetListServicesResponse().GetService() {
		names = append(names, svc.GetName())
	}
	return names, nil
}

func TestReflectionAnswersWithoutATokenOnlyInDevelopmentMode(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	// Outside development mode: reflection off by default, and turned on
	// for the ticket service it needs a token.
	s := startSuite(t, options{rs256: key, extraEnv: hostileEnv, envFor: map[string][]string{"ticket": {"GRPC_REFLECTION=1"}}})
	agent := s.token("agent-1", "TST", "agent")

	var ty tally
	refusedWith := func(what string, err error, want codes.Code) {
		require.Equal(t, want, status.Code(err), "%s: %v", what, err)
		ty.refused(t, what, err != nil)
	}
	for _, p := range []struct{ name, addr string }{{"routing", s.routingAddr}, {"sla", s.slaAddr}} {
		_, err := s.listServices(p.addr, "")
		refusedWith(p.name+" reflection without a token, off by default", err, codes.Unimplemented)
		_, err = s.listServices(p.addr, agent)
		refusedWith(p.name+" reflection with a token, off by default", err, codes.Unimplemented)
	}
	_, err = s.listServices(s.ticketAddr, "")
	refusedWith("ticket reflection turned on, without a token", err, codes.Unauthenticated)
	_, err = s.listServices(s.ticketAddr, "not-a-jwt")
	refusedWith("ticket reflection turned on, with a bad token", err, codes.Unauthenticated)
	names, err := s.listServices(s.ticketAddr, agent)
	require.NoError(t, err, "reflection turned on answers a caller with a token")
	require.Contains(t, names, "salga.ticket.v1.TicketService")
	line := ty.report(t, "reflection", 0)
	require.Zero(t, ty.accepted, line)
}
