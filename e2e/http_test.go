package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// httpClient is shared by the tests' JSON calls.
var httpClient = &http.Client{Timeout: 10 * time.Second}

// waitHTTPAt waits until the gateway at base answers path with 200.
func (s *suite) waitHTTPAt(base, path string) {
	s.t.Helper()
	s.eventually(60*time.Second, "gateway "+base+path, func() (bool, string) {
		resp, err := httpClient.Get(base + path)
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == 200, string(b)
	})
}

// call sends a JSON request to the gateway and decodes the JSON answer.
func (s *suite) call(method, path, token, body string, headers map[string]string) (int, map[string]any, http.Header) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.gatewayURL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, resp.Header
}
