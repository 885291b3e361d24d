// Package server is the gRPC edge of the notify service: it maps protobuf
// requests to the use cases' input (package app) and their results back,
// and nothing else. Enums go through libs/vocab; a number the contract
// does not define is InvalidArgument naming the field.
package server

import (
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/notify/internal/app"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Server implements NotifyService and NotifyInternalService.
type Server struct {
	notifyv1.UnimplementedNotifyServiceServer
	notifyv1.UnimplementedNotifyInternalServiceServer
	app *app.App
}

// New returns the handlers over a.
func New(a *app.App) *Server { return &Server{app: a} }

// Register adds both services to g.
func (s *Server) Register(g *grpc.Server) {
	notifyv1.RegisterNotifyServiceServer(g, s)
	notifyv1.RegisterNotifyInternalServiceServer(g, s)
}

// unknownValue is the rule an enum number the contract does not define
// breaks (vocab.Field).
const unknownValue = "is not a known value"

// ts is a time as a timestamp, nil for none.
func ts(t *time.Time) *timestamppb.Timestamp {
	if t == nil || t.IsZero() {
		return nil
	}
	return timestamppb.New(*t)
}

// preferencesIn maps a reporter's preferences, naming a bad enum under
// prefix.
func preferencesIn(p *commonv1.ReporterPreferences, prefix string) (domain.Preferences, error) {
	var out domain.Preferences
	lang, err := vocab.Field(p.GetLanguage(), prefix+".language", unknownValue)
	if err != nil {
		return out, err
	}
	out.Language = domain.Language(lang)
	if out.Channels, err = vocab.Repeated[domain.Channel](p.GetChannels(), prefix+".channels", "must be sms, whatsapp or email"); err != nil {
		return out, err
	}
	safe, err := vocab.Field(p.GetGbvSafeChannel(), prefix+".gbv_safe_channel", unknownValue)
	out.GBVSafe = domain.Channel(safe)
	return out, err
}

// preferencesOut maps preferences back.
func preferencesOut(p domain.Preferences) *commonv1.ReporterPreferences {
	out := &commonv1.ReporterPreferences{Language: vocab.MustParse[commonv1.Language](string(p.Language.Or())),
		GbvSafeChannel: vocab.MustParse[commonv1.ContactChannel](string(p.GBVSafe))}
	out.Channels = contactChannels(p.Channels)
	return out
}

// contactChannels maps channels to the contract's ContactChannel.
func contactChannels(cs []domain.Channel) []commonv1.ContactChannel {
	out := make([]commonv1.ContactChannel, 0, len(cs))
	for _, c := range cs {
		out = append(out, vocab.MustParse[commonv1.ContactChannel](string(c)))
	}
	return out
}
