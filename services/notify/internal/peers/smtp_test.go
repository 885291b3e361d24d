package peers_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/peers"
)

// session is one SMTP transaction the fake server saw.
type session struct {
	tlsAtAuth bool
	auth      string
	from      string
	rcpts     []string
	data      string
}

// fakeSMTP is a submission server speaking just enough SMTP (EHLO,
// STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) to check what a client
// does, and to refuse a recipient with a chosen reply.
type fakeSMTP struct {
	addr, caFile string
	cfg          *tls.Config
	mu           sync.Mutex
	sessions     []session
	rcptReply    string
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake smtp"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	f := &fakeSMTP{caFile: filepath.Join(t.TempDir(), "ca.pem"), rcptReply: "250 ok",
		cfg: &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}}
	require.NoError(t, os.WriteFile(f.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	f.addr = ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	var s session
	secure := false
	_ = tp.PrintfLine("220 fake ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(cmd) {
		case "EHLO":
			if secure {
				_ = tp.PrintfLine("250-fake\r\n250 AUTH PLAIN")
			} else {
				_ = tp.PrintfLine("250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN")
			}
		case "STARTTLS":
			_ = tp.PrintfLine("220 go ahead")
			tc := tls.Server(c, f.cfg)
			if tc.Handshake() != nil {
				return
			}
			c, tp, secure = tc, textproto.NewConn(tc), true
		case "AUTH":
			raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(arg, "PLAIN "))
			s.auth, s.tlsAtAuth = string(raw), secure
			_ = tp.PrintfLine("235 ok")
		case "MAIL":
			s.from = arg
			_ = tp.PrintfLine("250 ok")
		case "RCPT":
			s.rcpts = append(s.rcpts, arg)
			f.mu.Lock()
			reply := f.rcptReply
			f.mu.Unlock()
			_ = tp.PrintfLine("%s", reply)
		case "DATA":
			_ = tp.PrintfLine("354 go on")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.data = string(b)
			f.mu.Lock()
			f.sessions = append(f.sessions, s)
			f.mu.Unlock()
			_ = tp.PrintfLine("250 queued")
		case "QUIT":
			_ = tp.PrintfLine("221 bye")
			return
		default:
			_ = tp.PrintfLine("502 no")
		}
	}
}

func (f *fakeSMTP) seen() []session {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]session(nil), f.sessions...)
}

func TestEmailGoesOverSTARTTLSWithAuthAndUnsubscribeHeaders(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t)
	s, err := peers.NewSMTP(peers.SMTPConfig{Addr: srv.addr, Username: "notify", Password: "pw", From: "Trust Engine <noreply@te.example.org>",
		Security: peers.SMTPStartTLS, CAFile: srv.caFile})
	require.NoError(t, err)
	o := domain.Outgoing{MessageID: "0c8e", Tenant: "CPT", Channel: domain.ChannelEmail, To: []string{"thandi@example.org"},
		Subject: "Umbiko wakho CPT-2026-000123 uxazululiwe", Body: "Umbiko wakho uxazululiwe.\nMisa lawa ma-imeyili: https://x/u?a=1",
		Language: domain.LangZU, Unsubscribe: "https://te.example.org/notify/unsubscribe?tenant=CPT&message=0c8e&sig=ab"}
	sent, err := s.Send(context.Background(), o)
	require.NoError(t, err)
	require.Equal(t, domain.Sent{Provider: "smtp", ProviderMessageID: "0c8e@trustengine.notify"}, sent)
	got := srv.seen()
	require.Len(t, got, 1)
	require.True(t, got[0].tlsAtAuth, "AUTH only after STARTTLS")
	require.Equal(t, "\x00notify\x00pw", got[0].auth)
	require.Equal(t, "FROM:<noreply@te.example.org>", got[0].from)
	require.Equal(t, []string{"TO:<thandi@example.org>"}, got[0].rcpts)
	msg, err := textproto.NewReader(bufio.NewReader(strings.NewReader(got[0].data))).ReadMIMEHeader()
	require.NoError(t, err)
	require.Equal(t, "<0c8e@trustengine.notify>", msg.Get("Message-Id"))
	require.Equal(t, "<"+o.Unsubscribe+">", msg.Get("List-Unsubscribe"))
	require.Equal(t, "List-Unsubscribe=One-Click", msg.Get("List-Unsubscribe-Post"))
	require.Equal(t, "zu", msg.Get("Content-Language"))
	require.Equal(t, "text/plain; charset=utf-8", msg.Get("Content-Type"))
	// ReadDotBytes gives the message with bare line ends.
	_, body, _ := strings.Cut(got[0].data, "\n\n")
	plain, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	require.NoError(t, err)
	require.Equal(t, o.Body, strings.TrimSuffix(strings.ReplaceAll(string(plain), "\r\n", "\n"), "\n"))

	// A 4xx reply is temporary, a 5xx permanent.
	srv.mu.Lock()
	srv.rcptReply = "451 try later"
	srv.mu.Unlock()
	_, err = s.Send(context.Background(), o)
	_, permanent := domain.IsPermanent(err)
	require.Error(t, err)
	require.False(t, permanent)
	srv.mu.Lock()
	srv.rcptReply = "550 no such user"
	srv.mu.Unlock()
	_, err = s.Send(context.Background(), o)
	reason, permanent := domain.IsPermanent(err)
	require.True(t, permanent, "%v", err)
	require.Contains(t, reason, "550")
}

