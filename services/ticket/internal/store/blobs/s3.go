package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config locates a bucket of S3-compatible object storage.
type S3Config struct {
	// Endpoint is the server's host:port, without scheme.
	Endpoint string
	// Bucket holds the objects; it is created when missing.
	Bucket string
	// AccessKey and SecretKey are the credentials.
	AccessKey, SecretKey string
	// Region is the bucket's region.
	Region string
	// TLS speaks HTTPS to the endpoint.
	TLS bool
	// SignURLs hands out signed download links; off when the endpoint is
	// not reachable by the callers of the API.
	SignURLs bool
}

// S3 keeps objects in a bucket of S3-compatible object storage.
type S3 struct {
	c      *minio.Client
	bucket string
	sign   bool
}

// NewS3 connects to cfg's bucket, creating it when it does not exist.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blobs.NewS3: endpoint and bucket are required")
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.TLS, Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("blobs.NewS3: %w", err)
	}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blobs.NewS3: bucket %s: %w", cfg.Bucket, err)
	}
	if !ok {
		if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			return nil, fmt.Errorf("blobs.NewS3: make bucket %s: %w", cfg.Bucket, err)
		}
	}
	return &S3{c: c, bucket: cfg.Bucket, sign: cfg.SignURLs}, nil
}

// Put implements Store. The object goes up in one streamed request
// (photos are tens of megabytes at most), so no part is held in memory.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if _, err := s.c.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType: contentType, DisableMultipart: true,
	}); err != nil {
		return fmt.Errorf("blobs.S3.Put: %w", err)
	}
	return nil
}

// notFound reports whether err says the object (or bucket) is missing.
func notFound(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.Code == minio.NoSuchKey || r.StatusCode == http.StatusNotFound
}

// Get implements Store.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	o, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blobs.S3.Get: %w", err)
	}
	// GetObject is lazy: Stat makes the request and tells a missing object.
	if _, err := o.Stat(); err != nil {
		_ = o.Close()
		if notFound(err) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("blobs.S3.Get: %w", err)
	}
	return o, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
		return fmt.Errorf("blobs.S3.Delete: %w", err)
	}
	return nil
}

// Exists implements Store.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	_, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	switch {
	case err == nil:
		return true, nil
	case notFound(err):
		return false, nil
	}
	return false, fmt.Errorf("blobs.S3.Exists: %w", err)
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("blobs.S3.List: %w", o.Err)
		}
		keys = append(keys, o.Key)
	}
	slices.Sort(keys)
	return keys, nil
}

// SignedURL implements Store: a presigned GET that serves the object with
// contentType, as an attachment download, never rendered in place.
func (s *S3) SignedURL(ctx context.Context, key string, ttl time.Duration, contentType string) (string, error) {
	if !s.sign {
		return "", nil
	}
	if err := checkKey(key); err != nil {
		return "", err
	}
	params := url.Values{}
	params.Set("response-content-type", contentType)
	params.Set("response-content-disposition", "attachment")
	u, err := s.c.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return "", fmt.Errorf("blobs.S3.SignedURL: %w", err)
	}
	return u.String(), nil
}
