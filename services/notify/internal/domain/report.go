package domain

import (
	"fmt"
	"mime"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/salga/trustengine/libs/apperr"
)

// RecipientAddress is a message to an email address its caller gave: a
// scheduled report's recipient (SendReportExport).
const RecipientAddress RecipientKind = "address"

// Limits of a report's mail.
const (
	MaxReportRecipients = 20
	maxReportSubject    = 200
	maxReportBody       = 1600
	maxFileName         = 200
	// MaxAttachment is the largest file a message carries.
	MaxAttachment = 3 << 20
)

// Attachment is a file a message carries (an email's attachment).
type Attachment struct {
	Name, Type string
	Content    []byte
}

// ReportMail is a scheduled report's file for its recipients, as the SLA
// service sends it: one email message per recipient, once per export.
type ReportMail struct {
	Tenant, ExportID string
	Recipients       []string
	Subject, Body    string
	File             Attachment
}

// ForTenant is the municipality of the report (access.Job).
func (r *ReportMail) ForTenant() string { return r.Tenant }

// Validate refuses a malformed mail, naming every field (recipients[i]
// for a bad address).
func (r *ReportMail) Validate() error {
	var vs apperr.Violations
	if r.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if !IsID(r.ExportID) {
		vs.Add("export_id", "must be a UUID")
	}
	if n := len(r.Recipients); n == 0 || n > MaxReportRecipients {
		vs.Add("recipients", fmt.Sprintf("must hold 1 to %d email addresses", MaxReportRecipients))
	}
	for i, a := range r.Recipients {
		field := fmt.Sprintf("recipients[%d]", i)
		switch {
		case !IsEmail(a):
			vs.Add(field, "must be an email address")
		case slices.Contains(r.Recipients[:i], a):
			vs.Add(field, "is listed twice")
		}
	}
	if r.Subject == "" || utf8.RuneCountInString(r.Subject) > maxReportSubject || strings.ContainsAny(r.Subject, "\r\n") || !Printable(r.Subject) {
		vs.Add("subject", "is required: one printable line of at most 200 characters")
	}
	if r.Body == "" || utf8.RuneCountInString(r.Body) > maxReportBody || !utf8.ValidString(r.Body) {
		vs.Add("body", "is required: text of at most 1600 characters")
	}
	if f := r.File.Name; f == "" || utf8.RuneCountInString(f) > maxFileName || strings.ContainsAny(f, "/\\\"\r\n") || !Printable(f) {
		vs.Add("file_name", "is required: a printable name of at most 200 characters without slashes or quotes")
	}
	if mt, _, err := mime.ParseMediaType(r.File.Type); err != nil || !strings.Contains(mt, "/") {
		vs.Add("content_type", "is required: a media type such as text/csv")
	}
	if n := len(r.File.Content); n == 0 || n > MaxAttachment {
		vs.Add("content", "is required: at most 3 MiB")
	}
	return vs.Err()
}
