package server

import (
	"context"
	"errors"
	"io"

	"google.golang.org/grpc"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// uploadPart tells the parts of an UploadAttachment stream apart.
func uploadPart(m *ticketv1.UploadAttachmentRequest) (part, []byte) {
	if d, ok := m.GetPart().(*ticketv1.UploadAttachmentRequest_Data); ok {
		return partData, d.Data
	}
	return partOther, nil
}

// UploadAttachment implements TicketService.
func (s *Server) UploadAttachment(stream grpc.ClientStreamingServer[ticketv1.UploadAttachmentRequest, ticketv1.UploadAttachmentResponse]) error {
	ctx := stream.Context()
	idle, total := s.app.UploadTimeouts()
	msgs := receive(ctx, stream.Recv, idle, total)
	head, err := first(msgs, "upload")
	if err != nil {
		return err
	}
	up := head.GetUpload()
	if up == nil {
		return apperr.Invalid("upload", "must be the first message, before the data")
	}
	body := &fileReader[*ticketv1.UploadAttachmentRequest]{msgs: msgs, kind: uploadPart, field: "upload"}
	att, err := s.app.UploadAttachment(ctx, domain.NewAttachment{TicketID: up.GetTicketId(), NoteID: up.GetNoteId(),
		File: domain.NewFile{Name: up.GetFileName(), Public: up.GetPublic()}}, body)
	if err != nil {
		return err
	}
	return stream.SendAndClose(&ticketv1.UploadAttachmentResponse{Attachment: attachmentOut(att)})
}

// createPart tells the parts of a CreateTicketWithAttachments stream apart.
func createPart(m *ticketv1.CreateTicketWithAttachmentsRequest) (part, []byte) {
	switch p := m.GetPart().(type) {
	case *ticketv1.CreateTicketWithAttachmentsRequest_Data:
		return partData, p.Data
	case *ticketv1.CreateTicketWithAttachmentsRequest_File:
		return partFile, nil
	}
	return partOther, nil
}

// CreateTicketWithAttachments implements TicketService.
func (s *Server) CreateTicketWithAttachments(stream grpc.ClientStreamingServer[ticketv1.CreateTicketWithAttachmentsRequest, ticketv1.CreateTicketWithAttachmentsResponse]) error {
	ctx := stream.Context()
	idle, total := s.app.UploadTimeouts()
	msgs := receive(ctx, stream.Recv, idle, total)
	head, err := first(msgs, "ticket")
	if err != nil {
		return err
	}
	req := head.GetTicket()
	if req == nil {
		return apperr.Invalid("ticket", "must be the first message, before the files")
	}
	in, err := createInput(ctx, req)
	if err != nil {
		return err
	}
	files := &streamFiles[*ticketv1.CreateTicketWithAttachmentsRequest]{msgs: msgs, kind: createPart, field: "ticket",
		file: func(m *ticketv1.CreateTicketWithAttachmentsRequest) domain.NewFile {
			return domain.NewFile{Name: m.GetFile().GetFileName(), Public: m.GetFile().GetPublic()}
		}}
	t, atts, err := s.app.CreateTicketWithAttachments(ctx, in, files)
	if err != nil {
		return err
	}
	out := &ticketv1.CreateTicketWithAttachmentsResponse{Ticket: ticketOut(t)}
	for _, a := range atts {
		out.Attachments = append(out.Attachments, attachmentOut(a))
	}
	return stream.SendAndClose(out)
}

// ListAttachments implements TicketService.
func (s *Server) ListAttachments(ctx context.Context, req *ticketv1.ListAttachmentsRequest) (*ticketv1.ListAttachmentsResponse, error) {
	as, err := s.app.ListAttachments(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListAttachmentsResponse{}
	for _, a := range as {
		out.Attachments = append(out.Attachments, attachmentOut(a))
	}
	return out, nil
}

// DownloadAttachment implements TicketService.
func (s *Server) DownloadAttachment(req *ticketv1.DownloadAttachmentRequest, stream grpc.ServerStreamingServer[ticketv1.DownloadAttachmentResponse]) error {
	d, err := s.app.DownloadAttachment(stream.Context(), req.GetTicketId(), req.GetAttachmentId(), req.GetThumbnail())
	if err != nil {
		return err
	}
	defer d.Body.Close()
	head := &ticketv1.DownloadAttachmentResponse{Part: &ticketv1.DownloadAttachmentResponse_Content{Content: &ticketv1.AttachmentContent{
		Attachment: attachmentOut(d.Attachment), ContentType: d.ContentType, SizeBytes: d.Size}}}
	return sendBytes(d, func() error { return stream.Send(head) }, func(b []byte) error {
		return stream.Send(&ticketv1.DownloadAttachmentResponse{Part: &ticketv1.DownloadAttachmentResponse_Data{Data: b}})
	})
}

// sendChunk is the size of the pieces a download is sent in: the encoded
// message fits gRPC's pooled 32 KiB buffers (a larger one takes a 1 MiB
// buffer while it waits to be written).
const sendChunk = 32<<10 - 16

// sendBytes sends a download's head, then its body in chunks.
func sendBytes(d app.Download, head func() error, chunk func([]byte) error) error {
	if err := head(); err != nil {
		return err
	}
	buf := make([]byte, sendChunk)
	for {
		n, err := io.ReadFull(d.Body, buf)
		if n > 0 {
			if err := chunk(buf[:n]); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// SetAttachmentPublic implements TicketService.
func (s *Server) SetAttachmentPublic(ctx context.Context, req *ticketv1.SetAttachmentPublicRequest) (*ticketv1.SetAttachmentPublicResponse, error) {
	a, err := s.app.SetAttachmentPublic(ctx, req.GetTicketId(), req.GetAttachmentId(), req.GetPublic())
	if err != nil {
		return nil, err
	}
	return &ticketv1.SetAttachmentPublicResponse{Attachment: attachmentOut(a)}, nil
}

// DeleteAttachment implements TicketService.
func (s *Server) DeleteAttachment(ctx context.Context, req *ticketv1.DeleteAttachmentRequest) (*ticketv1.DeleteAttachmentResponse, error) {
	if err := s.app.DeleteAttachment(ctx, req.GetTicketId(), req.GetAttachmentId(), req.GetReason()); err != nil {
		return nil, err
	}
	return &ticketv1.DeleteAttachmentResponse{}, nil
}

// GetAttachmentRetention implements TicketService.
func (s *Server) GetAttachmentRetention(ctx context.Context, req *ticketv1.GetAttachmentRetentionRequest) (*ticketv1.GetAttachmentRetentionResponse, error) {
	r, err := s.app.GetAttachmentRetention(ctx, req.GetTenant())
	if err != nil {
		return nil, err
	}
	return &ticketv1.GetAttachmentRetentionResponse{Retention: retentionOut(r)}, nil
}

// SetAttachmentRetention implements TicketService.
func (s *Server) SetAttachmentRetention(ctx context.Context, req *ticketv1.SetAttachmentRetentionRequest) (*ticketv1.SetAttachmentRetentionResponse, error) {
	r, err := s.app.SetAttachmentRetention(ctx, req.GetTenant(), int(req.GetRetentionDays()))
	if err != nil {
		return nil, err
	}
	return &ticketv1.SetAttachmentRetentionResponse{Retention: retentionOut(r)}, nil
}
