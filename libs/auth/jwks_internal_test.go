package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAKeySetYieldsOnlyItsRS256SigningKeys(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	short, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	b64 := base64.RawURLEncoding.EncodeToString
	n, e := b64(key.N.Bytes()), b64(big.NewInt(int64(key.E)).Bytes())
	sig := jwk{Kty: "RSA", Kid: "k1", Use: "sig", Alg: "RS256", N: n, E: e}
	edit := func(f func(*jwk)) jwk { k := sig; f(&k); return k }
	tests := []struct {
		name  string
		keys  []jwk
		kids  []string
		error string
	}{
		{"a signing key is used", []jwk{sig}, []string{"k1"}, ""},
		{"a key without use or alg is used", []jwk{edit(func(k *jwk) { k.Use, k.Alg = "", "" })}, []string{"k1"}, ""},
		{"two keys are both used", []jwk{sig, edit(func(k *jwk) { k.Kid = "k2" })}, []string{"k1", "k2"}, ""},
		{"an encryption key is left out", []jwk{sig, edit(func(k *jwk) { k.Kid, k.Use = "enc", "enc" })}, []string{"k1"}, ""},
		{"a key of another algorithm is left out", []jwk{sig, edit(func(k *jwk) { k.Kid, k.Alg = "ps", "PS256" })}, []string{"k1"}, ""},
		{"a key of another type is left out", []jwk{sig, {Kty: "EC", Kid: "ec", Use: "sig"}}, []string{"k1"}, ""},
		{"a set without a signing key is refused", []jwk{edit(func(k *jwk) { k.Use = "enc" })}, nil, "no RS256 signing key"},
		{"an empty set is refused", nil, nil, "no RS256 signing key"},
		{"two signing keys of one kid are refused", []jwk{sig, sig}, nil, "two signing keys"},
		{"a 1024-bit key is refused", []jwk{edit(func(k *jwk) { k.N = b64(short.N.Bytes()) })}, nil, "1024-bit"},
		{"an even exponent is refused", []jwk{edit(func(k *jwk) { k.E = b64([]byte{4}) })}, nil, "exponent"},
		{"a huge exponent is refused", []jwk{edit(func(k *jwk) { k.E = b64([]byte{1, 0, 0, 0, 0, 1}) })}, nil, "exponent"},
		{"a modulus that is no base64url is refused", []jwk{edit(func(k *jwk) { k.N = "!!" })}, nil, "modulus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := rsaSigningKeys(tt.keys)
			if tt.error != "" {
				require.ErrorContains(t, err, tt.error)
				return
			}
			require.NoError(t, err)
			require.Len(t, got, len(tt.kids))
			for _, kid := range tt.kids {
				require.Equal(t, key.N, got[kid].N)
			}
		})
	}
}

func TestATokenWithoutAKidMatchesOnlyASetOfOneKey(t *testing.T) {
	t.Parallel()
	a, b := &rsa.PublicKey{N: big.NewInt(1), E: 3}, &rsa.PublicKey{N: big.NewInt(2), E: 3}
	one := &fetchedKeys{byKID: map[string]*rsa.PublicKey{"a": a}}
	two := &fetchedKeys{byKID: map[string]*rsa.PublicKey{"a": a, "b": b}}
	require.Same(t, a, one.find(""))
	require.Nil(t, two.find(""))
	require.Same(t, b, two.find("b"))
	require.Nil(t, two.find("c"))
	require.Nil(t, (*fetchedKeys)(nil).find("a"))
}
