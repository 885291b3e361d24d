package server_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// The sealed notes of the access-log test's GBV assignments: text that
// exists only there.
const (
	noteMoved  = "moved: the suspect lives next to the station"
	noteTriage = "no SAPS team yet: survivor at the Bree Street shelter"
	noteBreach = "response clock breached while she waited at the clinic"
	noteRepeat = "reassigned after the protection order hearing"
	// gbvLat is where the GBV tickets are (longitude 25.5).
	gbvLat = -29.5
)

var gbvNotes = []string{noteMoved, noteTriage, noteBreach, noteRepeat}

// accessFixture is a municipality with three GBV tickets whose current
// assignments carry sealed notes: one routed to the SAPS team "SAPS north"
// (reassigned there with a note) and two in the triage queue (escalated
// there with a note before any SAPS team existed).
type accessFixture struct {
	e         *env
	routed    string
	sapsNorth string
	liaison   context.Context
}

// accessCall is one call of a routing RPC against the fixture.
type accessCall struct {
	name string
	call func(t *testing.T, f *accessFixture) (proto.Message, error)
	// subject is who calls; the access-log job must name them.
	subject string
	// sealed says the answer carries an opened GBV note; the test also
	// checks that it does (or does not).
	sealed bool
}

// escalateGBV escalates the routed GBV ticket to level as SLA does.
func escalateGBV(t *testing.T, f *accessFixture, level int32, note string) (proto.Message, error) {
	return f.e.internal.EscalateTicket(as(t, "TST", "sla", auth.RoleService), &routingv1.EscalateTicketRequest{Tenant: "TST",
		TicketId: f.routed, Level: level, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: note})
}

// gbvAnswers exercises every routing RPC whose answer can hold a GBV
// assignment, as the one who may ask: the tenant's SAPS liaison, or SLA and
// the ticket service (role service) for the internal RPCs.
var gbvAnswers = map[string][]accessCall{
	rpcEscalateTicket: {
		{name: "SLA escalates the GBV ticket and gets its note back", subject: "sla", sealed: true,
			call: func(t *testing.T, f *accessFixture) (proto.Message, error) { return escalateGBV(t, f, 2, noteBreach) }},
		{name: "a repeated escalation returns the stored note, opened", subject: "sla", sealed: true,
			call: func(t *testing.T, f *accessFixture) (proto.Message, error) { return escalateGBV(t, f, 2, noteBreach) }},
	},
	rpcRouteTicket: {{name: "a repeated routing returns the routing assignment, which has no note", subject: "ticket",
		call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
			return f.e.internal.RouteTicket(service(t), &routingv1.RouteTicketRequest{Tenant: "TST", TicketId: f.routed,
				Category: gbv, Location: &commonv1.LatLng{Latitude: gbvLat, Longitude: 25.5}})
		}}},
	rpcBatchRouteTickets: {{name: "a repeated routing in a batch returns the routing assignment, which has no note", subject: "ticket",
		call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
			return f.e.internal.BatchRouteTickets(service(t), &routingv1.BatchRouteTicketsRequest{Tenant: "TST",
				Requests: []*routingv1.RouteTicketRequest{{Tenant: "TST", TicketId: f.routed, Category: gbv,
					Location: &commonv1.LatLng{Latitude: gbvLat, Longitude: 25.5}}}})
		}}},
	rpcListAssignments: {{name: "the liaison reads the GBV ticket's assignments", subject: "liaison", sealed: true,
		call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
			return f.e.public.ListAssignments(f.liaison, &routingv1.ListAssignmentsRequest{TicketId: f.routed})
		}}},
	rpcListTeamQueue: {
		{name: "the liaison reads the SAPS team's queue", subject: "liaison", sealed: true,
			call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
				return f.e.public.ListTeamQueue(f.liaison, &routingv1.ListTeamQueueRequest{TeamId: f.sapsNorth})
			}},
		{name: "an agent's view of the SAPS team's queue leaves GBV out", subject: "agent",
			call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
				return f.e.public.ListTeamQueue(as(t, "TST", "agent", auth.RoleAgent), &routingv1.ListTeamQueueRequest{TeamId: f.sapsNorth})
			}},
	},
	rpcListTriageQueue: {
		{name: "the liaison reads the triage queue", subject: "liaison", sealed: true,
			call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
				return f.e.public.ListTriageQueue(f.liaison, &routingv1.ListTriageQueueRequest{})
			}},
		{name: "a page of one ticket logs that ticket only, not the one read to know more follow", subject: "liaison", sealed: true,
			call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
				return f.e.public.ListTriageQueue(f.liaison, &routingv1.ListTriageQueueRequest{PageSize: 1})
			}},
	},
	rpcReassignTicket: {{name: "the liaison reassigns with a note and gets it back", subject: "liaison", sealed: true,
		call: func(t *testing.T, f *accessFixture) (proto.Message, error) {
			return f.e.public.ReassignTicket(f.liaison, &routingv1.ReassignTicketRequest{TicketId: f.routed, TeamId: f.sapsNorth, Note: noteRepeat})
		}}},
}

