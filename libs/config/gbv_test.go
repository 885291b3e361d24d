package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/seal"
)

func TestGBVKeyringRefusesTheDevelopmentKeyOutsideDevelopmentMode(t *testing.T) {
	t.Parallel()
	const real = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	const devUnderAnotherKid = "mine:ZGV2LW9ubHktZ2J2LWtleS1kby1ub3QtdXNlLSEhISE="
	tests := []struct {
		name    string
		gbv     config.GBV
		devMode bool
		refusal string
		devKey  bool
	}{
		{"an empty ring in development mode is the development key", config.GBV{GBVActiveKeyID: "dev"}, true, "", true},
		{"a real ring in development mode is used", config.GBV{GBVKeys: real, GBVActiveKeyID: "k1"}, true, "", false},
		{"a real ring outside development mode is used", config.GBV{GBVKeys: real, GBVActiveKeyID: "k1"}, false, "", false},
		{"an empty ring outside development mode is refused", config.GBV{GBVActiveKeyID: "dev"}, false, "GBV_KEYS is empty", false},
		{"the development ring set explicitly outside development mode is refused", config.GBV{GBVKeys: seal.DevKeys, GBVActiveKeyID: "dev"}, false, "published development key", false},
		{"the development key under another kid outside development mode is refused", config.GBV{GBVKeys: real + "," + devUnderAnotherKid, GBVActiveKeyID: "k1"}, false, "published development key", false},
		{"a ring without its active key is refused naming both settings", config.GBV{GBVKeys: real, GBVActiveKeyID: "dev"}, false, "GBV_ACTIVE_KEY_ID", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := tt.gbv.Keyring(tt.devMode)
			if tt.refusal != "" {
				require.ErrorContains(t, err, tt.refusal)
				require.Nil(t, k)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.devKey, k.HoldsDevKey())
		})
	}
}
