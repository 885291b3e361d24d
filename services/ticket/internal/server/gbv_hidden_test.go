package server_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server/servertest"
)

// idCall is an RPC that takes a ticket id from its caller.
type idCall struct {
	// call sends the RPC about ticket id as ctx's caller.
	call func(ctx context.Context, h *harness, id string) (proto.Message, error)
	// forUsers is set for the internal RPCs the gateway calls, with its
	// service token, for anonymous Open311 users: they must not tell a GBV
	// ticket from a missing one to the service role either. (Routing and
	// SLA act on GBV tickets through the other internal RPCs.)
	forUsers bool
	// audit is set for the GBV access log: a platform admin reads which
	// tickets were read as GBV tickets, which is what the log is for.
	audit bool
}

// byTicketID covers every RPC that takes a ticket id.
var byTicketID = map[string]idCall{
	rpcGetTicket: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
	}},
	rpcUpdateTicketStatus: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: cancelled, Reason: "probe"})
	}},
	rpcAddTicketNote: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: id, Body: "probe",
			Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC})
	}},
	rpcListTicketNotes: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: id})
	}},
	rpcGetTicketHistory: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.GetTicketHistory(ctx, &ticketv1.GetTicketHistoryRequest{TicketId: id})
	}},
	rpcListGbvAccessLog: {audit: true, call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.ListGbvAccessLog(ctx, &ticketv1.ListGbvAccessLogRequest{TicketId: id})
	}},
	rpcRecordAssignment: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.RecordAssignment(ctx, &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id,
			AssignmentId: uuid.NewString(), TeamId: "t", TeamName: "Roads", Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, AssignTime: timestamppb.Now()})
	}},
	rpcRecordDeadlines: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.RecordDeadlines(ctx, &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: id, Revision: 99,
			ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))})
	}},
	rpcBatchRecordAssignments: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.BatchRecordAssignments(ctx, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordAssignmentRequest{{Tenant: "CPT", TicketId: id, AssignmentId: uuid.NewString(),
				TeamId: "t", TeamName: "Roads", Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, AssignTime: timestamppb.Now()}}})
	}},
	rpcBatchRecordDeadlines: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.BatchRecordDeadlines(ctx, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordDeadlinesRequest{{Tenant: "CPT", TicketId: id, Revision: 99,
				ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))}}})
	}},
	rpcRecordClockEvent: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.RecordClockEvent(ctx, &ticketv1.RecordClockEventRequest{Tenant: "CPT", TicketId: id, EventId: uuid.NewString(),
			Kind: ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING, Clock: ticketv1.SlaClock_SLA_CLOCK_RESOLUTION, Cycle: 1, Step: 1,
			Deadline: timestamppb.New(time.Now().Add(time.Hour))})
	}},
	rpcRecordGbvAccess: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.RecordGbvAccess(ctx, gbvAccess(id))
	}},
	rpcListPublicTickets: {forUsers: true, call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.ListPublicTickets(ctx, &ticketv1.ListPublicTicketsRequest{Tenant: "CPT", Ids: []string{id}, IncludeNotes: true})
	}},
	rpcGetPublicTicket: {forUsers: true, call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.internal.GetPublicTicket(ctx, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: id, IncludeNotes: true})
	}},
	rpcUploadAttachment: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.upload(ctx, &ticketv1.AttachmentUpload{TicketId: id, FileName: "probe.jpg"}, probeJPEG, 64<<10)
	}},
	rpcListAttachments: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.ListAttachments(ctx, &ticketv1.ListAttachmentsRequest{TicketId: id})
	}},
	rpcDownloadAttachment: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		head, _, err := h.download(ctx, id, h.probeAttachment(), false)
		return head, err
	}},
	rpcSetAttachmentPublic: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.SetAttachmentPublic(ctx, &ticketv1.SetAttachmentPublicRequest{TicketId: id, AttachmentId: h.probeAttachment(), Public: true})
	}},
	rpcDeleteAttachment: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.DeleteAttachment(ctx, &ticketv1.DeleteAttachmentRequest{TicketId: id, AttachmentId: h.probeAttachment(), Reason: "probe"})
	}},
	rpcDownloadPublicAttachment: {forUsers: true, call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		head, _, err := h.downloadPublic(ctx, &ticketv1.DownloadPublicAttachmentRequest{Tenant: "CPT", TicketId: id, AttachmentId: h.probeAttachment()})
		return head, err
	}},
	rpcLinkDuplicate: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: id, ParentId: h.probeParent(), Reason: "probe"})
	}},
	rpcUnlinkDuplicate: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.UnlinkDuplicate(ctx, &ticketv1.UnlinkDuplicateRequest{Id: id, Reason: "probe"})
	}},
	rpcFollowTicket: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.FollowTicket(ctx, &ticketv1.FollowTicketRequest{Id: id})
	}},
	rpcSetTicketPriority: {call: func(ctx context.Context, h *harness, id string) (proto.Message, error) {
		return h.public.SetTicketPriority(ctx, &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL, Reason: "probe"})
	}},
}

// probeParent is the id of a ticket of the harness that is not GBV (the
// parent a probe links to), or a fresh UUID when it has none.
func (h *harness) probeParent() string {
	var id string
	if err := h.pool.QueryRow(context.Background(), `SELECT id::text FROM ticket.tickets WHERE category <> 'gbv' ORDER BY create_time LIMIT 1`).Scan(&id); err != nil {
		return uuid.NewString()
	}
	return id
}

// probeJPEG is the photo the probes upload.
var probeJPEG = func() []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	return b.Bytes()
}()

