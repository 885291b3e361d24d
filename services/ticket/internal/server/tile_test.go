package server_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// tileOf is the tile at zoom z holding the point.
func tileOf(lat, lng float64, z int) domain.Tile {
	n := math.Exp2(float64(z))
	x := int((lng + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return domain.Tile{Z: z, X: x, Y: y}
}

// pointIn is the point at fractions fx (west to east) and fy (north to
// south) of the tile.
func pointIn(tl domain.Tile, fx, fy float64) *commonv1.LatLng {
	b := tl.Bounds(0)
	return &commonv1.LatLng{Latitude: b.MaxLat - fy*(b.MaxLat-b.MinLat), Longitude: b.MinLng + fx*(b.MaxLng-b.MinLng)}
}

// tileSummary is what a map shows of a tile: how many tickets, and the
// ids of those drawn on their own.
type tileSummary struct {
	count int
	ids   []string
	slas  map[string]string
}

func (h *harness) tile(t *testing.T, ctx context.Context, tl domain.Tile, edit func(*ticketv1.GetTicketTileRequest)) tileSummary {
	t.Helper()
	req := &ticketv1.GetTicketTileRequest{Z: int32(tl.Z), X: int32(tl.X), Y: int32(tl.Y)}
	if edit != nil {
		edit(req)
	}
	body, err := h.public.GetTicketTile(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "application/vnd.mapbox-vector-tile", body.GetContentType())
	layers, err := decodeMVT(body.GetData())
	require.NoError(t, err)
	s := tileSummary{slas: map[string]string{}}
	for name, feats := range layers {
		require.Equal(t, "tickets", name)
		for _, f := range feats {
			n, ok := f["count"].(float64)
			require.True(t, ok, "feature without a count: %v", f)
			states := f["breached"].(float64) + f["at_risk"].(float64) + f["on_time"].(float64)
			require.LessOrEqual(t, states, n, "SLA counts of %v", f)
			s.count += int(n)
			if id, ok := f["id"].(string); ok {
				require.Equal(t, 1.0, n)
				require.Equal(t, n, states+noneOf(f), "SLA counts of %v", f)
				s.ids = append(s.ids, id)
				s.slas[id] = f["sla"].(string)
			}
		}
	}
	return s
}

// noneOf is the number of tickets of a feature in no SLA state (finished,
// paused or without a deadline): only a single-ticket feature says so.
func noneOf(f mvtFeature) float64 {
	if f["sla"] == "none" {
		return 1
	}
	return 0
}

func TestTicketTilesShowWhatListsShow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tl := tileOf(capeTown.GetLatitude(), capeTown.GetLongitude(), 14)
	// Points a fifth of the tile apart: separate features at zoom 14, one
	// merged feature at zoom 5.
	at := func(fx, fy float64) *commonv1.LatLng { return pointIn(tl, fx, fy) }
	waterReq := newTicket(commonv1.Category_CATEGORY_WATER, "leak on the corner")
	waterReq.Location = at(0.3, 0.3)
	water := h.create(t, agent(t, "CPT"), waterReq)
	gbvReq := newTicket(commonv1.Category_CATEGORY_GBV, secretText)
	gbvReq.Location = at(0.7, 0.7)
	gbv := h.create(t, citizen(t, "CPT", "victim"), gbvReq)
	otherReq := newTicket(commonv1.Category_CATEGORY_ROADS, "pothole in another city's data")
	otherReq.Location = at(0.5, 0.5)
	other := h.create(t, agent(t, "JHB"), otherReq)
	low := tileOf(capeTown.GetLatitude(), capeTown.GetLongitude(), 5)

	for _, tc := range []struct {
		name  string
		ctx   context.Context
		edit  func(*ticketv1.GetTicketTileRequest)
		count int
		ids   []string
	}{
		{"an agent sees the tenant's water ticket and never the GBV ticket", agent(t, "CPT"), nil, 1, []string{water.GetId()}},
		{"a team manager sees what an agent sees", as(t, "CPT", "mgr", "team_manager"), nil, 1, []string{water.GetId()}},
		{"a municipal admin sees what an agent sees", as(t, "CPT", "adm", "municipal_admin"), nil, 1, []string{water.GetId()}},
		{"an agent asking for GBV by category gets nothing", agent(t, "CPT"), func(r *ticketv1.GetTicketTileRequest) {
			r.Categories = []commonv1.Category{commonv1.Category_CATEGORY_GBV}
		}, 0, nil},
		{"the SAPS liaison sees the GBV ticket too", saps(t, "CPT"), nil, 2, []string{water.GetId(), gbv.GetId()}},
		{"the reporting citizen sees nothing: her one ticket is GBV, hidden from her as in lists", citizen(t, "CPT", "victim"), nil, 0, nil},
		{"another tenant's agent sees only its own ticket", agent(t, "JHB"), nil, 1, []string{other.GetId()}},
		{"another tenant's SAPS liaison sees none of CPT's tickets", saps(t, "JHB"), nil, 1, []string{other.GetId()}},
		{"a platform admin naming CPT sees its non-GBV tickets", admin(t), func(r *ticketv1.GetTicketTileRequest) { r.Tenant = "CPT" }, 1, []string{water.GetId()}},
		{"a status filter applies", agent(t, "CPT"), func(r *ticketv1.GetTicketTileRequest) {
			r.Statuses = []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_RESOLVED}
		}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := h.tile(t, tc.ctx, tl, tc.edit)
			require.Equal(t, tc.count, got.count)
			require.ElementsMatch(t, tc.ids, got.ids)
		})
	}

	t.Run("at low zoom nearby tickets are one feature with a count", func(t *testing.T) {
		got := h.tile(t, saps(t, "CPT"), low, nil)
		require.Equal(t, 2, got.count)
		require.Empty(t, got.ids)
		agentLow := h.tile(t, agent(t, "CPT"), low, nil)
		require.Equal(t, 1, agentLow.count)
		require.Equal(t, []string{water.GetId()}, agentLow.ids)
	})

	t.Run("a ticket without deadlines has no SLA state yet", func(t *testing.T) {
		got := h.tile(t, agent(t, "CPT"), tl, nil)
		require.Equal(t, "none", got.slas[water.GetId()])
	})

	t.Run("the SAPS liaison's tile read is in the GBV access log", func(t *testing.T) {
		require.Positive(t, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE ticket_id = $1 AND action = 'GetTicketTile' AND subject = 'saps-CPT'`, gbv.GetId()))
		require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE action = 'GetTicketTile' AND subject <> 'saps-CPT'`))
	})

	t.Run("a tile far away is empty", func(t *testing.T) {
		got := h.tile(t, saps(t, "CPT"), tileOf(-26.2, 28.04, 14), nil)
		require.Zero(t, got.count)
	})
}

