package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/sla/internal/outbox"
)

// Notify calls NotifyInternalService.
type Notify struct {
	c notifyv1.NotifyInternalServiceClient
}

// NewNotify returns the notify adapter over conn (dialed with libs/peers).
func NewNotify(conn grpc.ClientConnInterface) *Notify {
	return &Notify{c: notifyv1.NewNotifyInternalServiceClient(conn)}
}

// SendReportExport implements outbox.NotifyClient.
func (n *Notify) SendReportExport(ctx context.Context, a outbox.SendReportArgs) error {
	_, err := n.c.SendReportExport(libpeers.ForTenant(ctx, a.Tenant), &notifyv1.SendReportExportRequest{Tenant: a.Tenant,
		ExportId: a.ExportID, Recipients: a.Recipients, Subject: a.Subject, Body: a.Body, FileName: a.FileName,
		ContentType: a.ContentType, Content: a.Content})
	if err != nil {
		return fmt.Errorf("peers.SendReportExport: %w", err)
	}
	return nil
}
