package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/salga/trustengine/libs/server/servertest"
)

// carryNoSealedContent classifies every SLA RPC for the GBV access log
// (the ticket service's, which logs every answer that carries a GBV
// ticket's sealed content): SLA holds no content of tickets at all, only
// ids, categories, statuses, times and its own rules, so none of its
// answers needs logging. An RPC added to the contract fails the test until
// it is listed here with the reason, or logs its reads as routing does.
var carryNoSealedContent = map[string]string{
	"/salga.sla.v1.SlaService/CreateSlaConfig":                 "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/UpdateSlaConfig":                 "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/DeleteSlaConfig":                 "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/GetSlaConfig":                    "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/ListSlaConfigs":                  "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/ListSlaConfigChanges":            "changes of policies, with the count of clocks they moved",
	"/salga.sla.v1.SlaService/ListSlaConfigVersions":           "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/ResolveSlaPolicy":                "SLA policies; no tickets",
	"/salga.sla.v1.SlaService/CreateCalendar":                  "calendars; no tickets",
	"/salga.sla.v1.SlaService/UpdateCalendar":                  "calendars; no tickets",
	"/salga.sla.v1.SlaService/GetCalendar":                     "calendars; no tickets",
	"/salga.sla.v1.SlaService/ListCalendarVersions":            "calendars; no tickets",
	"/salga.sla.v1.SlaService/ListCalendars":                   "calendars; no tickets",
	"/salga.sla.v1.SlaService/ListPublicHolidays":              "dates and names of holidays",
	"/salga.sla.v1.SlaService/GetTicketClocks":                 "a ticket's clocks: ids, times, states; no free text",
	"/salga.sla.v1.SlaService/ExplainTicketClocks":             "a ticket's clock segments: ids, times, versions; no free text",
	"/salga.sla.v1.SlaService/ListAtRiskTickets":               "ticket ids and clocks; no free text",
	"/salga.sla.v1.SlaService/GetCompliance":                   "counts per category",
	"/salga.sla.v1.SlaInternalService/RecordTicketEvent":       "the ticket's clocks after the event; no free text",
	"/salga.sla.v1.SlaInternalService/RunSweep":                "counts of what the sweep did",
	"/salga.sla.v1.SlaInternalService/BatchRecordTicketEvents": "whether each event applied; no free text",
	"/salga.sla.v1.SlaInternalService/ListClockEvents":         "warnings and breaches: ids, kinds, times",
	"/salga.sla.v1.SlaService/ListIndicators":                  "the catalogue of indicators; no tickets",
	"/salga.sla.v1.SlaService/GetIndicator":                    "counts of tickets; GBV in no indicator",
	"/salga.sla.v1.SlaService/ComputeIndicators":               "counts of tickets; GBV in no indicator",
	"/salga.sla.v1.SlaService/ListIndicatorTickets":            "ticket ids, categories, times and ward codes; no free text; GBV in no indicator",
	"/salga.sla.v1.SlaService/GetComplianceReport":             "counts per group; GBV counts only for CanCountGBV, small ward cells withheld",
	"/salga.sla.v1.SlaService/GetBacklogReport":                "counts per group; GBV counts only for CanCountGBV, small ward cells withheld",
	"/salga.sla.v1.SlaService/GetVolumeReport":                 "counts per group; GBV counts only for CanCountGBV, small ward cells withheld",
	"/salga.sla.v1.SlaService/GetTimingReport":                 "durations per group; GBV only for CanCountGBV, small ward cells withheld",
	"/salga.sla.v1.SlaService/CreateReportSchedule":            "a schedule: kind, frequency, recipients; no tickets",
	"/salga.sla.v1.SlaService/ListReportSchedules":             "schedules; no tickets",
	"/salga.sla.v1.SlaService/DeleteReportSchedule":            "nothing",
	"/salga.sla.v1.SlaService/ListReportExports":               "files' names and sizes; no tickets",
	"/salga.sla.v1.SlaService/GetReportExport":                 "a produced report: counts only, GBV never",
	"/salga.sla.v1.SlaService/DownloadReportExport":            "a produced report: counts only, GBV never",
	"/salga.sla.v1.SlaInternalService/GetPublicAggregates":     "public counts per category; GBV never",
}

// codesNotContent are the text fields of answers about tickets that are
// neither ids nor the tenant but codes the service validates (never free
// text a person wrote), with the rule that keeps them so.
var codesNotContent = map[string]string{
	"salga.sla.v1.IndicatorTicket.ward_code": "a ward code: at most 64 letters, digits, '-', '_' or '.' (domain.TicketEvent.Validate)",
}

// TestNoSLAAnswerCarriesSealedGBVContent requires every SLA RPC, read from
// the generated descriptors, to be classified above, and backs the
// classification with the contract: in every answer about tickets (an RPC
// asked about a ticket_id, or a message with a ticket_id, and all they
// nest) the only text is ids and the tenant, so no field can carry a GBV
// ticket's description, reporter, address, reasons or notes.
func TestNoSLAAnswerCarriesSealedGBVContent(t *testing.T) {
	t.Parallel()
	rpcs := slaRPCs(t)
	var text []string
	for _, m := range servertest.Methods(t, "salga.sla.v1") {
		text = append(text, ticketText(m.Output(), m.Input().Fields().ByName("ticket_id") != nil, nil)...)
	}
	var listed []string
	for m := range carryNoSealedContent {
		listed = append(listed, m)
	}
	slices.Sort(listed)
	require.Equal(t, rpcs, listed, "every SLA RPC is classified for the GBV access log, and only RPCs are")
	slices.Sort(text)
	require.Empty(t, text, "text fields in answers about tickets other than ids and the tenant")
}

// ticketText returns the string fields of md and what it nests, when they
// are about a ticket, that are neither an id nor the tenant. seen stops
// recursion through message types already on the path.
func ticketText(md protoreflect.MessageDescriptor, aboutTicket bool, seen []protoreflect.FullName) []string {
	if slices.Contains(seen, md.FullName()) {
		return nil
	}
	seen = append(seen, md.FullName())
	aboutTicket = aboutTicket || md.Fields().ByName("ticket_id") != nil
	var out []string
	for i := range md.Fields().Len() {
		f := md.Fields().Get(i)
		name := string(f.Name())
		switch {
		case f.Kind() == protoreflect.StringKind:
			_, isCode := codesNotContent[string(f.FullName())]
			if aboutTicket && name != "id" && name != "tenant" && !strings.HasSuffix(name, "_id") && !isCode {
				out = append(out, string(f.FullName()))
			}
		case f.Message() != nil:
			out = append(out, ticketText(f.Message(), aboutTicket, seen)...)
		}
	}
	return out
}
