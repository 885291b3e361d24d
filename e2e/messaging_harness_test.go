package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // Twilio signs its webhooks with HMAC-SHA1
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mailpitVersion is the Mailpit the Makefile installs (MAILPIT_VERSION).
const mailpitVersion = "v1.33.1"

var (
	mailpitOnce sync.Once
	mailpitBin  string
	mailpitErr  error
)

// mailpitBinary is .tools/bin/mailpit, installed there (as make mailpit
// does) when missing.
func mailpitBinary(t testing.TB) string {
	t.Helper()
	mailpitOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		bin := filepath.Join(filepath.Dir(filepath.Dir(file)), ".tools", "bin")
		mailpitBin = filepath.Join(bin, "mailpit")
		if _, err := os.Stat(mailpitBin); err == nil {
			return
		}
		cmd := exec.Command("go", "install", "github.com/axllent/mailpit@"+mailpitVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			mailpitErr = fmt.Errorf("go install mailpit: %v\n%s", err, out)
		}
	})
	require.NoError(t, mailpitErr)
	return mailpitBin
}

// mailpit is one Mailpit of a suite: an SMTP server that requires
// STARTTLS (with a certificate of its own, trusted through SMTP_CA_FILE)
// and AUTH, and its HTTP API.
type mailpit struct {
	t              testing.TB
	smtp, api, ca  string
	user, password string
}

// startMailpit starts a Mailpit on free ports for the test.
func startMailpit(t testing.TB) *mailpit {
	t.Helper()
	dir := t.TempDir()
	m := &mailpit{t: t, smtp: freePort(t), api: freePort(t), ca: filepath.Join(dir, "cert.pem"), user: "notify", password: "mail-password"}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "mailpit"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(m.ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	keyFile := filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	log := &lockedWriter{mu: &sync.Mutex{}, buf: &bytes.Buffer{}}
	cmd := exec.Command(mailpitBinary(t), "--smtp", m.smtp, "--listen", m.api, "--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-tls-cert", m.ca, "--smtp-tls-key", keyFile, "--smtp-require-starttls", "--smtp-auth-accept-any", "--max", "5000")
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("---- mailpit log (tail) ----\n%s", tail(log.buf.String(), 2000))
		}
	})
	require.Eventually(t, func() bool {
		resp, err := httpClient.Get("http://" + m.api + "/api/v1/info")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	}, 30*time.Second, 100*time.Millisecond, "mailpit answers")
	return m
}

// env is notify's environment for this Mailpit.
func (m *mailpit) env() []string {
	return []string{"SMTP_ADDR=" + m.smtp, "SMTP_SECURITY=starttls", "SMTP_CA_FILE=" + m.ca, "SMTP_USERNAME=" + m.user,
		"SMTP_PASSWORD=" + m.password, "SMTP_FROM=Trust Engine <noreply@trustengine.test>"}
}

// email is one message Mailpit holds.
type email struct {
	ID      string
	To      []string
	Subject string
	Text    string
	Headers map[string][]string
}

// to returns the emails Mailpit holds for addr, oldest first, with their
// text and headers.
func (m *mailpit) to(addr string) []email {
	m.t.Helper()
	var list struct {
		Messages []struct {
			ID      string `json:"ID"`
			Subject string `json:"Subject"`
			To      []struct {
				Address string `json:"Address"`
			} `json:"To"`
		} `json:"messages"`
	}
	m.get("/api/v1/search?limit=1000&query="+url.QueryEscape("to:"+addr), &list)
	var out []email
	for i := len(list.Messages) - 1; i >= 0; i-- {
		l := list.Messages[i]
		e := email{ID: l.ID, Subject: l.Subject}
		for _, a := range l.To {
			e.To = append(e.To, a.Address)
		}
		if !slices.Contains(e.To, addr) {
			continue
		}
		var full struct {
			Text string `json:"Text"`
		}
		m.get("/api/v1/message/"+l.ID, &full)
		e.Text = full.Text
		m.get("/api/v1/message/"+l.ID+"/headers", &e.Headers)
		out = append(out, e)
	}
	return out
}

// all returns how many emails Mailpit holds.
func (m *mailpit) all() int {
	m.t.Helper()
	var list struct {
		Total int `json:"total"`
	}
	m.get("/api/v1/messages?limit=1", &list)
	return list.Total
}

func (m *mailpit) get(path string, out any) {
	m.t.Helper()
	resp, err := httpClient.Get("http://" + m.api + path)
	require.NoError(m.t, err)
	defer resp.Body.Close()
	require.Equal(m.t, 200, resp.StatusCode, path)
	require.NoError(m.t, json.NewDecoder(resp.Body).Decode(out))
}

// Twilio account of the SMS fake.
const (
	twilioSID   = "ACe2e0000000000000000000000000000"
	twilioToken = "e2e-twilio-auth-token"
	twilioFrom  = "+27870000000"
)

// sms is one request the SMS fake took.
type sms struct {
	SID, To, Body, StatusCallback string
}

// smsFake is a Twilio-compatible Messages API that checks each request as
// Twilio documents it and records it; failing makes it answer 503.
type smsFake struct {
	t       testing.TB
	srv     *httptest.Server
	mu      sync.Mutex
	got     []sms
	failing bool
}

func startSMSFake(t testing.TB) *smsFake {
	t.Helper()
	f := &smsFake{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+twilioSID+"/Messages.json" ||
			!ok || user != twilioSID || pass != twilioToken || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			http.Error(w, `{"code":20404,"message":"not as Twilio documents"}`, http.StatusNotFound)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("From") != twilioFrom || r.PostForm.Get("To") == "" {
			http.Error(w, `{"code":21211,"message":"Invalid 'To' Phone Number"}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.failing {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		s := sms{SID: fmt.Sprintf("SM%032d", len(f.got)+1), To: r.PostForm.Get("To"), Body: r.PostForm.Get("Body"),
			StatusCallback: r.PostForm.Get("StatusCallback")}
		f.got = append(f.got, s)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]string{"sid": s.SID, "status": "queued", "to": s.To})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// env is notify's environment for this provider.
func (f *smsFake) env() []string {
	return []string{"SMS_PROVIDER=twilio", "TWILIO_BASE_URL=" + f.srv.URL, "TWILIO_ACCOUNT_SID=" + twilioSID,
		"TWILIO_AUTH_TOKEN=" + twilioToken, "TWILIO_FROM=" + twilioFrom}
}

// to returns the messages the fake took for phone.
func (f *smsFake) to(phone string) []sms {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sms
	for _, s := range f.got {
		if s.To == phone {
			out = append(out, s)
		}
	}
	return out
}

// twilioSignature is Twilio's X-Twilio-Signature of a form posted to u.
func twilioSignature(u string, form url.Values) string { return signWith(twilioToken, u, form) }

// signWith is the X-Twilio-Signature of a form posted to u under token.
func signWith(token, u string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(u))
	for _, k := range keys {
		for _, v := range form[k] {
			m.Write([]byte(k + v))
		}
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// twilioPost posts form to the gateway's Twilio webhook of tenant, signed
// when sign is set, and returns the HTTP status.
func (s *suite) twilioPost(tenant string, form url.Values, sign bool) int {
	s.t.Helper()
	u := s.gatewayURL + "/notify/webhooks/" + tenant + "/twilio"
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sign {
		req.Header.Set("X-Twilio-Signature", twilioSignature(u, form))
	}
	resp, err := httpClient.Do(req)
	require.NoError(s.t, err)
	resp.Body.Close()
	return resp.StatusCode
}
