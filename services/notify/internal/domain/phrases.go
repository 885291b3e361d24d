package domain

import "strings"

// phrase is one phrase in each language.
type phrase map[Language]string

// in is the phrase in l, or in English.
func (p phrase) in(l Language) string {
	if s, ok := p[l.Or()]; ok {
		return s
	}
	return p[LangEN]
}

// statusWords are a ticket's statuses in words.
var statusWords = map[string]phrase{
	"open":             {LangEN: "open", LangAF: "oop", LangZU: "kuvuliwe", LangXH: "ivuliwe"},
	"in_progress":      {LangEN: "in progress", LangAF: "besig", LangZU: "kuyasetshenzwa", LangXH: "iyasetyenzwa"},
	"awaiting_citizen": {LangEN: "waiting for your reply", LangAF: "wag vir u antwoord", LangZU: "kulindwe impendulo yakho", LangXH: "ilinde impendulo yakho"},
	"resolved":         {LangEN: "resolved", LangAF: "opgelos", LangZU: "kuxazululiwe", LangXH: "isonjululwe"},
	"closed":           {LangEN: "closed", LangAF: "gesluit", LangZU: "kuvaliwe", LangXH: "ivaliwe"},
	"cancelled":        {LangEN: "cancelled", LangAF: "gekanselleer", LangZU: "kukhanseliwe", LangXH: "irhoxisiwe"},
}

// StatusWords is status in words, in l.
func StatusWords(status string, l Language) string {
	if p, ok := statusWords[status]; ok {
		return p.in(l)
	}
	return status
}

// Open311Status is the Open311 status of a ticket status (open, or closed
// once resolved, closed or cancelled), in words in l.
func Open311Status(status string, l Language) string {
	switch status {
	case "resolved", "closed", "cancelled":
		return statusWords["closed"].in(l)
	}
	return statusWords["open"].in(l)
}

// clockWords are the SLA clocks in words.
var clockWords = map[string]phrase{
	"response":   {LangEN: "response", LangAF: "reaksie", LangZU: "ukuphendula", LangXH: "ukuphendula"},
	"resolution": {LangEN: "resolution", LangAF: "oplossing", LangZU: "ukuxazulula", LangXH: "ukusombulula"},
}

// ClockWords is an SLA clock in words, in l.
func ClockWords(clock string, l Language) string {
	if p, ok := clockWords[clock]; ok {
		return p.in(l)
	}
	return clock
}

// gbvReporter is the only text a GBV reporter ever gets: the reference and
// where to find help, nothing of the report (a phone may be read by the
// abuser; a notification preview shows the first words).
var gbvReporter = map[Language]text{
	LangEN: {"Update on your reference {ref}", "Your reference {ref} has an update. Call 10111 or the GBV Command Centre 0800 428 428."},
	LangAF: {"Opdatering oor u verwysing {ref}", "U verwysing {ref} het 'n opdatering. Bel 10111 of die GBV-bevelsentrum by 0800 428 428."},
	LangZU: {"Ulwazi olusha ngenombolo {ref}", "Inombolo yakho yereferensi {ref} inolwazi olusha. Shayela u-10111 noma i-GBV Command Centre ku-0800 428 428."},
	LangXH: {"Uhlaziyo ngenombolo {ref}", "Inombolo yakho yesalathiso {ref} inohlaziyo. Tsalela u-10111 okanye i-GBV Command Centre ku-0800 428 428."},
}

// gbvStaff is the only text SAPS staff get about a GBV ticket: the
// reference and that it needs them; the console (logged) has the rest.
var gbvStaff = map[Language]text{
	LangEN: {"Ticket {ref} needs your attention", "Ticket {ref} needs your attention. Open it in the console."},
	LangAF: {"Saak {ref} het u aandag nodig", "Saak {ref} het u aandag nodig. Maak dit in die konsole oop."},
	LangZU: {"Isikhalazo {ref} sidinga ukunakekelwa", "Isikhalazo {ref} sidinga ukunakekelwa nguwe. Sivule kukhonsoli."},
	LangXH: {"Isikhalazo {ref} sifuna ingqalelo", "Isikhalazo {ref} sifuna ingqalelo yakho. Sivule kwikhonsoli."},
}

// NeutralText is the fixed text of a GBV message to audience a, in l,
// naming only the reference.
func NeutralText(a Audience, reference string, l Language) (subject, body string) {
	m := gbvReporter
	if a == AudienceStaff {
		m = gbvStaff
	}
	tx, ok := m[l.Or()]
	if !ok {
		tx = m[LangEN]
	}
	return strings.ReplaceAll(tx.subject, "{ref}", reference), strings.ReplaceAll(tx.body, "{ref}", reference)
}

// stopLine tells a reporter how to opt out of SMS and WhatsApp.
var stopLine = phrase{LangEN: "Reply STOP to opt out.", LangAF: "Antwoord STOP om uit te teken.",
	LangZU: "Phendula ngo-STOP ukuze uyeke.", LangXH: "Phendula ngo-STOP ukuyeka."}

// unsubscribeLine tells an email's reader how to opt out; {link} is the
// message's signed link.
var unsubscribeLine = phrase{LangEN: "Stop these emails: {link}", LangAF: "Hou op met hierdie e-posse: {link}",
	LangZU: "Misa lawa ma-imeyili: {link}", LangXH: "Yeka ezi imeyile: {link}"}

// OptOutLine is the line that ends a reporter's message on ch, in l.
func OptOutLine(ch Channel, l Language, link string) string {
	switch ch {
	case ChannelSMS, ChannelWhatsApp:
		return stopLine.in(l)
	case ChannelEmail:
		return strings.ReplaceAll(unsubscribeLine.in(l), "{link}", link)
	}
	return ""
}

// digestLines head a digest of what waited.
var digestSubject = phrase{LangEN: "{n} updates while you were away", LangAF: "{n} opdaterings terwyl u weg was",
	LangZU: "Izibuyekezo ezingu-{n} ngesikhathi ungekho", LangXH: "Uhlaziyo olu-{n} xa ubungekho"}
