package e2e

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// gbvSecret is text only a GBV ticket's description holds; no answer to a
// non-SAPS caller may contain it.
const gbvSecret = "Umzimkhulu-7731 assault behind the clinic"

// gbvPhone is the reporter contact of the GBV tickets.
const gbvPhone = "+27820007731"

// staffRoles are the tenant roles below platform level, SAPS included.
var staffRoles = []string{"citizen", "agent", "team_manager", "municipal_admin", "saps_liaison"}

// world is two seeded municipalities, TST and OTH, each with a routed and
// clocked water ticket, and in TST two GBV tickets: one reported by a
// citizen, one by the SAPS liaison.
type world struct {
	s                   *suite
	teams               map[string]seeded
	water               map[string]string // tenant -> water ticket id
	gbvCitizen, gbvSaps string
	conns               map[string]*grpc.ClientConn
}

// newWorld seeds both municipalities and waits until every ticket is routed
// and clocked, so no background delivery changes data during the test.
func newWorld(t *testing.T, s *suite) *world {
	t.Helper()
	w := &world{s: s, teams: map[string]seeded{}, water: map[string]string{}, conns: map[string]*grpc.ClientConn{}}
	ctx := context.Background()
	for _, tenant := range []string{"TST", "OTH"} {
		w.teams[tenant] = s.seedCity(t, tenant)
		created, err := w.ticket(tenant, "citizen").CreateTicket(ctx, &ticketv1.CreateTicketRequest{
			Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe in " + tenant, Location: westPoint,
		})
		require.NoError(t, err)
		w.water[tenant] = created.GetTicket().GetId()
		s.waitRoutedAndClocked(w.ticket(tenant, "agent"), w.water[tenant])
	}
	gbv := func(role string) string {
		created, err := w.ticket("TST", role).CreateTicket(ctx, &ticketv1.CreateTicketRequest{
			Category: commonv1.Category_CATEGORY_GBV, Description: gbvSecret, Location: westPoint,
			Reporter: &ticketv1.Reporter{Name: "Reporter", Phone: gbvPhone},
		})
		require.NoError(t, err)
		id := created.GetTicket().GetId()
		s.waitRoutedAndClocked(w.ticket("TST", "saps_liaison"), id)
		return id
	}
	w.gbvCitizen, w.gbvSaps = gbv("citizen"), gbv("saps_liaison")
	_, err := w.ticket("TST", "saps_liaison").AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{
		TicketId: w.gbvSaps, Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, Body: "Statement taken: " + gbvSecret,
	})
	require.NoError(t, err)
	return w
}

// token is a token of role in tenant; platform admins get tenant "*".
func (w *world) token(tenant, role string) string {
	if role == "platform_admin" {
		return w.s.token("platform-1", "*", role)
	}
	return w.s.token(role+"-"+tenant, tenant, role)
}

// conn returns a cached connection to the service at addr as role of tenant.
func (w *world) conn(addr, tenant, role string) *grpc.ClientConn {
	key := addr + "|" + tenant + "|" + role
	if cc, ok := w.conns[key]; ok {
		return cc
	}
	cc := w.s.dial(addr, w.token(tenant, role))
	w.conns[key] = cc
	return cc
}

func (w *world) ticket(tenant, role string) ticketv1.TicketServiceClient {
	return ticketv1.NewTicketServiceClient(w.conn(w.s.ticketAddr, tenant, role))
}

func (w *world) routing(tenant, role string) routingv1.RoutingServiceClient {
	return routingv1.NewRoutingServiceClient(w.conn(w.s.routingAddr, tenant, role))
}

func (w *world) sla(tenant, role string) slav1.SlaServiceClient {
	return slav1.NewSlaServiceClient(w.conn(w.s.slaAddr, tenant, role))
}

func (w *world) notify(tenant, role string) notifyv1.NotifyServiceClient {
	return notifyv1.NewNotifyServiceClient(w.conn(w.s.notifyAddr, tenant, role))
}

// othNotifyDirectory gives OTH a template, a staff contact and a channel
// for team in notify, and returns the template's id: the data the
// cross-tenant suite tries to reach from TST.
func (w *world) othNotifyDirectory(t *testing.T, team string) string {
	t.Helper()
	ctx := context.Background()
	admin := w.notify("OTH", "municipal_admin")
	tpl, err := admin.CreateTemplate(ctx, &notifyv1.CreateTemplateRequest{Template: &notifyv1.Template{Audience: notifyv1.Audience_AUDIENCE_REPORTER,
		EventKind: notifyv1.EventKind_EVENT_KIND_CREATED, Language: commonv1.Language_LANGUAGE_EN, Subject: "OTH wording", Body: "OTH wording {{.Reference}}"}})
	require.NoError(t, err)
	_, err = admin.SetStaffContact(ctx, &notifyv1.SetStaffContactRequest{UserId: "oth-user", Contact: &notifyv1.StaffContact{Email: "user@oth.example.org"}})
	require.NoError(t, err)
	_, err = admin.SetTeamChannel(ctx, &notifyv1.SetTeamChannelRequest{TeamId: team, Channel: &notifyv1.TeamChannel{Emails: []string{"team@oth.example.org"}}})
	require.NoError(t, err)
	return tpl.GetTemplate().GetId()
}
