package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Local keeps objects as files under a directory: key `CPT/ab12…` is the
// file `<dir>/CPT/ab/ab12…`. Files are written to a temporary name and
// renamed into place, so a reader never sees half an object.
type Local struct {
	dir string
}

// NewLocal returns a store in dir, creating it (mode 0700) if needed.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("blobs.NewLocal: no directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blobs.NewLocal: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(abs, ".partial"), 0o700); err != nil {
		return nil, fmt.Errorf("blobs.NewLocal: %w", err)
	}
	return &Local{dir: abs}, nil
}

// path is where key's file lives.
func (l *Local) path(key string) string {
	tenant, hash, _ := strings.Cut(key, "/")
	return filepath.Join(l.dir, tenant, hash[:2], hash)
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, _ string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Join(l.dir, ".partial"), "put-*")
	if err != nil {
		return fmt.Errorf("blobs.Local.Put: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	n, err := io.Copy(f, r)
	if err != nil {
		return fmt.Errorf("blobs.Local.Put: write: %w", err)
	}
	if n != size {
		return fmt.Errorf("blobs.Local.Put: wrote %d bytes, expected %d", n, size)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blobs.Local.Put: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("blobs.Local.Put: close: %w", err)
	}
	dst := l.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("blobs.Local.Put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return fmt.Errorf("blobs.Local.Put: rename: %w", err)
	}
	done = true
	return nil
}

// Get implements Store.
func (l *Local) Get(_ context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(l.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blobs.Local.Get: %w", err)
	}
	return f, nil
}

// Delete implements Store.
func (l *Local) Delete(_ context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := os.Remove(l.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blobs.Local.Delete: %w", err)
	}
	return nil
}

// Exists implements Store.
func (l *Local) Exists(_ context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	_, err := os.Stat(l.path(key))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("blobs.Local.Exists: %w", err)
}

// List implements Store. Partial writes are not objects.
func (l *Local) List(_ context.Context, prefix string) ([]string, error) {
	var keys []string
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".partial" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(l.dir, p)
		if err != nil {
			return err
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 3 {
			return nil
		}
		if key := parts[0] + "/" + parts[2]; strings.HasPrefix(key, prefix) && checkKey(key) == nil {
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blobs.Local.List: %w", err)
	}
	slices.Sort(keys)
	return keys, nil
}

// Partial lists the temporary files of writes in progress or abandoned;
// a test of "nothing left behind" wants none.
func (l *Local) Partial() ([]string, error) {
	es, err := os.ReadDir(filepath.Join(l.dir, ".partial"))
	if err != nil {
		return nil, fmt.Errorf("blobs.Local.Partial: %w", err)
	}
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out, nil
}

// SignedURL implements Store: a local directory signs nothing.
func (l *Local) SignedURL(context.Context, string, time.Duration, string) (string, error) {
	return "", nil
}
