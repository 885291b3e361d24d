package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/semaphore"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/domain/photo"
	"github.com/salga/trustengine/services/ticket/internal/store"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

// Photos are the settings and the storage of attachments.
type Photos struct {
	// Objects keeps the pictures.
	Objects blobs.Store
	// SpoolDir holds uploads while they are received and cleaned ("" for
	// the system's temporary directory).
	SpoolDir string
	// MaxBytes is the largest upload, MaxPixels the most pixels an image
	// may declare, MaxPerTicket the most attachments of one ticket.
	MaxBytes     int64
	MaxPixels    int64
	MaxPerTicket int
	// DecodeMemory is the memory all uploads being cleaned at once may
	// take (estimated from their headers); one that alone needs more is
	// refused.
	DecodeMemory int64
	// URLTTL is how long a signed download link lives.
	URLTTL time.Duration
	// IdleTimeout is the longest pause between two messages of an upload,
	// UploadTimeout the longest an upload may take to arrive.
	IdleTimeout, UploadTimeout time.Duration
	// SweepEvery is how often deleted and abandoned objects and the
	// attachments past their municipality's retention are swept.
	SweepEvery time.Duration
}

// objectGrace is how long an upload's objects are kept without an
// attachment: longer than writing them and committing their rows ever
// takes, so the sweep never deletes an object an upload is about to use.
const objectGrace = time.Hour

// WithPhotos sets the attachments' settings and storage.
func (a *App) WithPhotos(p Photos) *App {
	a.photos = p
	a.decode = semaphore.NewWeighted(max(p.DecodeMemory, 1))
	return a
}

// UploadTimeouts are the pauses and the total time an upload may take to
// arrive, for the gRPC edge that receives it.
func (a *App) UploadTimeouts() (idle, total time.Duration) {
	return a.photos.IdleTimeout, a.photos.UploadTimeout
}

// admit is the photo.Gate of this process: it holds bytes of the decode
// budget while one image is cleaned.
func (a *App) admit(ctx context.Context, bytes int64) (func(), error) {
	n := min(bytes, a.photos.DecodeMemory)
	if err := a.decode.Acquire(ctx, n); err != nil {
		return nil, err
	}
	return func() { a.decode.Release(n) }, nil
}

// Files yields the files of a multi-file upload in order: Next returns the
// next file's description and its bytes, which are read to their end
// before Next is called again, and io.EOF after the last file.
type Files interface {
	Next() (domain.NewFile, io.Reader, error)
}

// cleaned is an upload cleaned and ready to store, in temporary files.
type cleaned struct {
	file         domain.NewFile
	res          photo.Result
	image, thumb *os.File
	// imageSum is the SHA-256 of the cleaned image.
	imageSum []byte
}

// remove deletes the temporary files.
func (c *cleaned) remove() {
	for _, f := range []*os.File{c.image, c.thumb} {
		if f != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}
}

// removeAll deletes the temporary files of cs.
func removeAll(cs []*cleaned) {
	for _, c := range cs {
		c.remove()
	}
}

// spoolPrefix starts the name of every file the service spools, so that
// what a crash left behind can be told apart in a shared directory.
const spoolPrefix = "trustengine-photo-"

// temp creates a temporary file in the spool directory.
func (a *App) temp(pattern string) (*os.File, error) {
	f, err := os.CreateTemp(a.photos.SpoolDir, spoolPrefix+pattern)
	if err != nil {
		return nil, fmt.Errorf("app: spool: %w", err)
	}
	return f, nil
}

// CleanSpool deletes the spool files older than age (those of uploads a
// crashed process was receiving) and returns how many.
func (a *App) CleanSpool(age time.Duration) (int, error) {
	dir := a.photos.SpoolDir
	if dir == "" {
		dir = os.TempDir()
	}
	matches, err := filepath.Glob(filepath.Join(dir, spoolPrefix+"*"))
	if err != nil {
		return 0, fmt.Errorf("app.CleanSpool: %w", err)
	}
	n := 0
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && !st.IsDir() && time.Since(st.ModTime()) > age && os.Remove(m) == nil {
			n++
		}
	}
	return n, nil
}

