// Package csvreport writes the rows of a report answer (a protobuf message
// with a repeated message field of rows) as CSV a spreadsheet opens: a
// header row naming each column, then one line per row. The gateway
// answers `Accept: text/csv` with it and the SLA service stores scheduled
// exports with it, so a downloaded report and an emailed one are the same
// file.
package csvreport

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// ContentType is the media type of what Write writes.
const ContentType = "text/csv; charset=utf-8"

// RowsField is the field of m holding its rows: the first repeated
// message field, else the first message field (an answer of one row, such
// as one indicator's value); nil when m has neither.
func RowsField(m protoreflect.Message) protoreflect.FieldDescriptor {
	fs := m.Descriptor().Fields()
	var single protoreflect.FieldDescriptor
	for i := range fs.Len() {
		f := fs.Get(i)
		switch {
		case f.IsMap() || f.Message() == nil:
		case f.IsList():
			return f
		case single == nil:
			single = f
		}
	}
	return single
}

// Columns are the CSV columns of a row message: its fields in order,
// named as in the JSON API; a nested message's fields are prefixed with its
// name and a dot, a timestamp is one column (RFC 3339), bytes are left out.
func Columns(md protoreflect.MessageDescriptor) []string {
	return columns(md, "")
}

func columns(md protoreflect.MessageDescriptor, prefix string) []string {
	var out []string
	fs := md.Fields()
	for i := range fs.Len() {
		f := fs.Get(i)
		name := prefix + string(f.Name())
		switch {
		case f.Kind() == protoreflect.BytesKind:
		case f.Message() != nil && f.Message().FullName() != timestampName && !f.IsList() && !f.IsMap():
			out = append(out, columns(f.Message(), name+".")...)
		default:
			out = append(out, name)
		}
	}
	return out
}

var timestampName = (&timestamppb.Timestamp{}).ProtoReflect().Descriptor().FullName()

// Write writes m's rows as CSV with the header row; a message without rows
// is an error (it is not a report).
func Write(w io.Writer, m proto.Message) error {
	pm := m.ProtoReflect()
	rf := RowsField(pm)
	if rf == nil {
		return fmt.Errorf("csvreport.Write: %s has no rows", pm.Descriptor().FullName())
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what spreadsheets expect (RFC 4180)
	if err := cw.Write(Columns(rf.Message())); err != nil {
		return fmt.Errorf("csvreport.Write: %w", err)
	}
	var rows []protoreflect.Message
	switch {
	case rf.IsList():
		list := pm.Get(rf).List()
		for i := range list.Len() {
			rows = append(rows, list.Get(i).Message())
		}
	case pm.Has(rf):
		rows = append(rows, pm.Get(rf).Message())
	}
	for _, r := range rows {
		if err := cw.Write(cells(r, nil)); err != nil {
			return fmt.Errorf("csvreport.Write: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csvreport.Write: %w", err)
	}
	return nil
}

// Marshal is Write into a byte slice.
func Marshal(m proto.Message) ([]byte, error) {
	var b strings.Builder
	if err := Write(&b, m); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func cells(m protoreflect.Message, out []string) []string {
	fs := m.Descriptor().Fields()
	for i := range fs.Len() {
		f := fs.Get(i)
		switch {
		case f.Kind() == protoreflect.BytesKind:
		case f.Message() != nil && f.Message().FullName() != timestampName && !f.IsList() && !f.IsMap():
			out = cells(m.Get(f).Message(), out)
		case f.HasPresence() && !m.Has(f):
			out = append(out, "")
		default:
			out = append(out, cell(f, m.Get(f)))
		}
	}
	return out
}

// cell is one value as text. Enums are their words (CATEGORY_WATER is
// "water"); a text that a spreadsheet would run as a formula starts with a
// quote.
func cell(f protoreflect.FieldDescriptor, v protoreflect.Value) string {
	if f.IsList() {
		l := v.List()
		parts := make([]string, 0, l.Len())
		for i := range l.Len() {
			parts = append(parts, scalar(f, l.Get(i)))
		}
		return strings.Join(parts, ";")
	}
	return scalar(f, v)
}

func scalar(f protoreflect.FieldDescriptor, v protoreflect.Value) string {
	switch f.Kind() {
	case protoreflect.StringKind:
		return defuse(v.String())
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.Bool())
	case protoreflect.EnumKind:
		return word(f.Enum(), v.Enum())
	case protoreflect.DoubleKind, protoreflect.FloatKind:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case protoreflect.Int32Kind, protoreflect.Int64Kind, protoreflect.Sint32Kind, protoreflect.Sint64Kind,
		protoreflect.Sfixed32Kind, protoreflect.Sfixed64Kind:
		return strconv.FormatInt(v.Int(), 10)
	case protoreflect.Uint32Kind, protoreflect.Uint64Kind, protoreflect.Fixed32Kind, protoreflect.Fixed64Kind:
		return strconv.FormatUint(v.Uint(), 10)
	case protoreflect.MessageKind:
		if ts, ok := v.Message().Interface().(*timestamppb.Timestamp); ok && ts.IsValid() && (ts.Seconds != 0 || ts.Nanos != 0) {
			return ts.AsTime().UTC().Format(time.RFC3339)
		}
	}
	return ""
}

// word is an enum value's word: its name without the prefix its
// UNSPECIFIED value carries, in lower case; "" for UNSPECIFIED.
func word(ed protoreflect.EnumDescriptor, n protoreflect.EnumNumber) string {
	if n == 0 {
		return ""
	}
	v := ed.Values().ByNumber(n)
	if v == nil {
		return strconv.Itoa(int(n))
	}
	prefix := strings.TrimSuffix(string(ed.Values().ByNumber(0).Name()), "UNSPECIFIED")
	return strings.ToLower(strings.TrimPrefix(string(v.Name()), prefix))
}

// defuse keeps a spreadsheet from reading text as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
