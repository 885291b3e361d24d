package open311

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/gateway/internal/upload"
)

// Media are the settings of photos sent with Open311 reports.
type Media struct {
	// MaxBytes is the largest `media` file or media_url photo.
	MaxBytes int64
	// IdleTimeout and Timeout bound how a multipart body arrives.
	IdleTimeout, Timeout time.Duration
	// Fetcher fetches media_url photos; nil ignores media_url (it is still
	// recorded with the report).
	Fetcher *Fetcher
	// FetchTimeout bounds one media_url fetch.
	FetchTimeout time.Duration
	// PublicURL is where the gateway is reached from outside (scheme and
	// host, e.g. https://311.example.gov.za), for the media_url of public
	// photos; empty takes the request's own host.
	PublicURL string
}

// maxField bounds one text field of a multipart report.
const maxField = 8 << 10

// spooled is a photo on its way to the ticket service, in a temporary
// file.
type spooled struct {
	f    *os.File
	name string
	size int64
}

// remove deletes the temporary file.
func (s *spooled) remove() {
	if s != nil {
		_ = s.f.Close()
		_ = os.Remove(s.f.Name())
	}
}

// spool creates an empty spooled photo.
func spool(name string) (*spooled, error) {
	f, err := os.CreateTemp("", "open311-media-*")
	if err != nil {
		return nil, err
	}
	return &spooled{f: f, name: name}, nil
}

// readMultipart reads a multipart/form-data report: its fields into
// r.Form (as ParseForm would, query parameters included) and its `media`
// file into a spool. The file may come before or after the fields, so it
// is kept on disk, never in memory, until the report is complete.
func (h *Handler) readMultipart(w http.ResponseWriter, r *http.Request) (*spooled, error) {
	parts, err := upload.Parts(r, upload.Body(w, r, h.media.IdleTimeout, h.media.Timeout))
	if err != nil {
		return nil, err
	}
	r.Form = url.Values{}
	for k, vs := range r.URL.Query() {
		r.Form[k] = vs
	}
	var media *spooled
	fields := 0
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return media, nil
		}
		if err != nil {
			media.remove()
			return nil, err
		}
		if !upload.IsFile(p) {
			if fields++; fields > 100 {
				media.remove()
				return nil, errors.New("more than 100 fields")
			}
			v, err := upload.Field(p, maxField)
			if err != nil {
				media.remove()
				return nil, err
			}
			r.Form.Add(p.FormName(), v)
			continue
		}
		if p.FormName() != "media" || media != nil {
			media.remove()
			return nil, errors.New("the one file of a report is the field media")
		}
		if media, err = spool(upload.FileName(p)); err != nil {
			return nil, err
		}
		n, err := upload.Stream(p, h.media.MaxBytes, func(b []byte) error { _, err := media.f.Write(b); return err })
		media.size = n
		if err != nil {
			media.remove()
			return nil, err
		}
	}
}

// mediaError answers a report whose photo could not be read.
func mediaError(w http.ResponseWriter, f format, err error) {
	var (
		tooLarge *upload.TooLarge
		stalled  *upload.Stalled
	)
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, f, http.StatusRequestEntityTooLarge, "media is a "+tooLarge.Error())
	case errors.As(err, &stalled):
		writeError(w, f, http.StatusRequestTimeout, "media: "+stalled.Error())
	default:
		writeError(w, f, http.StatusBadRequest, "the report cannot be read: "+err.Error())
	}
}

// fetchMedia fetches the media_url of a report into a spool.
func (h *Handler) fetchMedia(ctx context.Context, raw string) (*spooled, error) {
	s, err := spool(lastSegment(raw))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, h.media.FetchTimeout)
	defer cancel()
	n, err := h.media.Fetcher.Fetch(ctx, raw, s.f)
	if err != nil {
		s.remove()
		return nil, badRequest{msg: "media_url could not be fetched: " + err.Error()}
	}
	s.size = n
	return s, nil
}

// lastSegment is the last path segment of a URL, as the photo's name.
func lastSegment(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	seg := u.Path[strings.LastIndex(u.Path, "/")+1:]
	if len(seg) > 200 {
		return ""
	}
	return seg
}

