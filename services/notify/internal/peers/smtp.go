package peers

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// SMTP security modes.
const (
	// SMTPStartTLS upgrades the connection with STARTTLS before anything
	// is sent, and refuses a server that does not offer it.
	SMTPStartTLS = "starttls"
	// SMTPImplicitTLS speaks TLS from the first byte (port 465).
	SMTPImplicitTLS = "tls"
	// SMTPPlain sends in the clear: development only (Mailpit on
	// loopback); the configuration refuses it otherwise.
	SMTPPlain = "none"
)

// SMTPConfig is a mail submission server.
type SMTPConfig struct {
	// Addr is host:port (587 for STARTTLS, 465 for implicit TLS).
	Addr string
	// Username and Password authenticate (AUTH PLAIN, only over TLS).
	Username, Password string
	// From is the sender address (and name): "Trust Engine <noreply@...>".
	From string
	// Security is SMTPStartTLS, SMTPImplicitTLS or SMTPPlain.
	Security string
	// CAFile is a PEM bundle of extra roots to trust (a private relay).
	CAFile string
	// Rate is messages per second; 0 is unlimited.
	Rate float64
}

// SMTP sends email through a submission server with net/smtp.
type SMTP struct {
	cfg   SMTPConfig
	host  string
	roots *x509.CertPool
	lim   *rate.Limiter
	now   func() time.Time
}

// NewSMTP returns the email sender of cfg.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, errorf("SMTP_ADDR %q: %v", cfg.Addr, err)
	}
	if _, err := mailAddress(cfg.From); err != nil {
		return nil, errorf("SMTP_FROM %q: %v", cfg.From, err)
	}
	s := &SMTP{cfg: cfg, host: host, lim: limiter(cfg.Rate), now: time.Now}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, errorf("SMTP_CA_FILE: %v", err)
		}
		if s.roots, err = x509.SystemCertPool(); err != nil || s.roots == nil {
			s.roots = x509.NewCertPool()
		}
		if !s.roots.AppendCertsFromPEM(pem) {
			return nil, errorf("SMTP_CA_FILE %s holds no PEM certificate", cfg.CAFile)
		}
	}
	return s, nil
}

// Send implements app.Sender: one SMTP transaction per message (STARTTLS
// or TLS, then AUTH when a user is set), a plain-text UTF-8 body in
// quoted-printable, the message's id as its Message-ID, and List-Unsubscribe
// (with one-click POST, RFC 8058) when it has a link. A 4xx reply or a
// network failure is temporary, a 5xx permanent.
func (s *SMTP) Send(ctx context.Context, o domain.Outgoing) (domain.Sent, error) {
	if err := s.lim.Wait(ctx); err != nil {
		return domain.Sent{}, domain.Temporary("smtp: rate limit: %v", err)
	}
	msg, id, err := s.compose(o)
	if err != nil {
		return domain.Sent{}, domain.Permanent("smtp: %v", err)
	}
	if err := s.transact(ctx, o.To, msg); err != nil {
		return domain.Sent{}, smtpError(err)
	}
	return domain.Sent{Provider: "smtp", ProviderMessageID: id}, nil
}

// transact runs one SMTP session that sends msg to rcpts.
func (s *SMTP) transact(ctx context.Context, rcpts []string, msg []byte) error {
	dl := time.Now().Add(sendTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	tlsCfg := &tls.Config{ServerName: s.host, RootCAs: s.roots, MinVersion: tls.VersionTLS12}
	dialer := &net.Dialer{Deadline: dl}
	var (
		conn net.Conn
		err  error
	)
	if s.cfg.Security == SMTPImplicitTLS {
		conn, err = tls.DialWithDialer(dialer, "tcp", s.cfg.Addr, tlsCfg)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", s.cfg.Addr)
	}
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(dl)
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if s.cfg.Security == SMTPStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS")
		}
		if err := c.StartTLS(tlsCfg); err != nil {
			return err
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.host)); err != nil {
			return err
		}
	}
	from, _ := mailAddress(s.cfg.From)
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose writes the message in RFC 5322 form and returns its Message-ID.
func (s *SMTP) compose(o domain.Outgoing) ([]byte, string, error) {
	for _, r := range append([]string{s.cfg.From}, o.To...) {
		if strings.ContainsAny(r, "\r\n") {
			return nil, "", errors.New("an address with a line break")
		}
	}
	id := o.MessageID + "@trustengine.notify"
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", s.cfg.From)
	h("To", strings.Join(o.To, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", strings.ReplaceAll(o.Subject, "\n", " ")))
	h("Date", s.now().Format(time.RFC1123Z))
	h("Message-ID", "<"+id+">")
	h("MIME-Version", "1.0")
	h("Content-Language", string(o.Language.Or()))
	h("Auto-Submitted", "auto-generated")
	if o.Unsubscribe != "" {
		h("List-Unsubscribe", "<"+o.Unsubscribe+">")
		h("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	if o.Attachment == nil {
		h("Content-Type", "text/plain; charset=utf-8")
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeText(&b, o.Body); err != nil {
			return nil, "", err
		}
		return b.Bytes(), id, nil
	}
	// A file goes as multipart/mixed: the text, then the file in base64.
	mw := multipart.NewWriter(&b)
	h("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	text, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return nil, "", err
	}
	if err := writeText(text, o.Body); err != nil {
		return nil, "", err
	}
	a := o.Attachment
	mt, params, err := mime.ParseMediaType(a.Type)
	if err != nil {
		return nil, "", fmt.Errorf("an attachment's type %q: %v", a.Type, err)
	}
	params["name"] = a.Name
	ctype := mime.FormatMediaType(mt, params)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	if ctype == "" || disp == "" {
		return nil, "", errors.New("an attachment with a bad type or name")
	}
	file, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {ctype}, "Content-Disposition": {disp},
		"Content-Transfer-Encoding": {"base64"}})
	if err != nil {
		return nil, "", err
	}
	enc := base64.StdEncoding.EncodeToString(a.Content)
	for len(enc) > 76 {
		if _, err := io.WriteString(file, enc[:76]+"\r\n"); err != nil {
			return nil, "", err
		}
		enc = enc[76:]
	}
	if _, err := io.WriteString(file, enc+"\r\n"); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), id, nil
}

// writeText writes body to w as quoted-printable with CRLF line ends.
func writeText(w io.Writer, body string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return err
	}
	return qp.Close()
}

// mailAddress is the bare address of "Name <addr>" or "addr".
func mailAddress(s string) (string, error) {
	if i := strings.LastIndex(s, "<"); i >= 0 && strings.HasSuffix(s, ">") {
		s = s[i+1 : len(s)-1]
	}
	if !domain.IsEmail(s) {
		return "", errors.New("not an email address")
	}
	return s, nil
}

// smtpError classifies an SMTP failure: a 5xx reply is permanent, a 4xx
// reply or anything else (the network, TLS) temporary.
func smtpError(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return domain.Permanent("smtp: %d %s", te.Code, te.Msg)
	}
	return domain.Temporary("smtp: %v", err)
}
