package server_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// reportCSV is a scheduled report's file.
var reportCSV = []byte("group,met,breached\nwater,12,3\n")

// reportMail is a valid report mail of CPT's export to recipients.
func reportMail(export string, recipients ...string) *notifyv1.SendReportExportRequest {
	return &notifyv1.SendReportExportRequest{Tenant: "CPT", ExportId: export, Recipients: recipients,
		Subject: "SLA compliance report 2026-10", Body: "The report is attached; download it at /v1/sla/report-exports/" + export + ":download.",
		FileName: "CPT-compliance-2026-10.csv", ContentType: "text/csv; charset=utf-8", Content: reportCSV}
}

// slaFor is the SLA service's token for tenant.
func slaFor(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "sla", auth.RoleService)
}

func TestAReportExportIsMailedOncePerRecipientWithItsFile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	export := uuid.NewString()
	// The first send fails for a while: the queue retries it.
	h.sent.fail(domain.ChannelEmail, domain.Temporary("smtp: 451 try later"))
	got, err := h.internal.SendReportExport(slaFor(t, "CPT"), reportMail(export, "ops@cpt.example.org", "mayor@cpt.example.org"))
	require.NoError(t, err)
	require.EqualValues(t, 2, got.GetQueued())
	// A redelivered call (the SLA service's job run again) sends nothing twice.
	got, err = h.internal.SendReportExport(slaFor(t, "CPT"), reportMail(export, "ops@cpt.example.org", "mayor@cpt.example.org"))
	require.NoError(t, err)
	require.EqualValues(t, 0, got.GetQueued())
	h.work(t)
	h.settle(t)

	sent := h.sent.on(domain.ChannelEmail)
	require.Len(t, sent, 2, "one email per recipient, the failed send retried once")
	var to []string
	for _, o := range sent {
		to = append(to, o.To...)
		require.Equal(t, "SLA compliance report 2026-10", o.Subject)
		require.Contains(t, o.Body, "/v1/sla/report-exports/"+export+":download")
		require.NotNil(t, o.Attachment)
		require.Equal(t, domain.Attachment{Name: "CPT-compliance-2026-10.csv", Type: "text/csv; charset=utf-8", Content: reportCSV}, *o.Attachment)
	}
	require.ElementsMatch(t, []string{"ops@cpt.example.org", "mayor@cpt.example.org"}, to)
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE export_id = $1 AND state = 'sent' AND channel = 'email'`, export),
		"recorded as messages, sent")
	require.Equal(t, 3, h.count(t, `SELECT sum(attempts) FROM notify.messages WHERE export_id = $1`, export), "two sends and one retry")

	// A later call with a new recipient queues that one only.
	got, err = h.internal.SendReportExport(slaFor(t, "CPT"), reportMail(export, "ops@cpt.example.org", "cfo@cpt.example.org"))
	require.NoError(t, err)
	require.EqualValues(t, 1, got.GetQueued())
	h.settle(t)
	require.Len(t, h.sent.on(domain.ChannelEmail), 3)
	require.Equal(t, "cfo@cpt.example.org", h.sent.on(domain.ChannelEmail)[2].To[0])
}

func TestOnlyTheSLAServiceMailsReports(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, ctx := range map[string]context.Context{
		"the ticket service":       serviceFor(t, "CPT"),
		"a municipal admin":        admin(t, "CPT"),
		"a person named sla":       as(t, "CPT", "sla", auth.RoleMunicipalAdmin),
		"the gateway":              gateway(t, "CPT"),
		"the SLA service for JHB":  slaFor(t, "JHB"),
		"the SLA service for all":  as(t, auth.AllTenants, "sla", auth.RoleService),
		"the routing service, too": as(t, "CPT", "routing", auth.RoleService),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := h.internal.SendReportExport(ctx, reportMail(uuid.NewString(), "ops@cpt.example.org"))
			require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
		})
	}
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages`), "nothing recorded")
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.river_job`), "nothing queued")
}

func TestABadReportMailIsRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name   string
		change func(r *notifyv1.SendReportExportRequest)
		field  string
	}{
		{"a bad second address", func(r *notifyv1.SendReportExportRequest) { r.Recipients[1] = "not-an-address" }, "recipients[1]"},
		{"a named address", func(r *notifyv1.SendReportExportRequest) { r.Recipients[0] = "Ops <ops@cpt.example.org>" }, "recipients[0]"},
		{"an address twice", func(r *notifyv1.SendReportExportRequest) { r.Recipients[1] = r.Recipients[0] }, "recipients[1]"},
		{"no recipient", func(r *notifyv1.SendReportExportRequest) { r.Recipients = nil }, "recipients"},
		{"an export id that is no UUID", func(r *notifyv1.SendReportExportRequest) { r.ExportId = "42" }, "export_id"},
		{"a subject on two lines", func(r *notifyv1.SendReportExportRequest) { r.Subject = "a\r\nBcc: x@y.z" }, "subject"},
		{"no body", func(r *notifyv1.SendReportExportRequest) { r.Body = "" }, "body"},
		{"a file name with a slash", func(r *notifyv1.SendReportExportRequest) { r.FileName = "../etc/passwd" }, "file_name"},
		{"no content type", func(r *notifyv1.SendReportExportRequest) { r.ContentType = "" }, "content_type"},
		{"a content type that is no media type", func(r *notifyv1.SendReportExportRequest) { r.ContentType = "text/csv; charset" }, "content_type"},
		{"an empty file", func(r *notifyv1.SendReportExportRequest) { r.Content = nil }, "content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reportMail(uuid.NewString(), "ops@cpt.example.org", "mayor@cpt.example.org")
			tt.change(r)
			_, err := h.internal.SendReportExport(slaFor(t, "CPT"), r)
			requireField(t, err, tt.field)
		})
	}
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages`), "nothing recorded")
}
