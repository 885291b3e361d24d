package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

func TestEveryShippedTemplateIsValidAndSaysTheReference(t *testing.T) {
	t.Parallel()
	ds := domain.Defaults()
	require.Len(t, ds, (7+4)*4, "every kind an audience hears of, in four languages")
	for _, d := range ds {
		t.Run(string(d.Audience)+" "+string(d.Kind)+" "+string(d.Language), func(t *testing.T) {
			t.Parallel()
			require.NoError(t, d.Validate())
			f := domain.SampleFields()
			body, err := domain.Render(d.Body, f)
			require.NoError(t, err)
			require.Contains(t, body, f.Reference)
			require.LessOrEqual(t, len([]rune(body)), 160, "a default fits one SMS")
		})
	}
}

func TestATemplateIsRefusedAtSaveNamingTheField(t *testing.T) {
	t.Parallel()
	valid := domain.Template{Audience: domain.AudienceReporter, Kind: domain.KindResolved, Language: domain.LangAF,
		Subject: "{{.Reference}}", Body: "U verslag {{.Reference}} is opgelos."}
	for _, tc := range []struct {
		name  string
		edit  func(*domain.Template)
		field string
	}{
		{"an unknown placeholder in the body", func(t *domain.Template) { t.Body = "Hi {{.Description}}" }, "template.body"},
		{"an unknown placeholder in the subject", func(t *domain.Template) { t.Subject = "{{.Address}}" }, "template.subject"},
		{"a placeholder reaching into another", func(t *domain.Template) { t.Body = "{{.Reference.Len}}" }, "template.body"},
		{"a function call", func(t *domain.Template) { t.Body = `{{printf "%s" .Reference}}` }, "template.body"},
		{"a variable", func(t *domain.Template) { t.Body = `{{$x := .Reference}}{{$x}}` }, "template.body"},
		{"a range", func(t *domain.Template) { t.Body = `{{range .Reference}}x{{end}}` }, "template.body"},
		{"a template call", func(t *domain.Template) { t.Body = `{{define "x"}}y{{end}}{{template "x"}}` }, "template.body"},
		{"unclosed action", func(t *domain.Template) { t.Body = "{{.Reference" }, "template.body"},
		{"an if without end", func(t *domain.Template) { t.Body = "{{if .Team}}x" }, "template.body"},
		{"an empty body", func(t *domain.Template) { t.Body = "  " }, "template.body"},
		{"a body too long", func(t *domain.Template) { t.Body = string(make([]rune, 1601)) }, "template.body"},
		{"a subject of two lines", func(t *domain.Template) { t.Subject = "a\nb" }, "template.subject"},
		{"the GBV category", func(t *domain.Template) { t.Category = "gbv" }, "template.category"},
		{"a kind the audience does not hear of", func(t *domain.Template) { t.Kind = domain.KindSLABreach }, "template.event_kind"},
		{"an unknown language", func(t *domain.Template) { t.Language = "fr" }, "template.language"},
		{"an unknown audience", func(t *domain.Template) { t.Audience = "" }, "template.audience"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tpl := valid
			tc.edit(&tpl)
			err := tpl.Validate()
			require.Error(t, err)
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Len(t, ae.Violations(), 1, "%v", err)
			require.Equal(t, tc.field, ae.Violations()[0].Field)
		})
	}
	ok := valid
	ok.Body = "{{if .Team}}{{.Team}}{{else}}the municipality{{end}} {{with .Note}}{{.}}{{end}} {{.Unsubscribe}}"
	require.Error(t, ok.Validate(), "inside with, the dot is a string: {{.}} is not a placeholder")
	ok.Body = "{{if .Team}}{{.Team}}{{else}}the municipality{{end}}: {{.StatusDetail}} ({{.Status}}) {{.Deadline}} {{.EscalationLevel}} {{.Clock}} {{.Note}} {{.Municipality}} {{.Unsubscribe}}"
	require.NoError(t, ok.Validate())
}
