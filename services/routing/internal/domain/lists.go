package domain

// The list requests of routing's public RPCs, and the filters the store
// reads: every list is paged (page.go).

// TeamFilter selects a page of a tenant's teams.
type TeamFilter struct {
	Tenant          string
	Category        Category
	IncludeInactive bool
	WithArea        bool
	Page
}

// TeamList asks for a page of teams.
type TeamList struct {
	Tenant          string
	Category        Category
	IncludeInactive bool
	WithArea        bool
	PageSize        int32
	PageToken       string
}

// Filter checks the request and returns its filter, in tenant (resolved
// by the use case from the caller).
func (l TeamList) Filter(tenant string) (TeamFilter, error) {
	page, err := TeamsPage.Of(l.PageSize, l.PageToken)
	return TeamFilter{Tenant: tenant, Category: l.Category, IncludeInactive: l.IncludeInactive, WithArea: l.WithArea, Page: page}, err
}

// MunicipalityList asks for a page of municipalities, of one province or
// all, with or without their boundaries.
type MunicipalityList struct {
	Province        string
	IncludeBoundary bool
	PageSize        int32
	PageToken       string
}

// Resolve checks the list request and returns its normalised province and
// its page.
func (l MunicipalityList) Resolve() (string, Page, error) {
	province, err := ProvinceCode(l.Province, "province")
	if err != nil {
		return "", Page{}, err
	}
	page, err := MunicipalitiesPage.Of(l.PageSize, l.PageToken)
	return province, page, err
}

// QueueFilter selects the current tickets of a team, or of the triage
// queue when TeamID is "".
type QueueFilter struct {
	Tenant          string
	TeamID          string
	IncludeFinished bool
	// IncludeGBV shows GBV tickets: only to the tenant's SAPS liaison.
	IncludeGBV bool
	Page
}

// QueueRequest asks for a page of a team's queue (TeamID set) or of a
// tenant's triage queue.
type QueueRequest struct {
	Tenant          string
	TeamID          string
	IncludeFinished bool
	PageSize        int32
	PageToken       string
}

// TeamQueue checks a request for a team's queue and returns its filter,
// showing GBV tickets when gbv says so.
func (r QueueRequest) TeamQueue(gbv bool) (QueueFilter, error) {
	if err := CheckID(r.TeamID, "team_id"); err != nil {
		return QueueFilter{}, err
	}
	page, err := TeamsPage.Of(r.PageSize, r.PageToken)
	return QueueFilter{TeamID: r.TeamID, IncludeFinished: r.IncludeFinished, IncludeGBV: gbv, Page: page}, err
}

// TriageQueue checks a request for tenant's triage queue and returns its
// filter, showing GBV tickets when gbv says so.
func (r QueueRequest) TriageQueue(tenant string, gbv bool) (QueueFilter, error) {
	page, err := TeamsPage.Of(r.PageSize, r.PageToken)
	return QueueFilter{Tenant: tenant, IncludeGBV: gbv, Page: page}, err
}
