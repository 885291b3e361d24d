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
	t.create_time, t.update_time, t.resolve_time, t.close_time`

// sealedContent is the plaintext sealed for a GBV ticket.
type sealedContent struct {
	Description string          `json:"description"`
	Reporter    domain.Reporter `json:"reporter"`
}

// aad binds sealed content to its tenant and ticket.
func aad(tenant, id string) []byte { return []byte("ticket:" + tenant + ":" + id) }

func (s *Store) sealContent(t domain.Ticket) (seal.Sealed, error) {
	pt, err := json.Marshal(sealedContent{Description: t.Description, Reporter: t.Reporter})
	if err != nil {
		return seal.Sealed{}, fmt.Errorf("store: marshal sealed content: %w", err)
	}
	return s.keys.Seal(pt, aad(t.Tenant, t.ID))
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
	)
	err := row.Scan(&t.ID, &t.Tenant, &t.Reference, &cat, &status, &t.Description,
		&t.Location.Lat, &t.Location.Lng, &t.Address, &t.Reporter.Name, &t.Reporter.Phone, &t.Reporter.Email,
		&t.ReporterSubject, &ch, &sealed, &keyID, &nonce,
		&t.AssignedTeamID, &t.AssignedTeamName, &t.AssignedPersonID, &t.AssignmentReason,
		&t.FirstRespondedAt, &t.ResponseDeadline, &t.ResolutionDeadline, &t.EscalatedAt,
		&t.EscalationReason, &t.EscalationLevel, &t.CancelReason,
		&t.CreateTime, &t.UpdateTime, &t.ResolveTime, &t.CloseTime)
	if err != nil {
		return domain.Ticket{}, err
	}
	t.Category, t.Status, t.Channel = domain.Category(cat), domain.Status(status), domain.Channel(ch)
	utc(&t.CreateTime)
	utc(&t.UpdateTime)
	for _, p := range []*time.Time{t.FirstRespondedAt, t.ResponseDeadline, t.ResolutionDeadline, t.EscalatedAt, t.ResolveTime, t.CloseTime} {
		if p != nil {
			utc(p)
		}
	}
	if sealed != nil && keyID != nil {
		pt, err := s.keys.Open(seal.Sealed{KeyID: *keyID, Nonce: nonce, Ciphertext: sealed}, aad(t.Tenant, t.ID))
		if err != nil {
			return domain.Ticket{}, fmt.Errorf("store: open ticket %s: %w", t.ID, err)
		}
		var c sealedContent
		if err := json.Unmarshal(pt, &c); err != nil {
			return domain.Ticket{}, fmt.Errorf("store: unmarshal sealed content: %w", err)
		}
		t.Description, t.Reporter = c.Description, c.Reporter
	}
	return t, nil
}

func utc(t *time.Time) { *t = t.UTC() }
