package server

import (
	"context"

	"google.golang.org/protobuf/types/known/durationpb"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// ListCalendarVersions implements SlaService.ListCalendarVersions (staff).
func (s *Public) ListCalendarVersions(ctx context.Context, req *slav1.ListCalendarVersionsRequest) (*slav1.ListCalendarVersionsResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("calendar_id", req.GetCalendarId()); err != nil {
		return nil, err
	}
	vs, err := s.app.ListCalendarVersions(ctx, scope, req.GetCalendarId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListCalendarVersionsResponse{}
	for _, v := range vs {
		out.Versions = append(out.Versions, &slav1.CalendarVersion{Calendar: calendarPB(v.Spec),
			EffectiveTime: ts(v.EffectiveFrom), ChangedBy: v.ChangedBy})
	}
	return out, nil
}

// ListSlaConfigVersions implements SlaService.ListSlaConfigVersions (staff).
func (s *Public) ListSlaConfigVersions(ctx context.Context, req *slav1.ListSlaConfigVersionsRequest) (*slav1.ListSlaConfigVersionsResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("config_id", req.GetConfigId()); err != nil {
		return nil, err
	}
	vs, err := s.app.ListConfigVersions(ctx, scope, req.GetConfigId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListSlaConfigVersionsResponse{}
	for _, v := range vs {
		out.Versions = append(out.Versions, &slav1.SlaConfigVersion{Config: configPB(v.Config),
			EffectiveTime: ts(v.EffectiveFrom), Deleted: v.Deleted, ChangedBy: v.Config.UpdatedBy})
	}
	return out, nil
}

// ExplainTicketClocks implements SlaService.ExplainTicketClocks (staff of the
// tenant; GBV only for saps_liaison and services, as GetTicketClocks).
func (s *Public) ExplainTicketClocks(ctx context.Context, req *slav1.ExplainTicketClocksRequest) (*slav1.ExplainTicketClocksResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("ticket_id", req.GetTicketId()); err != nil {
		return nil, err
	}
	es, now, err := s.app.ExplainClocks(ctx, scope, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ExplainTicketClocksResponse{ExplainTime: ts(now)}
	for _, e := range es {
		x := &slav1.ClockExplanation{Clock: clockPB(e.Clock)}
		for _, sg := range e.Segments {
			x.Segments = append(x.Segments, segmentPB(sg))
		}
		out.Clocks = append(out.Clocks, x)
	}
	return out, nil
}

var segmentEndReasons = map[string]slav1.SegmentEndReason{
	domain.SegmentPaused:          slav1.SegmentEndReason_SEGMENT_END_REASON_PAUSED,
	domain.SegmentStopped:         slav1.SegmentEndReason_SEGMENT_END_REASON_STOPPED,
	domain.SegmentCalendarChanged: slav1.SegmentEndReason_SEGMENT_END_REASON_CALENDAR_CHANGED,
	domain.SegmentPolicyChanged:   slav1.SegmentEndReason_SEGMENT_END_REASON_POLICY_CHANGED,
}

func segmentPB(sg domain.Segment) *slav1.ClockSegment {
	return &slav1.ClockSegment{StartTime: ts(sg.From), EndTime: ts(sg.To), CalendarId: sg.Calendar.ID,
		CalendarVersion: sg.Calendar.Version, ConfigId: sg.ConfigID, ConfigVersion: sg.ConfigVersion,
		Elapsed: durationpb.New(sg.Elapsed), EndReason: segmentEndReasons[sg.EndReason]}
}
