package server

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
)

func TestTheDevelopmentKeyRingIsNamedInTheLog(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	keys, err := keyring(config.GBV{GBVActiveKeyID: "dev"}, true, log)
	require.NoError(t, err)
	require.True(t, keys.HoldsDevKey())
	require.Contains(t, out.String(), "published development key")

	_, err = keyring(config.GBV{GBVActiveKeyID: "dev"}, false, log)
	require.ErrorContains(t, err, "GBV_KEYS is empty", "outside development mode there is no default ring")
}
