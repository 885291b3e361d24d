package server

import (
	"google.golang.org/grpc"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// reportPart tells the parts of a SubmitPublicReportWithMedia stream apart.
func reportPart(m *ticketv1.SubmitPublicReportWithMediaRequest) (part, []byte) {
	switch p := m.GetPart().(type) {
	case *ticketv1.SubmitPublicReportWithMediaRequest_Data:
		return partData, p.Data
	case *ticketv1.SubmitPublicReportWithMediaRequest_File:
		return partFile, nil
	}
	return partOther, nil
}

// SubmitPublicReportWithMedia implements TicketInternalService.
func (s *Server) SubmitPublicReportWithMedia(stream grpc.ClientStreamingServer[ticketv1.SubmitPublicReportWithMediaRequest, ticketv1.SubmitPublicReportWithMediaResponse]) error {
	ctx := stream.Context()
	idle, total := s.app.UploadTimeouts()
	msgs := receive(ctx, stream.Recv, idle, total)
	head, err := first(msgs, "report")
	if err != nil {
		return err
	}
	req := head.GetReport()
	if req == nil {
		return apperr.Invalid("report", "must be the first message, before the files")
	}
	files := &streamFiles[*ticketv1.SubmitPublicReportWithMediaRequest]{msgs: msgs, kind: reportPart, field: "report",
		file: func(m *ticketv1.SubmitPublicReportWithMediaRequest) domain.NewFile {
			return domain.NewFile{Name: m.GetFile().GetFileName(), Public: m.GetFile().GetPublic()}
		}}
	t, err := s.app.SubmitPublicReportWithMedia(ctx, publicReport(ctx, req), files)
	if err != nil {
		return err
	}
	return stream.SendAndClose(&ticketv1.SubmitPublicReportWithMediaResponse{Id: t.ID, Reference: t.Reference})
}

// DownloadPublicAttachment implements TicketInternalService.
func (s *Server) DownloadPublicAttachment(req *ticketv1.DownloadPublicAttachmentRequest, stream grpc.ServerStreamingServer[ticketv1.DownloadPublicAttachmentResponse]) error {
	d, err := s.app.DownloadPublicAttachment(stream.Context(), domain.PublicAttachmentRef{Tenant: req.GetTenant(),
		TicketID: req.GetTicketId(), AttachmentID: req.GetAttachmentId(), Thumbnail: req.GetThumbnail()})
	if err != nil {
		return err
	}
	defer d.Body.Close()
	head := &ticketv1.DownloadPublicAttachmentResponse{Part: &ticketv1.DownloadPublicAttachmentResponse_Content{Content: &ticketv1.PublicAttachmentContent{
		Attachment: publicAttachmentOut(d.Attachment), ContentType: d.ContentType, SizeBytes: d.Size}}}
	return sendBytes(d, func() error { return stream.Send(head) }, func(b []byte) error {
		return stream.Send(&ticketv1.DownloadPublicAttachmentResponse{Part: &ticketv1.DownloadPublicAttachmentResponse_Data{Data: b}})
	})
}
