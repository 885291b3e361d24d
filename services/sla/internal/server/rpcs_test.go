package server_test

import (
	"testing"

	// The generated package registers the descriptors slaRPCs reads.
	_ "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/server/servertest"
)

// slaRPCs lists the full name of every RPC of every service in package
// salga.sla.v1, public and internal, read from the generated descriptors: a
// test that checks a rule for each of them fails when an RPC is added and
// the test's table does not say how the rule applies to it.
func slaRPCs(t *testing.T) []string {
	t.Helper()
	return servertest.RPCs(t, "salga.sla.v1")
}

// requireClassified fails for every RPC that is in neither of a rule's two
// tables, or in both, and for table keys that are not RPCs.
func requireClassified[A, B any](t *testing.T, rule string, covered map[string]A, exempt map[string]B) {
	t.Helper()
	servertest.RequireClassified(t, rule, slaRPCs(t), covered, exempt)
}
