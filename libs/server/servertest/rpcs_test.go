package servertest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	// Registers the descriptors of package salga.sla.v1 the tests read.
	_ "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/server/servertest"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); r.fatal = true }
func (r *recorder) FailNow()                  { r.fatal = true }

const (
	recordEvent = "/salga.sla.v1.SlaInternalService/RecordTicketEvent"
	getClocks   = "/salga.sla.v1.SlaService/GetTicketClocks"
)

func TestTheRPCsOfAPackageComeFromItsDescriptors(t *testing.T) {
	t.Parallel()
	rpcs := servertest.RPCs(t, "salga.sla.v1")
	require.Contains(t, rpcs, recordEvent, "internal services are listed")
	require.Contains(t, rpcs, getClocks, "public services are listed")
	require.True(t, slices.IsSorted(rpcs))
	require.Len(t, servertest.Methods(t, "salga.sla.v1"), len(rpcs))
	require.Equal(t, "RecordTicketEvent", string(servertest.Methods(t, "salga.sla.v1")[recordEvent].Name()))

	r := &recorder{TB: t}
	servertest.Methods(r, "salga.nothing.v1")
	require.True(t, r.fatal, "a package without RPCs (its generated code not imported) fails the test")
}

func TestEveryRPCIsCoveredOrExemptButNotBoth(t *testing.T) {
	t.Parallel()
	rpcs := servertest.RPCs(t, "salga.sla.v1")
	exemptAll := func(but ...string) map[string]string {
		out := map[string]string{}
		for _, m := range rpcs {
			if !slices.Contains(but, m) {
				out[m] = "a reason"
			}
		}
		return out
	}
	tests := []struct {
		name    string
		covered map[string]bool
		exempt  map[string]string
		want    []string
	}{
		{"every RPC in one table passes", map[string]bool{recordEvent: true}, exemptAll(recordEvent), nil},
		{"an RPC in neither table fails", map[string]bool{}, exemptAll(recordEvent),
			[]string{"rule: RPC " + recordEvent + " must be either covered or exempt (with the reason), not neither"}},
		{"an RPC in both tables fails", map[string]bool{recordEvent: true}, exemptAll(),
			[]string{"rule: RPC " + recordEvent + " must be either covered or exempt (with the reason), not both"}},
		{"a key that is not an RPC fails", map[string]bool{recordEvent: true, "/salga.sla.v1.SlaService/Gone": true}, exemptAll(recordEvent),
			[]string{"rule: /salga.sla.v1.SlaService/Gone is not an RPC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			servertest.RequireClassified(r, "rule", rpcs, tt.covered, tt.exempt)
			require.Equal(t, tt.want, r.errors)
			require.Equal(t, tt.want != nil, r.fatal, "a misclassification stops the test")
		})
	}
}