// clean receives body (at most MaxBytes) into the spool and cleans it. A
// refused file is InvalidArgument naming `data`, with the rule it broke.
func (a *App) clean(ctx context.Context, f domain.NewFile, body io.Reader) (_ *cleaned, err error) {
	if a.photos.Objects == nil {
		return nil, apperr.FailedPrecondition("attachments are not configured on this service")
	}
	spool, err := a.temp("upload-*")
	if err != nil {
		return nil, err
	}
	defer func() {
		_ = spool.Close()
		_ = os.Remove(spool.Name())
	}()
	n, err := io.Copy(spool, io.LimitReader(body, a.photos.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if n > a.photos.MaxBytes {
		return nil, apperr.Invalid("data", fmt.Sprintf("must be at most %d bytes (%d MiB)", a.photos.MaxBytes, a.photos.MaxBytes>>20))
	}
	c := &cleaned{file: f}
	defer func() {
		if err != nil {
			c.remove()
		}
	}()
	if c.image, err = a.temp("image-*"); err != nil {
		return nil, err
	}
	if c.thumb, err = a.temp("thumb-*"); err != nil {
		return nil, err
	}
	h := sha256.New()
	lim := photo.Limits{MaxPixels: a.photos.MaxPixels, MaxMemory: a.photos.DecodeMemory}
	c.res, err = photo.Clean(ctx, spool, n, lim, a.admit, io.MultiWriter(c.image, h), c.thumb)
	var r *photo.Refusal
	if errors.As(err, &r) {
		return nil, apperr.Invalid("data", r.Rule)
	}
	if err != nil {
		return nil, fmt.Errorf("app: clean: %w", err)
	}
	c.imageSum = h.Sum(nil)
	return c, nil
}

// cleanFiles cleans every file of files, refusing more than max, each one
// as rule says of its description before its bytes are read.
func (a *App) cleanFiles(ctx context.Context, files Files, max int, rule func(domain.NewFile) error) (_ []*cleaned, err error) {
	var out []*cleaned
	defer func() {
		if err != nil {
			removeAll(out)
		}
	}()
	for {
		f, body, err := files.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(out) == max {
			return nil, apperr.Invalid("file", fmt.Sprintf("at most %d files may be attached to a ticket", max))
		}
		if r := domain.FileNameRule(f.Name); r != "" {
			return nil, apperr.Invalid("file.file_name", r)
		}
		if err := rule(f); err != nil {
			return nil, err
		}
		c, err := a.clean(ctx, f, body)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// newAttachment describes cleaned file c as attachment id of ticket t, by
// uploader at now, before its objects are stored.
func newAttachment(t domain.Ticket, id, noteID, uploader string, c *cleaned, now time.Time) domain.Attachment {
	return domain.Attachment{
		ID: id, TicketID: t.ID, Tenant: t.Tenant, GBV: t.IsGBV(), NoteID: noteID, FileName: c.file.Name,
		SHA256: fmt.Sprintf("%x", c.imageSum), Public: c.file.Public, CreatedBy: uploader, CreateTime: now,
		Image: domain.Blob{ContentType: c.res.Image.ContentType, Width: c.res.Image.Width, Height: c.res.Image.Height},
		Thumb: domain.Blob{ContentType: c.res.Thumbnail.ContentType, Width: c.res.Thumbnail.Width, Height: c.res.Thumbnail.Height},
	}
}

// object is one object to write: its key, bytes and type.
type object struct {
	key         string
	file        *os.File
	size        int64
	contentType string
}

// prepare makes the objects of attachment att from c: the cleaned picture
// as it is, or sealed into a new temporary file for a GBV ticket. It
// fills att's keys and sizes.
func (a *App) prepare(att *domain.Attachment, c *cleaned) ([]object, error) {
	var out []object
	for _, p := range []struct {
		part string
		file *os.File
		blob *domain.Blob
	}{{store.PartImage, c.image, &att.Image}, {store.PartThumbnail, c.thumb, &att.Thumb}} {
		size, err := p.file.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, fmt.Errorf("app: prepare: %w", err)
		}
		p.blob.Size = size
		if _, err := p.file.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("app: prepare: %w", err)
		}
		o := object{file: p.file, size: size, contentType: p.blob.ContentType}
		var h hash.Hash = sha256.New()
		if att.GBV {
			sealed, err := a.temp("sealed-*")
			if err != nil {
				return nil, err
			}
			// The sealed file replaces the plaintext one in c, so c.remove
			// deletes it too.
			if o.size, err = a.store.SealPhoto(io.MultiWriter(sealed, h), p.file, *att, p.part); err != nil {
				_ = sealed.Close()
				_ = os.Remove(sealed.Name())
				return nil, err
			}
			_ = p.file.Close()
			_ = os.Remove(p.file.Name())
			if p.part == store.PartImage {
				c.image = sealed
			} else {
				c.thumb = sealed
			}
			o.file, o.contentType = sealed, "application/octet-stream"
		} else if _, err := io.Copy(h, p.file); err != nil {
			return nil, fmt.Errorf("app: prepare: %w", err)
		}
		p.blob.Key = domain.ObjectKey(att.Tenant, h.Sum(nil))
		o.key = p.blob.Key
		out = append(out, o)
	}
	return out, nil
}

// putObjects registers the objects' keys as upload's, in flight for the
// grace of an upload (a failed upload's objects are swept after it), and
// writes them.
func (a *App) putObjects(ctx context.Context, c access.Caller, upload, tenant string, objs []object) error {
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.key
	}
	if err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		return a.store.StartUpload(ctx, tx, upload, tenant, keys, a.timestamp().Add(objectGrace))
	}); err != nil {
		return err
	}
	for _, o := range objs {
		if _, err := o.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("app: put: %w", err)
		}
		if err := a.photos.Objects.Put(ctx, o.key, o.file, o.size, o.contentType); err != nil {
			return fmt.Errorf("app: put: %w", err)
		}
	}
	return nil
}

