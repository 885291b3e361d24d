package server

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// mvtContentType is the media type of a Mapbox vector tile.
const mvtContentType = "application/vnd.mapbox-vector-tile"

// GetTicketTile implements TicketService.
func (s *Server) GetTicketTile(ctx context.Context, req *ticketv1.GetTicketTileRequest) (*httpbody.HttpBody, error) {
	f := domain.TileFilter{
		Tenant: req.GetTenant(), AssignedTeamID: req.GetAssignedTeamId(),
		CreatedAfter: pbtime.In(req.GetCreatedAfter()), CreatedBefore: pbtime.In(req.GetCreatedBefore()),
	}
	var err error
	if f.Statuses, err = vocab.Repeated[domain.Status](req.GetStatuses(), "statuses", "must contain only known ticket statuses"); err != nil {
		return nil, err
	}
	if f.Categories, err = vocab.Repeated[domain.Category](req.GetCategories(), "categories", "must contain only known categories"); err != nil {
		return nil, err
	}
	tile := domain.Tile{Z: int(req.GetZ()), X: int(req.GetX()), Y: int(req.GetY())}
	mvt, err := s.app.GetTicketTile(ctx, domain.TileRequest{Tile: tile, Filter: f})
	if err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: mvtContentType, Data: mvt}, nil
}
