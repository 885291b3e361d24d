package pbtime

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOptionalTimesRoundTripAndNilStaysNil(t *testing.T) {
	require.Nil(t, In(nil))
	require.Nil(t, Out(nil))
	at := time.Date(2026, 7, 1, 8, 30, 0, 123000, time.UTC)
	back := In(Out(&at))
	require.NotNil(t, back)
	require.True(t, at.Equal(*back))
}