// carryNoSealedContent are the RPCs whose answers cannot carry an
// assignment's note, whatever they are asked.
var carryNoSealedContent = map[string]string{
	rpcCreateMunicipality:      "municipalities and boundaries; no tickets",
	rpcUpdateMunicipality:      "municipalities and boundaries; no tickets",
	rpcGetMunicipality:         "municipalities and boundaries; no tickets",
	rpcListMunicipalities:      "municipalities and boundaries; no tickets",
	rpcImportMunicipalities:    "municipalities and boundaries; no tickets",
	rpcResolveJurisdiction:     "the municipality of a point; no tickets",
	rpcCreateTeam:              "teams and their members; no tickets",
	rpcUpdateTeam:              "teams and their members; no tickets",
	rpcDeactivateTeam:          "teams and their members; no tickets",
	rpcGetTeam:                 "teams and their members; no tickets",
	rpcListTeams:               "teams and their members; no tickets",
	rpcImportTeams:             "teams and their members; no tickets",
	rpcExplainRoute:            "a decision for a point and category; no ticket, no assignment",
	rpcGetCoverage:             "areas of teams and municipality; no ticket, no assignment",
	rpcImportBoundarySet:       "ward boundaries and the teams built from them; no tickets",
	rpcListBoundarySets:        "ward boundaries and the teams built from them; no tickets",
	rpcRecordTicketStatus:      "answers only whether the status was applied",
	rpcBatchRecordTicketStatus: "answers only whether each status was applied",
}

// newAccessFixture builds the fixture; its own calls are logged too, which
// the test does not count (it compares before and after each call).
func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	e := newEnv(t)
	e.municipality("TST")
	f := &accessFixture{e: e, liaison: as(t, "TST", "liaison", auth.RoleSAPSLiaison)}
	for range 2 {
		triage := e.route("TST", gbv, gbvLat, 25.5).GetAssignment().GetTicketId()
		_, err := e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: triage, Level: 1,
			Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: noteTriage})
		require.NoError(t, err)
	}
	e.team("TST", &routingv1.Team{Name: "SAPS", Category: gbv, IsSaps: true, ServiceArea: square(25, -30, 26, -29)})
	f.sapsNorth = e.team("TST", &routingv1.Team{Name: "SAPS north", Category: gbv, IsSaps: true, ManagerId: "commander"}).GetId()
	f.routed = e.route("TST", gbv, gbvLat, 25.5).GetAssignment().GetTicketId()
	_, err := e.public.ReassignTicket(f.liaison, &routingv1.ReassignTicketRequest{TicketId: f.routed, TeamId: f.sapsNorth, Note: noteMoved})
	require.NoError(t, err)
	return f
}

