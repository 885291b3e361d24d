package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// decideFrom applies the routing rules (domain.Decide chooses among the
// candidates store.QueueCandidates found for the ticket's point) and, when
// the chosen team has members, gives the ticket of category to the least
// loaded one; ward is the ward at the point. Eligibility (GBV only to SAPS teams) is
// in the store's team filter, so no rule can pick a non-SAPS team for GBV.
func (a *App) decideFrom(ctx context.Context, tx pgx.Tx, category domain.Category, c domain.Candidates, ward string) (domain.Decision, error) {
	d := domain.Decide(c)
	var err error
	if d.NeedsMember() {
		if d.PersonID, err = a.store.LeastLoadedMember(ctx, tx, d.TeamID); err != nil {
			return domain.Decision{}, err
		}
	}
	d.WardCode = ward
	d.Explain(category)
	return d, nil
}
