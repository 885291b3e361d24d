package peers

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTokensAreCachedPerTenantAndMintedAgainBeforeTheyExpire(t *testing.T) {
	t.Parallel()
	minted := 0
	mint := func(tenant string) (string, error) { minted++; return fmt.Sprintf("%s-%d", tenant, minted), nil }
	c := &tokenCache{tokens: map[string]cachedToken{}}
	now := time.Now()
	a, _ := c.get("CPT", now, mint)
	b, _ := c.get("CPT", now.Add(tokenTTL-tokenRefresh-time.Second), mint)
	require.Equal(t, a, b, "a cached token is used while it has over a minute left")
	j, _ := c.get("JHB", now, mint)
	require.NotEqual(t, a, j, "each tenant has its own token")
	later, _ := c.get("CPT", now.Add(tokenTTL-tokenRefresh), mint)
	require.NotEqual(t, a, later, "a token a minute from expiry is minted again")

	for i := range maxCached + 10 {
		_, err := c.get(fmt.Sprintf("T%04d", i), now, mint)
		require.NoError(t, err)
	}
	require.LessOrEqual(t, len(c.tokens), maxCached, "the cache stays bounded whatever tenants callers name")
}
