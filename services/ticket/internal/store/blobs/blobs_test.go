package blobs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/s3test"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

// key is the key of content in tenant.
func key(tenant string, content []byte) string {
	sum := sha256.Sum256(content)
	return tenant + "/" + hex.EncodeToString(sum[:])
}

// stores are the two implementations, each fresh.
func stores(t *testing.T) map[string]blobs.Store {
	t.Helper()
	local, err := blobs.NewLocal(t.TempDir())
	require.NoError(t, err)
	srv := s3test.Start(t)
	s3, err := blobs.NewS3(context.Background(), blobs.S3Config{Endpoint: srv.Endpoint, Bucket: "photos",
		AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Region: "us-east-1", SignURLs: true})
	require.NoError(t, err)
	return map[string]blobs.Store{"a local directory": local, "S3 (VersityGW)": s3}
}

func TestBothStoresKeepObjectsByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			photo := bytes.Repeat([]byte("pixels"), 50_000) // larger than one read buffer
			k := key("CPT", photo)
			require.NoError(t, s.Put(ctx, k, bytes.NewReader(photo), int64(len(photo)), "image/jpeg"))
			require.NoError(t, s.Put(ctx, k, bytes.NewReader(photo), int64(len(photo)), "image/jpeg"), "writing one twice is harmless")
			other := key("JHB", []byte("other"))
			require.NoError(t, s.Put(ctx, other, strings.NewReader("other"), 5, "image/png"))

			ok, err := s.Exists(ctx, k)
			require.NoError(t, err)
			require.True(t, ok)
			r, err := s.Get(ctx, k)
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			require.NoError(t, r.Close())
			require.True(t, bytes.Equal(photo, got))

			keys, err := s.List(ctx, "CPT/")
			require.NoError(t, err)
			require.Equal(t, []string{k}, keys)
			keys, err = s.List(ctx, "")
			require.NoError(t, err)
			require.ElementsMatch(t, []string{k, other}, keys)

			require.NoError(t, s.Delete(ctx, k))
			require.NoError(t, s.Delete(ctx, k), "deleting a missing object is not an error")
			ok, err = s.Exists(ctx, k)
			require.NoError(t, err)
			require.False(t, ok)
			_, err = s.Get(ctx, k)
			require.ErrorIs(t, err, blobs.ErrNotFound)
		})
	}
}

func TestKeysThatAreNotAHashOfATenantAreRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, k := range []string{"../../etc/passwd", "CPT/../../x", "cpt/" + strings.Repeat("a", 64),
				"CPT/" + strings.Repeat("A", 64), "CPT/abc", "", "CPT/" + strings.Repeat("a", 64) + "/x"} {
				require.Error(t, s.Put(ctx, k, strings.NewReader("x"), 1, "image/jpeg"), "key %q", k)
				_, err := s.Get(ctx, k)
				require.Error(t, err, "key %q", k)
				require.False(t, errors.Is(err, blobs.ErrNotFound), "key %q is malformed, not missing", k)
			}
			keys, err := s.List(ctx, "")
			require.NoError(t, err)
			require.Empty(t, keys)
		})
	}
}

func TestAShortWriteLeavesNothingBehind(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := blobs.NewLocal(dir)
	require.NoError(t, err)
	k := key("CPT", []byte("whole"))
	require.Error(t, s.Put(context.Background(), k, strings.NewReader("wh"), 5, "image/jpeg"))
	keys, err := s.List(context.Background(), "")
	require.NoError(t, err)
	require.Empty(t, keys)
	partial, err := s.Partial()
	require.NoError(t, err)
	require.Empty(t, partial)
}

func TestS3SignsShortLivedDownloadLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := stores(t)["S3 (VersityGW)"]
	content := []byte("a cleaned photo")
	k := key("CPT", content)
	require.NoError(t, s.Put(ctx, k, bytes.NewReader(content), int64(len(content)), "image/jpeg"))

	link, err := s.SignedURL(ctx, k, time.Minute, "image/jpeg")
	require.NoError(t, err)
	require.Contains(t, link, "X-Amz-Signature=")
	resp, err := http.Get(link)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	require.Equal(t, content, body)
	require.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))

	resp, err = http.Get(strings.Replace(link, "X-Amz-Signature=", "X-Amz-Signature=0", 1))
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "a forged signature")

	short, err := s.SignedURL(ctx, k, time.Second, "image/jpeg")
	require.NoError(t, err)
	time.Sleep(2100 * time.Millisecond)
	resp, err = http.Get(short)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "an expired link")

	local, err := blobs.NewLocal(t.TempDir())
	require.NoError(t, err)
	none, err := local.SignedURL(ctx, k, time.Minute, "image/jpeg")
	require.NoError(t, err)
	require.Empty(t, none, "a local directory signs nothing")
}