// submitWithMedia files req with its photo through the ticket service's
// stream.
func (h *Handler) submitWithMedia(ctx context.Context, req *ticketv1.SubmitPublicReportRequest, m *spooled) (*ticketv1.SubmitPublicReportWithMediaResponse, error) {
	stream, err := h.tickets.SubmitPublicReportWithMedia(ctx)
	if err != nil {
		return nil, err
	}
	send := func(msg *ticketv1.SubmitPublicReportWithMediaRequest) error { return stream.Send(msg) }
	err = send(&ticketv1.SubmitPublicReportWithMediaRequest{Part: &ticketv1.SubmitPublicReportWithMediaRequest_Report{Report: req}})
	if err == nil {
		err = send(&ticketv1.SubmitPublicReportWithMediaRequest{Part: &ticketv1.SubmitPublicReportWithMediaRequest_File{
			File: &ticketv1.AttachmentFile{FileName: m.name}}})
	}
	if err == nil {
		if _, err = m.f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		_, err = upload.Stream(m.f, m.size, func(b []byte) error {
			return send(&ticketv1.SubmitPublicReportWithMediaRequest{Part: &ticketv1.SubmitPublicReportWithMediaRequest_Data{Data: b}})
		})
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return stream.CloseAndRecv()
}

// mediaPath is the Open311 path of a public photo:
// requests/{service_request_id}/media/{attachment id}.{jpg|png}.
var mediaPath = regexp.MustCompile(`^requests/([0-9a-f-]{36})/media/([0-9a-f-]{36})\.(jpg|png)$`)

// mediaURL is the absolute URL of public photo a of request t, served by
// this gateway, for the media_url field.
func mediaURL(base string, t *ticketv1.PublicTicket, a *ticketv1.PublicAttachment) string {
	ext := "jpg"
	if a.GetContentType() == "image/png" {
		ext = "png"
	}
	return fmt.Sprintf("%s%srequests/%s/media/%s.%s?jurisdiction_id=%s", base, Prefix, t.GetId(), a.GetId(), ext, url.QueryEscape(t.GetTenant()))
}

// base is the scheme and host the gateway is reached at: the configured
// public URL, or the request's own.
func (h *Handler) base(r *http.Request) string {
	if h.media.PublicURL != "" {
		return strings.TrimSuffix(h.media.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// servePhoto answers GET requests/{id}/media/{aid}.{ext}: a photo staff
// made public of a request of the jurisdiction (`size=thumbnail` for its
// thumbnail). Anything else, a GBV request's included, is 404.
func (h *Handler) servePhoto(w http.ResponseWriter, r *http.Request, m []string) {
	f := formatJSON
	if r.Method != http.MethodGet {
		writeError(w, f, http.StatusMethodNotAllowed, r.Method+" is not allowed on media")
		return
	}
	if !parseForm(w, r, f) {
		return
	}
	ctx, tenant, ok := h.jurisdiction(w, r, f)
	if !ok {
		return
	}
	stream, err := h.tickets.DownloadPublicAttachment(ctx, &ticketv1.DownloadPublicAttachmentRequest{Tenant: tenant,
		TicketId: m[1], AttachmentId: m[2], Thumbnail: r.Form.Get("size") == "thumbnail"})
	if err != nil {
		writeBackendError(w, f, err)
		return
	}
	first, err := stream.Recv()
	if err != nil {
		writeBackendError(w, f, err)
		return
	}
	head := first.GetContent()
	if head == nil {
		writeError(w, f, http.StatusInternalServerError, "internal error")
		return
	}
	h.picture(w, head.GetContentType(), head.GetSizeBytes())
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			panic(http.ErrAbortHandler) // the status line is sent: cut the download short
		}
		if _, err := w.Write(msg.GetData()); err != nil {
			return
		}
	}
}

// picture writes the headers of a public photo.
func (h *Handler) picture(w http.ResponseWriter, contentType string, size int64) {
	if contentType != "image/jpeg" && contentType != "image/png" {
		contentType = "application/octet-stream"
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	// Staff may withdraw a photo: caches keep it for minutes at most.
	hd.Set("Cache-Control", "public, max-age=300")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
}
