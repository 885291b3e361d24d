package vocab_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	_ "github.com/salga/trustengine/gen/go/salga/routing/v1" // registers routing's enums for the walk
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
)

// contracts are the packages whose enums the services map; importing the
// generated code above registers them.
var contracts = []protoreflect.FullName{"salga.common.v1", "salga.ticket.v1", "salga.routing.v1", "salga.sla.v1"}

// enums lists every enum of the contracts, from the registered descriptors,
// so an enum added to a contract is covered without touching this test.
func enums(t *testing.T) []protoreflect.EnumDescriptor {
	t.Helper()
	var out []protoreflect.EnumDescriptor
	for _, pkg := range contracts {
		protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
			for i := range fd.Enums().Len() {
				out = append(out, fd.Enums().Get(i))
			}
			for i := range fd.Messages().Len() {
				for j := range fd.Messages().Get(i).Enums().Len() {
					out = append(out, fd.Messages().Get(i).Enums().Get(j))
				}
			}
			return true
		})
	}
	require.GreaterOrEqual(t, len(out), 12, "the contracts' enums are registered")
	return out
}

// word is lower snake case: what the services store.
var word = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

func TestEveryValueOfEveryContractEnumHasOneWordAndBack(t *testing.T) {
	t.Parallel()
	for _, d := range enums(t) {
		t.Run(string(d.FullName()), func(t *testing.T) {
			t.Parallel()
			zero := d.Values().ByNumber(0)
			require.NotNil(t, zero, "the enum has a zero value")
			require.True(t, strings.HasSuffix(string(zero.Name()), "_UNSPECIFIED"), "the zero value is UNSPECIFIED: %s", zero.Name())
			prefix := strings.TrimSuffix(string(zero.Name()), "UNSPECIFIED")
			seen := map[string]bool{}
			for i := range d.Values().Len() {
				v := d.Values().Get(i)
				if v.Number() == 0 {
					continue
				}
				require.True(t, strings.HasPrefix(string(v.Name()), prefix), "%s carries the prefix %s", v.Name(), prefix)
				w := strings.ToLower(strings.TrimPrefix(string(v.Name()), prefix))
				require.Regexp(t, word, w)
				require.False(t, seen[w], "the word %q names one value", w)
				seen[w] = true
			}
		})
	}
}

// roundTrip walks every value of E through Word and Parse and back, and
// checks the unspecified and unknown values have no word.
func roundTrip[E vocab.Enum](t *testing.T, want map[E]string) {
	t.Helper()
	var zero E
	vals := zero.Descriptor().Values()
	require.Len(t, want, vals.Len()-1, "every value of %s is listed", zero.Descriptor().FullName())
	for i := range vals.Len() {
		e := E(vals.Get(i).Number())
		if e == zero {
			continue
		}
		w := vocab.Word(e)
		require.Equal(t, want[e], w, "%v", e)
		back, ok := vocab.Parse[E](w)
		require.True(t, ok, w)
		require.Equal(t, e, back)
		require.Equal(t, e, vocab.MustParse[E](w))
	}
	require.Empty(t, vocab.Word(zero), "the unspecified value has no word")
	require.Empty(t, vocab.Word(E(9999)), "an unknown number has no word")
	_, ok := vocab.Parse[E]("")
	require.False(t, ok)
	_, ok = vocab.Parse[E]("no_such_word")
	require.False(t, ok)
	require.Equal(t, zero, vocab.MustParse[E]("no_such_word"))
}

