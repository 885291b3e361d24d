package open311

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"
)

// format is the response format named by the path's extension.
type format string

// The formats of the specification.
const (
	formatJSON format = "json"
	formatXML  format = "xml"
)

// sast is South African Standard Time. South Africa has no daylight saving,
// so a fixed zone is exact and needs no tz database.
var sast = time.FixedZone("SAST", 2*60*60)

// datetime formats a time as the specification wants it: ISO 8601 with the
// offset, here +02:00. Unset times are "" (left out of the response).
func datetime(t *timestamppb.Timestamp) string {
	if t == nil {
		return ""
	}
	return t.AsTime().In(sast).Format(time.RFC3339)
}

// write sends v in format f with status code. JSON arrays and objects are
// written as they are; XML gets its declaration first.
func write(w http.ResponseWriter, f format, code int, v any) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if f == formatXML {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(xml.Header))
		enc := xml.NewEncoder(w)
		enc.Indent("", "  ")
		_ = enc.Encode(v)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError is one entry of an error response.
type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// errorList is the error response: a JSON array, or <errors><error>.
type errorList struct {
	XMLName xml.Name   `xml:"errors"`
	Errors  []apiError `xml:"error"`
}

// MarshalJSON writes the bare array the specification shows.
func (e errorList) MarshalJSON() ([]byte, error) { return json.Marshal(e.Errors) }

// writeError sends one error with HTTP status code.
func writeError(w http.ResponseWriter, f format, code int, description string) {
	write(w, f, code, errorList{Errors: []apiError{{Code: code, Description: description}}})
}

// serviceOut is one entry of services.{fmt}.
type serviceOut struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	Metadata    bool     `json:"metadata" xml:"metadata"`
	Type        string   `json:"type" xml:"type"`
	Keywords    string   `json:"keywords" xml:"keywords"`
	Group       string   `json:"group" xml:"group"`
}

// serviceList is services.{fmt}: a JSON array, or <services><service>.
type serviceList struct {
	XMLName  xml.Name     `xml:"services"`
	Services []serviceOut `xml:"service"`
}

// MarshalJSON writes the bare array.
func (s serviceList) MarshalJSON() ([]byte, error) { return json.Marshal(s.Services) }

// definitionOut is services/{code}.{fmt}.
type definitionOut struct {
	XMLName     xml.Name       `json:"-" xml:"service_definition"`
	ServiceCode string         `json:"service_code" xml:"service_code"`
	Attributes  []attributeOut `json:"attributes" xml:"attributes>attribute"`
}

// attributeOut is one attribute of a service definition.
type attributeOut struct {
	Variable            bool       `json:"variable" xml:"variable"`
	Code                string     `json:"code" xml:"code"`
	Datatype            string     `json:"datatype" xml:"datatype"`
	Required            bool       `json:"required" xml:"required"`
	DatatypeDescription string     `json:"datatype_description" xml:"datatype_description"`
	Order               int        `json:"order" xml:"order"`
	Description         string     `json:"description" xml:"description"`
	Values              []valueOut `json:"values" xml:"values>value"`
}

// valueOut is one choice of a list attribute.
type valueOut struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}
