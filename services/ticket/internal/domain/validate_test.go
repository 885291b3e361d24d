package domain_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

func TestCreateInputValidate(t *testing.T) {
	t.Parallel()
	valid := func() domain.CreateInput {
		return domain.CreateInput{Tenant: "CPT", Category: word.CategoryWater, Description: "Leak",
			Location: &domain.Point{Lat: -33.9, Lng: 18.4}, Channel: "web"}
	}
	cases := []struct {
		name  string
		edit  func(*domain.CreateInput)
		field string
	}{
		{"invalid UTF-8 is refused (gRPC clients cannot send it, other adapters might)", func(in *domain.CreateInput) { in.Description = "\xff" }, "description"},
		{"a NaN latitude is refused", func(in *domain.CreateInput) { in.Location.Lat = math.NaN() }, "location.latitude"},
		{"an infinite longitude is refused", func(in *domain.CreateInput) { in.Location.Lng = math.Inf(1) }, "location.longitude"},
		{"a point in Harare is refused", func(in *domain.CreateInput) { in.Location = &domain.Point{Lat: -17.83, Lng: 31.05} }, "location.latitude"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := valid()
			tc.edit(&in)
			err := in.Validate()
			require.ErrorContains(t, err, tc.field)
		})
	}
	t.Run("a valid input passes with text trimmed", func(t *testing.T) {
		t.Parallel()
		in := valid()
		in.Description = "  Leak \n"
		require.NoError(t, in.Validate())
		require.Equal(t, "Leak", in.Description)
	})
}

func TestCheckTransition(t *testing.T) {
	t.Parallel()
	legal := map[[2]domain.Status]bool{
		{"open", "in_progress"}: true, {"open", "cancelled"}: true, {"in_progress", "awaiting_citizen"}: true,
		{"awaiting_citizen", "in_progress"}: true, {"in_progress", "resolved"}: true, {"in_progress", "cancelled"}: true,
		{"resolved", "closed"}: true, {"resolved", "in_progress"}: true,
	}
	all := []domain.Status{"open", "in_progress", "awaiting_citizen", "resolved", "closed", "cancelled"}
	for _, from := range all {
		for _, to := range all {
			err := domain.CheckTransition(from, to)
			if legal[[2]domain.Status{from, to}] {
				require.NoError(t, err, "%s -> %s", from, to)
			} else {
				require.Error(t, err, "%s -> %s", from, to)
			}
		}
	}
}
