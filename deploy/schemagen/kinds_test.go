package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFileNameMatchesKubeconformTemplate(t *testing.T) {
	t.Parallel()
	// kubeconform fills {{ .ResourceKind }}{{ .KindSuffix }} with the
	// lower-case kind, "-" and the group's first label, "-" and the version.
	cases := []struct {
		name string
		k    kind
		want string
	}{
		{"a core kind has no group", kind{"v1", "Service"}, "service-v1.json"},
		{"a one-word group is kept", kind{"apps/v1", "Deployment"}, "deployment-apps-v1.json"},
		{"a dotted group keeps its first label", kind{"networking.k8s.io/v1", "NetworkPolicy"}, "networkpolicy-networking-v1.json"},
		{"a custom resource follows the same rule", kind{"postgresql.cnpg.io/v1", "ScheduledBackup"}, "scheduledbackup-postgresql-v1.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, tc.k.fileName())
		})
	}
}

func TestReadKinds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	require.NoError(t, os.WriteFile(a, []byte("apiVersion: v1\nkind: Service\nmetadata: {name: x}\n---\n"+
		"apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\nmetadata: {name: y}\n"), 0o644))
	b := filepath.Join(dir, "b.yaml")
	require.NoError(t, os.WriteFile(b, []byte("---\napiVersion: apps/v1\nkind: Deployment\n---\n"), 0o644))

	kinds, err := readKinds([]string{a, b})
	require.NoError(t, err)
	require.Equal(t, []kind{{"apps/v1", "Deployment"}, {"v1", "Service"}}, kinds, "each kind once, sorted by file name")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("apiVersion: v1\nmetadata: {name: x}\n"), 0o644))
	_, err = readKinds([]string{bad})
	require.ErrorContains(t, err, "no apiVersion or kind")
}

func TestSplitModuleDir(t *testing.T) {
	t.Parallel()
	ref, dir, err := splitModuleDir("github.com/cloudnative-pg/cloudnative-pg@v1.27.0/config/crd/bases")
	require.NoError(t, err)
	require.Equal(t, "github.com/cloudnative-pg/cloudnative-pg@v1.27.0", ref)
	require.Equal(t, "config/crd/bases", dir)

	for _, bad := range []string{"github.com/x/y/config", "github.com/x/y@v1.0.0"} {
		_, _, err := splitModuleDir(bad)
		require.Error(t, err, bad)
	}
}
