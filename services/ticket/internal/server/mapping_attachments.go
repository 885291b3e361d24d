package server

import (
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

func attachmentOut(a domain.Attachment) *ticketv1.Attachment {
	return &ticketv1.Attachment{
		Id: a.ID, TicketId: a.TicketID, NoteId: a.NoteID, FileName: a.FileName, ContentType: a.Image.ContentType,
		SizeBytes: a.Image.Size, Width: int32(a.Image.Width), Height: int32(a.Image.Height), Sha256: a.SHA256,
		Public: a.Public, CreatedBy: a.CreatedBy, CreateTime: pbtime.Out(&a.CreateTime), ThumbnailAvailable: a.Thumb.Key != "",
		DownloadUrl: a.DownloadURL, ThumbnailUrl: a.ThumbnailURL, UrlExpireTime: pbtime.Out(a.URLExpire),
	}
}

// publicAttachmentOut is what the public sees of an attachment: no name,
// uploader or hash.
func publicAttachmentOut(a domain.Attachment) *ticketv1.PublicAttachment {
	return &ticketv1.PublicAttachment{Id: a.ID, ContentType: a.Image.ContentType, Width: int32(a.Image.Width),
		Height: int32(a.Image.Height), ThumbnailAvailable: a.Thumb.Key != "", CreateTime: pbtime.Out(&a.CreateTime)}
}

func retentionOut(r domain.Retention) *ticketv1.AttachmentRetention {
	return &ticketv1.AttachmentRetention{Tenant: r.Tenant, RetentionDays: int32(r.Days), UpdatedBy: r.UpdatedBy, UpdateTime: pbtime.Out(r.UpdateTime)}
}
