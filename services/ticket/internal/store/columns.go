package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ticketColumns is the select list scanTicket reads, for alias t.
const ticketColumns = `t.id::text, t.tenant, t.reference, t.category, t.status, t.description,
	ST_Y(t.location), ST_X(t.location), t.address, t.reporter_name, t.reporter_phone, t.reporter_email,
	t.reporter_subject, t.channel, t.sealed, t.sealed_key_id, t.sealed_nonce,
	t.assigned_team_id, t.assigned_team_name, t.assigned_person_id, t.assignment_reason,
	t.first_responded_at, t.response_deadline, t.resolution_deadline, t.escalated_at,
	t.escalation_reason, t.escalation_level, t.cancel_reason,
	t.create_time, t.update_time, t.resolve_time, t.close_time,
	t.priority, t.suggested_priority, t.priority_by_staff, coalesce(t.duplicate_of::text, ''),
	t.pre_duplicate_status, t.linked_count, t.follower_count, t.ward_code`

// sealedContent is the plaintext sealed for a GBV ticket: every free text
// of the ticket row. Rows sealed before migration 00008 hold no address or
// cancel reason here; the start-up step SealLegacy moves them in.
type sealedContent struct {
	Description  string          `json:"description"`
	Reporter     domain.Reporter `json:"reporter"`
	Address      string          `json:"address,omitempty"`
	CancelReason string          `json:"cancel_reason,omitempty"`
}

// aad binds sealed content to its tenant and ticket.
func aad(tenant, id string) []byte { return []byte("ticket:" + tenant + ":" + id) }

// sealContent seals every free text of GBV ticket t.
func (s *Store) sealContent(t domain.Ticket) (seal.Sealed, error) {
	return s.sealDoc(t.Tenant, t.ID, sealedContent{Description: t.Description, Reporter: t.Reporter,
		Address: t.Address, CancelReason: t.CancelReason})
}

func (s *Store) sealDoc(tenant, id string, c sealedContent) (seal.Sealed, error) {
	pt, err := json.Marshal(c)
	if err != nil {
		return seal.Sealed{}, fmt.Errorf("store: marshal sealed content: %w", err)
	}
	return s.keys.Seal(pt, aad(tenant, id))
}

// openContent opens the sealed content of ticket id of tenant.
func (s *Store) openContent(tenant, id string, sd seal.Sealed) (sealedContent, error) {
	var c sealedContent
	pt, err := s.keys.Open(sd, aad(tenant, id))
	if err != nil {
		return c, fmt.Errorf("store: open ticket %s: %w", id, err)
	}
	if err := json.Unmarshal(pt, &c); err != nil {
		return c, fmt.Errorf("store: unmarshal sealed content: %w", err)
	}
	return c, nil
}

// plainColumns is what a ticket's plaintext columns hold: t itself, or for a
// GBV ticket t with every free text emptied (it lives in sealed instead).
func plainColumns(t domain.Ticket) domain.Ticket {
	if t.IsGBV() {
		t.Description, t.Reporter, t.Address, t.CancelReason = "", domain.Reporter{}, "", ""
	}
	return t
}

// scanTicket reads one row of ticketColumns, opening sealed content.
func (s *Store) scanTicket(row pgx.Row) (domain.Ticket, error) {
	var (
		t      domain.Ticket
		sealed []byte
		keyID  *string
		nonce  []byte
		cat    string
		status string
		ch     string
		prio   string
		sugg   string
		pre    string
	)
	err := row.Scan(&t.ID, &t.Tenant, &t.Reference, &cat, &status, &t.Description,
		&t.Location.Lat, &t.Location.Lng, &t.Address, &t.Reporter.Name, &t.Reporter.Phone, &t.Reporter.Email,
		&t.ReporterSubject, &ch, &sealed, &keyID, &nonce,
		&t.AssignedTeamID, &t.AssignedTeamName, &t.AssignedPersonID, &t.AssignmentReason,
		&t.FirstRespondedAt, &t.ResponseDeadline, &t.ResolutionDeadline, &t.EscalatedAt,
		&t.EscalationReason, &t.EscalationLevel, &t.CancelReason,
		&t.CreateTime, &t.UpdateTime, &t.ResolveTime, &t.CloseTime,
		&prio, &sugg, &t.PriorityByStaff, &t.DuplicateOf, &pre, &t.LinkedCount, &t.FollowerCount, &t.WardCode)
	if err != nil {
		return domain.Ticket{}, err
	}
	t.Category, t.Status, t.Channel = domain.Category(cat), domain.Status(status), domain.Channel(ch)
	t.Priority, t.SuggestedPriority, t.PreDuplicateStatus = domain.Priority(prio), domain.Priority(sugg), domain.Status(pre)
	utc(&t.CreateTime)
	utc(&t.UpdateTime)
	for _, p := range []*time.Time{t.FirstRespondedAt, t.ResponseDeadline, t.ResolutionDeadline, t.EscalatedAt, t.ResolveTime, t.CloseTime} {
		if p != nil {
			utc(p)
		}
	}
	if sealed != nil && keyID != nil {
		c, err := s.openContent(t.Tenant, t.ID, seal.Sealed{KeyID: *keyID, Nonce: nonce, Ciphertext: sealed})
		if err != nil {
			return domain.Ticket{}, err
		}
		t.Description, t.Reporter, t.Address, t.CancelReason = c.Description, c.Reporter, c.Address, c.CancelReason
	}
	return t, nil
}

func utc(t *time.Time) { *t = t.UTC() }
