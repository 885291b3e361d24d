package server_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// The generated package registers the descriptors notifyRPCs reads.
	_ "github.com/salga/trustengine/gen/go/salga/notify/v1"
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
	rpcReceiveWebhook            = "/salga.notify.v1.NotifyInternalService/ReceiveWebhook"
	rpcUnsubscribe               = "/salga.notify.v1.NotifyInternalService/Unsubscribe"
)

// notifyRPCs lists the full name of every RPC of every service in package
// salga.notify.v1, read from the generated descriptors: a test that checks
// a rule for each of them fails when an RPC is added and its table does
// not say how the rule applies to it.
func notifyRPCs(t *testing.T) []string {
	t.Helper()
	var out []string
	protoregistry.GlobalFiles.RangeFilesByPackage("salga.notify.v1", func(fd protoreflect.FileDescriptor) bool {
		for i := range fd.Services().Len() {
			sd := fd.Services().Get(i)
			for j := range sd.Methods().Len() {
				out = append(out, "/"+string(sd.FullName())+"/"+string(sd.Methods().Get(j).Name()))
			}
		}
		return true
	})
	require.Contains(t, out, rpcListTicketMessages, "the descriptors are registered")
	slices.Sort(out)
	return out
}

// requireClassified fails for every RPC that is in neither of a rule's two
// tables, or in both, and for a table entry that is no RPC.
func requireClassified[A, B any](t *testing.T, rule string, covered map[string]A, exempt map[string]B) {
	t.Helper()
	all := notifyRPCs(t)
	for _, m := range all {
		_, c := covered[m]
		_, e := exempt[m]
		if c == e {
			t.Errorf("%s: RPC %s must be either covered or exempt (with the reason), not %s", rule, m,
				map[bool]string{true: "both", false: "neither"}[c])
		}
	}
	for m := range covered {
		require.Contains(t, all, m, "%s: %s is not an RPC", rule, m)
	}
	for m := range exempt {
		require.Contains(t, all, m, "%s: %s is not an RPC", rule, m)
	}
}
