package seal_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/seal"
)

func TestKeyring(t *testing.T) {
	t.Parallel()
	const newKey = "k2:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	old, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	s, err := old.Seal([]byte("secret"), []byte("row-1"))
	require.NoError(t, err)
	require.NotContains(t, string(s.Ciphertext), "secret")

	t.Run("a rotated keyring still opens content sealed with the old key", func(t *testing.T) {
		t.Parallel()
		rotated, err := seal.ParseKeyring(seal.DevKeys+","+newKey, "k2")
		require.NoError(t, err)
		pt, err := rotated.Open(s, []byte("row-1"))
		require.NoError(t, err)
		require.Equal(t, "secret", string(pt))
		s2, err := rotated.Seal([]byte("x"), nil)
		require.NoError(t, err)
		require.Equal(t, "k2", s2.KeyID)
	})
	t.Run("content moved to another row fails to open", func(t *testing.T) {
		t.Parallel()
		_, err := old.Open(s, []byte("row-2"))
		require.Error(t, err)
	})
	t.Run("short keys and a missing active key are refused", func(t *testing.T) {
		t.Parallel()
		_, err := seal.ParseKeyring("a:c2hvcnQ=", "a")
		require.Error(t, err)
		_, err = seal.ParseKeyring(seal.DevKeys, "nope")
		require.Error(t, err)
	})
}
