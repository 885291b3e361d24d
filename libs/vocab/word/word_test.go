package word_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/libs/vocab/word"
)

// words returns the word of every value of E but UNSPECIFIED, in the
// contract's order.
func words[E vocab.Enum]() []string {
	var zero E
	vals := zero.Descriptor().Values()
	var out []string
	for i := range vals.Len() {
		if e := E(vals.Get(i).Number()); e != zero {
			out = append(out, vocab.Word(e))
		}
	}
	return out
}

func TestTheWordsAreTheContractsBothWays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		declared []string
		contract []string
	}{
		{"categories", []string{word.CategoryWater, word.CategoryRoads, word.CategoryElectricity, word.CategoryWaste,
			word.CategorySanitation, word.CategoryGBV, word.CategoryOther}, words[commonv1.Category]()},
		{"ticket statuses", []string{word.StatusOpen, word.StatusInProgress, word.StatusAwaitingCitizen, word.StatusResolved,
			word.StatusClosed, word.StatusCancelled}, words[commonv1.TicketStatus]()},
		{"assignment reasons", word.Reasons(), words[commonv1.AssignmentReason]()},
		{"priorities", word.Priorities(), words[commonv1.Priority]()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.contract, tt.declared, "one constant for every value of the contract, with its word")
		})
	}
	for _, s := range word.Finished() {
		_, ok := vocab.Parse[commonv1.TicketStatus](s)
		require.True(t, ok, s)
	}
	require.Equal(t, []string{word.StatusResolved, word.StatusClosed, word.StatusCancelled}, word.Finished())
}
