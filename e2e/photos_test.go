package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/s3test"
)

// photoSuite starts the suite keeping photos in a local directory or, with
// s3, in a VersityGW started for the test, and returns it with the
// directory the stored objects land in. The gateway may fetch media_url
// photos from loopback (the test serves one there).
func photoSuite(t *testing.T, s3 bool) (*suite, string) {
	t.Helper()
	o := options{extraEnv: append([]string{"OPEN311_MEDIA_FETCH_ALLOW=127.0.0.1/32"}, hostileEnv...), envFor: map[string][]string{}}
	var dir string
	if s3 {
		srv := s3test.Start(t)
		o.envFor["ticket"] = []string{"ATTACHMENT_STORE=s3", "S3_ENDPOINT=" + srv.Endpoint, "S3_BUCKET=photos",
			"S3_ACCESS_KEY=" + srv.AccessKey, "S3_SECRET_KEY=" + srv.SecretKey, "S3_TLS=false"}
		dir = filepath.Join(srv.Dir, "photos")
	}
	s := startSuite(t, o)
	if !s3 {
		dir = s.attachmentDir
	}
	return s, dir
}

// attachment is the first attachment of an answer's "attachments" (or
// "attachment").
func attachment(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	if a, ok := body["attachment"].(map[string]any); ok {
		return a
	}
	as, ok := body["attachments"].([]any)
	require.True(t, ok && len(as) > 0, "attachments in %v", body)
	return as[0].(map[string]any)
}

