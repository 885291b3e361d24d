package server_test

import (
	"testing"

	// The generated package registers the descriptors notifyRPCs reads.
	_ "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/server/servertest"
)

// Full method names of the notify service's RPCs, as the tests' tables
// key them.
const (
	rpcListTicketMessages        = "/salga.notify.v1.NotifyService/ListTicketMessages"
	rpcCreateTemplate            = "/salga.notify.v1.NotifyService/CreateTemplate"
	rpcUpdateTemplate            = "/salga.notify.v1.NotifyService/UpdateTemplate"
	rpcDeleteTemplate            = "/salga.notify.v1.NotifyService/DeleteTemplate"
	rpcListTemplates             = "/salga.notify.v1.NotifyService/ListTemplates"
	rpcPreviewTemplate           = "/salga.notify.v1.NotifyService/PreviewTemplate"
	rpcGetReporterPreferences    = "/salga.notify.v1.NotifyService/GetReporterPreferences"
	rpcUpdateReporterPreferences = "/salga.notify.v1.NotifyService/UpdateReporterPreferences"
	rpcSetStaffContact           = "/salga.notify.v1.NotifyService/SetStaffContact"
	rpcDeleteStaffContact        = "/salga.notify.v1.NotifyService/DeleteStaffContact"
	rpcListStaffContacts         = "/salga.notify.v1.NotifyService/ListStaffContacts"
	rpcSetTeamChannel            = "/salga.notify.v1.NotifyService/SetTeamChannel"
	rpcDeleteTeamChannel         = "/salga.notify.v1.NotifyService/DeleteTeamChannel"
	rpcListTeamChannels          = "/salga.notify.v1.NotifyService/ListTeamChannels"
	rpcGetNotifySettings         = "/salga.notify.v1.NotifyService/GetNotifySettings"
	rpcUpdateNotifySettings      = "/salga.notify.v1.NotifyService/UpdateNotifySettings"
	rpcRecordTicketEvent         = "/salga.notify.v1.NotifyInternalService/RecordTicketEvent"
	rpcBatchRecordTicketEvents   = "/salga.notify.v1.NotifyInternalService/BatchRecordTicketEvents"
	rpcReceiveWebhook            = "/salga.notify.v1.NotifyInternalService/ReceiveWebhook"
	rpcUnsubscribe               = "/salga.notify.v1.NotifyInternalService/Unsubscribe"
	rpcSendReportExport          = "/salga.notify.v1.NotifyInternalService/SendReportExport"
)

// notifyRPCs lists the full name of every RPC of every service in package
// salga.notify.v1, public and internal, read from the generated
// descriptors: a test that checks a rule for each of them fails when an
// RPC is added and its table does not say how the rule applies to it.
func notifyRPCs(t *testing.T) []string {
	t.Helper()
	return servertest.RPCs(t, "salga.notify.v1")
}

// requireClassified fails for every RPC that is in neither of a rule's two
// tables, or in both, and for table keys that are not RPCs.
func requireClassified[A, B any](t *testing.T, rule string, covered map[string]A, exempt map[string]B) {
	t.Helper()
	servertest.RequireClassified(t, rule, notifyRPCs(t), covered, exempt)
}
