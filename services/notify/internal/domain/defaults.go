package domain

// text is the wording of one message: a subject (email) and a body.
type text struct{ subject, body string }

// defaults are the shipped templates: every kind an audience hears of, in
// each language. Short and plain, since most go out as SMS.
var defaults = map[Audience]map[Kind]map[Language]text{
	AudienceReporter: {
		KindCreated: {
			LangEN: {"We received your report {{.Reference}}", "We received your report. Your reference is {{.Reference}}. Status: {{.StatusDetail}}."},
			LangAF: {"Ons het u verslag {{.Reference}} ontvang", "Ons het u verslag ontvang. U verwysing is {{.Reference}}. Status: {{.StatusDetail}}."},
			LangZU: {"Siwutholile umbiko wakho {{.Reference}}", "Siwutholile umbiko wakho. Inombolo yakho yereferensi ithi {{.Reference}}. Isimo: {{.StatusDetail}}."},
			LangXH: {"Siyifumene ingxelo yakho {{.Reference}}", "Siyifumene ingxelo yakho. Inombolo yakho yesalathiso ngu-{{.Reference}}. Imeko: {{.StatusDetail}}."},
		},
		KindAssigned: {
			LangEN: {"Your report {{.Reference}} is with a team", "Your report {{.Reference}} is with {{if .Team}}{{.Team}}{{else}}the municipality{{end}}."},
			LangAF: {"U verslag {{.Reference}} is by 'n span", "U verslag {{.Reference}} is by {{if .Team}}{{.Team}}{{else}}die munisipaliteit{{end}}."},
			LangZU: {"Umbiko wakho {{.Reference}} usunethimba", "Umbiko wakho {{.Reference}} unikezwe {{if .Team}}ithimba: {{.Team}}{{else}}umasipala{{end}}."},
			LangXH: {"Ingxelo yakho {{.Reference}} inikwe iqela", "Ingxelo yakho {{.Reference}} inikwe {{if .Team}}iqela: {{.Team}}{{else}}umasipala{{end}}."},
		},
		KindAcknowledged: {
			LangEN: {"Work has started on {{.Reference}}", "Work has started on your report {{.Reference}}. Status: {{.StatusDetail}}."},
			LangAF: {"Daar word aan {{.Reference}} gewerk", "Daar word aan u verslag {{.Reference}} gewerk. Status: {{.StatusDetail}}."},
			LangZU: {"Umsebenzi usuqalile ku-{{.Reference}}", "Umsebenzi usuqalile kumbiko wakho {{.Reference}}. Isimo: {{.StatusDetail}}."},
			LangXH: {"Umsebenzi uqalile ku-{{.Reference}}", "Umsebenzi uqalile kwingxelo yakho {{.Reference}}. Imeko: {{.StatusDetail}}."},
		},
		KindStatusChanged: {
			LangEN: {"Your report {{.Reference}}: {{.StatusDetail}}", "Your report {{.Reference}} is now: {{.StatusDetail}}."},
			LangAF: {"U verslag {{.Reference}}: {{.StatusDetail}}", "U verslag {{.Reference}} is nou: {{.StatusDetail}}."},
			LangZU: {"Umbiko wakho {{.Reference}}: {{.StatusDetail}}", "Umbiko wakho {{.Reference}} manje: {{.StatusDetail}}."},
			LangXH: {"Ingxelo yakho {{.Reference}}: {{.StatusDetail}}", "Ingxelo yakho {{.Reference}} ngoku: {{.StatusDetail}}."},
		},
		KindNotePublic: {
			LangEN: {"Update on your report {{.Reference}}", "Update on your report {{.Reference}}: {{.Note}}"},
			LangAF: {"Nuus oor u verslag {{.Reference}}", "Nuus oor u verslag {{.Reference}}: {{.Note}}"},
			LangZU: {"Ulwazi olusha ngombiko wakho {{.Reference}}", "Ulwazi olusha ngombiko wakho {{.Reference}}: {{.Note}}"},
			LangXH: {"Iindaba ngengxelo yakho {{.Reference}}", "Iindaba ngengxelo yakho {{.Reference}}: {{.Note}}"},
		},
		KindResolved: {
			LangEN: {"Your report {{.Reference}} is resolved", "Your report {{.Reference}} has been resolved. Thank you for reporting it."},
			LangAF: {"U verslag {{.Reference}} is opgelos", "U verslag {{.Reference}} is opgelos. Dankie dat u dit aangemeld het."},
			LangZU: {"Umbiko wakho {{.Reference}} uxazululiwe", "Umbiko wakho {{.Reference}} uxazululiwe. Siyabonga ngokubika."},
			LangXH: {"Ingxelo yakho {{.Reference}} isonjululwe", "Ingxelo yakho {{.Reference}} isonjululwe. Enkosi ngokuxela."},
		},
		KindClosed: {
			LangEN: {"Your report {{.Reference}} is closed", "Your report {{.Reference}} is closed."},
			LangAF: {"U verslag {{.Reference}} is gesluit", "U verslag {{.Reference}} is gesluit."},
			LangZU: {"Umbiko wakho {{.Reference}} uvaliwe", "Umbiko wakho {{.Reference}} uvaliwe."},
			LangXH: {"Ingxelo yakho {{.Reference}} ivaliwe", "Ingxelo yakho {{.Reference}} ivaliwe."},
		},
	},
	AudienceStaff: {
		KindAssigned: {
			LangEN: {"Ticket {{.Reference}} assigned to {{if .Team}}{{.Team}}{{else}}triage{{end}}", "Ticket {{.Reference}} is assigned to {{if .Team}}{{.Team}}{{else}}triage{{end}}. Status: {{.StatusDetail}}.{{if .Deadline}} Due: {{.Deadline}}.{{end}}"},
			LangAF: {"Saak {{.Reference}} toegewys", "Saak {{.Reference}} is aan {{if .Team}}{{.Team}}{{else}}triage{{end}} toegewys. Status: {{.StatusDetail}}.{{if .Deadline}} Sperdatum: {{.Deadline}}.{{end}}"},
			LangZU: {"Isikhalazo {{.Reference}} sinikeziwe", "Isikhalazo {{.Reference}} sinikezwe {{if .Team}}{{.Team}}{{else}}i-triage{{end}}. Isimo: {{.StatusDetail}}.{{if .Deadline}} Usuku lokugcina: {{.Deadline}}.{{end}}"},
			LangXH: {"Isikhalazo {{.Reference}} sinikiwe", "Isikhalazo {{.Reference}} sinikwe {{if .Team}}{{.Team}}{{else}}i-triage{{end}}. Imeko: {{.StatusDetail}}.{{if .Deadline}} Umhla wokugqibela: {{.Deadline}}.{{end}}"},
		},
		KindEscalated: {
			LangEN: {"Ticket {{.Reference}} escalated", "Ticket {{.Reference}} was escalated to {{if .Team}}{{.Team}}{{else}}triage{{end}} (level {{.EscalationLevel}})."},
			LangAF: {"Saak {{.Reference}} geëskaleer", "Saak {{.Reference}} is na {{if .Team}}{{.Team}}{{else}}triage{{end}} geëskaleer (vlak {{.EscalationLevel}})."},
			LangZU: {"Isikhalazo {{.Reference}} sidluliselwe", "Isikhalazo {{.Reference}} sidluliselwe ku-{{if .Team}}{{.Team}}{{else}}triage{{end}} (izinga {{.EscalationLevel}})."},
			LangXH: {"Isikhalazo {{.Reference}} sidluliselwe", "Isikhalazo {{.Reference}} sidluliselwe ku-{{if .Team}}{{.Team}}{{else}}triage{{end}} (inqanaba {{.EscalationLevel}})."},
		},
		KindSLAWarning: {
			LangEN: {"Ticket {{.Reference}}: {{.Clock}} deadline close", "Ticket {{.Reference}} is close to its {{.Clock}} deadline: {{.Deadline}}."},
			LangAF: {"Saak {{.Reference}}: {{.Clock}}-sperdatum naby", "Saak {{.Reference}} nader sy {{.Clock}}-sperdatum: {{.Deadline}}."},
			LangZU: {"Isikhalazo {{.Reference}}: isikhathi siyaphela", "Isikhalazo {{.Reference}} sisondela esikhathini saso sokugcina ({{.Clock}}): {{.Deadline}}."},
			LangXH: {"Isikhalazo {{.Reference}}: ixesha liyaphela", "Isikhalazo {{.Reference}} sisondele kumhla waso wokugqibela ({{.Clock}}): {{.Deadline}}."},
		},
		KindSLABreach: {
			LangEN: {"Ticket {{.Reference}}: {{.Clock}} deadline missed", "Ticket {{.Reference}} missed its {{.Clock}} deadline ({{.Deadline}})."},
			LangAF: {"Saak {{.Reference}}: {{.Clock}}-sperdatum gemis", "Saak {{.Reference}} het sy {{.Clock}}-sperdatum gemis ({{.Deadline}})."},
			LangZU: {"Isikhalazo {{.Reference}}: isikhathi sidlulile", "Isikhalazo {{.Reference}} sidlule isikhathi saso sokugcina ({{.Clock}}, {{.Deadline}})."},
			LangXH: {"Isikhalazo {{.Reference}}: ixesha ligqithile", "Isikhalazo {{.Reference}} sigqithe umhla waso wokugqibela ({{.Clock}}, {{.Deadline}})."},
		},
	},
}

// Default is the shipped template of k, in language l (English when the
// language has none).
func Default(k TemplateKey) (Template, bool) {
	byLang, ok := defaults[k.Audience][k.Kind]
	if !ok {
		return Template{}, false
	}
	tx, ok := byLang[k.Language.Or()]
	if !ok {
		tx, k.Language = byLang[LangEN], LangEN
	}
	return Template{Audience: k.Audience, Kind: k.Kind, Language: k.Language.Or(), Subject: tx.subject, Body: tx.body}, true
}

// Defaults lists every shipped template.
func Defaults() []Template {
	var out []Template
	for _, a := range []Audience{AudienceReporter, AudienceStaff} {
		for _, k := range AudienceKinds[a] {
			for _, l := range Languages {
				t, _ := Default(TemplateKey{Audience: a, Kind: k, Language: l})
				out = append(out, t)
			}
		}
	}
	return out
}
