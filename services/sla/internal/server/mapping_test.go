package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// parses reports whether word has a value in E, and that value maps back
// to word.
func parses[E vocab.Enum](word string) bool {
	e, ok := vocab.Parse[E](word)
	return ok && vocab.Word(e) == word
}

// TestEveryWordTheServiceStoresHasItsContractValue walks every word the
// SLA service stores and answers with (and sends to the ticket service)
// through libs/vocab to the enum of each contract that carries it and
// back, so no answer carries an UNSPECIFIED where the service knew better.
func TestEveryWordTheServiceStoresHasItsContractValue(t *testing.T) {
	t.Parallel()
	for _, w := range []string{domain.ClockResponse, domain.ClockResolution} {
		require.True(t, parses[slav1.ClockKind](w), w)
		require.True(t, parses[ticketv1.SlaClock](w), w)
	}
	for _, w := range []string{domain.StateRunning, domain.StatePaused, domain.StateMet, domain.StateBreached} {
		require.True(t, parses[slav1.ClockState](w), w)
	}
	for _, w := range []string{domain.EventWarning, domain.EventBreach} {
		require.True(t, parses[slav1.ClockEventKind](w), w)
		require.True(t, parses[ticketv1.SlaEventKind](w), w)
	}
	for _, w := range []string{domain.SegmentPaused, domain.SegmentStopped, domain.SegmentCalendarChanged, domain.SegmentPolicyChanged,
		domain.SegmentPriorityChanged} {
		require.True(t, parses[slav1.SegmentEndReason](w), w)
	}
	for _, w := range []string{domain.EventCreated, domain.EventStatusChanged, domain.EventPriorityChanged} {
		require.True(t, parses[slav1.TicketEventKind](w), w)
	}
	for _, w := range []string{word.StatusOpen, word.StatusInProgress, word.StatusAwaitingCitizen, word.StatusResolved,
		word.StatusClosed, word.StatusCancelled} {
		require.True(t, parses[commonv1.TicketStatus](w), w)
	}
	require.True(t, parses[commonv1.Category](word.CategoryGBV))
}
