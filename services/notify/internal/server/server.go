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
	"github.com/salga/trustengine/libs/apperr"
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

// word is e's word; ok is false for a number the contract does not define
// (UNSPECIFIED is "" and ok).
func word[E vocab.Enum](e E) (string, bool) {
	w := vocab.Word(e)
	return w, w != "" || e == 0
}

// enumIn is e's word, or InvalidArgument naming field for an undefined
// number.
func enumIn[E vocab.Enum](e E, field string) (string, error) {
	w, ok := word(e)
	if !ok {
		return "", apperr.Invalid(field, "is not a known value")
	}
	return w, nil
}

// timeIn is a timestamp as a time, nil for none.
func timeIn(t *timestamppb.Timestamp) *time.Time {
	if t == nil {
		return nil
	}
	v := t.AsTime()
	return &v
}

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
	lang, err := enumIn(p.GetLanguage(), prefix+".language")
	if err != nil {
		return out, err
	}
	out.Language = domain.Language(lang)
	for _, ch := range p.GetChannels() {
		w, ok := word(ch)
		if !ok || w == "" {
			return out, apperr.Invalid(prefix+".channels", "must be sms, whatsapp or email")
		}
		out.Channels = append(out.Channels, domain.Channel(w))
	}
	safe, err := enumIn(p.GetGbvSafeChannel(), prefix+".gbv_safe_channel")
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
