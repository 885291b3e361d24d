package server

import (
	"testing"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// roundTrip walks every value of E through the request mapping (word) to
// its domain word, which must be one of the domain's, and back through
// the answer mapping (vocab.MustParse).
func roundTrip[E vocab.Enum, D ~string](t *testing.T, domainWords ...D) {
	t.Helper()
	var zero E
	vals := zero.Descriptor().Values()
	seen := map[D]bool{}
	for i := range vals.Len() {
		e := E(vals.Get(i).Number())
		w, ok := vocab.Optional(e)
		require.True(t, ok, "%v", e)
		if e == zero {
			require.Empty(t, w, "UNSPECIFIED maps to no word")
			continue
		}
		require.Contains(t, domainWords, D(w), "%v is a word of the domain", e)
		require.Equal(t, e, vocab.MustParse[E](w), "%v maps back", e)
		seen[D(w)] = true
	}
	require.Len(t, seen, len(domainWords), "every word of the domain is a value of the contract")
	_, ok := vocab.Optional(E(99))
	require.False(t, ok, "a number the contract does not define is refused")
}

func TestEveryContractValueMapsToADomainWordAndBack(t *testing.T) {
	t.Parallel()
	roundTrip[commonv1.Category](t, word.CategoryWater, word.CategoryRoads, word.CategoryElectricity, word.CategoryWaste,
		word.CategorySanitation, word.CategoryGBV, word.CategoryOther)
	roundTrip[commonv1.TicketStatus](t, word.StatusOpen, word.StatusInProgress, word.StatusAwaitingCitizen,
		word.StatusResolved, word.StatusClosed, word.StatusCancelled)
	roundTrip[ticketv1.TicketOrder](t, domain.OrderCreateTimeDesc, domain.OrderCreateTimeAsc, domain.OrderResolutionDeadlineAsc, domain.OrderPriority)
	roundTrip[commonv1.Priority](t, word.Priorities()...)
	roundTrip[ticketv1.NoteVisibility](t, domain.NoteInternal, domain.NotePublic)
	roundTrip[commonv1.AssignmentReason](t, word.Reasons()...)
	roundTrip[ticketv1.Channel](t, domain.ChannelWeb, "mobile_app", "call_centre", "whatsapp", "ussd", domain.ChannelOpen311, "walk_in")
	roundTrip[ticketv1.SlaEventKind](t, "warning", "breach")
	roundTrip[ticketv1.SlaClock](t, "response", "resolution")
}
