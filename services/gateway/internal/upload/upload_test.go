package upload_test

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/gateway/internal/upload"
)

func TestAFileIsPassedOnInChunksAndStoppedPastItsLimit(t *testing.T) {
	t.Parallel()
	var sizes []int
	n, err := upload.Stream(strings.NewReader(strings.Repeat("x", 100_000)), 100_000, func(b []byte) error {
		sizes = append(sizes, len(b))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, int64(100_000), n)
	require.Equal(t, []int{upload.Chunk, upload.Chunk, upload.Chunk, 100_000 - 3*upload.Chunk}, sizes)

	passed := 0
	_, err = upload.Stream(strings.NewReader(strings.Repeat("x", 100_001)), 100_000, func(b []byte) error { passed += len(b); return nil })
	var tooLarge *upload.TooLarge
	require.True(t, errors.As(err, &tooLarge))
	require.LessOrEqual(t, passed, 100_000)
}

func TestAFileNameKeepsThePathItWasSentWith(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="../../etc/passwd"`)
	w, err := mw.CreatePart(h)
	require.NoError(t, err)
	_, _ = w.Write([]byte("x"))
	require.NoError(t, mw.Close())
	p, err := multipart.NewReader(&b, mw.Boundary()).NextPart()
	require.NoError(t, err)
	require.Equal(t, "passwd", p.FileName(), "what mime/multipart would give")
	require.Equal(t, "../../etc/passwd", upload.FileName(p))
	require.True(t, upload.IsFile(p))
}
