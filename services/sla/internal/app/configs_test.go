package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

var adminScope = pg.Scope{AllTenants: true, Subject: "admin-1", Roles: []string{auth.RolePlatformAdmin}}

func TestConfigChangeRecomputesOpenClocksOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	t0 := f.now
	open := f.create(t, "CPT", "water", t0)
	met := f.create(t, "CPT", "water", t0)
	f.status(t, "CPT", met, 2, "open", "in_progress", true, t0.Add(time.Hour))
	f.status(t, "CPT", met, 3, "in_progress", "resolved", false, t0.Add(2*time.Hour))
	other := f.create(t, "JHB", "water", t0)

	f.now = t0.Add(10 * time.Hour)
	cfg, err := f.app.CreateConfig(ctx, adminScope, domain.Config{Municipality: "CPT", Category: "water",
		ResponseHours: 12, ResolutionHours: 48, WarningPct: 50, PauseStatuses: []string{"awaiting_citizen"}})
	require.NoError(t, err)

	clocks, _, err := f.app.TicketClocks(ctx, serviceScope, open)
	require.NoError(t, err)
	res := clockOf(t, clocks, domain.ClockResolution, 1)
	require.Equal(t, t0.Add(48*time.Hour), res.DeadlineAt, "48h target from the elapsed 10h")
	require.Equal(t, cfg.ID, res.ConfigID)
	require.Equal(t, t0.Add(12*time.Hour), clockOf(t, clocks, domain.ClockResponse, 1).DeadlineAt)

	clocks, _, err = f.app.TicketClocks(ctx, serviceScope, met)
	require.NoError(t, err)
	require.Empty(t, clockOf(t, clocks, domain.ClockResolution, 1).ConfigID, "a met clock keeps its policy")
	clocks, _, err = f.app.TicketClocks(ctx, serviceScope, other)
	require.NoError(t, err)
	require.Equal(t, t0.Add(168*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt, "another municipality is untouched")

	f.now = t0.Add(20 * time.Hour)
	_, n, err := f.app.UpdateConfig(ctx, adminScope, cfg.ID, func(c *domain.Config) error { c.ResolutionHours = 100; return nil })
	require.NoError(t, err)
	require.Equal(t, 2, n, "the open ticket's response and resolution clocks")
	n, err = f.app.DeleteConfig(ctx, adminScope, cfg.ID)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	clocks, _, err = f.app.TicketClocks(ctx, serviceScope, open)
	require.NoError(t, err)
	require.Equal(t, t0.Add(168*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt, "back on the built-in policy")
	changes, err := f.app.ListConfigChanges(ctx, adminScope, cfg.ID)
	require.NoError(t, err)
	require.Len(t, changes, 3)
	require.Equal(t, "deleted", changes[0].Action)
}
