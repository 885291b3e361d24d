package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/rwcarlsen/goexif/exif"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

// gpsPhoto is a real iPhone photo with a GPS position, orientation 6 and
// XMP: 205x102 as stored, 102x205 upright.
func gpsPhoto(t testing.TB) []byte { return photo(t, "goexif/has-lens-info.jpg") }

// requireCleanJPEG requires b to be a JPEG of w by h pixels with no EXIF,
// GPS or XMP left.
func requireCleanJPEG(t *testing.T, b []byte, w, h int) {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	require.Equal(t, image.Pt(w, h), m.Bounds().Size())
	_, err = exif.Decode(bytes.NewReader(b))
	require.Error(t, err, "no EXIF block")
	for _, s := range []string{"Exif", "http://ns.adobe.com", "iPhone", "Apple"} {
		require.NotContains(t, string(b), s)
	}
}

// TestAPhotoWithGPSComesBackCleanUprightAndWithAThumbnailFromBothStores
// uploads a real photo carrying GPS and an orientation flag over gRPC,
// with a local directory and with S3 (VersityGW), and reads it back
// through the service and, from S3, through its signed link.
func TestAPhotoWithGPSComesBackCleanUprightAndWithAThumbnailFromBothStores(t *testing.T) {
	t.Parallel()
	s3, _ := s3Objects(t)
	for name, objects := range map[string]blobs.Store{"a local directory": localObjects(t), "S3": s3} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := harnessWith(t, pgtest.NewDB(t, "ticket", migrate), testPhotos(t, objects))
			ctx := agent(t, "CPT")
			tk := h.create(t, ctx, newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole on Main Road"))
			up, err := h.upload(ctx, &ticketv1.AttachmentUpload{TicketId: tk.GetId(), FileName: "IMG_0001.JPG"}, gpsPhoto(t), 16<<10)
			require.NoError(t, err)
			a := up.GetAttachment()
			require.Equal(t, "IMG_0001.JPG", a.GetFileName())
			require.Equal(t, "image/jpeg", a.GetContentType())
			require.Equal(t, []int32{102, 205}, []int32{a.GetWidth(), a.GetHeight()}, "upright")
			require.True(t, a.GetThumbnailAvailable())
			require.False(t, a.GetPublic())
			require.Equal(t, "agent-CPT", a.GetCreatedBy())

			head, body, err := h.download(ctx, tk.GetId(), a.GetId(), false)
			require.NoError(t, err)
			require.Equal(t, int64(len(body)), head.GetSizeBytes())
			requireCleanJPEG(t, body, 102, 205)
			sum := sha256.Sum256(body)
			require.Equal(t, hex.EncodeToString(sum[:]), a.GetSha256())
			_, thumb, err := h.download(ctx, tk.GetId(), a.GetId(), true)
			require.NoError(t, err)
			requireCleanJPEG(t, thumb, 102, 205) // smaller than a thumbnail already

			if name == "S3" {
				require.Contains(t, a.GetDownloadUrl(), "X-Amz-Signature=")
				require.NotNil(t, a.GetUrlExpireTime())
				resp, err := http.Get(a.GetDownloadUrl())
				require.NoError(t, err)
				signed, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.Equal(t, body, signed, "the signed link serves the cleaned image")
			} else {
				require.Equal(t, "/v1/tickets/"+tk.GetId()+"/attachments/"+a.GetId(), a.GetDownloadUrl())
				require.Equal(t, "/v1/tickets/"+tk.GetId()+"/attachments/"+a.GetId()+"/thumbnail", a.GetThumbnailUrl())
			}
			require.Len(t, h.objectKeys(t), 2, "the image and its thumbnail")
			for _, k := range h.objectKeys(t) {
				require.Regexp(t, `^CPT/[0-9a-f]{64}$`, k, "keys carry no name")
			}
			hist, err := h.public.GetTicketHistory(ctx, &ticketv1.GetTicketHistoryRequest{TicketId: tk.GetId()})
			require.NoError(t, err)
			last := hist.GetEntries()[len(hist.GetEntries())-1]
			require.Equal(t, "attachment_added", last.GetKind())
			require.Equal(t, a.GetId(), last.GetDetail())
		})
	}
}

