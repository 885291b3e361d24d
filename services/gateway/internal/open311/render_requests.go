package open311

import (
	"encoding/json"
	"encoding/xml"
)

// requestOut is one service request. Optional fields the suite has no value
// for are left out rather than sent empty.
type requestOut struct {
	XMLName            xml.Name     `json:"-" xml:"request"`
	ServiceRequestID   string       `json:"service_request_id" xml:"service_request_id"`
	Status             string       `json:"status" xml:"status"`
	StatusNotes        string       `json:"status_notes,omitempty" xml:"status_notes,omitempty"`
	ServiceName        string       `json:"service_name" xml:"service_name"`
	ServiceCode        string       `json:"service_code" xml:"service_code"`
	Description        string       `json:"description,omitempty" xml:"description,omitempty"`
	AgencyResponsible  string       `json:"agency_responsible,omitempty" xml:"agency_responsible,omitempty"`
	ServiceNotice      string       `json:"service_notice,omitempty" xml:"service_notice,omitempty"`
	RequestedDatetime  string       `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime    string       `json:"updated_datetime,omitempty" xml:"updated_datetime,omitempty"`
	ExpectedDatetime   string       `json:"expected_datetime,omitempty" xml:"expected_datetime,omitempty"`
	Address            string       `json:"address,omitempty" xml:"address,omitempty"`
	Lat                float64      `json:"lat" xml:"lat"`
	Long               float64      `json:"long" xml:"long"`
	MediaURL           string       `json:"media_url,omitempty" xml:"media_url,omitempty"`
	ExtendedAttributes *extendedOut `json:"extended_attributes,omitempty" xml:"extended_attributes,omitempty"`
	// Notes is set (possibly empty) only with extensions=true; JSON then
	// always carries the array, XML a <notes> element per note.
	Notes    *[]noteOut `json:"notes,omitempty" xml:"-"`
	NotesXML []noteOut  `json:"-" xml:"notes>note,omitempty"`
}

// extendedOut is the extensions=true detail of a request.
type extendedOut struct {
	Reference          string `json:"reference" xml:"reference"`
	Team               string `json:"team,omitempty" xml:"team,omitempty"`
	ResponseDeadline   string `json:"response_deadline,omitempty" xml:"response_deadline,omitempty"`
	ResolutionDeadline string `json:"resolution_deadline,omitempty" xml:"resolution_deadline,omitempty"`
	Escalated          bool   `json:"escalated" xml:"escalated"`
	EscalationLevel    int32  `json:"escalation_level" xml:"escalation_level"`
	EscalatedDatetime  string `json:"escalated_datetime,omitempty" xml:"escalated_datetime,omitempty"`
	DetailedStatus     string `json:"detailed_status" xml:"detailed_status"`
	// DuplicateOf is the service_request_id of the request this one was
	// closed as a duplicate of.
	DuplicateOf string `json:"duplicate_of,omitempty" xml:"duplicate_of,omitempty"`
}

// noteOut is one public note.
type noteOut struct {
	Type        string `json:"type" xml:"type"`
	Description string `json:"description" xml:"description"`
	Datetime    string `json:"datetime" xml:"datetime"`
}

// requestList is requests.{fmt}: a JSON array, or
// <service_requests><request>.
type requestList struct {
	XMLName  xml.Name     `xml:"service_requests"`
	Requests []requestOut `xml:"request"`
}

// MarshalJSON writes the bare array.
func (l requestList) MarshalJSON() ([]byte, error) {
	if l.Requests == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.Requests)
}

// receiptOut is the answer to a POST: the new request's id only, for every
// category alike, so the answer reveals nothing about a GBV report.
type receiptOut struct {
	XMLName          xml.Name `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
}

// receiptList wraps the receipt as the specification shows it.
type receiptList struct {
	XMLName  xml.Name     `xml:"service_requests"`
	Receipts []receiptOut `xml:"request"`
}

// MarshalJSON writes the bare array.
func (l receiptList) MarshalJSON() ([]byte, error) { return json.Marshal(l.Receipts) }