// storeCleaned prepares and writes the objects of atts from cs (in order),
// filling their keys and sizes, and returns the id of the upload, which
// the transaction that commits atts finishes (store.FinishUpload).
func (a *App) storeCleaned(ctx context.Context, c access.Caller, tenant string, atts []domain.Attachment, cs []*cleaned) (string, error) {
	var objs []object
	for i := range atts {
		o, err := a.prepare(&atts[i], cs[i])
		if err != nil {
			return "", err
		}
		objs = append(objs, o...)
	}
	upload := uuid.NewString()
	return upload, a.putObjects(ctx, c, upload, tenant, objs)
}

// withURLs fills where each attachment is downloaded: signed links to
// storage for what is not sealed, when the storage signs them; the
// gateway's paths otherwise.
func (a *App) withURLs(ctx context.Context, as []domain.Attachment) ([]domain.Attachment, error) {
	for i := range as {
		at := &as[i]
		path := "/v1/tickets/" + at.TicketID + "/attachments/" + at.ID
		at.DownloadURL, at.ThumbnailURL = path, path+"/thumbnail"
		if at.GBV || a.photos.Objects == nil {
			continue
		}
		img, err := a.photos.Objects.SignedURL(ctx, at.Image.Key, a.photos.URLTTL, at.Image.ContentType)
		if err != nil {
			return nil, err
		}
		thumb, err := a.photos.Objects.SignedURL(ctx, at.Thumb.Key, a.photos.URLTTL, at.Thumb.ContentType)
		if err != nil {
			return nil, err
		}
		if img != "" && thumb != "" {
			exp := a.timestamp().Add(a.photos.URLTTL)
			at.DownloadURL, at.ThumbnailURL, at.URLExpire = img, thumb, &exp
		}
	}
	return as, nil
}