// probeAttachment is the id of an attachment of the harness (the GBV
// ticket's photo), or a fresh UUID when it has none.
func (h *harness) probeAttachment() string {
	var id string
	if err := h.pool.QueryRow(context.Background(), `SELECT id::text FROM ticket.attachments ORDER BY create_time LIMIT 1`).Scan(&id); err != nil {
		return uuid.NewString()
	}
	return id
}

// takeNoTicketID are the RPCs that take no ticket id, so cannot be asked
// whether an id is a GBV ticket.
var takeNoTicketID = map[string]string{
	rpcCreateTicket:       "creates a ticket; the idempotency key is the caller's own (create_test.go)",
	rpcListTickets:        "filters, no id; lists never show GBV to others (gbv_test.go)",
	rpcGetTicketTile:      "tile coordinates and filters, no id; a tile shows what ListTickets shows (tile_test.go)",
	rpcCreateApiKey:       "API keys, not tickets",
	rpcListApiKeys:        "API keys, not tickets",
	rpcRevokeApiKey:       "its id is an API key's",
	rpcVerifyApiKey:       "API keys, not tickets",
	rpcSubmitPublicReport: "files a new report",

	rpcCreateTicketWithAttachments: "creates a ticket; the idempotency key is the caller's own (attachments_test.go)",
	rpcSubmitPublicReportWithMedia: "files a new report",
	rpcGetAttachmentRetention:      "a municipality's setting, no ticket",
	rpcSetAttachmentRetention:      "a municipality's setting, no ticket",
	rpcListNearbyTickets:           "a point and a category, no id; never returns a GBV ticket (duplicates_test.go)",
	rpcGetDuplicateSettings:        "a municipality's setting, no ticket",
	rpcSetDuplicateSettings:        "a municipality's setting, no ticket",
}

// TestAGBVTicketReadsAsMissingToEveryoneButTheSAPSLiaison asks every RPC that
// takes a ticket id, as every caller who may not see a GBV ticket, about a
// GBV ticket of the caller's tenant and about an id that does not exist: the
// two answers must be the same (code, message and details), so nobody can
// tell a GBV id from a missing one.
func TestAGBVTicketReadsAsMissingToEveryoneButTheSAPSLiaison(t *testing.T) {
	t.Parallel()
	requireClassified(t, "ticket id probe", byTicketID, takeNoTicketID)
	h := newHarness(t)
	reporter := citizen(t, "CPT", "victim")
	gbv := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_GBV, secretText)).GetId()
	// A read by the SAPS liaison, so the access log has entries to hide,
	// and a photo, so the attachment probes ask about one that exists.
	_, err := h.public.GetTicket(saps(t, "CPT"), &ticketv1.GetTicketRequest{Id: gbv})
	require.NoError(t, err)
	_, err = h.upload(saps(t, "CPT"), &ticketv1.AttachmentUpload{TicketId: gbv, FileName: "statement.jpg"}, probeJPEG, 64<<10)
	require.NoError(t, err)
	objects := h.objectKeys(t)
	missing := uuid.NewString()

	callers := []struct {
		name    string
		ctx     context.Context
		service bool
		auditor bool
	}{
		{name: "the reporting citizen", ctx: reporter},
		{name: "another citizen", ctx: citizen(t, "CPT", "neighbour")},
		{name: "an agent", ctx: agent(t, "CPT")},
		{name: "a team manager", ctx: as(t, "CPT", "manager-CPT", auth.RoleTeamManager)},
		{name: "a municipal admin", ctx: as(t, "CPT", "admin-CPT", auth.RoleMunicipalAdmin)},
		{name: "a platform admin", ctx: admin(t), auditor: true},
		{name: "a platform admin who also holds the SAPS liaison role", ctx: as(t, "*", "root-liaison", auth.RolePlatformAdmin, auth.RoleSAPSLiaison), auditor: true},
		{name: "another tenant's SAPS liaison", ctx: saps(t, "JHB")},
		{name: "a service token", ctx: service(t), service: true},
		{name: "the gateway's token", ctx: servertest.WithToken(context.Background(), servertest.GatewayToken(t, "CPT")), service: true},
	}
	for _, m := range ticketRPCs(t) {
		rpc, ok := byTicketID[m]
		if !ok {
			continue
		}
		for _, c := range callers {
			if (c.service && !rpc.forUsers) || (c.auditor && rpc.audit) {
				continue
			}
			t.Run(m+" as "+c.name, func(t *testing.T) {
				gotGBV, errGBV := rpc.call(c.ctx, h, gbv)
				gotMissing, errMissing := rpc.call(c.ctx, h, missing)
				require.NotContains(t, []codes.Code{codes.Internal, codes.Unknown}, status.Code(errMissing), "the probe itself failed: %v", errMissing)
				require.True(t, proto.Equal(status.Convert(errMissing).Proto(), status.Convert(errGBV).Proto()),
					"a GBV id answers %v, a missing id %v", errGBV, errMissing)
				if errGBV == nil {
					require.True(t, proto.Equal(gotMissing, gotGBV), "a GBV id answers %v, a missing id %v", gotGBV, gotMissing)
				}
			})
		}
	}
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND status = 'open'
		AND history_seq = 2`, gbv), "nothing changed the GBV ticket")
	require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.notes WHERE ticket_id = $1`, gbv))
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.attachments WHERE ticket_id = $1 AND NOT public`, gbv))
	require.Equal(t, objects, h.objectKeys(t), "no object written or deleted")
}
