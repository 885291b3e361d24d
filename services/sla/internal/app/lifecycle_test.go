package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

// move is one status change of a walk through the life cycle.
type move struct {
	from, to string
	first    bool
}

// walks cover every legal transition of the ticket life cycle, reopen
// included (twice, with a pause in the reopened cycle).
var walks = map[string][]move{
	"worked, paused, resolved, reopened twice and closed": {
		{"open", "in_progress", true}, {"in_progress", "awaiting_citizen", false}, {"awaiting_citizen", "in_progress", false},
		{"in_progress", "resolved", false}, {"resolved", "in_progress", false}, {"in_progress", "awaiting_citizen", false},
		{"awaiting_citizen", "in_progress", false}, {"in_progress", "resolved", false}, {"resolved", "in_progress", false},
		{"in_progress", "resolved", false}, {"resolved", "closed", false},
	},
	"cancelled while open":        {{"open", "cancelled", false}},
	"cancelled while in progress": {{"open", "in_progress", true}, {"in_progress", "cancelled", false}},
}

// expectedStates is the rule: the response clock runs until the first
// response or a final status; the latest resolution cycle is stopped in a
// final status, paused in a pause status of the policy and running
// otherwise; a reopen (resolved -> in_progress) starts a new cycle.
func expectedStates(status string, responded bool, pauses []string) (response, resolution string) {
	final := status == "resolved" || status == "closed" || status == "cancelled"
	response = domain.StateRunning
	if responded || final {
		response = domain.StateMet
	}
	switch {
	case final:
		resolution = domain.StateMet
	case slices.Contains(pauses, status):
		resolution = domain.StatePaused
	default:
		resolution = domain.StateRunning
	}
	return response, resolution
}

func TestEveryStatusMoveLeavesEachClockInTheStateThePolicySays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	statuses := []string{"open", "in_progress", "awaiting_citizen"}
	type config struct {
		municipality, category string
		pauses                 []string
	}
	var configs []config
	for mask := range 1 << len(statuses) {
		var ps []string
		for i, s := range statuses {
			if mask&(1<<i) != 0 {
				ps = append(ps, s)
			}
		}
		m := fmt.Sprintf("P%02d", mask)
		cfg, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: m, Category: "water",
			ResponseHours: 100, ResolutionHours: 1000, WarningPct: 80, PauseStatuses: ps})
		require.NoError(t, err)
		if len(ps) == 0 {
			// A new policy pauses in awaiting_citizen unless it says
			// otherwise; an update may take every pause status away.
			_, _, err = f.app.UpdateSlaConfig(admin, domain.ConfigUpdate{ID: cfg.ID, Paths: []string{"pause_statuses"}})
			require.NoError(t, err)
		}
		configs = append(configs, config{m, "water", ps})
	}
	configs = append(configs, config{"CPT", "gbv", nil}) // GBV never pauses, whatever a policy says
	for _, cfg := range configs {
		for name, walk := range walks {
			t.Run(fmt.Sprintf("%s with pause statuses %v, %s", cfg.category, cfg.pauses, name), func(t *testing.T) {
				t.Parallel()
				at := f.now
				id := f.create(t, cfg.municipality, cfg.category, at)
				clocks, _, err := f.app.GetTicketClocks(job(cfg.municipality), id)
				require.NoError(t, err)
				wantResp, wantRes := expectedStates("open", false, cfg.pauses)
				require.Equal(t, wantResp, clockOf(t, clocks, domain.ClockResponse, 1).State, "response clock after creation")
				require.Equal(t, wantRes, clockOf(t, clocks, domain.ClockResolution, 1).State, "resolution clock after creation")
				cycle, responded := 1, false
				for i, m := range walk {
					at = at.Add(time.Minute)
					clocks = f.status(t, cfg.municipality, id, int64(i+2), m.from, m.to, m.first, at)
					responded = responded || m.first
					if m.from == "resolved" && m.to == "in_progress" {
						cycle++
					}
					wantResp, wantRes := expectedStates(m.to, responded, cfg.pauses)
					step := fmt.Sprintf("after %s -> %s", m.from, m.to)
					require.Equal(t, wantResp, clockOf(t, clocks, domain.ClockResponse, 1).State, "response clock "+step)
					require.Equal(t, wantRes, clockOf(t, clocks, domain.ClockResolution, cycle).State, "resolution cycle %d %s", cycle, step)
					for c := 1; c < cycle; c++ {
						require.Equal(t, domain.StateMet, clockOf(t, clocks, domain.ClockResolution, c).State, "earlier cycle %d stays met %s", c, step)
					}
					last := clocks[len(clocks)-1]
					require.Equal(t, cycle, last.Cycle, "no cycle beyond %d %s", cycle, step)
					require.Equal(t, wantRes == domain.StateRunning, !last.NextDueAt.IsZero(), "only a running clock is swept %s", step)
				}
			})
		}
	}
}
