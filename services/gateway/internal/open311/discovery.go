package open311

import (
	"encoding/xml"
	"net/http"
)

// changeset is when this endpoint's behaviour last changed.
const changeset = "2026-11-27T00:00:00+02:00"

// discoveryOut is discovery.{fmt}.
type discoveryOut struct {
	XMLName    xml.Name      `json:"-" xml:"discovery"`
	Changeset  string        `json:"changeset" xml:"changeset"`
	Contact    string        `json:"contact" xml:"contact"`
	KeyService string        `json:"key_service" xml:"key_service"`
	Endpoints  []endpointOut `json:"endpoints" xml:"endpoints>endpoint"`
}

// endpointOut is one endpoint of the discovery document.
type endpointOut struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

// discovery answers discovery.{fmt}: this one production endpoint. It needs
// no jurisdiction: it describes the server, not a municipality.
func (h *Handler) discovery(w http.ResponseWriter, r *http.Request, e endpoint) {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	write(w, e.format, http.StatusOK, discoveryOut{
		Changeset: changeset,
		Contact:   "Your municipality's service-delivery office; jurisdiction_id is its Municipal Demarcation Board code.",
		KeyService: "Ask the municipality's administrator for an API key " +
			"(issued with POST /v1/api-keys by a municipal_admin).",
		Endpoints: []endpointOut{{
			Specification: "http://wiki.open311.org/GeoReport_v2", URL: scheme + "://" + r.Host + "/open311/v2",
			Changeset: changeset, Type: "production", Formats: []string{"text/xml", "application/json"},
		}},
	})
}
