package httpapi

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/gateway/internal/upload"
)

// Uploads bound the photo uploads the gateway streams to the ticket
// service.
type Uploads struct {
	// MaxFileBytes is the largest file (413 above it, counted while it
	// streams).
	MaxFileBytes int64
	// MaxFiles is the most files of one request (a ticket created with its
	// photos).
	MaxFiles int
	// IdleTimeout is the longest pause in an upload's body (408 after it),
	// Timeout the longest the whole body may take.
	IdleTimeout, Timeout time.Duration
}

// maxBody is the largest request body an upload route takes: its files
// and its other fields.
func (u Uploads) maxBody(base int64) int64 { return int64(max(u.MaxFiles, 1))*u.MaxFileBytes + base }

// attachments serves the photo routes grpc-gateway cannot: multipart
// uploads streamed into the ticket service's client streams, and
// downloads streamed out of its server streams. Each call carries the
// caller's bearer token, so the ticket service's rules apply as for gRPC.
type attachments struct {
	tickets ticketv1.TicketServiceClient
	json    http.Handler // grpc-gateway, for JSON creates
	u       Uploads
}

// outgoing is the context of the gRPC call made for r: its bearer token,
// request id and idempotency key as metadata, cancelled when the handler
// returns.
func outgoing(r *http.Request) (context.Context, context.CancelFunc) {
	md := metadata.MD{}
	for h, k := range map[string]string{"Authorization": "authorization", "X-Request-Id": "x-request-id", "Idempotency-Key": "idempotency-key"} {
		if v := r.Header.Get(h); v != "" {
			md.Set(k, v)
		}
	}
	return context.WithCancel(metadata.NewOutgoingContext(r.Context(), md))
}

// fail writes an upload's failure in the gateway's error shape: a file too
// large is 413, a stalled body 408, a malformed request 400, and the
// ticket service's answers as every JSON call's.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		tooLarge *upload.TooLarge
		stalled  *upload.Stalled
	)
	switch {
	case errors.As(err, &tooLarge):
		writeStatus(w, http.StatusRequestEntityTooLarge, status.New(codes.InvalidArgument, "invalid data: "+tooLarge.Error()))
	case errors.As(err, &stalled):
		writeStatus(w, http.StatusRequestTimeout, status.New(codes.InvalidArgument, "invalid data: "+stalled.Error()))
	case asMaxBytesError(err) != nil:
		writeError(r.Context(), nil, nil, w, r, err)
	case status.Code(err) == codes.Unknown:
		writeStatus(w, http.StatusBadRequest, status.New(codes.InvalidArgument, "invalid request: "+err.Error()))
	default:
		writeError(r.Context(), nil, nil, w, r, err)
	}
}

// badRequest is a malformed upload request, in words for the caller.
func badRequest(msg string) error { return status.Error(codes.InvalidArgument, msg) }

// answer writes m as JSON with proto field names, as grpc-gateway does.
func answer(w http.ResponseWriter, m proto.Message) {
	b, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	if err != nil {
		writeStatus(w, http.StatusInternalServerError, status.New(codes.Internal, "internal error"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// upload answers POST /v1/tickets/{id}/attachments: multipart/form-data
// with one file part (any field name; `file` by convention) and, before
// it, the optional fields `note_id`, `public` and `file_name` (or the
// same as query parameters).
func (a *attachments) upload(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := outgoing(r)
	defer cancel()
	parts, err := upload.Parts(r, upload.Body(w, r, a.u.IdleTimeout, a.u.Timeout))
	if err != nil {
		fail(w, r, badRequest(err.Error()))
		return
	}
	up := &ticketv1.AttachmentUpload{TicketId: r.PathValue("id"), NoteId: r.URL.Query().Get("note_id"),
		FileName: r.URL.Query().Get("file_name"), Public: r.URL.Query().Get("public") == "true"}
	var resp *ticketv1.UploadAttachmentResponse
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(w, r, readError(err))
			return
		}
		if !upload.IsFile(p) {
			if err := field(p, up); err != nil {
				fail(w, r, err)
				return
			}
			continue
		}
		if resp != nil {
			fail(w, r, badRequest("one file per request: send each photo in its own request"))
			return
		}
		if up.FileName == "" {
			up.FileName = upload.FileName(p)
		}
		if resp, err = a.sendFile(ctx, up, p); err != nil {
			fail(w, r, err)
			return
		}
	}
	if resp == nil {
		fail(w, r, badRequest("a file part is required"))
		return
	}
	answer(w, resp)
}

// field reads one of the upload's optional fields into up.
func field(p *multipart.Part, up *ticketv1.AttachmentUpload) error {
	v, err := upload.Field(p, 1024)
	if err != nil {
		return readError(err)
	}
	switch p.FormName() {
	case "note_id":
		up.NoteId = v
	case "file_name":
		up.FileName = v
	case "public":
		up.Public = v == "true"
	default:
		return badRequest("unknown field " + strconv.Quote(p.FormName()) + ": the fields are note_id, public and file_name")
	}
	return nil
}

// readError is a failure to read the request: a stall or a file too
// large as they are, anything else a malformed request.
func readError(err error) error {
	var (
		tooLarge *upload.TooLarge
		stalled  *upload.Stalled
	)
	if errors.As(err, &tooLarge) || errors.As(err, &stalled) || asMaxBytesError(err) != nil {
		return err
	}
	return badRequest("the multipart body cannot be read: " + err.Error())
}

// sendFile streams part p as the upload up describes.
func (a *attachments) sendFile(ctx context.Context, up *ticketv1.AttachmentUpload, p io.Reader) (*ticketv1.UploadAttachmentResponse, error) {
	stream, err := a.tickets.UploadAttachment(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Upload{Upload: up}}); err == nil {
		_, err = upload.Stream(p, a.u.MaxFileBytes, func(b []byte) error {
			return stream.Send(&ticketv1.UploadAttachmentRequest{Part: &ticketv1.UploadAttachmentRequest_Data{Data: b}})
		})
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, readError(err)
		}
	}
	// A refusal while sending (io.EOF from Send) is the answer here.
	return stream.CloseAndRecv()
}

