package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server/servertest"
)

// jobRPC calls an internal RPC with a valid request about ticket id of
// tenant CPT; gateway says whether the gateway's identity calls it too.
type jobRPC struct {
	gateway bool
	call    func(ctx context.Context, h *harness, id string) error
}

// byJobTenant are the internal RPCs whose request names the tenant of the
// job it carries.
var byJobTenant = map[string]jobRPC{
	rpcRecordAssignment: {call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.RecordAssignment(ctx, &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id, AssignmentId: uuid.NewString(),
			TeamId: "t", TeamName: "Roads", Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, AssignTime: timestamppb.Now()})
		return err
	}},
	rpcRecordDeadlines: {call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.RecordDeadlines(ctx, &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: id, Revision: 99,
			ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))})
		return err
	}},
	rpcBatchRecordAssignments: {call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.BatchRecordAssignments(ctx, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordAssignmentRequest{{Tenant: "CPT", TicketId: id, AssignmentId: uuid.NewString(),
				TeamId: "t", TeamName: "Roads", Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, AssignTime: timestamppb.Now()}}})
		return err
	}},
	rpcBatchRecordDeadlines: {call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.BatchRecordDeadlines(ctx, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordDeadlinesRequest{{Tenant: "CPT", TicketId: id, Revision: 99,
				ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))}}})
		return err
	}},
	rpcRecordClockEvent: {call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.RecordClockEvent(ctx, &ticketv1.RecordClockEventRequest{Tenant: "CPT", TicketId: id, EventId: uuid.NewString(),
			Kind: ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING, Clock: ticketv1.SlaClock_SLA_CLOCK_RESOLUTION, Cycle: 1, Step: 1,
			Deadline: timestamppb.New(time.Now().Add(time.Hour))})
		return err
	}},
	rpcRecordGbvAccess: {call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.RecordGbvAccess(ctx, gbvAccess(id))
		return err
	}},
	rpcListPublicTickets: {gateway: true, call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.ListPublicTickets(ctx, &ticketv1.ListPublicTicketsRequest{Tenant: "CPT", Ids: []string{id}})
		return err
	}},
	rpcGetPublicTicket: {gateway: true, call: func(ctx context.Context, h *harness, id string) error {
		_, err := h.internal.GetPublicTicket(ctx, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: id})
		return err
	}},
	rpcSubmitPublicReport: {gateway: true, call: func(ctx context.Context, h *harness, _ string) error {
		_, err := h.internal.SubmitPublicReport(ctx, &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: uuid.NewString(),
			Category: commonv1.Category_CATEGORY_WATER, Description: "Leak", Location: capeTown})
		return err
	}},
	rpcSubmitPublicReportWithMedia: {gateway: true, call: func(ctx context.Context, h *harness, _ string) error {
		_, err := h.submitWith(ctx, &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: uuid.NewString(),
			Category: commonv1.Category_CATEGORY_WATER, Description: "Leak", Location: capeTown}, testFile{name: "leak.jpg", data: probeJPEG})
		return err
	}},
	rpcDownloadPublicAttachment: {gateway: true, call: func(ctx context.Context, h *harness, id string) error {
		_, _, err := h.downloadPublic(ctx, &ticketv1.DownloadPublicAttachmentRequest{Tenant: "CPT", TicketId: id, AttachmentId: uuid.NewString()})
		return err
	}},
}