func TestATicketIsCreatedWithItsPhotosTogetherOrNotAtAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := citizen(t, "CPT", "resident")
	req := newTicket(commonv1.Category_CATEGORY_WASTE, "Rubble dumped on the verge")
	req.IdempotencyKey = "with-photos"
	files := []testFile{{name: "rubble.jpg", data: gpsPhoto(t)}, {name: "wide.jpg", data: smallJPEG(t)}}
	resp, err := h.createWith(ctx, req, files...)
	require.NoError(t, err)
	require.Len(t, resp.GetAttachments(), 2)
	require.Equal(t, "rubble.jpg", resp.GetAttachments()[0].GetFileName())
	require.Equal(t, int32(102), resp.GetAttachments()[0].GetWidth())

	t.Run("a retry with the same files answers with the first ticket and its photos", func(t *testing.T) {
		again, err := h.createWith(ctx, req, files...)
		require.NoError(t, err)
		require.Equal(t, resp.GetTicket().GetId(), again.GetTicket().GetId())
		require.Len(t, again.GetAttachments(), 2)
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets`))
		require.Equal(t, 2, h.count(t, `SELECT count(*) FROM ticket.attachments`))
	})
	t.Run("the same key with other photos is another request", func(t *testing.T) {
		_, err := h.createWith(ctx, req, files[0])
		requireCode(t, err, codes.AlreadyExists)
	})
	t.Run("a refused photo creates neither the ticket nor anything else", func(t *testing.T) {
		before := h.objectKeys(t)
		other := newTicket(commonv1.Category_CATEGORY_WASTE, "More rubble")
		_, err := h.createWith(ctx, other, testFile{name: "ok.jpg", data: smallJPEG(t)}, testFile{name: "evil.jpg", data: []byte("<svg onload=alert(1)>")})
		st := requireCode(t, err, codes.InvalidArgument)
		require.Contains(t, st.Message(), "found an SVG image")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets`))
		require.Equal(t, before, h.objectKeys(t))
	})
	t.Run("more files than a ticket holds are refused before they are read", func(t *testing.T) {
		many := make([]testFile, 11)
		for i := range many {
			many[i] = testFile{name: "p.jpg", data: smallJPEG(t)}
		}
		_, err := h.createWith(ctx, newTicket(commonv1.Category_CATEGORY_WASTE, "Eleven photos"), many...)
		st := requireCode(t, err, codes.InvalidArgument)
		require.Contains(t, st.Message(), "at most 10 files")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets`))
	})
	t.Run("a citizen may not publish what they send", func(t *testing.T) {
		_, err := h.createWith(ctx, newTicket(commonv1.Category_CATEGORY_WASTE, "Public please"), testFile{name: "p.jpg", public: true, data: smallJPEG(t)})
		requireCode(t, err, codes.PermissionDenied)
	})
}

func TestWhoSeesPublishesAndDeletesAttachments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	reporter, staff := citizen(t, "CPT", "resident"), agent(t, "CPT")
	tk := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	mine, err := h.upload(reporter, &ticketv1.AttachmentUpload{TicketId: tk.GetId(), FileName: "mine.jpg"}, smallJPEG(t), 64<<10)
	require.NoError(t, err)
	theirs, err := h.upload(staff, &ticketv1.AttachmentUpload{TicketId: tk.GetId(), FileName: "crew.jpg"}, gpsPhoto(t), 64<<10)
	require.NoError(t, err)
	names := func(ctx context.Context) []string {
		resp, err := h.public.ListAttachments(ctx, &ticketv1.ListAttachmentsRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		var out []string
		for _, a := range resp.GetAttachments() {
			out = append(out, a.GetFileName())
		}
		return out
	}

	t.Run("staff and platform admins see every attachment, the reporter their own and public ones", func(t *testing.T) {
		require.Equal(t, []string{"mine.jpg", "crew.jpg"}, names(staff))
		require.Equal(t, []string{"mine.jpg", "crew.jpg"}, names(admin(t)))
		require.Equal(t, []string{"mine.jpg"}, names(reporter))
		_, _, err := h.download(reporter, tk.GetId(), theirs.GetAttachment().GetId(), false)
		st := requireCode(t, err, codes.NotFound)
		require.Equal(t, "attachment not found", st.Message())
	})
	t.Run("staff publish it; the reporter then sees it and Open311 serves it", func(t *testing.T) {
		_, err := h.public.SetAttachmentPublic(reporter, &ticketv1.SetAttachmentPublicRequest{TicketId: tk.GetId(), AttachmentId: mine.GetAttachment().GetId(), Public: true})
		requireCode(t, err, codes.PermissionDenied)
		pub, err := h.public.SetAttachmentPublic(staff, &ticketv1.SetAttachmentPublicRequest{TicketId: tk.GetId(), AttachmentId: theirs.GetAttachment().GetId(), Public: true})
		require.NoError(t, err)
		require.True(t, pub.GetAttachment().GetPublic())
		require.Equal(t, []string{"mine.jpg", "crew.jpg"}, names(reporter))
		got, err := h.internal.GetPublicTicket(service(t), &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: tk.GetId()})
		require.NoError(t, err)
		require.Len(t, got.GetTicket().GetAttachments(), 1)
		require.Equal(t, theirs.GetAttachment().GetId(), got.GetTicket().GetAttachments()[0].GetId())
		head, body, err := h.downloadPublic(service(t), &ticketv1.DownloadPublicAttachmentRequest{Tenant: "CPT", TicketId: tk.GetId(),
			AttachmentId: theirs.GetAttachment().GetId()})
		require.NoError(t, err)
		require.Equal(t, "image/jpeg", head.GetContentType())
		requireCleanJPEG(t, body, 102, 205)
		_, _, err = h.downloadPublic(service(t), &ticketv1.DownloadPublicAttachmentRequest{Tenant: "CPT", TicketId: tk.GetId(),
			AttachmentId: mine.GetAttachment().GetId()})
		requireCode(t, err, codes.NotFound)
	})
	t.Run("a photo on an internal note is never public", func(t *testing.T) {
		note, err := h.public.AddTicketNote(staff, &ticketv1.AddTicketNoteRequest{TicketId: tk.GetId(), Body: "crew notes",
			Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL})
		require.NoError(t, err)
		_, err = h.upload(staff, &ticketv1.AttachmentUpload{TicketId: tk.GetId(), NoteId: note.GetNote().GetId(), FileName: "n.jpg", Public: true}, smallJPEG(t), 64<<10)
		st := requireCode(t, err, codes.FailedPrecondition)
		require.Contains(t, st.Message(), "internal notes")
		_, err = h.upload(reporter, &ticketv1.AttachmentUpload{TicketId: tk.GetId(), NoteId: note.GetNote().GetId(), FileName: "n.jpg"}, smallJPEG(t), 64<<10)
		requireCode(t, err, codes.NotFound) // not the reporter's note
	})
	t.Run("a platform admin reads but does not upload", func(t *testing.T) {
		_, err := h.upload(admin(t), &ticketv1.AttachmentUpload{TicketId: tk.GetId(), FileName: "x.jpg"}, smallJPEG(t), 64<<10)
		requireCode(t, err, codes.PermissionDenied)
	})
	t.Run("only staff delete; the deletion is in the history and the objects go", func(t *testing.T) {
		_, err := h.public.DeleteAttachment(reporter, &ticketv1.DeleteAttachmentRequest{TicketId: tk.GetId(), AttachmentId: mine.GetAttachment().GetId()})
		requireCode(t, err, codes.PermissionDenied)
		before := len(h.objectKeys(t))
		_, err = h.public.DeleteAttachment(staff, &ticketv1.DeleteAttachmentRequest{TicketId: tk.GetId(), AttachmentId: mine.GetAttachment().GetId(), Reason: "a face in it"})
		require.NoError(t, err)
		require.Len(t, h.objectKeys(t), before-2)
		require.Equal(t, []string{"crew.jpg"}, names(staff))
		hist, err := h.public.GetTicketHistory(staff, &ticketv1.GetTicketHistoryRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		last := hist.GetEntries()[len(hist.GetEntries())-1]
		require.Equal(t, []string{"attachment_deleted", "agent-CPT", "a face in it", mine.GetAttachment().GetId()},
			[]string{last.GetKind(), last.GetActor(), last.GetReason(), last.GetDetail()})
	})
	t.Run("one picture on two tickets is one object, deleted with its last attachment", func(t *testing.T) {
		other := h.create(t, staff, newTicket(commonv1.Category_CATEGORY_ROADS, "Same pothole, reported again"))
		dup, err := h.upload(staff, &ticketv1.AttachmentUpload{TicketId: other.GetId(), FileName: "same.jpg"}, gpsPhoto(t), 64<<10)
		require.NoError(t, err)
		require.Equal(t, theirs.GetAttachment().GetSha256(), dup.GetAttachment().GetSha256())
		require.Len(t, h.objectKeys(t), 2)
		_, err = h.public.DeleteAttachment(staff, &ticketv1.DeleteAttachmentRequest{TicketId: other.GetId(), AttachmentId: dup.GetAttachment().GetId()})
		require.NoError(t, err)
		require.Len(t, h.objectKeys(t), 2, "still used by the first ticket")
		_, body, err := h.download(staff, tk.GetId(), theirs.GetAttachment().GetId(), false)
		require.NoError(t, err)
		require.NotEmpty(t, body)
		_, err = h.public.DeleteAttachment(staff, &ticketv1.DeleteAttachmentRequest{TicketId: tk.GetId(), AttachmentId: theirs.GetAttachment().GetId()})
		require.NoError(t, err)
		require.Empty(t, h.objectKeys(t))
		require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.object_sweep`))
	})
}

