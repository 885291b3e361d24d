package server

import (
	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// preferencesIn maps a reporter's preferences; an enum number the contract
// does not define is InvalidArgument naming the field.
func preferencesIn(p *commonv1.ReporterPreferences) (domain.ReporterPreferences, error) {
	var out domain.ReporterPreferences
	lang, err := vocab.Field(p.GetLanguage(), "reporter_preferences.language", "must be one of en, af, zu, xh")
	if err != nil {
		return out, err
	}
	safe, err := vocab.Field(p.GetGbvSafeChannel(), "reporter_preferences.gbv_safe_channel", "must be sms, whatsapp or email")
	if err != nil {
		return out, err
	}
	chs, err := vocab.Repeated[string](p.GetChannels(), "reporter_preferences.channels", "must be sms, whatsapp or email")
	if err != nil {
		return out, err
	}
	return domain.ReporterPreferences{Language: lang, Channels: chs, GBVSafe: safe}, nil
}
