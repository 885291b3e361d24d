package app

import (
	"context"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// ListPublicHolidays returns South Africa's public holidays of year as
// observed (any authenticated caller: they are public knowledge).
func (a *App) ListPublicHolidays(ctx context.Context, year int) ([]calendar.Holiday, error) {
	if _, err := access.Check(ctx, access.Anyone); err != nil {
		return nil, err
	}
	return domain.PublicHolidays(year)
}
