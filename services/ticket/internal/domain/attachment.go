package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
)

// Limits of attachments that are rules rather than settings.
const (
	// MaxFileName bounds an attachment's display name, in characters.
	MaxFileName = 200
	// MaxChunk is the most bytes one upload message may carry.
	MaxChunk = 64 << 10
)

// History entry kinds of attachments; the detail is the attachment id.
const (
	HistoryAttachmentAdded     = "attachment_added"
	HistoryAttachmentDeleted   = "attachment_deleted"
	HistoryAttachmentPublished = "attachment_published"
	HistoryAttachmentWithdrawn = "attachment_withdrawn"
)

// Attachment is a cleaned photo on a ticket, or on one of its notes.
type Attachment struct {
	ID       string
	TicketID string
	// Tenant and GBV are the ticket's.
	Tenant string
	GBV    bool
	// NoteID is the note it belongs to, or "".
	NoteID string
	// FileName is the uploader's name for it, for display only.
	FileName string
	// SHA256 is the hex SHA-256 of the cleaned image's bytes.
	SHA256 string
	Image  Blob
	Thumb  Blob
	Public bool
	// CreatedBy is the uploader's subject.
	CreatedBy  string
	CreateTime time.Time
	// DownloadURL and ThumbnailURL are where a caller downloads the
	// pictures (signed links to storage, or the gateway's paths), and
	// URLExpire when signed links expire; filled for answers only.
	DownloadURL, ThumbnailURL string
	URLExpire                 *time.Time
}

// Blob is one stored picture of an attachment: the image or its thumbnail.
type Blob struct {
	// Key is the object's key in storage: the tenant and the SHA-256 of
	// the stored bytes (ciphertext for a GBV ticket), never a name.
	Key         string
	ContentType string
	// Size is the picture's size in bytes (before sealing).
	Size          int64
	Width, Height int
}

// Keys are the object keys of a's pictures.
func (a Attachment) Keys() []string { return []string{a.Image.Key, a.Thumb.Key} }

// ObjectKey is the key of stored bytes whose SHA-256 is sum in tenant.
func ObjectKey(tenant string, sum []byte) string { return tenant + "/" + hex.EncodeToString(sum) }

// NewAttachment is an upload as a caller describes it.
type NewAttachment struct {
	TicketID string
	NoteID   string
	File     NewFile
}

// NewFile is one file of an upload: how it is named and whether it is
// for the public.
type NewFile struct {
	Name   string
	Public bool
}

// Validate refuses a malformed upload description, naming every field.
func (in *NewAttachment) Validate() error {
	var vs apperr.Violations
	switch {
	case in.TicketID == "":
		vs.Add("ticket_id", "is required")
	case !isID(in.TicketID):
		vs.Add("ticket_id", "must be a UUID")
	}
	if in.NoteID != "" && !isID(in.NoteID) {
		vs.Add("note_id", "must be a UUID")
	}
	if r := FileNameRule(in.File.Name); r != "" {
		vs.Add("file_name", r)
	}
	return vs.Err()
}

