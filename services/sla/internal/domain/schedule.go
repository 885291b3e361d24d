package domain

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// Report kinds and frequencies of schedules.
const (
	ReportIndicators = "indicators"
	ReportCompliance = "compliance"
	Monthly          = "monthly"
	Quarterly        = "quarterly"
)

// MaxRecipients bounds a schedule's recipients.
const MaxRecipients = 20

// ReportSchedule is a report a municipality receives every month or
// quarter.
type ReportSchedule struct {
	ID, Tenant, Kind, Frequency string
	Recipients                  []string
	// NextRunAt is when the next file is due: the end of the next period
	// to report (midnight South African time).
	NextRunAt  time.Time
	CreatedBy  string
	CreateTime time.Time
}

// Validate refuses an unknown kind or frequency and recipients that are
// not plain email addresses (at most MaxRecipients, no repeats).
func (s ReportSchedule) Validate() error {
	var vs apperr.Violations
	if s.Kind != ReportIndicators && s.Kind != ReportCompliance {
		vs.Add("schedule.kind", "must be REPORT_KIND_INDICATORS or REPORT_KIND_COMPLIANCE")
	}
	if s.Frequency != Monthly && s.Frequency != Quarterly {
		vs.Add("schedule.frequency", "must be REPORT_FREQUENCY_MONTHLY or REPORT_FREQUENCY_QUARTERLY")
	}
	if len(s.Recipients) > MaxRecipients {
		vs.Add("schedule.recipients", fmt.Sprintf("must be at most %d addresses", MaxRecipients))
	}
	seen := map[string]bool{}
	for i, r := range s.Recipients {
		a, err := mail.ParseAddress(r)
		if err != nil || a.Address != r || len(r) > 254 || seen[strings.ToLower(r)] {
			vs.Add(fmt.Sprintf("schedule.recipients[%d]", i), "must be a plain email address (name@example.org), once")
		}
		seen[strings.ToLower(r)] = true
	}
	return vs.Err()
}

// PeriodEndingAt is the period of the schedule's frequency that ends at
// end (a period end, as NextRunAt).
func (s ReportSchedule) PeriodEndingAt(end time.Time) Period {
	last := DayOf(end).AddDate(0, 0, -1)
	if s.Frequency == Quarterly {
		return QuarterOf(last)
	}
	return MonthOf(last)
}

// FirstRun is when the file of the period running at now is due.
func (s ReportSchedule) FirstRun(now time.Time) time.Time {
	day := DayOf(now)
	if s.Frequency == Quarterly {
		return QuarterOf(day).EndTime()
	}
	return MonthOf(day).EndTime()
}

// RunAfter is when the file of the period after the one ending at end is
// due.
func (s ReportSchedule) RunAfter(end time.Time) time.Time { return s.FirstRun(end) }

// FileName names the file of a period: CPT-indicators-2026-27-Q1.csv.
func (s ReportSchedule) FileName(p Period) string {
	return fmt.Sprintf("%s-%s-%s.csv", s.Tenant, s.Kind, strings.ReplaceAll(p.Label, "/", "-"))
}

// ReportExport is a file a schedule produced.
type ReportExport struct {
	ID, Tenant, ScheduleID, Kind, Period string
	FileName, ContentType                string
	Content                              []byte
	Size                                 int64
	CreateTime                           time.Time
}

// ReportMail is a produced file on its way to its schedule's recipients
// (through the notify service, which attaches it).
type ReportMail struct {
	Tenant, ExportID      string
	Recipients            []string
	Subject, Body         string
	FileName, ContentType string
	Content               []byte
}

// DownloadPath is where staff download export id on the JSON API.
func DownloadPath(id string) string { return "/v1/sla/report-exports/" + id + ":download" }

// Mail is the email of export e, produced for period p, to the schedule's
// recipients: the file attached, and its download path in the text.
func (s ReportSchedule) Mail(e ReportExport, p Period) ReportMail {
	subject := fmt.Sprintf("%s SLA %s report %s", s.Tenant, s.Kind, p.Label)
	body := fmt.Sprintf("The %s SLA %s report for %s (%s to %s) is attached as %s.\n"+
		"Staff may also download it at %s.\nThis %s report's recipients are set by the municipality's administrators.",
		s.Tenant, s.Kind, p.Label, p.Start.In(SAST).Format("2 Jan 2006"), p.End.In(SAST).AddDate(0, 0, -1).Format("2 Jan 2006"),
		e.FileName, DownloadPath(e.ID), s.Frequency)
	return ReportMail{Tenant: s.Tenant, ExportID: e.ID, Recipients: s.Recipients, Subject: subject, Body: body,
		FileName: e.FileName, ContentType: e.ContentType, Content: e.Content}
}
