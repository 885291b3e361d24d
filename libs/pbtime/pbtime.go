// Package pbtime converts the contracts' optional timestamps, where an
// unset field is nil, to and from optional times.
package pbtime

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"
)

// In is ts as a time, nil when ts is unset.
func In(ts *timestamppb.Timestamp) *time.Time {
	if ts == nil {
		return nil
	}
	t := ts.AsTime()
	return &t
}

// Out is t as a Timestamp, nil when t is nil.
func Out(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}
