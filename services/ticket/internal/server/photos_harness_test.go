package server_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/s3test"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

// testPhotos are the service's default attachment settings over objects.
func testPhotos(t *testing.T, objects blobs.Store) app.Photos {
	t.Helper()
	return app.Photos{Objects: objects, SpoolDir: t.TempDir(), MaxBytes: 20 << 20, MaxPixels: 40_000_000, MaxPerTicket: 10,
		DecodeMemory: 192 << 20, URLTTL: 5 * time.Minute, IdleTimeout: 30 * time.Second, UploadTimeout: 10 * time.Minute,
		SweepEvery: time.Hour}
}

// localObjects is a local store in a fresh directory.
func localObjects(t *testing.T) *blobs.Local {
	t.Helper()
	l, err := blobs.NewLocal(t.TempDir())
	require.NoError(t, err)
	return l
}

// s3Objects is an S3 store on a fresh VersityGW server, and the server.
func s3Objects(t *testing.T) (*blobs.S3, s3test.Server) {
	t.Helper()
	srv := s3test.Start(t)
	s, err := blobs.NewS3(context.Background(), blobs.S3Config{Endpoint: srv.Endpoint, Bucket: "photos", AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey, Region: "us-east-1", SignURLs: true})
	require.NoError(t, err)
	return s, srv
}

// photo returns a test photo of the photo package's testdata.
func photo(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "domain", "photo", "testdata", name))
	require.NoError(t, err)
	return b
}

// upload streams data to ticket as the first message says (none when up
// is nil), in chunks of chunk bytes, and returns the answer; refusals
// while sending surface on CloseAndRecv.
func (h *harness) upload(ctx context.Context, up *ticketv1.AttachmentUpload, data []byte, chunk int) (*ticketv1.UploadAttachmentResponse, error) {
	stream, err := h.public.UploadAttachment(ctx)
	if err != nil {
		return nil, err
	}
	if up != nil {
		if err := stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Upload{Upload: up}}); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
	}
	for len(data) > 0 {
		n := min(chunk, len(data))
		if err := stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Data{Data: data[:n]}}); err != nil {
			break // the server answered already; CloseAndRecv says how
		}
		data = data[n:]
	}
	return stream.CloseAndRecv()
}

// download reads an attachment's picture (or thumbnail) as ctx's caller.
func (h *harness) download(ctx context.Context, ticketID, attID string, thumb bool) (*ticketv1.AttachmentContent, []byte, error) {
	stream, err := h.public.DownloadAttachment(ctx, &ticketv1.DownloadAttachmentRequest{TicketId: ticketID, AttachmentId: attID, Thumbnail: thumb})
	if err != nil {
		return nil, nil, err
	}
	var (
		head *ticketv1.AttachmentContent
		body []byte
	)
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return head, body, nil
		}
		if err != nil {
			return head, body, err
		}
		if c := m.GetContent(); c != nil {
			head = c
		}
		body = append(body, m.GetData()...)
	}
}

// objectKeys lists every object of the harness's store.
func (h *harness) objectKeys(t *testing.T) []string {
	t.Helper()
	keys, err := h.objects.List(context.Background(), "")
	require.NoError(t, err)
	return keys
}
