package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// open311SchemaDir holds the GeoReport v2 JSON Schemas (shared test data).
const open311SchemaDir = "../../shared/data/open311-georeport-v2"

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema
	schemaErr  error
)

// open311Schema returns the compiled schema of file (e.g. "requests.json"),
// skipping the test when the shared data is not on this machine.
func open311Schema(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	dir, err := filepath.Abs(open311SchemaDir)
	require.NoError(t, err)
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Skip("needs ../shared/data/open311-georeport-v2")
	}
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat() // date-time and uri are checked, not just annotated
		schemas = map[string]*jsonschema.Schema{}
		for _, f := range []string{"services.json", "service-definition.json", "requests.json", "request.json"} {
			if schemas[f], schemaErr = c.Compile(filepath.Join(dir, f)); schemaErr != nil {
				return
			}
		}
	})
	require.NoError(t, schemaErr)
	return schemas[file]
}

// requireValid checks a JSON body against a schema file.
func requireValid(t *testing.T, file string, body []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err, string(body))
	require.NoError(t, open311Schema(t, file).Validate(doc), string(body))
}

// o311 sends an Open311 request (form-encoded for POST) and returns the
// status, the raw body and its content type.
func (s *suite) o311(method, path string, form url.Values) (int, []byte, string) {
	s.t.Helper()
	var body io.Reader
	target := s.gatewayURL + "/open311/v2/" + path
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if len(form) > 0 {
		target += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, target, body)
	require.NoError(s.t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := httpClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, raw, resp.Header.Get("Content-Type")
}

// o311Requests decodes a JSON service request list.
func o311Requests(t *testing.T, raw []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return out
}

// requestIDs lists the service_request_id of each request.
func requestIDs(rs []map[string]any) []string {
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r["service_request_id"].(string))
	}
	return ids
}

// requireO311Error checks an error response: the status, and the
// specification's [{code, description}] body with the same code, in JSON or
// as <errors><error> in XML.
func requireO311Error(t *testing.T, wantStatus, gotStatus int, raw []byte, xmlBody bool) {
	t.Helper()
	require.Equal(t, wantStatus, gotStatus, string(raw))
	if xmlBody {
		var doc struct {
			XMLName xml.Name `xml:"errors"`
			Errors  []struct {
				Code        int    `xml:"code"`
				Description string `xml:"description"`
			} `xml:"error"`
		}
		require.NoError(t, xml.Unmarshal(raw, &doc), string(raw))
		require.Len(t, doc.Errors, 1)
		require.Equal(t, wantStatus, doc.Errors[0].Code)
		require.NotEmpty(t, doc.Errors[0].Description)
		return
	}
	var errs []struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
	}
	require.NoError(t, json.Unmarshal(raw, &errs), string(raw))
	require.Len(t, errs, 1)
	require.Equal(t, wantStatus, errs[0].Code)
	require.NotEmpty(t, errs[0].Description)
}
