package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/stretchr/testify/require"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// photoDir holds the real test photos (with their licence), kept by the
// ticket service's photo package.
const photoDir = "../services/ticket/internal/domain/photo/testdata"

// testPhoto returns a test photo: goexif/has-lens-info.jpg is an iPhone
// photo with GPS, orientation 6 and XMP (205x102 stored, 102x205
// upright); goexif/sample1.jpg a Nikon photo with GPS, IPTC and XMP
// (500x375); goexif/geodegrees_as_string.jpg an HTC photo with GPS and XMP
// (205x102).
func testPhoto(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(photoDir, name))
	require.NoError(t, err)
	return b
}

// part is one part of a multipart body: a field, or a file when name is
// set.
type part struct {
	field, value string
	name         string
	data         []byte
}

func field(name, value string) part { return part{field: name, value: value} }

func file(field, name string, data []byte) part { return part{field: field, name: name, data: data} }

// multipartBody encodes parts.
func multipartBody(t testing.TB, parts ...part) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		if p.name == "" && p.data == nil {
			require.NoError(t, mw.WriteField(p.field, p.value))
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.name))
		h.Set("Content-Type", "image/jpeg")
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = w.Write(p.data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), b.Bytes()
}

// uploadClient has room for large, slow uploads.
var uploadClient = &http.Client{Timeout: 2 * time.Minute}

// postMultipart posts parts to the gateway as token and decodes the JSON
// answer (a JSON array comes back under "list").
func (s *suite) postMultipart(path, token string, parts ...part) (int, map[string]any) {
	s.t.Helper()
	ct, body := multipartBody(s.t, parts...)
	return s.postBody(path, token, ct, bytes.NewReader(body))
}

// postBody posts body of type ct to the gateway as token.
func (s *suite) postBody(path, token, ct string, body io.Reader) (int, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.gatewayURL+path, body)
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := uploadClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		var list []any
		if json.Unmarshal(raw, &list) == nil {
			out["list"] = list
		}
	}
	return resp.StatusCode, out
}

// fetch GETs url (the gateway's or a signed link) as token ("" for none).
func (s *suite) fetch(url, token string) (int, []byte, http.Header) {
	s.t.Helper()
	if strings.HasPrefix(url, "/") {
		url = s.gatewayURL + url
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(s.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := uploadClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, raw, resp.Header
}

// metadataIn lists what of a photo's metadata is in b: an EXIF block
// goexif reads, APPn segments, and the tell-tale strings of EXIF, GPS,
// XMP, IPTC and the cameras of the test photos.
func metadataIn(b []byte) []string {
	var left []string
	if _, err := exif.Decode(bytes.NewReader(b)); err == nil {
		left = append(left, "an EXIF block")
	}
	for pos := 2; bytes.HasPrefix(b, []byte{0xff, 0xd8}) && pos+4 <= len(b) && b[pos] == 0xff && b[pos+1] != 0xda; {
		if m := b[pos+1]; (m >= 0xe0 && m <= 0xef) || m == 0xfe {
			left = append(left, fmt.Sprintf("segment %02X", m))
		}
		pos += 2 + int(b[pos+2])<<8 + int(b[pos+3])
	}
	for _, s := range []string{"Exif", "http://ns.adobe.com", "8BIM", "Photoshop", "iPhone", "NIKON", "HTC One"} {
		if bytes.Contains(b, []byte(s)) {
			left = append(left, s)
		}
	}
	return left
}

// requireCleanPhoto requires b to be a JPEG of w by h pixels without
// metadata.
func requireCleanPhoto(t *testing.T, what string, b []byte, w, h int) {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(b))
	require.NoError(t, err, "%s is a JPEG", what)
	require.Equal(t, image.Pt(w, h), m.Bounds().Size(), "%s is upright", what)
	require.Empty(t, metadataIn(b), "%s keeps metadata", what)
}

// requireThumbnail requires b to be a JPEG at most 320 pixels on its long
// edge, without metadata.
func requireThumbnail(t *testing.T, what string, b []byte) {
	t.Helper()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	require.NoError(t, err, "%s is a JPEG", what)
	require.LessOrEqual(t, max(cfg.Width, cfg.Height), 320)
	require.Empty(t, metadataIn(b), "%s keeps metadata", what)
}

// storedFiles returns every object file under dir (a local store, or an
// S3 server's directory), by path.
func storedFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".partial" || strings.HasPrefix(d.Name(), ".sgwtmp")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.Contains(filepath.ToSlash(p), "/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(b) > 0 {
			out[p] = b
		}
		return nil
	}))
	return out
}

// gbvPhotoName is the name of the GBV photo: it holds the secret word the
// hidden checks look for.
const gbvPhotoName = "Umzimkhulu-7731-injuries.jpg"

// gbvPhoto has TST's SAPS liaison add a photo to the GBV ticket it
// reported, through the gateway, and returns its attachment id.
func (s *suite) gbvPhoto(t *testing.T, w *world) string {
	t.Helper()
	code, body := s.postMultipart("/v1/tickets/"+w.gbvSaps+"/attachments", w.token("TST", "saps_liaison"),
		file("file", gbvPhotoName, testPhoto(t, "goexif/has-lens-info.jpg")))
	require.Equal(t, 200, code, "%v", body)
	return body["attachment"].(map[string]any)["id"].(string)
}

// photoCalls are the ticket service's photo RPCs about ticket id and
// attachment photo, as tc's caller; each returns the call's error.
func photoCalls(tc ticketv1.TicketServiceClient, photo string) map[string]func(id string) error {
	ctx := context.Background()
	return map[string]func(id string) error{
		"ListAttachments": func(id string) error {
			_, err := tc.ListAttachments(ctx, &ticketv1.ListAttachmentsRequest{TicketId: id})
			return err
		},
		"DownloadAttachment": func(id string) error {
			stream, err := tc.DownloadAttachment(ctx, &ticketv1.DownloadAttachmentRequest{TicketId: id, AttachmentId: photo})
			if err != nil {
				return err
			}
			_, err = stream.Recv()
			return err
		},
		"SetAttachmentPublic": func(id string) error {
			_, err := tc.SetAttachmentPublic(ctx, &ticketv1.SetAttachmentPublicRequest{TicketId: id, AttachmentId: photo, Public: true})
			return err
		},
		"DeleteAttachment": func(id string) error {
			_, err := tc.DeleteAttachment(ctx, &ticketv1.DeleteAttachmentRequest{TicketId: id, AttachmentId: photo})
			return err
		},
		"UploadAttachment": func(id string) error {
			return grpcUpload(tc, id, "hostile.jpg", []byte("\xff\xd8\xff"), 64<<10, 0)
		},
	}
}

// photoOn has tenant's agent add a photo to its water ticket of the world,
// through the gateway, and returns its attachment id.
func (s *suite) photoOn(t *testing.T, w *world, tenant string) string {
	t.Helper()
	code, body := s.postMultipart("/v1/tickets/"+w.water[tenant]+"/attachments", w.token(tenant, "agent"),
		file("file", "burst-pipe.jpg", testPhoto(t, "goexif/sample1.jpg")))
	require.Equal(t, 200, code, "%v", body)
	return body["attachment"].(map[string]any)["id"].(string)
}
