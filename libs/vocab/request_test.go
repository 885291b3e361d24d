package vocab_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab"
)

// undefined is a category number the contract does not define.
const undefined = commonv1.Category(9999)

func TestARequestsEnumValueMapsToAWordOrIsRefused(t *testing.T) {
	t.Parallel()
	code := func(err error) codes.Code {
		if err == nil {
			return codes.OK
		}
		return apperr.ToStatus(context.Background(), err).Code()
	}
	tests := []struct {
		name        string
		value       commonv1.Category
		word        string
		defined     bool
		field       codes.Code
		repeated    codes.Code
		repeatedOut []string
	}{
		{"a defined value maps to its word", commonv1.Category_CATEGORY_GBV, "gbv", true, codes.OK, codes.OK, []string{"gbv"}},
		{"UNSPECIFIED maps to no word, which only a list refuses", commonv1.Category_CATEGORY_UNSPECIFIED, "", true, codes.OK, codes.InvalidArgument, nil},
		{"an undefined number is refused", undefined, "", false, codes.InvalidArgument, codes.InvalidArgument, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, defined := vocab.Optional(tt.value)
			require.Equal(t, tt.word, w)
			require.Equal(t, tt.defined, defined)

			w, err := vocab.Field(tt.value, "category", "must be a known category")
			require.Equal(t, tt.field, code(err))
			require.Equal(t, tt.word, w)
			if err != nil {
				require.ErrorContains(t, err, "category")
			}

			ws, err := vocab.Repeated[string]([]commonv1.Category{tt.value}, "categories", "must contain only known categories")
			require.Equal(t, tt.repeated, code(err))
			require.Equal(t, tt.repeatedOut, ws)

			require.Equal(t, []string{tt.word}, vocab.Each([]commonv1.Category{tt.value}))
		})
	}
}

func TestAListMapsEveryValueInOrder(t *testing.T) {
	t.Parallel()
	type category string
	got, err := vocab.Repeated[category]([]commonv1.Category{commonv1.Category_CATEGORY_WATER, commonv1.Category_CATEGORY_ROADS}, "categories", "r")
	require.NoError(t, err)
	require.Equal(t, []category{"water", "roads"}, got)
	_, err = vocab.Repeated[category]([]commonv1.Category{commonv1.Category_CATEGORY_WATER, undefined}, "categories", "r")
	require.ErrorContains(t, err, "categories")
	require.Empty(t, vocab.Each[commonv1.Category](nil))
}
