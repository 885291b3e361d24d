package server

import (
	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Enum values map to the domain's words through libs/vocab (vocab.Optional,
// vocab.Repeated). A request's UNSPECIFIED value maps to "" (the use case
// applies the default or refuses a missing value); a number the contract
// does not define is refused here, since it has no word at all.

func pointIn(l *commonv1.LatLng) *domain.Point {
	if l == nil {
		return nil
	}
	return &domain.Point{Lat: l.GetLatitude(), Lng: l.GetLongitude()}
}

func circleIn(c *ticketv1.Circle) *domain.Circle {
	if c == nil {
		return nil
	}
	return &domain.Circle{Center: domain.Point{Lat: c.GetCenter().GetLatitude(), Lng: c.GetCenter().GetLongitude()}, Meters: c.GetRadiusMeters()}
}

func reporterIn(r *ticketv1.Reporter) domain.Reporter {
	return domain.Reporter{Name: r.GetName(), Phone: r.GetPhone(), Email: r.GetEmail()}
}

func ticketOut(t domain.Ticket) *ticketv1.Ticket {
	out := &ticketv1.Ticket{
		Id: t.ID, Reference: t.Reference, Tenant: t.Tenant,
		Category: vocab.MustParse[commonv1.Category](string(t.Category)), Status: vocab.MustParse[commonv1.TicketStatus](string(t.Status)),
		Description: t.Description, Address: t.Address, ReporterSubject: t.ReporterSubject,
		Channel:        vocab.MustParse[ticketv1.Channel](string(t.Channel)),
		AssignedTeamId: t.AssignedTeamID, AssignedTeamName: t.AssignedTeamName, AssignedPersonId: t.AssignedPersonID,
		AssignmentReason: vocab.MustParse[commonv1.AssignmentReason](t.AssignmentReason),
		FirstRespondedAt: pbtime.Out(t.FirstRespondedAt), ResponseDeadline: pbtime.Out(t.ResponseDeadline),
		ResolutionDeadline: pbtime.Out(t.ResolutionDeadline), EscalatedAt: pbtime.Out(t.EscalatedAt),
		EscalationReason: vocab.MustParse[commonv1.AssignmentReason](t.EscalationReason), EscalationLevel: t.EscalationLevel,
		CancelReason: t.CancelReason, CreateTime: pbtime.Out(&t.CreateTime), UpdateTime: pbtime.Out(&t.UpdateTime),
		ResolveTime: pbtime.Out(t.ResolveTime), CloseTime: pbtime.Out(t.CloseTime),
		Priority: vocab.MustParse[commonv1.Priority](string(t.Priority)), SuggestedPriority: vocab.MustParse[commonv1.Priority](string(t.SuggestedPriority)),
		WardCode: t.WardCode, DuplicateOf: t.DuplicateOf, LinkedCount: t.LinkedCount, FollowerCount: t.FollowerCount,
	}
	// A receipt (GBV, no content) carries no location either.
	if t.Location != (domain.Point{}) {
		out.Location = &commonv1.LatLng{Latitude: t.Location.Lat, Longitude: t.Location.Lng}
	}
	if t.Reporter != (domain.Reporter{}) {
		out.Reporter = &ticketv1.Reporter{Name: t.Reporter.Name, Phone: t.Reporter.Phone, Email: t.Reporter.Email}
	}
	return out
}

func noteOut(n domain.Note) *ticketv1.TicketNote {
	return &ticketv1.TicketNote{Id: n.ID, TicketId: n.TicketID, Author: n.Author,
		Visibility: vocab.MustParse[ticketv1.NoteVisibility](n.Visibility), Body: n.Body, CreateTime: pbtime.Out(&n.CreateTime)}
}

func historyOut(h domain.HistoryEntry) *ticketv1.HistoryEntry {
	return &ticketv1.HistoryEntry{Sequence: h.Sequence, TicketId: h.TicketID, Kind: h.Kind, Actor: h.Actor,
		FromStatus: vocab.MustParse[commonv1.TicketStatus](string(h.From)), ToStatus: vocab.MustParse[commonv1.TicketStatus](string(h.To)),
		Reason: h.Reason, Detail: h.Detail, CreateTime: pbtime.Out(&h.CreateTime)}
}

func accessLogOut(e domain.AccessLogEntry) *ticketv1.GbvAccessLogEntry {
	return &ticketv1.GbvAccessLogEntry{Id: e.ID, Tenant: e.Tenant, TicketId: e.TicketID, Subject: e.Subject,
		Roles: e.Roles, Action: e.Action, CreateTime: pbtime.Out(&e.CreateTime)}
}

// apiKeyOut maps a key without its hash: secrets never leave the service.
func apiKeyOut(k domain.APIKey) *ticketv1.ApiKey {
	return &ticketv1.ApiKey{Id: k.ID, Tenant: k.Tenant, ClientName: k.ClientName, Prefix: k.Prefix(),
		CreatedBy: k.CreatedBy, CreateTime: pbtime.Out(&k.CreateTime), RevokeTime: pbtime.Out(k.RevokeTime)}
}

func publicOut(t domain.PublicTicket) *ticketv1.PublicTicket {
	out := &ticketv1.PublicTicket{
		Id: t.ID, Reference: t.Reference, Tenant: t.Tenant, Category: vocab.MustParse[commonv1.Category](string(t.Category)),
		Status: vocab.MustParse[commonv1.TicketStatus](string(t.Status)), Description: t.Description, Address: t.Address,
		Location:         &commonv1.LatLng{Latitude: t.Location.Lat, Longitude: t.Location.Lng},
		AssignedTeamName: t.AssignedTeamName, ResponseDeadline: pbtime.Out(t.ResponseDeadline),
		ResolutionDeadline: pbtime.Out(t.ResolutionDeadline), EscalatedAt: pbtime.Out(t.EscalatedAt),
		EscalationLevel: t.EscalationLevel, CancelReason: t.CancelReason,
		CreateTime: pbtime.Out(&t.CreateTime), UpdateTime: pbtime.Out(&t.UpdateTime), DuplicateOf: t.DuplicateOf,
	}
	for _, n := range t.Notes {
		out.Notes = append(out.Notes, &ticketv1.PublicNote{Body: n.Body, CreateTime: pbtime.Out(&n.CreateTime)})
	}
	for _, a := range t.Attachments {
		out.Attachments = append(out.Attachments, publicAttachmentOut(a))
	}
	return out
}

func nearbyOut(n domain.NearbyTicket) *ticketv1.NearbyTicket {
	return &ticketv1.NearbyTicket{Id: n.ID, Reference: n.Reference, Category: vocab.MustParse[commonv1.Category](string(n.Category)),
		Status: vocab.MustParse[commonv1.TicketStatus](string(n.Status)), Location: &commonv1.LatLng{Latitude: n.Location.Lat, Longitude: n.Location.Lng},
		DistanceMeters: n.Meters, LinkedCount: n.LinkedCount, CreateTime: pbtime.Out(&n.CreateTime)}
}

func nearbyListOut(ns []domain.NearbyTicket) []*ticketv1.NearbyTicket {
	out := make([]*ticketv1.NearbyTicket, len(ns))
	for i, n := range ns {
		out[i] = nearbyOut(n)
	}
	return out
}
