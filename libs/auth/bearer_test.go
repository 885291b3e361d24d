package auth_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
)

func TestBearerTokenReadsTheSchemeInAnyCase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value string
		token string
		ok    bool
	}{
		{"the usual spelling is read", "Bearer abc.def.ghi", "abc.def.ghi", true},
		{"lower case is read", "bearer abc.def.ghi", "abc.def.ghi", true},
		{"upper case is read", "BEARER abc.def.ghi", "abc.def.ghi", true},
		{"mixed case is read", "bEaReR abc.def.ghi", "abc.def.ghi", true},
		{"extra spaces around the token are ignored", "  Bearer   abc.def.ghi  ", "abc.def.ghi", true},
		{"another scheme is not a bearer token", "Basic dXNlcjpwdw==", "", false},
		{"a scheme that only starts like bearer is not", "Bearerx abc", "", false},
		{"a scheme without a token is not", "Bearer", "", false},
		{"a scheme with only spaces after it is not", "Bearer    ", "", false},
		{"a token with a space in it is not", "Bearer abc def", "", false},
		{"an empty value is not", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			token, ok := auth.BearerToken(tt.value)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.token, token)
		})
	}
}

func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer a", "bearer  b ", "Basic c", "", "BEARER\tx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		token, ok := auth.BearerToken(value)
		if ok {
			require.NotEmpty(t, token)
			require.NotContains(t, token, " ")
		}
	})
}
