package server

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// mvtContentType is the media type of a Mapbox vector tile.
const mvtContentType = "application/vnd.mapbox-vector-tile"

// GetTicketTile implements TicketService.
func (s *Server) GetTicketTile(ctx context.Context, req *ticketv1.GetTicketTileRequest) (*httpbody.HttpBody, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	tf := domain.TileFilter{
		Tenant: req.GetTenant(), AssignedTeamID: req.GetAssignedTeamId(),
		CreatedAfter: timeIn(req.GetCreatedAfter()), CreatedBefore: timeIn(req.GetCreatedBefore()),
	}
	for _, st := range req.GetStatuses() {
		d, ok := statuses[st]
		if !ok {
			return nil, apperr.Invalid("statuses", "must contain only known ticket statuses")
		}
		tf.Statuses = append(tf.Statuses, d)
	}
	for _, c := range req.GetCategories() {
		d, ok := categories[c]
		if !ok {
			return nil, apperr.Invalid("categories", "must contain only known categories")
		}
		tf.Categories = append(tf.Categories, d)
	}
	tile := domain.Tile{Z: int(req.GetZ()), X: int(req.GetX()), Y: int(req.GetY())}
	mvt, err := s.app.GetTicketTile(ctx, v, tile, tf)
	if err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: mvtContentType, Data: mvt}, nil
}
