package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
)

// produceReportsNow asks the SLA service to produce the due reports now,
// as its periodic job does every ten minutes: the same job, queued.
func (s *suite) produceReportsNow(t *testing.T) {
	t.Helper()
	_, err := s.db.Exec(context.Background(), `INSERT INTO sla.river_job (args, kind, max_attempts, priority, queue, state)
		VALUES ('{}', 'sla.produce_reports', 25, 1, 'reports', 'available')`)
	require.NoError(t, err)
}

// mailpitMessage is what Mailpit's API says of one message's parts.
type mailpitMessage struct {
	Subject     string `json:"Subject"`
	Text        string `json:"Text"`
	Attachments []struct {
		FileName    string `json:"FileName"`
		ContentType string `json:"ContentType"`
		Size        int    `json:"Size"`
	} `json:"Attachments"`
}

func TestAProducedReportReachesEachRecipientOnceWithItsFile(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{messaging: true})
	s.seedCity(t, "TST")
	ctx := context.Background()
	recipients := []string{"cfo@tst.test", "mayor@tst.test"}
	sla := slav1.NewSlaServiceClient(s.dial(s.slaAddr, s.token("admin-1", "TST", "municipal_admin")))
	got, err := sla.CreateReportSchedule(ctx, &slav1.CreateReportScheduleRequest{Schedule: &slav1.ReportSchedule{
		Kind: slav1.ReportKind_REPORT_KIND_COMPLIANCE, Frequency: slav1.ReportFrequency_REPORT_FREQUENCY_MONTHLY, Recipients: recipients}})
	require.NoError(t, err)
	sc := got.GetSchedule()
	// The schedule is due when this month ends; move it a month back, so
	// last month's period has ended.
	due := sc.GetNextRunTime().AsTime().In(time.FixedZone("SAST", 2*60*60)).AddDate(0, -1, 0)
	_, err = s.db.Exec(ctx, `UPDATE sla.report_schedules SET next_run_at = $2 WHERE id = $1`, sc.GetId(), due)
	require.NoError(t, err)
	s.produceReportsNow(t)

	var exportID, fileName string
	var size int
	s.eventually(60*time.Second, "the export", func() (bool, string) {
		err := s.db.QueryRow(ctx, `SELECT id::text, file_name, octet_length(content) FROM sla.report_exports WHERE schedule_id = $1`,
			sc.GetId()).Scan(&exportID, &fileName, &size)
		return err == nil, fmt.Sprint(err)
	})
	require.Equal(t, fmt.Sprintf("TST-compliance-%s.csv", due.AddDate(0, 0, -1).Format("2006-01")), fileName)
	s.eventually(60*time.Second, "one email per recipient", func() (bool, string) {
		a, b := len(s.mail.to(recipients[0])), len(s.mail.to(recipients[1]))
		var jobs, msgs string
		_ = s.db.QueryRow(ctx, `SELECT coalesce(string_agg(state::text || ' ' || errors::text, '; '), 'none')
			FROM sla.river_job WHERE kind = 'sla.send_report'`).Scan(&jobs)
		_ = s.db.QueryRow(ctx, `SELECT coalesce(string_agg(state || ' ' || error, '; '), 'none') FROM notify.messages`).Scan(&msgs)
		return a == 1 && b == 1, fmt.Sprintf("%d and %d emails; sla job: %s; notify messages: %s", a, b, jobs, msgs)
	})
	for _, r := range recipients {
		e := s.mail.to(r)[0]
		require.Equal(t, []string{r}, e.To, "each recipient gets their own message")
		var m mailpitMessage
		s.mail.get("/api/v1/message/"+e.ID, &m)
		require.Contains(t, m.Subject, "TST SLA compliance report "+due.AddDate(0, 0, -1).Format("2006-01"))
		require.Contains(t, m.Text, "/v1/sla/report-exports/"+exportID+":download")
		require.Len(t, m.Attachments, 1)
		require.Equal(t, fileName, m.Attachments[0].FileName)
		require.Contains(t, m.Attachments[0].ContentType, "text/csv")
		require.Equal(t, size, m.Attachments[0].Size, "the file as the SLA service keeps it")
	}
	var sent int
	require.NoError(t, s.db.QueryRow(ctx, `SELECT count(*) FROM notify.messages WHERE export_id = $1 AND state = 'sent'`, exportID).Scan(&sent))
	require.Equal(t, 2, sent, "recorded as notify's messages")

	// The mail job delivered again (a redelivery after a lost answer) and
	// the production run again: nothing is sent twice.
	_, err = s.db.Exec(ctx, `INSERT INTO sla.river_job (args, kind, max_attempts, priority, queue, state)
		SELECT args, kind, max_attempts, priority, queue, 'available' FROM sla.river_job WHERE kind = 'sla.send_report'`)
	require.NoError(t, err)
	s.produceReportsNow(t)
	s.eventually(60*time.Second, "the redelivery and the production done", func() (bool, string) {
		var done int
		err := s.db.QueryRow(ctx, `SELECT count(*) FROM sla.river_job WHERE state = 'completed'
			AND kind IN ('sla.send_report', 'sla.produce_reports')
			AND id > (SELECT min(id) FROM sla.river_job WHERE kind = 'sla.send_report')`).Scan(&done)
		return err == nil && done >= 2, fmt.Sprint(done, err)
	})
	time.Sleep(2 * time.Second) // let any message a redelivery queued reach Mailpit
	for _, r := range recipients {
		require.Len(t, s.mail.to(r), 1, "no second email to %s", r)
	}
	var n int
	require.NoError(t, s.db.QueryRow(ctx, `SELECT count(*) FROM notify.messages WHERE export_id = $1`, exportID).Scan(&n))
	require.Equal(t, 2, n)
	require.NoError(t, s.db.QueryRow(ctx, `SELECT count(*) FROM sla.report_exports WHERE schedule_id = $1`, sc.GetId()).Scan(&n))
	require.Equal(t, 1, n, "one file per period")
}
