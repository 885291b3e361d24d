package seal_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/seal"
)

func devRing(t testing.TB) *seal.Keyring {
	t.Helper()
	k, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	return k
}

// sealed seals plain with aad and returns the stream.
func sealed(t testing.TB, k *seal.Keyring, plain, aad []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	n, err := k.SealStream(&out, bytes.NewReader(plain), aad)
	require.NoError(t, err)
	require.Equal(t, int64(out.Len()), n)
	require.Equal(t, k.StreamSize(int64(len(plain))), n, "StreamSize predicts the sealed size")
	return out.Bytes()
}

// opened opens stream with aad and reads it to the end.
func opened(k *seal.Keyring, stream, aad []byte) ([]byte, error) {
	r, err := k.OpenStream(bytes.NewReader(stream), aad)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestSealedStreamsRoundTripEverySize(t *testing.T) {
	t.Parallel()
	k := devRing(t)
	for _, size := range []int{0, 1, seal.StreamSegment - 1, seal.StreamSegment, seal.StreamSegment + 1,
		3 * seal.StreamSegment, 3*seal.StreamSegment + 17} {
		plain := make([]byte, size)
		_, _ = rand.Read(plain)
		stream := sealed(t, k, plain, []byte("photo:1"))
		got, err := opened(k, stream, []byte("photo:1"))
		require.NoError(t, err, "size %d", size)
		require.True(t, bytes.Equal(plain, got), "size %d", size)
		if size >= 64 {
			require.False(t, bytes.Contains(stream, plain[:64]), "size %d: plaintext in the stream", size)
		}
	}
}

func TestASealedStreamThatWasTamperedWithDoesNotOpen(t *testing.T) {
	t.Parallel()
	k := devRing(t)
	plain := make([]byte, 3*seal.StreamSegment+100)
	_, _ = rand.Read(plain)
	aad := []byte("tenant:ticket:attachment")
	stream := sealed(t, k, plain, aad)
	seg := seal.StreamSegment + 16
	head := len(stream) - (3*seg + 100 + 16)
	other := sealed(t, k, plain, aad)

	flipped := bytes.Clone(stream)
	flipped[head+seg+5] ^= 1
	for _, tc := range []struct {
		name   string
		stream []byte
		aad    []byte
	}{
		{"a flipped bit in the second segment", flipped, aad},
		{"another row's associated data", stream, []byte("tenant:ticket:other")},
		{"the last segment cut off", stream[:head+3*seg], aad},
		{"cut in the middle of a segment", stream[:head+seg+100], aad},
		{"two segments swapped", append(append(append(bytes.Clone(stream[:head]), stream[head+seg:head+2*seg]...),
			stream[head:head+seg]...), stream[head+2*seg:]...), aad},
		{"a segment of another stream spliced in", append(append(bytes.Clone(stream[:head+seg]), other[head+seg:head+2*seg]...),
			stream[head+2*seg:]...), aad},
		{"a segment appended", append(bytes.Clone(stream), stream[head:head+seg]...), aad},
		{"the header only", stream[:head], aad},
		{"no header", stream[head:], aad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := opened(k, tc.stream, tc.aad)
			require.Error(t, err, "opened %d bytes", len(got))
		})
	}
	t.Run("a key the ring does not hold", func(t *testing.T) {
		t.Parallel()
		other, err := seal.ParseKeyring("k2:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "k2")
		require.NoError(t, err)
		_, err = opened(other, stream, aad)
		require.ErrorContains(t, err, "unknown key")
	})
}

// FuzzOpenStream opens arbitrary bytes as a sealed stream: it must fail or
// succeed without panicking, and never release bytes it did not
// authenticate (random input never authenticates).
func FuzzOpenStream(f *testing.F) {
	k := devRing(f)
	f.Add(sealed(f, k, []byte("hello"), nil))
	f.Add(sealed(f, k, make([]byte, seal.StreamSegment+3), nil))
	f.Add([]byte("TES1\x03dev1234567"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, stream []byte) {
		got, err := opened(k, stream, nil)
		if err == nil && len(got) > 0 && !bytes.Equal(got, []byte("hello")) && !bytes.Equal(got, make([]byte, seal.StreamSegment+3)) {
			t.Fatalf("opened %d bytes of a stream nobody sealed", len(got))
		}
	})
}