// FileNameRule returns the rule a file name breaks, or "": a name, not a
// path (no `/`, `\`, `.` or `..`), without control characters, valid
// UTF-8, at most MaxFileName characters. Names are shown, never used to
// store anything, but one that carries a path is refused rather than
// silently cut, so the uploader learns what was kept.
func FileNameRule(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(name) > MaxFileName:
		return fmt.Sprintf("must be at most %d characters", MaxFileName)
	case strings.ContainsAny(name, `/\`) || name == "." || name == "..":
		return "must be a file name, not a path"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "must not contain control characters"
		}
	}
	return ""
}

// MayUpload refuses an upload by c to ticket t: staff of the ticket's
// municipality (the SAPS liaison alone on a GBV ticket, which visibility
// already ensures) and the citizen who reported it; a platform admin reads
// but does not write. Only staff make a file public.
func MayUpload(c access.Caller, t Ticket, f NewFile) error {
	if err := MayChange(c, t); err != nil {
		return err
	}
	if !c.IsStaff() && !c.IsCitizen() {
		return apperr.PermissionDenied("platform admins do not upload attachments")
	}
	if f.Public {
		return MayPublish(c, t, "")
	}
	return nil
}

// MayPublish refuses making an attachment of ticket t (on a note of
// visibility noteVisibility, "" for the ticket's own) public: staff only,
// never on a GBV ticket or an internal note.
func MayPublish(c access.Caller, t Ticket, noteVisibility string) error {
	if !c.IsStaff() {
		return apperr.PermissionDenied("only staff make attachments public")
	}
	if t.IsGBV() {
		return apperr.FailedPrecondition("attachments of GBV tickets are never public")
	}
	if noteVisibility == NoteInternal {
		return apperr.FailedPrecondition("attachments of internal notes are never public")
	}
	return nil
}

// MayDelete refuses the deletion of an attachment of ticket t by c: staff
// only (the SAPS liaison on a GBV ticket).
func MayDelete(c access.Caller, t Ticket) error {
	if err := MayChange(c, t); err != nil {
		return err
	}
	if !c.IsStaff() {
		return apperr.PermissionDenied("only staff delete attachments")
	}
	return nil
}

// AttachmentsOf is which attachments of a ticket c reads: all of them for
// staff and platform admins, only public ones and their own for a
// reporter.
type AttachmentsOf struct {
	// All reads every attachment.
	All bool
	// Uploader, when not All, also reads the attachments this subject
	// uploaded.
	Uploader string
}

// AttachmentVisibility is what c reads of a ticket's attachments.
func AttachmentVisibility(c access.Caller) AttachmentsOf {
	if OwnOnly(c) {
		return AttachmentsOf{Uploader: c.Subject()}
	}
	return AttachmentsOf{All: true}
}

// Shows reports whether v shows attachment a.
func (v AttachmentsOf) Shows(a Attachment) bool {
	return v.All || a.Public || a.CreatedBy == v.Uploader
}

// CheckAttachmentRef refuses malformed ticket and attachment ids.
func CheckAttachmentRef(ticketID, attachmentID string) error {
	var vs apperr.Violations
	if !isID(ticketID) {
		vs.Add("ticket_id", "must be a UUID")
	}
	if !isID(attachmentID) {
		vs.Add("attachment_id", "must be a UUID")
	}
	return vs.Err()
}

// DeleteReason validates the reason given for a deletion.
func DeleteReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if r := TextRule(reason, MaxReason, false); r != "" {
		return "", apperr.Invalid("reason", r)
	}
	return reason, nil
}

// FileDigest is what of one attached file an idempotency digest covers.
type FileDigest struct {
	Name   string `json:"name"`
	Public bool   `json:"public"`
	SHA256 string `json:"sha256"`
}

// DigestWithFiles is a create request's digest (base) extended to the
// files attached to it: a retry with other files is another request.
// Without files it is base, so a create with no files and CreateTicket
// with the same key are one request.
func DigestWithFiles(base []byte, files []FileDigest) []byte {
	if len(files) == 0 {
		return base
	}
	b, _ := json.Marshal(files) // strings and booleans: cannot fail
	sum := sha256.Sum256(append(append([]byte{}, base...), b...))
	return sum[:]
}

// PublicAttachmentRef names a public attachment of a jurisdiction's
// ticket, as Open311 links it.
type PublicAttachmentRef struct {
	Tenant, TicketID, AttachmentID string
	Thumbnail                      bool
}

// ForTenant is the jurisdiction r is read in.
func (r PublicAttachmentRef) ForTenant() string { return r.Tenant }

// Validate refuses malformed ids.
func (r *PublicAttachmentRef) Validate() error {
	if r.Tenant == "" {
		return apperr.Invalid("tenant", "is required")
	}
	return CheckAttachmentRef(r.TicketID, r.AttachmentID)
}
