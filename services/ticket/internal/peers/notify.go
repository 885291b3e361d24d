package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
)

// Notify calls NotifyInternalService.
type Notify struct {
	c notifyv1.NotifyInternalServiceClient
}

// NewNotify returns the notify adapter over conn (dialed with libs/peers).
func NewNotify(conn grpc.ClientConnInterface) *Notify {
	return &Notify{c: notifyv1.NewNotifyInternalServiceClient(conn)}
}

// RecordTicketEvent implements outbox.NotifyClient.
func (n *Notify) RecordTicketEvent(ctx context.Context, e outbox.NotifyEvent) error {
	if _, err := n.c.RecordTicketEvent(libpeers.ForTenant(ctx, e.Tenant), eventRequest(e)); err != nil {
		return fmt.Errorf("peers.RecordTicketEvent: %w", err)
	}
	return nil
}

// BatchRecordTicketEvents implements outbox.NotifyClient.
func (n *Notify) BatchRecordTicketEvents(ctx context.Context, tenant string, es []outbox.NotifyEvent) error {
	req := &notifyv1.BatchRecordTicketEventsRequest{Tenant: tenant}
	for _, e := range es {
		req.Requests = append(req.Requests, eventRequest(e))
	}
	if _, err := n.c.BatchRecordTicketEvents(libpeers.ForTenant(ctx, tenant), req); err != nil {
		return fmt.Errorf("peers.BatchRecordTicketEvents: %d items: %w", len(es), err)
	}
	return nil
}

// eventRequest is the request of e.
func eventRequest(e outbox.NotifyEvent) *notifyv1.RecordTicketEventRequest {
	req := &notifyv1.RecordTicketEventRequest{
		EventId: e.EventID, Tenant: e.Tenant, TicketId: e.TicketID, Reference: e.Reference,
		Category: vocab.MustParse[commonv1.Category](e.Category), Kind: vocab.MustParse[notifyv1.EventKind](e.Event),
		FromStatus: vocab.MustParse[commonv1.TicketStatus](e.From), ToStatus: vocab.MustParse[commonv1.TicketStatus](e.To),
		OccurTime: timestamppb.New(e.OccurTime), ReporterSubject: e.ReporterSubject, TeamId: e.TeamID, TeamName: e.TeamName,
		PersonId: e.PersonID, AssignmentReason: vocab.MustParse[commonv1.AssignmentReason](e.AssignmentReason),
		EscalationLevel: e.EscalationLevel, Clock: vocab.MustParse[notifyv1.SlaClock](e.Clock), Note: e.Note, Sequence: e.Sequence,
		FollowerTicketIds: e.Followers,
	}
	if e.Deadline != nil {
		req.Deadline = timestamppb.New(*e.Deadline)
	}
	if r := e.Reporter; r.Name != "" || r.Phone != "" || r.Email != "" {
		req.Reporter = &notifyv1.ReporterContact{Name: r.Name, Phone: r.Phone, Email: r.Email}
	}
	if p := e.Preferences; !p.IsZero() {
		req.ReporterPreferences = &commonv1.ReporterPreferences{Language: vocab.MustParse[commonv1.Language](p.Language),
			GbvSafeChannel: vocab.MustParse[commonv1.ContactChannel](p.GBVSafe)}
		for _, ch := range p.Channels {
			req.ReporterPreferences.Channels = append(req.ReporterPreferences.Channels, vocab.MustParse[commonv1.ContactChannel](ch))
		}
	}
	return req
}
