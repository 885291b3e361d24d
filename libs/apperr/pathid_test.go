package apperr_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/apperr"
)

func TestAnUpdateActsOnTheResourceItsPathNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, top, inner, want string
		refused                bool
	}{
		{"the path's id alone", "t1", "", "t1", false},
		{"the body's id alone", "", "t1", "t1", false},
		{"both, the same", "t1", "t1", "t1", false},
		{"both, different: a body cannot redirect the update", "t1", "t2", "", true},
		{"neither", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := apperr.PathID(tt.top, tt.inner, "id", "team.id")
			require.Equal(t, tt.want, got)
			if tt.refused {
				require.ErrorContains(t, err, "team.id")
				return
			}
			require.NoError(t, err)
		})
	}
}
