package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/gateway/internal/httpapi"
)

// photoTickets stands in for the ticket service's photo RPCs: it records
// what the gateway streams (the header, the size of every message, the
// bytes, the token) and answers like the service, so the gateway's own
// part (multipart to stream, limits, stalls, headers, errors) is checked
// alone.
type photoTickets struct {
	ticketv1.UnimplementedTicketServiceServer
	mu      sync.Mutex
	up      *ticketv1.AttachmentUpload
	ticket  *ticketv1.CreateTicketRequest
	files   []*ticketv1.AttachmentFile
	largest int
	got     int
	auth    string
	// refuse, when set, is the answer to an upload once its header came.
	refuse error
}

// received returns how many bytes arrived, the largest message and the
// header of the upload.
func (p *photoTickets) received() (int, int, *ticketv1.AttachmentUpload) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.got, p.largest, p.up
}

func (p *photoTickets) record(ctx context.Context, data []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got += len(data)
	p.largest = max(p.largest, len(data))
	if md, ok := metadata.FromIncomingContext(ctx); ok && len(md.Get("authorization")) > 0 {
		p.auth = md.Get("authorization")[0]
	}
}

func (p *photoTickets) UploadAttachment(stream grpc.ClientStreamingServer[ticketv1.UploadAttachmentRequest, ticketv1.UploadAttachmentResponse]) error {
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if up := m.GetUpload(); up != nil {
			p.mu.Lock()
			p.up = up
			refuse := p.refuse
			p.mu.Unlock()
			if refuse != nil {
				return refuse
			}
		}
		p.record(stream.Context(), m.GetData())
	}
	got, _, up := p.received()
	return stream.SendAndClose(&ticketv1.UploadAttachmentResponse{Attachment: &ticketv1.Attachment{Id: "a-1",
		FileName: up.GetFileName(), SizeBytes: int64(got)}})
}

func (p *photoTickets) CreateTicketWithAttachments(stream grpc.ClientStreamingServer[ticketv1.CreateTicketWithAttachmentsRequest, ticketv1.CreateTicketWithAttachmentsResponse]) error {
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		p.mu.Lock()
		if t := m.GetTicket(); t != nil {
			p.ticket = t
		}
		if f := m.GetFile(); f != nil {
			p.files = append(p.files, f)
		}
		p.mu.Unlock()
		p.record(stream.Context(), m.GetData())
	}
	p.mu.Lock()
	desc := p.ticket.GetDescription()
	p.mu.Unlock()
	return stream.SendAndClose(&ticketv1.CreateTicketWithAttachmentsResponse{Ticket: &ticketv1.Ticket{Id: "t-1", Description: desc}})
}

func (p *photoTickets) DownloadAttachment(req *ticketv1.DownloadAttachmentRequest, stream grpc.ServerStreamingServer[ticketv1.DownloadAttachmentResponse]) error {
	if req.GetAttachmentId() == "missing" {
		return status.Error(codes.NotFound, "ticket not found")
	}
	body := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 50_000)
	ct := "image/jpeg"
	if req.GetThumbnail() {
		body, ct = body[:400], "text/html" // a type the gateway never serves as is
	}
	if err := stream.Send(&ticketv1.DownloadAttachmentResponse{Part: &ticketv1.DownloadAttachmentResponse_Content{Content: &ticketv1.AttachmentContent{
		ContentType: ct, SizeBytes: int64(len(body))}}}); err != nil {
		return err
	}
	for len(body) > 0 {
		n := min(len(body), 64<<10)
		if err := stream.Send(&ticketv1.DownloadAttachmentResponse{Part: &ticketv1.DownloadAttachmentResponse_Data{Data: body[:n]}}); err != nil {
			return err
		}
		body = body[n:]
	}
	return nil
}