func TestATicketHoldsAtMostItsLimitOfAttachments(t *testing.T) {
	t.Parallel()
	p := testPhotos(t, localObjects(t))
	p.MaxPerTicket = 2
	h := harnessWith(t, pgtest.NewDB(t, "ticket", migrate), p)
	ctx := agent(t, "CPT")
	tk := h.create(t, ctx, newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	for range 2 {
		_, err := h.upload(ctx, &ticketv1.AttachmentUpload{TicketId: tk.GetId()}, smallJPEG(t), 64<<10)
		require.NoError(t, err)
	}
	before := h.objectKeys(t)
	_, err := h.upload(ctx, &ticketv1.AttachmentUpload{TicketId: tk.GetId()}, gpsPhoto(t), 64<<10)
	st := requireCode(t, err, codes.FailedPrecondition)
	require.Equal(t, "a ticket holds at most 2 attachments; this one has 2", st.Message())
	require.Equal(t, before, h.objectKeys(t))
}

// TestAGBVPhotoIsSealedInStorageAndOpensOnlyForTheSAPSLiaison uploads a
// GBV photo with both stores and requires the stored object to be
// ciphertext (no JPEG marker, no run of the image's bytes), the liaison to
// read it back with an access-log entry, everyone else to get the answer
// of a missing ticket, and publishing it to be refused.
func TestAGBVPhotoIsSealedInStorageAndOpensOnlyForTheSAPSLiaison(t *testing.T) {
	t.Parallel()
	s3, _ := s3Objects(t)
	for name, objects := range map[string]blobs.Store{"a local directory": localObjects(t), "S3": s3} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := harnessWith(t, pgtest.NewDB(t, "ticket", migrate), testPhotos(t, objects))
			liaison := saps(t, "CPT")
			resp, err := h.createWith(liaison, gbvRequest(), testFile{name: gbvPhoto, data: gpsPhoto(t)})
			require.NoError(t, err)
			tk, att := resp.GetTicket(), resp.GetAttachments()[0]
			require.Equal(t, gbvPhoto, att.GetFileName())
			require.Equal(t, "/v1/tickets/"+tk.GetId()+"/attachments/"+att.GetId(), att.GetDownloadUrl(), "never a signed link")

			_, plain, err := h.download(liaison, tk.GetId(), att.GetId(), false)
			require.NoError(t, err)
			requireCleanJPEG(t, plain, 102, 205)
			logged := h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE ticket_id = $1 AND action = 'DownloadAttachment'
				AND subject = 'saps-CPT'`, tk.GetId())
			require.Equal(t, 1, logged)

			keys := h.objectKeys(t)
			require.Len(t, keys, 2)
			for _, k := range keys {
				r, err := objects.Get(context.Background(), k)
				require.NoError(t, err)
				raw, err := io.ReadAll(r)
				require.NoError(t, err)
				require.NoError(t, r.Close())
				require.True(t, bytes.HasPrefix(raw, []byte("TES1")), "a sealed stream")
				require.False(t, bytes.Contains(raw, []byte{0xff, 0xd8, 0xff}), "no JPEG marker in storage")
				for i := 0; i+32 <= len(plain); i += len(plain) / 16 {
					require.False(t, bytes.Contains(raw, plain[i:i+32]), "a run of the image's bytes at %d is in storage", i)
				}
			}
			require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.attachments WHERE file_name <> '' OR sha256 <> ''`), "the row's text is sealed")

			missing := uuid.NewString()
			for _, ctx := range []context.Context{agent(t, "CPT"), citizen(t, "CPT", "victim"), admin(t), saps(t, "JHB"),
				as(t, "CPT", "admin-CPT", auth.RoleMunicipalAdmin)} {
				_, _, errGBV := h.download(ctx, tk.GetId(), att.GetId(), false)
				_, _, errMissing := h.download(ctx, missing, att.GetId(), false)
				require.Equal(t, status.Convert(errMissing).Proto().String(), status.Convert(errGBV).Proto().String())
				require.Equal(t, codes.NotFound, status.Code(errGBV))
			}
			_, err = h.public.SetAttachmentPublic(liaison, &ticketv1.SetAttachmentPublicRequest{TicketId: tk.GetId(), AttachmentId: att.GetId(), Public: true})
			st := requireCode(t, err, codes.FailedPrecondition)
			require.Equal(t, "attachments of GBV tickets are never public", st.Message())
			_, err = h.upload(liaison, &ticketv1.AttachmentUpload{TicketId: tk.GetId(), FileName: "x.jpg", Public: true}, smallJPEG(t), 64<<10)
			requireCode(t, err, codes.FailedPrecondition)
			_, _, err = h.downloadPublic(service(t), &ticketv1.DownloadPublicAttachmentRequest{Tenant: "CPT", TicketId: tk.GetId(), AttachmentId: att.GetId()})
			requireCode(t, err, codes.NotFound)
			require.Equal(t, logged, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE ticket_id = $1 AND action = 'DownloadAttachment'`,
				tk.GetId()), "nobody else read it")
		})
	}
}

// hostileUpload is a hostile upload with the rule its refusal names.
type hostileUpload struct {
	name  string
	up    func(ticket string) *ticketv1.AttachmentUpload
	data  []byte
	chunk int
	code  codes.Code
	says  string
}

// TestHostileUploadsAreRefusedWithTheReasonAndLeaveNothingBehind sends
// every hostile upload of the issue over gRPC and requires its refusal to
// name the rule, and no object, temporary file, row or history entry to be
// left.
func TestHostileUploadsAreRefusedWithTheReasonAndLeaveNothingBehind(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := agent(t, "CPT")
	tk := h.create(t, ctx, newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	jhb := h.create(t, agent(t, "JHB"), &ticketv1.CreateTicketRequest{Tenant: "JHB", Category: commonv1.Category_CATEGORY_ROADS,
		Description: "Pothole in JHB", Location: capeTown})
	sample := photo(t, "goexif/sample1.jpg")
	to := func(name string) func(string) *ticketv1.AttachmentUpload {
		return func(id string) *ticketv1.AttachmentUpload {
			return &ticketv1.AttachmentUpload{TicketId: id, FileName: name}
		}
	}
	bomb := pngDeclaring(50000, 50000)
	for _, tc := range []hostileUpload{
		{"a 25 MB upload", to("big.jpg"), append(bytes.Clone(sample), make([]byte, 25<<20)...), 64 << 10, codes.InvalidArgument,
			"invalid data: must be at most 20971520 bytes (20 MiB)"},
		{"a PNG that declares 50,000 x 50,000 pixels", to("bomb.png"), bomb, 64 << 10, codes.InvalidArgument,
			"invalid data: declares 50000x50000 = 2500000000 pixels; at most 40000000 are accepted"},
		{"a JPEG with a truncated body", to("cut.jpg"), sample[:len(sample)/2], 64 << 10, codes.InvalidArgument,
			"invalid data: is not a complete JPEG image"},
		{"an SVG file named .jpg", to("pothole.jpg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), 64 << 10,
			codes.InvalidArgument, "invalid data: must be a JPEG, PNG or WebP image; found an SVG image"},
		{"an HTML file named .jpg", to("pothole.jpg"), []byte("<!doctype html><html><script>alert(1)</script></html>"), 64 << 10,
			codes.InvalidArgument, "invalid data: must be a JPEG, PNG or WebP image; found text/html"},
		{"a path in the file name", to("../../etc/passwd"), smallJPEG(t), 64 << 10, codes.InvalidArgument,
			"invalid file_name: must be a file name, not a path"},
		{"a Windows path in the file name", to(`C:\Users\thandi\IMG.jpg`), smallJPEG(t), 64 << 10, codes.InvalidArgument,
			"invalid file_name: must be a file name, not a path"},
		{"an upload to a ticket of another tenant", func(string) *ticketv1.AttachmentUpload {
			return &ticketv1.AttachmentUpload{TicketId: jhb.GetId(), FileName: "x.jpg"}
		}, smallJPEG(t), 64 << 10, codes.NotFound, "ticket not found"},
		{"a message larger than 64 KiB", to("x.jpg"), append(bytes.Clone(sample), make([]byte, 64<<10)...), 128 << 10,
			codes.InvalidArgument, "invalid data: each message must carry at most 65536 bytes"},
		{"no upload message first", func(string) *ticketv1.AttachmentUpload { return nil }, smallJPEG(t), 64 << 10,
			codes.InvalidArgument, "invalid upload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := []int{h.count(t, `SELECT count(*) FROM ticket.attachments`), h.count(t, `SELECT count(*) FROM ticket.history`),
				h.count(t, `SELECT count(*) FROM ticket.object_sweep`)}
			_, err := h.upload(ctx, tc.up(tk.GetId()), tc.data, tc.chunk)
			st := requireCode(t, err, tc.code)
			require.True(t, strings.HasPrefix(st.Message(), tc.says), "%q", st.Message())
			require.Empty(t, h.objectKeys(t), "no object left behind")
			spooled, err := os.ReadDir(h.spool)
			require.NoError(t, err)
			require.Empty(t, spooled, "no spool file left behind")
			require.Equal(t, before, []int{h.count(t, `SELECT count(*) FROM ticket.attachments`), h.count(t, `SELECT count(*) FROM ticket.history`),
				h.count(t, `SELECT count(*) FROM ticket.object_sweep`)})
		})
	}
}
