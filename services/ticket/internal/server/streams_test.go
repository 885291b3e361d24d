package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// testFile is one file of a multi-file upload.
type testFile struct {
	name   string
	public bool
	data   []byte
}

// chunks splits data into upload messages of at most 64 KiB.
func chunks(data []byte, send func([]byte) error) {
	for len(data) > 0 {
		n := min(64<<10, len(data))
		if send(data[:n]) != nil {
			return // the server answered already; CloseAndRecv says how
		}
		data = data[n:]
	}
}

// createWith creates a ticket with files through CreateTicketWithAttachments.
func (h *harness) createWith(ctx context.Context, req *ticketv1.CreateTicketRequest, files ...testFile) (*ticketv1.CreateTicketWithAttachmentsResponse, error) {
	stream, err := h.public.CreateTicketWithAttachments(ctx)
	if err != nil {
		return nil, err
	}
	send := func(m *ticketv1.CreateTicketWithAttachmentsRequest) error { return stream.Send(m) }
	if err := send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_Ticket{Ticket: req}}); err == nil {
		for _, f := range files {
			if send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_File{
				File: &ticketv1.AttachmentFile{FileName: f.name, Public: f.public}}}) != nil {
				break
			}
			chunks(f.data, func(b []byte) error {
				return send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_Data{Data: b}})
			})
		}
	}
	return stream.CloseAndRecv()
}

// submitWith files an Open311 report with files through
// SubmitPublicReportWithMedia.
func (h *harness) submitWith(ctx context.Context, req *ticketv1.SubmitPublicReportRequest, files ...testFile) (*ticketv1.SubmitPublicReportWithMediaResponse, error) {
	stream, err := h.internal.SubmitPublicReportWithMedia(ctx)
	if err != nil {
		return nil, err
	}
	send := func(m *ticketv1.SubmitPublicReportWithMediaRequest) error { return stream.Send(m) }
	if err := send(&ticketv1.SubmitPublicReportWithMediaRequest{Part: &ticketv1.SubmitPublicReportWithMediaRequest_Report{Report: req}}); err == nil {
		for _, f := range files {
			if send(&ticketv1.SubmitPublicReportWithMediaRequest{Part: &ticketv1.SubmitPublicReportWithMediaRequest_File{
				File: &ticketv1.AttachmentFile{FileName: f.name, Public: f.public}}}) != nil {
				break
			}
			chunks(f.data, func(b []byte) error {
				return send(&ticketv1.SubmitPublicReportWithMediaRequest{Part: &ticketv1.SubmitPublicReportWithMediaRequest_Data{Data: b}})
			})
		}
	}
	return stream.CloseAndRecv()
}

// downloadPublic reads a public attachment as Open311 does.
func (h *harness) downloadPublic(ctx context.Context, req *ticketv1.DownloadPublicAttachmentRequest) (*ticketv1.PublicAttachmentContent, []byte, error) {
	stream, err := h.internal.DownloadPublicAttachment(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	var (
		head *ticketv1.PublicAttachmentContent
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

// smallJPEG is a valid 64x48 JPEG, quick to clean.
func smallJPEG(t testing.TB) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, m, nil))
	return b.Bytes()
}

// pngDeclaring is a PNG whose header declares w by h pixels, with one tiny
// block of image data: a decompression bomb's header.
func pngDeclaring(w, h uint32) []byte {
	chunk := func(kind string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(append(out, kind...), data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", append(ihdr, 8, 6, 0, 0, 0))...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}
