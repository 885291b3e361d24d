package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

func TestConfigChangeRecomputesOpenClocksOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	open := f.create(t, "CPT", "water", t0)
	met := f.create(t, "CPT", "water", t0)
	f.status(t, "CPT", met, 2, "open", "in_progress", true, t0.Add(time.Hour))
	f.status(t, "CPT", met, 3, "in_progress", "resolved", false, t0.Add(2*time.Hour))
	other := f.create(t, "JHB", "water", t0)

	f.now = t0.Add(10 * time.Hour)
	cfg, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "water",
		ResponseHours: 12, ResolutionHours: 48, WarningPct: 50, PauseStatuses: []string{"awaiting_citizen"}})
	require.NoError(t, err)

	clocks, _, err := f.app.GetTicketClocks(job("CPT"), open)
	require.NoError(t, err)
	res := clockOf(t, clocks, domain.ClockResolution, 1)
	require.Equal(t, t0.Add(48*time.Hour), res.DeadlineAt, "48h target from the elapsed 10h")
	require.Equal(t, cfg.ID, res.ConfigID)
	require.Equal(t, t0.Add(12*time.Hour), clockOf(t, clocks, domain.ClockResponse, 1).DeadlineAt)

	clocks, _, err = f.app.GetTicketClocks(job("CPT"), met)
	require.NoError(t, err)
	require.Empty(t, clockOf(t, clocks, domain.ClockResolution, 1).ConfigID, "a met clock keeps its policy")
	clocks, _, err = f.app.GetTicketClocks(job("JHB"), other)
	require.NoError(t, err)
	require.Equal(t, t0.Add(168*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt, "another municipality is untouched")

	f.now = t0.Add(20 * time.Hour)
	_, n, err := f.app.UpdateSlaConfig(admin, domain.ConfigUpdate{ID: cfg.ID, Paths: []string{"resolution_hours"}, Values: domain.Config{ResolutionHours: 100}})
	require.NoError(t, err)
	require.Equal(t, 2, n, "the open ticket's response and resolution clocks")
	n, err = f.app.DeleteSlaConfig(admin, cfg.ID)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	clocks, _, err = f.app.GetTicketClocks(job("CPT"), open)
	require.NoError(t, err)
	require.Equal(t, t0.Add(168*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt, "back on the built-in policy")
	changes, err := f.app.ListSlaConfigChanges(admin, cfg.ID)
	require.NoError(t, err)
	require.Len(t, changes, 3)
	require.Equal(t, "deleted", changes[0].Action)
}