func TestTicketTileStatesFollowTheDeadlines(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tl := tileOf(capeTown.GetLatitude(), capeTown.GetLongitude(), 5)
	near := tileOf(capeTown.GetLatitude(), capeTown.GetLongitude(), 16)
	ctx := agent(t, "CPT")
	mk := func(desc string, fx float64) string {
		req := newTicket(commonv1.Category_CATEGORY_WATER, desc)
		req.Location = pointIn(near, fx, 0.5)
		return h.create(t, ctx, req).GetId()
	}
	breached, atRisk, onTime, done := mk("breached", 0.2), mk("at risk", 0.4), mk("on time", 0.6), mk("resolved", 0.8)
	// Deadlines as the SLA service mirrors them, set straight in the table.
	set := func(id, resp, res string) {
		_, err := h.pool.Exec(context.Background(), `UPDATE ticket.tickets SET create_time = now() - interval '10 hours',
			response_deadline = now() + $2::interval, resolution_deadline = now() + $3::interval WHERE id = $1`, id, resp, res)
		require.NoError(t, err)
	}
	set(breached, "-1 hour", "10 hours") // response overdue
	set(atRisk, "1 hour", "10 hours")    // 10 of 11 hours to the response deadline gone
	set(onTime, "10 hours", "100 hours") // half way
	set(done, "-5 hours", "-1 hour")     // overdue, but finished
	_, err := h.pool.Exec(context.Background(), `UPDATE ticket.tickets SET status = 'resolved' WHERE id = $1`, done)
	require.NoError(t, err)

	got := h.tile(t, ctx, near, nil)
	require.Equal(t, map[string]string{breached: "breached", atRisk: "at_risk", onTime: "on_time", done: "none"}, got.slas)
	merged := h.tile(t, ctx, tl, nil)
	require.Equal(t, 4, merged.count)
}

func TestTicketTileRefusesBadTiles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		name  string
		req   *ticketv1.GetTicketTileRequest
		field string
		code  codes.Code
	}{
		{"a zoom past 22", &ticketv1.GetTicketTileRequest{Z: 23}, "z", codes.InvalidArgument},
		{"a negative zoom", &ticketv1.GetTicketTileRequest{Z: -1}, "z", codes.InvalidArgument},
		{"a column outside the zoom level", &ticketv1.GetTicketTileRequest{Z: 2, X: 4}, "x", codes.InvalidArgument},
		{"a negative row", &ticketv1.GetTicketTileRequest{Z: 2, Y: -1}, "x", codes.InvalidArgument},
		{"an unknown category", &ticketv1.GetTicketTileRequest{Categories: []commonv1.Category{99}}, "categories", codes.InvalidArgument},
		{"another tenant for a non-admin", &ticketv1.GetTicketTileRequest{Tenant: "JHB"}, "", codes.PermissionDenied},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := h.public.GetTicketTile(agent(t, "CPT"), tc.req)
			require.Equal(t, tc.code, status.Code(err), err)
			if tc.field != "" {
				require.Contains(t, status.Convert(err).Message(), tc.field)
			}
		})
	}
}
