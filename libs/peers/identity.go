package peers

import (
	"sync"
	"time"

	"github.com/salga/trustengine/libs/auth"
)

// Tokens live briefly so a leaked one is soon useless, and are minted again
// a minute before they expire so none expires in flight.
const (
	tokenTTL     = 5 * time.Minute
	tokenRefresh = time.Minute
	// maxCached bounds the cache: the gateway mints for jurisdictions its
	// callers name, so the number of tenants is not the platform's to pick.
	maxCached = 1024
)

// Identity is who a process is to its peers: it mints the token of a call
// for the call's tenant, and keeps each tenant's token until shortly before
// it expires. Safe for concurrent use.
type Identity struct {
	name       string
	allTenants bool
	mint       func(tenant string) (string, error)
	cache      *tokenCache
}

// Service is the identity of ticket, routing or sla (name), minting
// service tokens with the service secret.
func Service(secret []byte, name string) Identity {
	return Identity{name: name, allTenants: true, cache: &tokenCache{tokens: map[string]cachedToken{}},
		mint: func(tenant string) (string, error) { return auth.MintService(secret, name, tenant, tokenTTL) }}
}

// Gateway is the gateway's Open311 identity, minting gateway tokens with
// the gateway secret for one jurisdiction at a time.
func Gateway(secret []byte) Identity {
	return Identity{name: "gateway", cache: &tokenCache{tokens: map[string]cachedToken{}},
		mint: func(tenant string) (string, error) { return auth.MintGateway(secret, tenant, tokenTTL) }}
}

// token returns a token for tenant, minting one when none is cached or the
// cached one is about to expire.
func (id Identity) token(tenant string) (string, error) {
	return id.cache.get(tenant, time.Now(), id.mint)
}

type cachedToken struct {
	token   string
	expires time.Time
}

// tokenCache holds one token per tenant.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]cachedToken
}

func (c *tokenCache) get(tenant string, now time.Time, mint func(string) (string, error)) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.tokens[tenant]; ok && now.Before(t.expires.Add(-tokenRefresh)) {
		return t.token, nil
	}
	tok, err := mint(tenant)
	if err != nil {
		return "", err
	}
	if len(c.tokens) >= maxCached {
		for k, t := range c.tokens {
			if !now.Before(t.expires.Add(-tokenRefresh)) {
				delete(c.tokens, k)
			}
		}
		if len(c.tokens) >= maxCached {
			clear(c.tokens)
		}
	}
	c.tokens[tenant] = cachedToken{token: tok, expires: now.Add(tokenTTL)}
	return tok, nil
}