// TestAPhotoWithGPSComesBackCleanThroughEveryDoorFromBothStores is the
// issue's end-to-end check: real photos carrying GPS positions, an
// orientation flag, XMP and IPTC, sent through the JSON API (with a new
// ticket, and to an existing one) and through Open311 (a multipart media
// file, and a media_url the gateway fetches), come back from the gateway,
// from S3's signed links and from Open311's media_url without any
// metadata, upright, with thumbnails, with a local directory and with
// S3 (VersityGW); a GBV photo is ciphertext in storage and opens for the
// SAPS liaison only, with an access-log entry.
func TestAPhotoWithGPSComesBackCleanThroughEveryDoorFromBothStores(t *testing.T) {
	t.Parallel()
	for _, store := range []string{"local", "s3"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s, dir := photoSuite(t, store == "s3")
			s.seedCity(t, "TST")
			agent, liaison := s.token("agent-TST", "TST", "agent"), s.token("saps-TST", "TST", "saps_liaison")
			admin := s.token("admin-TST", "TST", "municipal_admin")
			iphone, nikon, htc := testPhoto(t, "goexif/has-lens-info.jpg"), testPhoto(t, "goexif/sample1.jpg"),
				testPhoto(t, "goexif/geodegrees_as_string.jpg")
			checked := 0
			// download checks an attachment through the gateway (image and
			// thumbnail) and, from S3, through its signed link.
			download := func(a map[string]any, token string, w, h int) []byte {
				t.Helper()
				path := "/v1/tickets/" + a["ticket_id"].(string) + "/attachments/" + a["id"].(string)
				code, img, hdr := s.fetch(path, token)
				require.Equal(t, 200, code, "%s", img)
				require.Equal(t, "image/jpeg", hdr.Get("Content-Type"))
				requireCleanPhoto(t, path, img, w, h)
				code, thumb, _ := s.fetch(path+"/thumbnail", token)
				require.Equal(t, 200, code)
				requireThumbnail(t, path+"/thumbnail", thumb)
				link, _ := a["download_url"].(string)
				require.Equal(t, store == "s3" && token != liaison, strings.HasPrefix(link, "http"),
					"signed links come from S3, never for a GBV photo: %s", link)
				if strings.HasPrefix(link, "http") {
					code, signed, _ := s.fetch(link, "")
					require.Equal(t, 200, code, "%s", signed)
					require.Equal(t, img, signed, "the signed link serves the same cleaned bytes")
				} else {
					require.Equal(t, path, a["download_url"])
				}
				checked++
				return img
			}

			// JSON API: a ticket created with its photo, and a photo added.
			code, created := s.postMultipart("/v1/tickets", agent,
				field("ticket", `{"category":"CATEGORY_ROADS","description":"Pothole at the school gate","location":{"latitude":-33.95,"longitude":18.47}}`),
				file("file", "IMG_0001.JPG", iphone))
			require.Equal(t, 200, code, "%v", created)
			first := attachment(t, created)
			require.Equal(t, []any{102.0, 205.0}, []any{first["width"], first["height"]}, "upright")
			download(first, agent, 102, 205)
			ticketID := created["ticket"].(map[string]any)["id"].(string)
			code, added := s.postMultipart("/v1/tickets/"+ticketID+"/attachments", agent, file("file", "DSC_0042.JPG", nikon))
			require.Equal(t, 200, code, "%v", added)
			download(attachment(t, added), agent, 500, 375)

			// Open311: a multipart media file, and a media_url fetched.
			code, key, _ := s.call("POST", "/v1/api-keys", admin, `{"client_name":"FixMyStreet ZA"}`, nil)
			require.Equal(t, 200, code, "%v", key)
			form := func() []part {
				return []part{field("jurisdiction_id", "TST"), field("api_key", key["key"].(string)), field("service_code", "roads"),
					field("lat", "-33.95"), field("long", "18.47"), field("description", "Pothole")}
			}
			code, filed := s.postMultipart("/open311/v2/requests.json", "", append(form(), file("media", "pothole.jpg", htc))...)
			require.Equal(t, 200, code, "%v", filed)
			viaMedia := filed["list"].([]any)[0].(map[string]any)["service_request_id"].(string)
			origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(iphone) }))
			defer origin.Close()
			code, filed = s.postMultipart("/open311/v2/requests.json", "", append(form(), field("media_url", origin.URL+"/p/IMG_7731.jpg"))...)
			require.Equal(t, 200, code, "%v", filed)
			viaURL := filed["list"].([]any)[0].(map[string]any)["service_request_id"].(string)
			for id, size := range map[string][2]int{viaMedia: {205, 102}, viaURL: {102, 205}} {
				code, list, _ := s.call("GET", "/v1/tickets/"+id+"/attachments", agent, "", nil)
				require.Equal(t, 200, code, "%v", list)
				a := attachment(t, list)
				require.NotEqual(t, true, a["public"], "not public until staff publish it")
				download(a, agent, size[0], size[1])
				_, o311, _ := s.fetch(fmt.Sprintf("/open311/v2/requests/%s.json?jurisdiction_id=TST", id), "")
				require.NotContains(t, string(o311), "media_url", "nothing published yet")
				code, pub, _ := s.call("POST", "/v1/tickets/"+id+"/attachments/"+a["id"].(string)+":setPublic", agent, `{"public":true}`, nil)
				require.Equal(t, 200, code, "%v", pub)
				code, o311, _ = s.fetch(fmt.Sprintf("/open311/v2/requests/%s.json?jurisdiction_id=TST", id), "")
				require.Equal(t, 200, code)
				reqs := o311Requests(t, o311)
				mediaURL, _ := reqs[0]["media_url"].(string)
				require.True(t, strings.HasPrefix(mediaURL, s.gatewayURL+"/open311/v2/requests/"+id+"/media/"), mediaURL)
				code, img, hdr := s.fetch(mediaURL, "")
				require.Equal(t, 200, code, "%s", img)
				require.Equal(t, "public, max-age=300", hdr.Get("Cache-Control"))
				requireCleanPhoto(t, mediaURL, img, size[0], size[1])
				code, thumb, _ := s.fetch(mediaURL+"&size=thumbnail", "")
				require.Equal(t, 200, code)
				requireThumbnail(t, mediaURL+"&size=thumbnail", thumb)
				checked++
			}

			// GBV: sealed in storage, opened for the SAPS liaison only.
			code, gbv := s.postMultipart("/v1/tickets", liaison,
				field("ticket", `{"category":"CATEGORY_GBV","description":"Statement with photo","location":{"latitude":-33.95,"longitude":18.47}}`),
				file("file", "injuries.jpg", iphone))
			require.Equal(t, 200, code, "%v", gbv)
			ga := attachment(t, gbv)
			plain := download(ga, liaison, 102, 205)
			var gbvKeys []string
			rows, err := s.db.Query(context.Background(), `SELECT object_key FROM ticket.attachments WHERE gbv
				UNION ALL SELECT thumb_key FROM ticket.attachments WHERE gbv`)
			require.NoError(t, err)
			for rows.Next() {
				var k string
				require.NoError(t, rows.Scan(&k))
				gbvKeys = append(gbvKeys, k)
			}
			require.NoError(t, rows.Err())
			require.Len(t, gbvKeys, 2)
			files := storedFiles(t, dir)
			sealed := 0
			for path, raw := range files {
				isGBV := false
				for _, k := range gbvKeys {
					isGBV = isGBV || strings.HasSuffix(filepath.ToSlash(path), k[strings.Index(k, "/")+1:])
				}
				if !isGBV {
					require.Empty(t, metadataIn(raw), "%s in storage keeps metadata", path)
					continue
				}
				sealed++
				require.False(t, bytes.Contains(raw, []byte{0xff, 0xd8, 0xff}), "%s: a JPEG marker in storage", path)
				for i := 0; i+32 <= len(plain); i += len(plain) / 16 {
					require.False(t, bytes.Contains(raw, plain[i:i+32]), "%s: a run of the photo at %d in storage", path, i)
				}
			}
			require.Equal(t, 2, sealed, "the GBV photo and its thumbnail are in storage, sealed")
			gbvTicket := gbv["ticket"].(map[string]any)["id"].(string)
			path := "/v1/tickets/" + gbvTicket + "/attachments/" + ga["id"].(string)
			for _, tok := range []string{agent, admin, s.token("citizen-TST", "TST", "citizen"), s.token("root", "*", "platform_admin")} {
				code, body, _ := s.fetch(path, tok)
				mcode, missing, _ := s.fetch("/v1/tickets/6f1c1c4e-0000-4000-8000-000000000000/attachments/"+ga["id"].(string), tok)
				require.Equal(t, 404, code, "%s", body)
				require.Equal(t, mcode, code)
				require.Equal(t, string(missing), string(body), "a GBV photo reads as a missing ticket")
			}
			code, log, _ := s.call("GET", "/v1/gbv-access-log?ticket_id="+gbvTicket, s.token("root", "*", "platform_admin"), "", nil)
			require.Equal(t, 200, code, "%v", log)
			downloads := 0
			for _, e := range log["entries"].([]any) {
				entry := e.(map[string]any)
				require.Equal(t, "saps-TST", entry["subject"])
				if entry["action"] == "DownloadAttachment" {
					downloads++
				}
			}
			require.Equal(t, 2, downloads, "the liaison's image and thumbnail downloads are logged")
			line := fmt.Sprintf("photos (%s store): %d photos with GPS read back through the JSON API and Open311, %d stored objects, "+
				"%d with metadata, %d GBV objects sealed", store, checked, len(files), 0, sealed)
			t.Log(line)
			fmt.Println(line)
		})
	}
}
