package server_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/auth"
)

// jobRPC calls an internal RPC with a valid request about tenant CPT;
// gateway says whether the gateway's identity calls it too; service is the
// one service that may call it ("" for any).
type jobRPC struct {
	gateway bool
	service string
	call    func(ctx context.Context, h *harness) error
}

// as is a service token of the RPC's caller for tenant.
func (r jobRPC) as(t *testing.T, tenant string) context.Context {
	if r.service == "" {
		return serviceFor(t, tenant)
	}
	return as(t, tenant, r.service, auth.RoleService)
}

// byJobTenant are the internal RPCs whose request names a municipality.
var byJobTenant = map[string]jobRPC{
	rpcRecordTicketEvent: {call: func(ctx context.Context, h *harness) error {
		_, err := h.internal.RecordTicketEvent(ctx, created(commonv1.Category_CATEGORY_WATER, thandi, nil))
		return err
	}},
	rpcBatchRecordTicketEvents: {call: func(ctx context.Context, h *harness) error {
		_, err := h.internal.BatchRecordTicketEvents(ctx, &notifyv1.BatchRecordTicketEventsRequest{Tenant: "CPT",
			Requests: []*notifyv1.RecordTicketEventRequest{created(commonv1.Category_CATEGORY_WATER, thandi, nil)}})
		return err
	}},
	rpcReceiveWebhook: {gateway: true, call: func(ctx context.Context, h *harness) error {
		_, err := h.internal.ReceiveWebhook(ctx, twilioWebhook(h, "CPT", statusCallback("SM1", "delivered")))
		return err
	}},
	rpcUnsubscribe: {gateway: true, call: func(ctx context.Context, h *harness) error {
		id := uuid.NewString()
		_, err := h.internal.Unsubscribe(ctx, &notifyv1.UnsubscribeRequest{Tenant: "CPT", MessageId: id, Signature: h.links.Signature("CPT", id)})
		return err
	}},
	rpcSendReportExport: {service: "sla", call: func(ctx context.Context, h *harness) error {
		_, err := h.internal.SendReportExport(ctx, reportMail(uuid.NewString(), "ops@cpt.example.org"))
		return err
	}},
}

// noJobTenant are the RPCs whose caller's own municipality applies.
var noJobTenant = map[string]string{
	rpcListTicketMessages: "public: a person's", rpcCreateTemplate: "public: an admin's", rpcUpdateTemplate: "public: an admin's",
	rpcDeleteTemplate: "public: an admin's", rpcListTemplates: "public: staff's", rpcPreviewTemplate: "public: staff's",
	rpcGetReporterPreferences: "public: a person's", rpcUpdateReporterPreferences: "public: a person's",
	rpcSetStaffContact: "public: an admin's", rpcDeleteStaffContact: "public: an admin's", rpcListStaffContacts: "public: staff's",
	rpcSetTeamChannel: "public: an admin's", rpcDeleteTeamChannel: "public: an admin's", rpcListTeamChannels: "public: staff's",
	rpcGetNotifySettings: "public: staff's", rpcUpdateNotifySettings: "public: an admin's",
}

// TestAnInternalCallActsOnlyForTheTenantItsTokenNames calls every internal
// RPC about CPT with a token for another municipality's job, a service
// token for every municipality and the gateway's token for another
// jurisdiction: each is PermissionDenied and changes nothing, while a
// token for CPT passes.
func TestAnInternalCallActsOnlyForTheTenantItsTokenNames(t *testing.T) {
	t.Parallel()
	requireClassified(t, "job tenant", byJobTenant, noJobTenant)
	h := newHarness(t)
	state := func() []int {
		return []int{h.count(t, `SELECT count(*) FROM notify.events`), h.count(t, `SELECT count(*) FROM notify.tickets`),
			h.count(t, `SELECT count(*) FROM notify.receipts`), h.count(t, `SELECT count(*) FROM notify.opt_outs`),
			h.count(t, `SELECT count(*) FROM notify.messages`)}
	}
	for _, m := range notifyRPCs(t) {
		rpc, ok := byJobTenant[m]
		if !ok {
			continue
		}
		refused := map[string]context.Context{
			"a token for JHB's job":            rpc.as(t, "JHB"),
			"a service token for all tenants":  as(t, auth.AllTenants, "ticket", auth.RoleService),
			"the gateway for jurisdiction JHB": gateway(t, "JHB"),
		}
		if !rpc.gateway {
			refused["the gateway for CPT"] = gateway(t, "CPT")
		}
		for name, ctx := range refused {
			t.Run(m+" with "+name, func(t *testing.T) {
				before := state()
				err := rpc.call(ctx, h)
				require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
				require.Equal(t, before, state(), "nothing changed")
			})
		}
		t.Run(m+" with a token for CPT", func(t *testing.T) {
			err := rpc.call(rpc.as(t, "CPT"), h)
			require.NotEqual(t, codes.PermissionDenied, status.Code(err), "%v", err)
			if rpc.gateway {
				err = rpc.call(gateway(t, "CPT"), h)
				require.NotEqual(t, codes.PermissionDenied, status.Code(err), "%v", err)
			}
		})
	}
}