// create answers POST /v1/tickets: JSON goes to grpc-gateway as always;
// multipart/form-data is a ticket created with its photos: first a part
// named `ticket` holding the CreateTicketRequest as JSON, then the files
// (an optional `public` field applies to the files after it). The ticket
// and its photos are created together or not at all.
func (a *attachments) create(w http.ResponseWriter, r *http.Request) {
	if !upload.IsMultipart(r) {
		a.json.ServeHTTP(w, r)
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	parts, err := upload.Parts(r, upload.Body(w, r, a.u.IdleTimeout, a.u.Timeout))
	if err != nil {
		fail(w, r, badRequest(err.Error()))
		return
	}
	p, err := parts.NextPart()
	if err != nil || p.FormName() != "ticket" || upload.IsFile(p) {
		fail(w, r, badRequest("the first part must be the field `ticket`: the CreateTicketRequest as JSON"))
		return
	}
	raw, err := upload.Field(p, 1<<20)
	if err != nil {
		fail(w, r, readError(err))
		return
	}
	req := &ticketv1.CreateTicketRequest{}
	if err := protojson.Unmarshal([]byte(raw), req); err != nil {
		fail(w, r, badRequest("ticket: "+err.Error()))
		return
	}
	stream, err := a.tickets.CreateTicketWithAttachments(ctx)
	if err != nil {
		fail(w, r, err)
		return
	}
	send := func(m *ticketv1.CreateTicketWithAttachmentsRequest) error { return stream.Send(m) }
	if err := a.sendFiles(parts, req, send); err != nil && !errors.Is(err, io.EOF) {
		fail(w, r, err)
		return
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		fail(w, r, err)
		return
	}
	answer(w, resp)
}

// sendFiles sends the ticket and then each file part of parts; io.EOF
// means the ticket service answered already.
func (a *attachments) sendFiles(parts *multipart.Reader, req *ticketv1.CreateTicketRequest, send func(*ticketv1.CreateTicketWithAttachmentsRequest) error) error {
	if err := send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_Ticket{Ticket: req}}); err != nil {
		return err
	}
	public, files := false, 0
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return readError(err)
		}
		if !upload.IsFile(p) {
			v, err := upload.Field(p, 16)
			if err != nil || p.FormName() != "public" {
				return badRequest("after `ticket` come the files, and optionally the field `public`")
			}
			public = v == "true"
			continue
		}
		if files++; files > a.u.MaxFiles {
			return badRequest("at most " + strconv.Itoa(a.u.MaxFiles) + " files in one request")
		}
		if err := send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_File{
			File: &ticketv1.AttachmentFile{FileName: upload.FileName(p), Public: public}}}); err != nil {
			return err
		}
		if _, err := upload.Stream(p, a.u.MaxFileBytes, func(b []byte) error {
			return send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_Data{Data: b}})
		}); err != nil {
			if errors.Is(err, io.EOF) {
				return err
			}
			return readError(err)
		}
	}
}

// download answers GET /v1/tickets/{id}/attachments/{aid} (and
// /thumbnail): the picture's bytes as the ticket service streams them,
// with its type and size, never cached by anyone but the caller.
func (a *attachments) download(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := outgoing(r)
	defer cancel()
	stream, err := a.tickets.DownloadAttachment(ctx, &ticketv1.DownloadAttachmentRequest{TicketId: r.PathValue("id"),
		AttachmentId: r.PathValue("aid"), Thumbnail: strings.HasSuffix(r.URL.Path, "/thumbnail")})
	if err != nil {
		fail(w, r, err)
		return
	}
	first, err := stream.Recv()
	if err != nil {
		fail(w, r, err)
		return
	}
	head := first.GetContent()
	if head == nil {
		fail(w, r, status.Error(codes.Internal, "download without a head"))
		return
	}
	Picture(w, head.GetContentType(), head.GetSizeBytes(), "private, no-store")
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			// The status line is sent: cut the response short, so the
			// client sees a download that failed, not a shorter picture.
			panic(http.ErrAbortHandler)
		}
		if _, err := w.Write(m.GetData()); err != nil {
			return
		}
	}
}

// Picture writes the headers of a picture download: its type (only the
// two the ticket service stores), its size, the cache rule, and headers
// that keep a browser from treating the bytes as anything but an image.
func Picture(w http.ResponseWriter, contentType string, size int64, cache string) {
	if contentType != "image/jpeg" && contentType != "image/png" {
		contentType = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Cache-Control", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", "inline")
	w.WriteHeader(http.StatusOK)
}
