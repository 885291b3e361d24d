package servertest

import (
	"maps"
	"slices"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// A rule that must hold on every path is tested by enumerating the paths:
// a service's tests list its RPCs from the contract's descriptors and
// classify each of them for the rule (RequireClassified), so an RPC added
// to the contract fails the test until its table says how the rule applies.

// Methods are the RPCs of every service in proto package pkg, public and
// internal, by full method name ("/salga.ticket.v1.TicketService/GetTicket"),
// read from the registered descriptors: the test imports the package's
// generated code. It fails t when pkg has no service, which means the
// generated code is not imported.
func Methods(t testing.TB, pkg protoreflect.FullName) map[string]protoreflect.MethodDescriptor {
	t.Helper()
	out := map[string]protoreflect.MethodDescriptor{}
	protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
		for i := range fd.Services().Len() {
			sd := fd.Services().Get(i)
			for j := range sd.Methods().Len() {
				m := sd.Methods().Get(j)
				out["/"+string(sd.FullName())+"/"+string(m.Name())] = m
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatalf("servertest.Methods: package %s has no RPCs: import its generated code so its descriptors are registered", pkg)
	}
	return out
}

// RPCs lists the full method names of Methods, sorted.
func RPCs(t testing.TB, pkg protoreflect.FullName) []string {
	t.Helper()
	return slices.Sorted(maps.Keys(Methods(t, pkg)))
}

// RequireClassified fails t for every RPC of rpcs that is in neither of a
// rule's two tables, or in both, and for each table key that is not one of
// rpcs: covered are the RPCs the test checks the rule on, exempt the ones
// it need not hold on, each with the reason.
func RequireClassified[A, B any](t testing.TB, rule string, rpcs []string, covered map[string]A, exempt map[string]B) {
	t.Helper()
	failed := false
	for _, m := range rpcs {
		_, c := covered[m]
		_, e := exempt[m]
		if c == e {
			failed = true
			t.Errorf("%s: RPC %s must be either covered or exempt (with the reason), not %s", rule, m,
				map[bool]string{true: "both", false: "neither"}[c])
		}
	}
	for _, m := range slices.Concat(slices.Collect(maps.Keys(covered)), slices.Collect(maps.Keys(exempt))) {
		if !slices.Contains(rpcs, m) {
			failed = true
			t.Errorf("%s: %s is not an RPC", rule, m)
		}
	}
	if failed {
		t.FailNow()
	}
}
