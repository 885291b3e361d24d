package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pgtest"
)

// TestAStalledUploadIsRefusedAndLeavesNothing sends the start of a photo
// and then nothing (a sender of a byte a minute): with a 300 ms idle
// timeout the service refuses it, naming the pause, and keeps nothing.
func TestAStalledUploadIsRefusedAndLeavesNothing(t *testing.T) {
	t.Parallel()
	p := testPhotos(t, localObjects(t))
	p.IdleTimeout = 300 * time.Millisecond
	h := harnessWith(t, pgtest.NewDB(t, "ticket", migrate), p)
	ctx := agent(t, "CPT")
	tk := h.create(t, ctx, newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	stream, err := h.public.UploadAttachment(ctx)
	require.NoError(t, err)
	require.NoError(t, stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Upload{
		Upload: &ticketv1.AttachmentUpload{TicketId: tk.GetId(), FileName: "slow.jpg"}}}))
	require.NoError(t, stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Data{Data: gpsPhoto(t)[:1]}}))
	start := time.Now()
	refused := make(chan error, 1)
	go func() { refused <- stream.RecvMsg(new(ticketv1.UploadAttachmentResponse)) }()
	select {
	case err = <-refused:
	case <-time.After(5 * time.Second):
		t.Fatal("the stalled upload was not refused")
	}
	st := requireCode(t, err, codes.InvalidArgument)
	require.Equal(t, "invalid data: stalled: nothing arrived for 300ms; an upload must keep sending", st.Message())
	require.Less(t, time.Since(start), 2*time.Second, "refused while the sender still holds the stream open")
	require.Empty(t, h.objectKeys(t))
	require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.attachments`))
}

// TestRetentionDeletesThePhotosOfTicketsFinishedLongerAgo moves the close
// time of tickets back and runs the retention sweep: photos of tickets of
// a municipality with a retention, closed or cancelled longer ago than it,
// are deleted with their objects and a history entry by `system`; others
// stay.
func TestRetentionDeletesThePhotosOfTicketsFinishedLongerAgo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	admin := as(t, "CPT", "admin-CPT", auth.RoleMunicipalAdmin)
	got, err := h.public.GetAttachmentRetention(agent(t, "CPT"), &ticketv1.GetAttachmentRetentionRequest{})
	require.NoError(t, err)
	require.Zero(t, got.GetRetention().GetRetentionDays(), "a municipality keeps photos until it says otherwise")
	_, err = h.public.SetAttachmentRetention(agent(t, "CPT"), &ticketv1.SetAttachmentRetentionRequest{RetentionDays: 30})
	requireCode(t, err, codes.PermissionDenied)
	_, err = h.public.SetAttachmentRetention(admin, &ticketv1.SetAttachmentRetentionRequest{RetentionDays: 36501})
	requireCode(t, err, codes.InvalidArgument)
	_, err = h.public.SetAttachmentRetention(admin, &ticketv1.SetAttachmentRetentionRequest{Tenant: "JHB", RetentionDays: 1})
	requireCode(t, err, codes.PermissionDenied)
	set, err := h.public.SetAttachmentRetention(admin, &ticketv1.SetAttachmentRetentionRequest{RetentionDays: 30})
	require.NoError(t, err)
	require.Equal(t, "admin-CPT", set.GetRetention().GetUpdatedBy())

	// finished creates a ticket of tenant with a photo, finishes it (closed,
	// or cancelled) and moves its finish back by days.
	finished := func(tenant string, gbv, cancel bool, days int) string {
		cat, staff := commonv1.Category_CATEGORY_ROADS, agent(t, tenant)
		if gbv {
			cat, staff = commonv1.Category_CATEGORY_GBV, saps(t, tenant)
		}
		req := newTicket(cat, "Something at the corner")
		req.Tenant = tenant
		resp, err := h.createWith(staff, req, testFile{name: "p.jpg", data: smallJPEG(t)})
		require.NoError(t, err)
		id := resp.GetTicket().GetId()
		steps := []commonv1.TicketStatus{working, commonv1.TicketStatus_TICKET_STATUS_RESOLVED, commonv1.TicketStatus_TICKET_STATUS_CLOSED}
		if cancel {
			steps = []commonv1.TicketStatus{cancelled}
		}
		for _, s := range steps {
			_, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: s, Reason: "done"})
			require.NoError(t, err)
		}
		_, err = h.pool.Exec(ctx, `UPDATE ticket.tickets SET close_time = close_time - make_interval(days => $2),
			update_time = update_time - make_interval(days => $2) WHERE id = $1`, id, days)
		require.NoError(t, err)
		return id
	}
	oldClosed := finished("CPT", false, false, 31)
	oldGBV := finished("CPT", true, false, 40)
	oldCancelled := finished("CPT", false, true, 31)
	recent := finished("CPT", false, false, 10)
	otherCity := finished("JHB", false, false, 400)
	open := h.create(t, agent(t, "CPT"), newTicket(commonv1.Category_CATEGORY_ROADS, "Still open")).GetId()
	_, err = h.upload(agent(t, "CPT"), &ticketv1.AttachmentUpload{TicketId: open}, smallJPEG(t), 64<<10)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `UPDATE ticket.tickets SET create_time = create_time - interval '400 days' WHERE id = $1`, open)
	require.NoError(t, err)
	photos := func(id string) int {
		return h.count(t, `SELECT count(*) FROM ticket.attachments WHERE ticket_id = $1`, id)
	}
	objectsBefore := len(h.objectKeys(t))

	n, err := h.app.ApplyRetention(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	for _, id := range []string{oldClosed, oldGBV, oldCancelled} {
		require.Zero(t, photos(id), "the photos of a ticket finished longer ago than 30 days")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'attachment_deleted'
			AND actor = 'system'`, id))
	}
	for _, id := range []string{recent, otherCity, open} {
		require.Equal(t, 1, photos(id), "kept")
	}
	// The deleted photos are one picture: the CPT tickets' share one object
	// (and its thumbnail) with the photos kept; the GBV ticket's were sealed
	// apart, and are gone. Every object left is used.
	require.Equal(t, objectsBefore-2, len(h.objectKeys(t)))
	for _, k := range h.objectKeys(t) {
		require.NotZero(t, h.count(t, `SELECT count(*) FROM ticket.attachments WHERE object_key = $1 OR thumb_key = $1`, k),
			"object %s is not used", k)
	}
	hist, err := h.public.GetTicketHistory(saps(t, "CPT"), &ticketv1.GetTicketHistoryRequest{TicketId: oldGBV})
	require.NoError(t, err)
	last := hist.GetEntries()[len(hist.GetEntries())-1]
	require.True(t, strings.HasPrefix(last.GetReason(), "retention: the municipality keeps attachments 30 days"), last.GetReason())
	n, err = h.app.ApplyRetention(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "a second sweep finds nothing")
}

