package open311

import (
	"strings"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// openStatuses and closedStatuses map Open311's two statuses onto the
// ticket life cycle: anything the municipality still has to act on is open.
var (
	openStatuses = []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_OPEN,
		commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN}
	closedStatuses = []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_RESOLVED,
		commonv1.TicketStatus_TICKET_STATUS_CLOSED, commonv1.TicketStatus_TICKET_STATUS_CANCELLED}
)

// openOrClosed is the Open311 status of a ticket status.
func openOrClosed(s commonv1.TicketStatus) string {
	for _, c := range closedStatuses {
		if s == c {
			return "closed"
		}
	}
	return "open"
}

// detailedStatus is the life-cycle status in lower case, e.g. in_progress.
func detailedStatus(s commonv1.TicketStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "TICKET_STATUS_"))
}

// requestFrom renders a public ticket; extended adds the extension fields.
// media_url is its first public photo, served by the gateway at base.
func requestFrom(t *ticketv1.PublicTicket, extended bool, base string) requestOut {
	svc := serviceByCategory(t.GetCategory())
	r := requestOut{
		ServiceRequestID: t.GetId(), Status: openOrClosed(t.GetStatus()), StatusNotes: t.GetCancelReason(),
		ServiceName: svc.Name, ServiceCode: svc.Code, Description: t.GetDescription(),
		AgencyResponsible: t.GetAssignedTeamName(), RequestedDatetime: datetime(t.GetCreateTime()),
		UpdatedDatetime: datetime(t.GetUpdateTime()), ExpectedDatetime: datetime(t.GetResolutionDeadline()),
		Address: t.GetAddress(), Lat: t.GetLocation().GetLatitude(), Long: t.GetLocation().GetLongitude(),
	}
	if as := t.GetAttachments(); len(as) > 0 {
		r.MediaURL = mediaURL(base, t, as[0])
	}
	if r.AgencyResponsible != "" {
		r.ServiceNotice = "Assigned to " + r.AgencyResponsible + "."
	}
	if p := t.GetDuplicateOf(); p != "" {
		r.StatusNotes = "Duplicate of service request " + p + "."
	}
	if !extended {
		return r
	}
	r.ExtendedAttributes = &extendedOut{
		Reference: t.GetReference(), Team: t.GetAssignedTeamName(),
		ResponseDeadline: datetime(t.GetResponseDeadline()), ResolutionDeadline: datetime(t.GetResolutionDeadline()),
		Escalated: t.GetEscalationLevel() > 0, EscalationLevel: t.GetEscalationLevel(),
		EscalatedDatetime: datetime(t.GetEscalatedAt()), DetailedStatus: detailedStatus(t.GetStatus()),
		DuplicateOf: t.GetDuplicateOf(),
	}
	notes := make([]noteOut, 0, len(t.GetNotes()))
	for _, n := range t.GetNotes() {
		notes = append(notes, noteOut{Type: "note", Description: n.GetBody(), Datetime: datetime(n.GetCreateTime())})
	}
	r.Notes, r.NotesXML = &notes, notes
	return r
}