// photoGateway serves the gateway over a real HTTP server (read deadlines
// need a real connection) in front of a photoTickets.
func photoGateway(t *testing.T, u httpapi.Uploads) (string, *photoTickets) {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	p := &photoTickets{}
	ticketv1.RegisterTicketServiceServer(srv, p)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	cc, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	h, err := httpapi.New(context.Background(), httpapi.Backends{Ticket: cc, Routing: cc, SLA: cc},
		httpapi.Options{MaxBodyBytes: 4096, Uploads: u})
	require.NoError(t, err)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL, p
}

var defaultUploads = httpapi.Uploads{MaxFileBytes: 1 << 20, MaxFiles: 3, IdleTimeout: 5 * time.Second, Timeout: time.Minute}

// multipartBody builds a multipart body of fields (in order) and files.
func multipartBody(t *testing.T, fields [][2]string, files ...[2]string) (string, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		require.NoError(t, mw.WriteField(f[0], f[1]))
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, f[0]))
		h.Set("Content-Type", "image/jpeg")
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = w.Write([]byte(f[1]))
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), &b
}

func post(t *testing.T, url, contentType string, body io.Reader) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer caller-token")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out := map[string]any{}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp, out
}

func TestAMultipartPhotoIsStreamedToTheTicketServiceInSmallMessages(t *testing.T) {
	t.Parallel()
	url, p := photoGateway(t, defaultUploads)
	photo := strings.Repeat("p", 300_000)
	ct, body := multipartBody(t, [][2]string{{"note_id", "n-1"}, {"public", "true"}}, [2]string{"../../etc/passwd", photo})
	resp, out := post(t, url+"/v1/tickets/t-9/attachments", ct, body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%v", out)
	require.Equal(t, "a-1", out["attachment"].(map[string]any)["id"])
	got, largest, up := p.received()
	require.Equal(t, "t-9", up.GetTicketId())
	require.Equal(t, "n-1", up.GetNoteId())
	require.True(t, up.GetPublic())
	require.Equal(t, "../../etc/passwd", up.GetFileName(), "the name as sent, for the service to refuse")
	require.Equal(t, len(photo), got)
	require.LessOrEqual(t, largest, 32<<10-16, "no message holds more than a chunk, which fits gRPC's 32 KiB buffers")
	require.Equal(t, "Bearer caller-token", p.auth, "the caller's token is forwarded")
}

func TestAFileOverTheLimitIs413AndNeverReachesTheServiceWhole(t *testing.T) {
	t.Parallel()
	url, p := photoGateway(t, defaultUploads)
	ct, body := multipartBody(t, nil, [2]string{"big.jpg", strings.Repeat("x", 3<<20)})
	resp, out := post(t, url+"/v1/tickets/t-9/attachments", ct, body)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, "%v", out)
	require.Equal(t, "invalid data: file larger than 1048576 bytes (1 MiB)", out["message"])
	got, _, _ := p.received()
	require.LessOrEqual(t, got, 1<<20, "at most the limit was passed on")
}

func TestAStalledUploadIs408(t *testing.T) {
	t.Parallel()
	u := defaultUploads
	u.IdleTimeout = 300 * time.Millisecond
	url, _ := photoGateway(t, u)
	ct, body := multipartBody(t, nil, [2]string{"slow.jpg", strings.Repeat("s", 1000)})
	all := body.Bytes()
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(all[:len(all)/2]) // then a byte a minute: nothing in the test's time
		time.Sleep(3 * time.Second)
		_ = pw.Close()
	}()
	start := time.Now()
	resp, out := post(t, url+"/v1/tickets/t-9/attachments", ct, pr)
	require.Equal(t, http.StatusRequestTimeout, resp.StatusCode, "%v", out)
	require.Equal(t, "invalid data: upload stalled: nothing arrived for 300ms", out["message"])
	require.Less(t, time.Since(start), 3*time.Second)
}