func TestTheSharedVocabularyMapsToTheStoredWords(t *testing.T) {
	t.Parallel()
	// The words below are what the services store in their tables: a
	// change here is a data migration, not a rename.
	t.Run("category", func(t *testing.T) {
		roundTrip(t, map[commonv1.Category]string{commonv1.Category_CATEGORY_WATER: "water", commonv1.Category_CATEGORY_ROADS: "roads",
			commonv1.Category_CATEGORY_ELECTRICITY: "electricity", commonv1.Category_CATEGORY_WASTE: "waste",
			commonv1.Category_CATEGORY_SANITATION: "sanitation", commonv1.Category_CATEGORY_GBV: "gbv", commonv1.Category_CATEGORY_OTHER: "other"})
	})
	t.Run("ticket status", func(t *testing.T) {
		roundTrip(t, map[commonv1.TicketStatus]string{commonv1.TicketStatus_TICKET_STATUS_OPEN: "open",
			commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS: "in_progress", commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN: "awaiting_citizen",
			commonv1.TicketStatus_TICKET_STATUS_RESOLVED: "resolved", commonv1.TicketStatus_TICKET_STATUS_CLOSED: "closed",
			commonv1.TicketStatus_TICKET_STATUS_CANCELLED: "cancelled"})
	})
	t.Run("assignment reason", func(t *testing.T) {
		roundTrip(t, map[commonv1.AssignmentReason]string{commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING: "geospatial_routing",
			commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST: "fallback_nearest", commonv1.AssignmentReason_ASSIGNMENT_REASON_TRIAGE: "triage",
			commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE: "manual_override", commonv1.AssignmentReason_ASSIGNMENT_REASON_ESCALATION: "escalation",
			commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH: "sla_breach"})
	})
	t.Run("channel", func(t *testing.T) {
		roundTrip(t, map[ticketv1.Channel]string{ticketv1.Channel_CHANNEL_WEB: "web", ticketv1.Channel_CHANNEL_MOBILE_APP: "mobile_app",
			ticketv1.Channel_CHANNEL_CALL_CENTRE: "call_centre", ticketv1.Channel_CHANNEL_WHATSAPP: "whatsapp", ticketv1.Channel_CHANNEL_USSD: "ussd",
			ticketv1.Channel_CHANNEL_OPEN311: "open311", ticketv1.Channel_CHANNEL_WALK_IN: "walk_in"})
	})
	t.Run("SLA clocks and events, as ticket and sla name them", func(t *testing.T) {
		roundTrip(t, map[ticketv1.SlaClock]string{ticketv1.SlaClock_SLA_CLOCK_RESPONSE: "response", ticketv1.SlaClock_SLA_CLOCK_RESOLUTION: "resolution"})
		roundTrip(t, map[slav1.ClockKind]string{slav1.ClockKind_CLOCK_KIND_RESPONSE: "response", slav1.ClockKind_CLOCK_KIND_RESOLUTION: "resolution"})
		roundTrip(t, map[ticketv1.SlaEventKind]string{ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING: "warning", ticketv1.SlaEventKind_SLA_EVENT_KIND_BREACH: "breach"})
		roundTrip(t, map[slav1.ClockEventKind]string{slav1.ClockEventKind_CLOCK_EVENT_KIND_WARNING: "warning", slav1.ClockEventKind_CLOCK_EVENT_KIND_BREACH: "breach"})
		roundTrip(t, map[slav1.TicketEventKind]string{slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED: "created",
			slav1.TicketEventKind_TICKET_EVENT_KIND_STATUS_CHANGED:   "status_changed",
			slav1.TicketEventKind_TICKET_EVENT_KIND_PRIORITY_CHANGED: "priority_changed",
			slav1.TicketEventKind_TICKET_EVENT_KIND_ASSIGNED:         "assigned"})
	})
	t.Run("priority", func(t *testing.T) {
		roundTrip(t, map[commonv1.Priority]string{commonv1.Priority_PRIORITY_P1_CRITICAL: "p1_critical",
			commonv1.Priority_PRIORITY_P2_HIGH: "p2_high", commonv1.Priority_PRIORITY_P3_MEDIUM: "p3_medium",
			commonv1.Priority_PRIORITY_P4_LOW: "p4_low"})
	})
	t.Run("clock states", func(t *testing.T) {
		roundTrip(t, map[slav1.ClockState]string{slav1.ClockState_CLOCK_STATE_RUNNING: "running", slav1.ClockState_CLOCK_STATE_PAUSED: "paused",
			slav1.ClockState_CLOCK_STATE_MET: "met", slav1.ClockState_CLOCK_STATE_BREACHED: "breached"})
	})
}