// noJobTenant are the RPCs whose request names no tenant of a job.
var noJobTenant = map[string]string{
	rpcVerifyApiKey:       "the key names its tenant; the caller's scope confines the look-up (TestAKeyVerifiesOnlyInItsJurisdiction)",
	rpcCreateTicket:       "public: a person's, in the token's tenant",
	rpcGetTicket:          "public: a person's",
	rpcListTickets:        "public: a person's",
	rpcGetTicketTile:      "public: a person's",
	rpcUpdateTicketStatus: "public: a person's",
	rpcAddTicketNote:      "public: a person's",
	rpcListTicketNotes:    "public: a person's",
	rpcGetTicketHistory:   "public: a person's",
	rpcListGbvAccessLog:   "public: a platform admin's",
	rpcCreateApiKey:       "public: an admin's",
	rpcListApiKeys:        "public: an admin's",
	rpcRevokeApiKey:       "public: an admin's",

	rpcUploadAttachment:            "public: a person's",
	rpcCreateTicketWithAttachments: "public: a person's, in the token's tenant",
	rpcListAttachments:             "public: a person's",
	rpcDownloadAttachment:          "public: a person's",
	rpcSetAttachmentPublic:         "public: a person's",
	rpcDeleteAttachment:            "public: a person's",
	rpcGetAttachmentRetention:      "public: staff's, for the token's tenant unless a platform admin's",
	rpcSetAttachmentRetention:      "public: an admin's, for the token's tenant unless a platform admin's",
	rpcListNearbyTickets:           "public: a person's (or the gateway's for its jurisdiction), for the token's tenant unless a platform admin's",
	rpcLinkDuplicate:               "public: staff's",
	rpcUnlinkDuplicate:             "public: staff's",
	rpcFollowTicket:                "public: a person's",
	rpcSetTicketPriority:           "public: staff's",
	rpcGetDuplicateSettings:        "public: staff's, for the token's tenant unless a platform admin's",
	rpcSetDuplicateSettings:        "public: an admin's, for the token's tenant unless a platform admin's",
}

// TestAnInternalCallActsOnlyForTheTenantItsTokenNames calls every internal
// RPC that carries a job of CPT with a token for another tenant's job, and
// with a service token for every tenant: each is PermissionDenied and
// changes nothing, while the token for CPT's job passes.
func TestAnInternalCallActsOnlyForTheTenantItsTokenNames(t *testing.T) {
	t.Parallel()
	requireClassified(t, "job tenant", byJobTenant, noJobTenant)
	h := newHarness(t)
	id := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak")).GetId()
	gateway := func(tenant string) context.Context {
		return servertest.WithToken(context.Background(), servertest.GatewayToken(t, tenant))
	}
	state := func() []int {
		return []int{h.count(t, `SELECT count(*) FROM ticket.tickets`), h.count(t, `SELECT count(*) FROM ticket.history`),
			h.count(t, `SELECT count(*) FROM ticket.gbv_access_log`), h.count(t, `SELECT count(*) FROM ticket.tickets WHERE assignment_id <> ''`),
			h.count(t, `SELECT count(*) FROM ticket.attachments`), h.count(t, `SELECT count(*) FROM ticket.object_sweep`)}
	}
	for _, m := range ticketRPCs(t) {
		rpc, ok := byJobTenant[m]
		if !ok {
			continue
		}
		refused := map[string]context.Context{
			"a token for JHB's job":           serviceFor(t, "JHB"),
			"a service token for all tenants": as(t, auth.AllTenants, "notify", auth.RoleService),
		}
		if rpc.gateway {
			refused["the gateway for jurisdiction JHB"] = gateway("JHB")
		}
		for name, ctx := range refused {
			t.Run(m+" with "+name, func(t *testing.T) {
				before := state()
				err := rpc.call(ctx, h, id)
				require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
				require.Equal(t, before, state(), "nothing changed")
			})
		}
		t.Run(m+" with a token for CPT's job", func(t *testing.T) {
			err := rpc.call(service(t), h, id)
			require.NotEqual(t, codes.PermissionDenied, status.Code(err), "%v", err)
			if rpc.gateway {
				err = rpc.call(gateway("CPT"), h, id)
				require.NotEqual(t, codes.PermissionDenied, status.Code(err), "%v", err)
			}
		})
	}
}

func TestAKeyVerifiesOnlyInItsJurisdiction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created, err := h.public.CreateApiKey(as(t, "CPT", "admin-cpt", auth.RoleMunicipalAdmin), &ticketv1.CreateApiKeyRequest{ClientName: "FixMyStreet ZA"})
	require.NoError(t, err)
	verify := func(tenant string) error {
		ctx := servertest.WithToken(context.Background(), servertest.GatewayToken(t, tenant))
		_, err := h.internal.VerifyApiKey(ctx, &ticketv1.VerifyApiKeyRequest{Key: created.GetKey()})
		return err
	}
	require.NoError(t, verify("CPT"))
	require.Equal(t, codes.PermissionDenied, status.Code(verify("JHB")), "another jurisdiction's gateway call cannot see the key")
}
