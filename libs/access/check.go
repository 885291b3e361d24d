package access

import "context"

// Check returns the caller of the call ctx serves once it passes rule (a
// rule of this package, such as Caller.RequireStaff, or a service's own
// rule built on them): the first lines of every use case. A refused caller
// gets rule's error, a call without one Unauthenticated.
func Check(ctx context.Context, rule func(Caller) error) (Caller, error) {
	c, err := FromContext(ctx)
	if err != nil {
		return c, err
	}
	if err := rule(c); err != nil {
		return c, err
	}
	return c, nil
}

// Job is the input of an internal call: it validates itself, and names the
// municipality whose job (or, for the gateway, jurisdiction) the call
// carries.
type Job interface {
	// Validate refuses bad input with InvalidArgument naming the field.
	Validate() error
	// ForTenant is the municipality the job belongs to.
	ForTenant() string
}

// ForJob returns the caller of an internal call carrying in: one that
// passes rule (Caller.RequireService, or Caller.RequireInternal where the
// gateway may call too), with valid input, acting for the municipality in
// names and no other. The caller's token must name that municipality
// (PermissionDenied otherwise), so its Scope is confined to it and
// row-level security applies to the call as to a person's.
func ForJob(ctx context.Context, rule func(Caller) error, in Job) (Caller, error) {
	c, err := Check(ctx, rule)
	if err != nil {
		return c, err
	}
	if err := in.Validate(); err != nil {
		return c, err
	}
	_, err = c.Tenant(in.ForTenant(), "tenant")
	return c, err
}