func TestTheServiceRefusalOfAnUploadIsTheAnswer(t *testing.T) {
	t.Parallel()
	url, p := photoGateway(t, defaultUploads)
	p.mu.Lock()
	p.refuse = status.Error(codes.NotFound, "ticket not found")
	p.mu.Unlock()
	ct, body := multipartBody(t, nil, [2]string{"p.jpg", strings.Repeat("p", 500_000)})
	resp, out := post(t, url+"/v1/tickets/t-9/attachments", ct, body)
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "%v", out)
	require.Equal(t, "ticket not found", out["message"])
}

func TestMalformedUploadsAre400(t *testing.T) {
	t.Parallel()
	url, _ := photoGateway(t, defaultUploads)
	two, twoBody := multipartBody(t, nil, [2]string{"a.jpg", "a"}, [2]string{"b.jpg", "b"})
	none, noneBody := multipartBody(t, [][2]string{{"public", "true"}})
	odd, oddBody := multipartBody(t, [][2]string{{"colour", "red"}}, [2]string{"a.jpg", "a"})
	for _, tc := range []struct {
		name, ct string
		body     io.Reader
		says     string
	}{
		{"JSON instead of multipart", "application/json", strings.NewReader(`{}`), "Content-Type must be multipart/form-data"},
		{"two files", two, twoBody, "one file per request"},
		{"no file", none, noneBody, "a file part is required"},
		{"an unknown field", odd, oddBody, `unknown field "colour"`},
		{"a broken body", "multipart/form-data; boundary=xyz", strings.NewReader("--xyz\r\nnot a header\r\n"), "the multipart body cannot be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, out := post(t, url+"/v1/tickets/t-9/attachments", tc.ct, tc.body)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%v", out)
			require.Contains(t, out["message"], tc.says)
		})
	}
}

func TestATicketWithPhotosIsOneMultipartPost(t *testing.T) {
	t.Parallel()
	url, p := photoGateway(t, defaultUploads)
	ct, body := multipartBody(t, [][2]string{{"ticket", `{"category":"CATEGORY_WATER","description":"Leak","location":{"latitude":-33.9,"longitude":18.4}}`}},
		[2]string{"one.jpg", "1111"}, [2]string{"two.jpg", "2222"})
	resp, out := post(t, url+"/v1/tickets", ct, body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%v", out)
	p.mu.Lock()
	require.Equal(t, "Leak", p.ticket.GetDescription())
	require.Len(t, p.files, 2)
	require.Equal(t, "two.jpg", p.files[1].GetFileName())
	require.Equal(t, 8, p.got)
	p.mu.Unlock()

	t.Run("the ticket must come first", func(t *testing.T) {
		ct, body := multipartBody(t, nil, [2]string{"one.jpg", "1111"})
		resp, out := post(t, url+"/v1/tickets", ct, body)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, out["message"], "the first part must be the field `ticket`")
	})
	t.Run("more files than allowed", func(t *testing.T) {
		files := [][2]string{{"1.jpg", "1"}, {"2.jpg", "2"}, {"3.jpg", "3"}, {"4.jpg", "4"}}
		ct, body := multipartBody(t, [][2]string{{"ticket", `{"description":"x"}`}}, files...)
		resp, out := post(t, url+"/v1/tickets", ct, body)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, out["message"], "at most 3 files")
	})
}

func TestADownloadIsThePicturesBytesWithHeadersThatKeepItAPicture(t *testing.T) {
	t.Parallel()
	url, _ := photoGateway(t, defaultUploads)
	resp, err := http.Get(url + "/v1/tickets/t-9/attachments/a-1")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, body, 200_000)
	require.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	require.Equal(t, "200000", resp.Header.Get("Content-Length"))
	require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	require.Equal(t, "default-src 'none'; sandbox", resp.Header.Get("Content-Security-Policy"))

	resp, err = http.Get(url + "/v1/tickets/t-9/attachments/a-1/thumbnail")
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, "application/octet-stream", resp.Header.Get("Content-Type"), "a type other than the two stored is never served as is")

	resp, err = http.Get(url + "/v1/tickets/t-9/attachments/missing")
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	_ = resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Equal(t, "ticket not found", out["message"])
}
