package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

// PhotoConfig is the attachments' settings (see the service's README).
type PhotoConfig struct {
	// Store is where pictures are kept: "local" (a directory, the default)
	// or "s3" (ATTACHMENT_STORE).
	Store string `env:"ATTACHMENT_STORE" envDefault:"local"`
	// Dir is the local store's directory (ATTACHMENT_DIR).
	Dir string `env:"ATTACHMENT_DIR" envDefault:"attachments"`
	// SpoolDir holds uploads while they arrive and are cleaned
	// (ATTACHMENT_SPOOL_DIR); default: the system's temporary directory.
	SpoolDir string `env:"ATTACHMENT_SPOOL_DIR"`
	// MaxBytes is the largest upload (ATTACHMENT_MAX_BYTES, 20 MiB).
	MaxBytes int64 `env:"ATTACHMENT_MAX_BYTES" envDefault:"20971520"`
	// MaxPixels is the most pixels an image may declare
	// (ATTACHMENT_MAX_PIXELS, 40 million).
	MaxPixels int64 `env:"ATTACHMENT_MAX_PIXELS" envDefault:"40000000"`
	// MaxPerTicket is the most attachments of one ticket
	// (ATTACHMENT_MAX_PER_TICKET, 10).
	MaxPerTicket int `env:"ATTACHMENT_MAX_PER_TICKET" envDefault:"10"`
	// DecodeMemory bounds the memory of the images being cleaned at once
	// (ATTACHMENT_DECODE_MEMORY, 192 MiB).
	DecodeMemory int64 `env:"ATTACHMENT_DECODE_MEMORY" envDefault:"201326592"`
	// IdleTimeout is the longest pause within an upload
	// (ATTACHMENT_IDLE_TIMEOUT, 30s).
	IdleTimeout time.Duration `env:"ATTACHMENT_IDLE_TIMEOUT" envDefault:"30s"`
	// UploadTimeout is the longest an upload may take to arrive
	// (ATTACHMENT_UPLOAD_TIMEOUT, 10m).
	UploadTimeout time.Duration `env:"ATTACHMENT_UPLOAD_TIMEOUT" envDefault:"10m"`
	// URLTTL is the life of a signed download link (ATTACHMENT_URL_TTL, 5m).
	URLTTL time.Duration `env:"ATTACHMENT_URL_TTL" envDefault:"5m"`
	// SweepEvery is how often retention and unused objects are swept
	// (ATTACHMENT_SWEEP_EVERY, 15m).
	SweepEvery time.Duration `env:"ATTACHMENT_SWEEP_EVERY" envDefault:"15m"`

	// S3 storage (ATTACHMENT_STORE=s3).
	S3Endpoint  string `env:"S3_ENDPOINT"`
	S3Bucket    string `env:"S3_BUCKET" envDefault:"trustengine-attachments"`
	S3AccessKey string `env:"S3_ACCESS_KEY"`
	S3SecretKey string `env:"S3_SECRET_KEY"`
	S3Region    string `env:"S3_REGION" envDefault:"us-east-1"`
	S3TLS       bool   `env:"S3_TLS" envDefault:"true"`
	S3SignURLs  bool   `env:"S3_SIGNED_URLS" envDefault:"true"`
}

// check refuses settings that cannot work.
func (c PhotoConfig) check() error {
	switch {
	case c.Store != "local" && c.Store != "s3":
		return fmt.Errorf("ticket: ATTACHMENT_STORE must be local or s3, not %q", c.Store)
	case c.Store == "s3" && (c.S3Endpoint == "" || c.S3AccessKey == "" || c.S3SecretKey == ""):
		return errors.New("ticket: ATTACHMENT_STORE=s3 needs S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY")
	case c.MaxBytes <= 0 || c.MaxPixels <= 0 || c.MaxPerTicket <= 0 || c.DecodeMemory <= 0:
		return errors.New("ticket: ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_PIXELS, ATTACHMENT_MAX_PER_TICKET and ATTACHMENT_DECODE_MEMORY must be positive")
	}
	return nil
}

// photos opens the configured store and returns the attachments' settings.
func (c PhotoConfig) photos(ctx context.Context) (app.Photos, error) {
	if err := c.check(); err != nil {
		return app.Photos{}, err
	}
	var (
		objects blobs.Store
		err     error
	)
	if c.Store == "s3" {
		objects, err = blobs.NewS3(ctx, blobs.S3Config{Endpoint: c.S3Endpoint, Bucket: c.S3Bucket, AccessKey: c.S3AccessKey,
			SecretKey: c.S3SecretKey, Region: c.S3Region, TLS: c.S3TLS, SignURLs: c.S3SignURLs})
	} else {
		objects, err = blobs.NewLocal(c.Dir)
	}
	if err != nil {
		return app.Photos{}, err
	}
	return app.Photos{Objects: objects, SpoolDir: c.SpoolDir, MaxBytes: c.MaxBytes, MaxPixels: c.MaxPixels,
		MaxPerTicket: c.MaxPerTicket, DecodeMemory: c.DecodeMemory, URLTTL: c.URLTTL, IdleTimeout: c.IdleTimeout,
		UploadTimeout: c.UploadTimeout, SweepEvery: c.SweepEvery}, nil
}
