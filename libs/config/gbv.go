package config

import (
	"errors"
	"fmt"

	"github.com/salga/trustengine/libs/seal"
)

// GBV is the key ring that seals gender-based-violence content at rest, for
// every service that stores any (tickets, notes, reasons, assignment notes).
// Embed it in the config of such a service and build the ring with Keyring.
type GBV struct {
	// GBVKeys is the key ring (GBV_KEYS): a comma list of kid:base64 with
	// 32-byte AES-256 keys. Default: empty, which means the published
	// development key (seal.DevKeys) in development mode and a refusal to
	// start outside it.
	GBVKeys string `env:"GBV_KEYS"`
	// GBVActiveKeyID names the key that seals new content (GBV_ACTIVE_KEY_ID).
	// Default: "dev". Rotate by adding a key to GBV_KEYS and pointing this at
	// it; old keys keep opening old rows.
	GBVActiveKeyID string `env:"GBV_ACTIVE_KEY_ID" envDefault:"dev"`
}

// errNoGBVKeys says what to set when a service outside development mode has
// no GBV key ring.
var errNoGBVKeys = errors.New("config: GBV_KEYS is empty: set GBV_KEYS to kid:base64 of 32 random bytes " +
	"(e.g. k1:$(openssl rand -base64 32)) and GBV_ACTIVE_KEY_ID to its kid, or set " + DevModeVar + "=1 for development")

// Keyring builds the GBV key ring every service that seals GBV content
// uses. In development mode an empty GBV_KEYS means seal.DevKeys; outside
// it, an empty ring or one holding the published development key (whatever
// its kid) is refused, because content sealed with it is readable by anyone.
func (g GBV) Keyring(devMode bool) (*seal.Keyring, error) {
	spec := g.GBVKeys
	if spec == "" {
		if !devMode {
			return nil, errNoGBVKeys
		}
		spec = seal.DevKeys
	}
	k, err := seal.ParseKeyring(spec, g.GBVActiveKeyID)
	if err != nil {
		return nil, fmt.Errorf("config: GBV_KEYS or GBV_ACTIVE_KEY_ID: %w", err)
	}
	if k.HoldsDevKey() && !devMode {
		return nil, errors.New("config: GBV_KEYS holds the published development key: replace it with kid:base64 of " +
			"32 random bytes (e.g. k1:$(openssl rand -base64 32)), or set " + DevModeVar + "=1 for development")
	}
	return k, nil
}