func TestEmailRefusesAServerWithoutSTARTTLSOrAnUntrustedCertificate(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t)
	s, err := peers.NewSMTP(peers.SMTPConfig{Addr: srv.addr, Username: "notify", Password: "pw", From: "noreply@te.example.org",
		Security: peers.SMTPStartTLS})
	require.NoError(t, err)
	_, err = s.Send(context.Background(), domain.Outgoing{MessageID: "1", To: []string{"a@example.org"}, Body: "x"})
	require.Error(t, err, "the certificate is not trusted without SMTP_CA_FILE")
	require.Empty(t, srv.seen(), "nothing was sent, no password either")
}

func TestAnEmailWithAFileGoesAsMultipartMixed(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t)
	s, err := peers.NewSMTP(peers.SMTPConfig{Addr: srv.addr, From: "noreply@te.example.org", Security: peers.SMTPStartTLS, CAFile: srv.caFile})
	require.NoError(t, err)
	csv := []byte("group,met,breached\nwater,12,3\n" + strings.Repeat("x", 200) + "\n")
	o := domain.Outgoing{MessageID: "5d1a", Tenant: "CPT", Channel: domain.ChannelEmail, To: []string{"ops@cpt.example.org"},
		Subject: "Compliance report 2026-10", Body: "The report is attached.", Language: domain.LangEN,
		Attachment: &domain.Attachment{Name: "CPT-compliance-2026-10.csv", Type: "text/csv; charset=utf-8", Content: csv}}
	_, err = s.Send(context.Background(), o)
	require.NoError(t, err)
	got := srv.seen()
	require.Len(t, got, 1)
	m, err := mail.ReadMessage(strings.NewReader(got[0].data))
	require.NoError(t, err)
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/mixed", mt)
	mr := multipart.NewReader(m.Body, params["boundary"])
	text, err := mr.NextPart()
	require.NoError(t, err)
	require.Equal(t, "text/plain; charset=utf-8", text.Header.Get("Content-Type"))
	body, err := io.ReadAll(text) // multipart decodes quoted-printable itself
	require.NoError(t, err)
	require.Equal(t, o.Body, strings.TrimSpace(string(body)))
	file, err := mr.NextPart()
	require.NoError(t, err)
	require.Equal(t, "CPT-compliance-2026-10.csv", file.FileName())
	require.Equal(t, "base64", file.Header.Get("Content-Transfer-Encoding"))
	require.Equal(t, `text/csv; charset=utf-8; name=CPT-compliance-2026-10.csv`, file.Header.Get("Content-Type"), "the sender's type, parameters kept")
	raw, err := io.ReadAll(file)
	require.NoError(t, err)
	content, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
	require.NoError(t, err)
	require.Equal(t, csv, content)
	_, err = mr.NextPart()
	require.ErrorIs(t, err, io.EOF, "the text and the file, nothing else")
}
