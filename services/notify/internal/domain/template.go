package domain

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// Limits of a template's text, in characters.
const (
	MaxTemplateSubject = maxSubject
	MaxTemplateBody    = 1600
)

// Fields are what a template may say: the closed set of placeholders
// ({{.Reference}} and so on). Every value is plain text the service
// computed; none is a ticket's description or place.
type Fields struct {
	// Reference is the ticket's reference (CPT-2026-000123).
	Reference string
	// Status is the Open311 status, open or closed, in the message's
	// language.
	Status string
	// StatusDetail is the ticket's status in words.
	StatusDetail string
	// Team is the responsible team's name ("" for triage).
	Team string
	// Deadline is the deadline in Africa/Johannesburg time, "" when none.
	Deadline string
	// Clock is the SLA clock in words (response, resolution).
	Clock string
	// EscalationLevel is the escalation level, 0 when never escalated.
	EscalationLevel int32
	// Note is a public note's text.
	Note string
	// Municipality is the municipality's code.
	Municipality string
	// Unsubscribe is the opt-out link of the message.
	Unsubscribe string
}

// placeholders are the names of Fields, the only ones a template may use.
var placeholders = []string{"Reference", "Status", "StatusDetail", "Team", "Deadline", "Clock",
	"EscalationLevel", "Note", "Municipality", "Unsubscribe"}

// Template is a municipality's wording of one message.
type Template struct {
	ID, Tenant string
	// Category is the category word it applies to; "" for every one.
	Category  string
	Audience  Audience
	Kind      Kind
	Language  Language
	Subject   string
	Body      string
	UpdatedBy string
	Create    time.Time
	Update    time.Time
}

// Key is what a template is chosen by.
type TemplateKey struct {
	Audience Audience
	Category string
	Kind     Kind
	Language Language
}

// Key is t's key.
func (t Template) Key() TemplateKey {
	return TemplateKey{Audience: t.Audience, Category: t.Category, Kind: t.Kind, Language: t.Language}
}

// AudienceKinds are the kinds of event each audience hears of.
var AudienceKinds = map[Audience][]Kind{
	AudienceReporter: {KindCreated, KindAcknowledged, KindStatusChanged, KindResolved, KindClosed, KindNotePublic, KindAssigned},
	AudienceStaff:    {KindAssigned, KindEscalated, KindSLAWarning, KindSLABreach},
}

// Validate refuses a template that could not be sent, naming the field:
// an unknown audience, kind, language or the GBV category (GBV messages
// are a fixed neutral text), and above all an unknown placeholder or bad
// syntax in the subject or body, found here at save rather than at send.
func (t *Template) Validate() error {
	t.Subject, t.Body = strings.TrimSpace(t.Subject), strings.TrimSpace(t.Body)
	var vs apperr.Violations
	kinds, ok := AudienceKinds[t.Audience]
	if !ok {
		vs.Add("template.audience", "must be reporter or staff")
	} else if !slices.Contains(kinds, t.Kind) {
		vs.Add("template.event_kind", fmt.Sprintf("must be one of %v for the %s audience", kinds, t.Audience))
	}
	if !slices.Contains(Languages, t.Language) {
		vs.Add("template.language", "must be one of en, af, zu, xh")
	}
	if t.Category == CategoryGBV {
		vs.Add("template.category", "GBV messages are always the neutral text: no template applies to them")
	}
	if r := TextRule(t.Subject, MaxTemplateSubject); r != "" {
		vs.Add("template.subject", r)
	} else if strings.ContainsAny(t.Subject, "\r\n") {
		vs.Add("template.subject", "must be one line")
	} else if err := checkTemplate(t.Subject); err != nil {
		vs.Add("template.subject", err.Error())
	}
	if t.Body == "" {
		vs.Add("template.body", "is required")
	} else if r := TextRule(t.Body, MaxTemplateBody); r != "" {
		vs.Add("template.body", r)
	} else if err := checkTemplate(t.Body); err != nil {
		vs.Add("template.body", err.Error())
	}
	return vs.Err()
}

// checkTemplate parses text and refuses anything but the closed set of
// placeholders and if/with/else over them, then renders it for a sample
// ticket so that nothing can fail at send.
func checkTemplate(text string) error {
	tpl, err := template.New("t").Option("missingkey=error").Parse(text)
	if err != nil {
		return fmt.Errorf("is not a valid template: %s", strings.TrimPrefix(err.Error(), "template: t:"))
	}
	if err := checkNode(tpl.Tree.Root); err != nil {
		return err
	}
	if _, err := render(tpl, SampleFields()); err != nil {
		return fmt.Errorf("does not render: %v", err)
	}
	return nil
}

// checkNode walks a parsed template and refuses what is not allowed.
func checkNode(n parse.Node) error {
	switch n := n.(type) {
	case nil, *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return nil
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkNode(c); err != nil {
				return err
			}
		}
		return nil
	case *parse.ActionNode:
		return checkPipe(n.Pipe)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode)
	default:
		return fmt.Errorf("may use only placeholders such as {{.Reference}} and if/with, not %q", n.String())
	}
}

func checkBranch(b *parse.BranchNode) error {
	for _, err := range []error{checkPipe(b.Pipe), checkNode(b.List), checkNode(b.ElseList)} {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkPipe allows one command of one placeholder (or a constant).
func checkPipe(p *parse.PipeNode) error {
	if p == nil {
		return nil
	}
	if len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return fmt.Errorf("may use only placeholders such as {{.Reference}}, not %q", p.String())
	}
	switch a := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		if len(a.Ident) != 1 || !slices.Contains(placeholders, a.Ident[0]) {
			return fmt.Errorf("unknown placeholder %s: the placeholders are {{.%s}}", a.String(), strings.Join(placeholders, "}}, {{."))
		}
		return nil
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode:
		return nil
	default:
		return fmt.Errorf("may use only placeholders such as {{.Reference}}, not %q", a.String())
	}
}

// Render fills text with f. The text was checked when it was saved (or is
// a shipped default), so an error is a bug, reported with the template.
func Render(text string, f Fields) (string, error) {
	tpl, err := template.New("t").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("domain.Render: %w", err)
	}
	return render(tpl, f)
}

func render(tpl *template.Template, f Fields) (string, error) {
	var b strings.Builder
	if err := tpl.Execute(&b, f); err != nil {
		return "", fmt.Errorf("domain.Render: %w", err)
	}
	return strings.TrimSpace(b.String()), nil
}

// SampleFields are the fields of the sample ticket previews render.
func SampleFields() Fields {
	return Fields{Reference: "CPT-2026-000123", Status: "open", StatusDetail: "in progress", Team: "Ward 57 Water",
		Deadline: "3 Mar 2026 14:00", Clock: "resolution", EscalationLevel: 1, Note: "The crew is on site.",
		Municipality: "CPT", Unsubscribe: "https://example.org/notify/unsubscribe"}
}