// accessJob is the args of a routing.record_gbv_access job as stored.
type accessJob struct {
	Tenant    string   `json:"tenant"`
	TicketIDs []string `json:"ticket_ids"`
	Subject   string   `json:"subject"`
	Roles     []string `json:"roles"`
	Action    string   `json:"action"`
	EventID   string   `json:"event_id"`
}

// accessJobs returns the access-log jobs of action by subject, oldest
// first, and fails if any job carries a note's text.
func (f *accessFixture) accessJobs(t *testing.T, action, subject string) []accessJob {
	t.Helper()
	rows, err := f.e.pool.Query(context.Background(), `SELECT args::text FROM routing.river_job
		WHERE kind = 'routing.record_gbv_access' AND args->>'action' = $1 AND args->>'subject' = $2 ORDER BY id`, action, subject)
	require.NoError(t, err)
	defer rows.Close()
	var out []accessJob
	for rows.Next() {
		var raw string
		require.NoError(t, rows.Scan(&raw))
		for _, n := range gbvNotes {
			require.NotContains(t, raw, n, "an access-log job carries ids, never content")
		}
		var j accessJob
		require.NoError(t, json.Unmarshal([]byte(raw), &j))
		out = append(out, j)
	}
	require.NoError(t, rows.Err())
	return out
}

// withNotes lists the tickets of the assignments in an answer that carry a
// note, each once, wherever in the answer they are.
func withNotes(m proto.Message) []string {
	var out []string
	var walk func(protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if a, ok := m.Interface().(*routingv1.Assignment); ok && a.GetNote() != "" && !slices.Contains(out, a.GetTicketId()) {
			out = append(out, a.GetTicketId())
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.Message() == nil || fd.IsMap():
			case fd.IsList():
				for i := range v.List().Len() {
					walk(v.List().Get(i).Message())
				}
			default:
				walk(v.Message())
			}
			return true
		})
	}
	walk(m.ProtoReflect())
	return out
}

// TestEveryAnswerWithGBVContentIsLogged calls every routing RPC (public and
// internal, enumerated from the descriptors) against GBV tickets whose
// assignments carry sealed notes, as the caller who may ask, and requires a
// job for the ticket service's GBV access log, naming the RPC and the
// caller, exactly when the answer carries an opened note.
func TestEveryAnswerWithGBVContentIsLogged(t *testing.T) {
	t.Parallel()
	requireClassified(t, "GBV access log", gbvAnswers, carryNoSealedContent)
	f := newAccessFixture(t)
	for _, m := range routingRPCs(t) {
		rpc := m[strings.LastIndex(m, "/")+1:]
		action := "routing." + rpc
		for _, c := range gbvAnswers[m] {
			t.Run(rpc+": "+c.name, func(t *testing.T) {
				before := len(f.accessJobs(t, action, c.subject))
				resp, err := c.call(t, f)
				require.NoError(t, err)
				b, err := protojson.Marshal(resp)
				require.NoError(t, err)
				var carried []string
				for _, n := range gbvNotes {
					if strings.Contains(string(b), n) {
						carried = append(carried, n)
					}
				}
				require.Equal(t, c.sealed, len(carried) > 0, "opened notes in the answer: %q", carried)
				jobs := f.accessJobs(t, action, c.subject)
				if !c.sealed {
					require.Len(t, jobs, before, "access-log jobs of %s by %s", action, c.subject)
					return
				}
				require.Len(t, jobs, before+1, "one access-log job for the answer of %s to %s", action, c.subject)
				got := jobs[len(jobs)-1]
				require.Equal(t, "TST", got.Tenant)
				require.ElementsMatch(t, withNotes(resp), got.TicketIDs, "the tickets whose notes the answer carried, each once")
				require.Equal(t, map[string][]string{"liaison": {auth.RoleSAPSLiaison}, "sla": {auth.RoleService}}[c.subject], got.Roles)
				require.NoError(t, uuid.Validate(got.EventID), "the answer's event id")
			})
		}
	}
}
