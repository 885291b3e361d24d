package server

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
)

// These tests use t.Setenv, which forbids t.Parallel.
func TestMigrateOnlyRunsTheMigrationInsteadOfTheService(t *testing.T) {
	tests := []struct {
		name, value string
		want        string
	}{
		{"unset serves", "", "serve"},
		{"MIGRATE_ONLY=1 migrates", "1", "migrate test"},
		{"a value that is not a boolean does neither", "perhaps", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(config.MigrateOnlyVar, tt.value)
			ran := ""
			err := dispatch(context.Background(), "test",
				func(context.Context) error { ran = "serve"; return nil },
				func(_ context.Context, name string) error { ran = "migrate " + name; return nil })
			require.Equal(t, tt.want, ran)
			if tt.want == "" {
				require.ErrorContains(t, err, config.MigrateOnlyVar)
			}
		})
	}
}
