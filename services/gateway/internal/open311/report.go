package open311

import (
	"net/url"
	"strings"
	"unicode/utf8"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// maxDescription is the specification's limit on a description.
const maxDescription = 4000

// reportFrom reads the form of POST requests.{fmt}. Only what Open311 names
// is checked here; the ticket service applies its own rules after.
func reportFrom(form url.Values) (*ticketv1.SubmitPublicReportRequest, error) {
	code := strings.TrimSpace(form.Get("service_code"))
	if code == "" {
		return nil, invalid("service_code is required")
	}
	svc, ok := serviceByCode(code)
	if !ok {
		return nil, invalid("service_code %q is not a service of this jurisdiction", code)
	}
	if form.Get("lat") == "" && form.Get("long") == "" {
		if form.Get("address_string") != "" || form.Get("address_id") != "" {
			return nil, invalid("lat and long are required: this server cannot geocode address_string or address_id")
		}
		return nil, invalid("lat and long are required")
	}
	lat, err := coordinate(form.Get("lat"), "lat", 90)
	if err != nil {
		return nil, err
	}
	lng, err := coordinate(form.Get("long"), "long", 180)
	if err != nil {
		return nil, err
	}
	desc := form.Get("description")
	if strings.TrimSpace(desc) == "" {
		// Open311 makes the description optional; a ticket needs one.
		desc = svc.Name + " problem reported through Open311."
	}
	if n := utf8.RuneCountInString(desc); n > maxDescription {
		return nil, invalid("description must be at most %d characters (got %d)", maxDescription, n)
	}
	attrs, err := attributeAnswers(form)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(strings.TrimSpace(form.Get("first_name")) + " " + strings.TrimSpace(form.Get("last_name")))
	return &ticketv1.SubmitPublicReportRequest{
		Category: svc.Category, Description: desc, Location: &commonv1.LatLng{Latitude: lat, Longitude: lng},
		Address: form.Get("address_string"), MediaUrl: form.Get("media_url"), Attributes: attrs,
		Reporter: &ticketv1.Reporter{Name: name, Phone: form.Get("phone"), Email: form.Get("email")},
	}, nil
}

// attributeAnswers reads attribute[CODE] parameters, refusing unknown codes
// and values outside a list attribute's keys.
func attributeAnswers(form url.Values) (map[string]string, error) {
	out := map[string]string{}
	for k, vs := range form {
		code, ok := strings.CutPrefix(k, "attribute[")
		if !ok {
			continue
		}
		code, ok = strings.CutSuffix(code, "]")
		a, known := attributeByCode(code)
		if !ok || !known {
			return nil, invalid("%s is not an attribute of this service", k)
		}
		v := vs[0]
		if !validValue(a, v) {
			return nil, invalid("%s must be one of the keys of the service definition", k)
		}
		out[code] = v
	}
	return out, nil
}

func validValue(a attribute, v string) bool {
	if len(a.Values) == 0 {
		return true
	}
	for _, av := range a.Values {
		if av.Key == v {
			return true
		}
	}
	return false
}