// TestTheSweepDeletesObjectsNoUploadFinished covers an upload that wrote
// its objects and never committed (a crash): once its grace has passed
// the sweep deletes them, while an object in use stays.
func TestTheSweepDeletesObjectsNoUploadFinished(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := agent(t, "CPT")
	tk := h.create(t, ctx, newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	_, err := h.upload(ctx, &ticketv1.AttachmentUpload{TicketId: tk.GetId()}, smallJPEG(t), 64<<10)
	require.NoError(t, err)
	used := h.objectKeys(t)
	require.Len(t, used, 2)
	// An upload that crashed between writing and committing.
	orphan := "CPT/" + strings.Repeat("ab", 32)
	require.NoError(t, h.objects.Put(context.Background(), orphan, strings.NewReader("orphan"), 6, "image/jpeg"))
	_, err = h.pool.Exec(context.Background(), `INSERT INTO ticket.object_uploads VALUES (gen_random_uuid(), $1, 'CPT', now() + interval '1 hour')`, orphan)
	require.NoError(t, err)
	_, err = h.pool.Exec(context.Background(), `INSERT INTO ticket.object_sweep VALUES ($1, 'CPT', now() + interval '1 hour')`, orphan)
	require.NoError(t, err)

	n, err := h.app.SweepObjects(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "not due while the upload may still finish")
	require.Contains(t, h.objectKeys(t), orphan)

	// Its grace passes; the used objects' entries are due too.
	_, err = h.pool.Exec(context.Background(), `UPDATE ticket.object_uploads SET until = now() - interval '1 minute'`)
	require.NoError(t, err)
	_, err = h.pool.Exec(context.Background(), `UPDATE ticket.object_sweep SET due = now() - interval '1 minute'`)
	require.NoError(t, err)
	n, err = h.app.SweepObjects(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, used, h.objectKeys(t), "the orphan is gone, the used objects stay")
	require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.object_sweep`))
	require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.object_uploads`))
}

// TestAStartedServiceDeletesTheSpoolFilesOfUploadsACrashLeft covers the
// files a process receiving uploads leaves when it dies: at start the
// service deletes those older than any upload may take, and nothing else.
func TestAStartedServiceDeletesTheSpoolFilesOfUploadsACrashLeft(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	old := filepath.Join(h.spool, "trustengine-photo-upload-1")
	recent := filepath.Join(h.spool, "trustengine-photo-upload-2")
	other := filepath.Join(h.spool, "somebody-else")
	for _, f := range []string{old, recent, other} {
		require.NoError(t, os.WriteFile(f, []byte("x"), 0o600))
	}
	long := time.Now().Add(-2 * time.Hour)
	require.NoError(t, os.Chtimes(old, long, long))
	require.NoError(t, os.Chtimes(other, long, long))
	n, err := h.app.CleanSpool(time.Hour)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	for f, kept := range map[string]bool{old: false, recent: true, other: true} {
		_, err := os.Stat(f)
		require.Equal(t, kept, err == nil, f)
	}
}
