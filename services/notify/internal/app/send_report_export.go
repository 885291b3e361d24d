package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// reportSender is the one service that mails scheduled reports.
const reportSender = "sla"

// SendReportExport mails a scheduled report's file (internal RPC, from the
// SLA service's outbox, PermissionDenied for any other caller): one email
// message per recipient with the file attached, recorded queued with its
// delivery job in one transaction, so it is sent, retried and shown as
// every message is. A recipient that already has a message of the export
// gets none: a redelivered call sends nothing twice. It returns how many
// messages were new.
func (a *App) SendReportExport(ctx context.Context, r domain.ReportMail) (int, error) {
	c, err := access.ForJob(ctx, access.RequireServiceOf(reportSender), &r)
	if err != nil {
		return 0, err
	}
	queued := 0
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		queued = 0
		now := a.timestamp()
		file := r.File
		for _, to := range r.Recipients {
			m := domain.Message{ID: uuid.NewString(), Tenant: r.Tenant, Recipient: domain.RecipientAddress, RecipientID: to,
				Channel: domain.ChannelEmail, Language: domain.LangEN, State: domain.StateQueued, Subject: r.Subject, Body: r.Body,
				ExportID: r.ExportID, Attachment: &file, Create: now, Update: now}
			added, err := a.Store.InsertReportMessage(ctx, tx, m)
			if err != nil {
				return err
			}
			if !added {
				continue
			}
			if err := a.Jobs.Deliver(ctx, tx, m); err != nil {
				return err
			}
			queued++
		}
		return nil
	})
	return queued, wrap("SendReportExport", err)
}
