package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// createdGrace is how long an event waits for its ticket's created event,
// which may arrive later (the ticket service delivers events in parallel);
// after it the ticket is taken to predate this service and its reporter
// to be unknown.
const createdGrace = 10 * time.Minute

// PlanEvent decides and records the messages of event id of tenant (a
// queued job): who hears of it on which channel (domain.Plan), in which
// words (the municipality's template or the shipped one; for GBV the
// neutral text), and when (now, after the reporter's night, or when the
// team's business hours start). Each message is recorded once per (event,
// recipient, channel) with its delivery job in one transaction, so a job
// run twice, by a retry or by two replicas, adds nothing.
func (a *App) PlanEvent(ctx context.Context, tenant, id string) error {
	return wrap("PlanEvent", a.planEvents(ctx, tenant, []string{id}))
}

// PlanEvents is PlanEvent for many events of tenant at once (the jobs a
// planning worker gathers, queue.Batcher): each is planned as it would be
// alone, and the batch shares its transactions, reading the events, their
// reporters and followers and the municipality's settings in one, the
// directory of the teams routing names in another (none when they name no
// team) and recording every message in a third (none when nobody is to
// hear). An event that fails, or waits for its reporter, fails the batch,
// after the others' messages are recorded; each is then planned alone.
func (a *App) PlanEvents(ctx context.Context, tenant string, ids []string) error {
	return wrap("PlanEvents", a.planEvents(ctx, tenant, ids))
}

// plan is one event's planning: what it knows, and what it decided.
type plan struct {
	s             domain.Situation
	awaitReporter bool
	drafts        []domain.Draft
	holds         []time.Time
}

// planEvents plans events ids of tenant (PlanEvents).
func (a *App) planEvents(ctx context.Context, tenant string, ids []string) error {
	c := worker(tenant)
	ps := make([]plan, len(ids))
	var settings domain.Settings
	err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		evs, reporters, st, err := a.Store.ReadToPlan(ctx, tx, tenant, ids)
		if err != nil {
			return err
		}
		settings = st
		for i, ev := range evs {
			followers, err := a.followers(ctx, tx, ev)
			if err != nil {
				return err
			}
			ps[i] = plan{s: domain.Situation{Event: ev, Reporter: reporters[i], Followers: followers}}
		}
		return nil
	})
	if err != nil {
		return err
	}
	named := false
	known := map[string]*domain.Team{} // routing's answers for this batch
	for i := range ps {
		p := &ps[i]
		ev := p.s.Event
		// Without the reporter (their created event may come later) the
		// staff's messages go now and the job runs again for the reporter's.
		p.awaitReporter = p.s.Reporter == nil && slices.Contains(domain.AudienceKinds[domain.AudienceReporter], ev.Kind) &&
			ev.Kind != domain.KindCreated && a.Now().Sub(ev.OccurTime) < createdGrace
		if p.s.Teams, err = a.teams(ctx, ev, known); err != nil {
			return err
		}
		p.s.Channels, p.s.Staff = map[string]domain.TeamChannel{}, map[string]domain.StaffContact{}
		named = named || len(p.s.Teams) > 0
	}
	if named { // the teams' channels and staff, when any event names teams
		if err = a.directory(ctx, c.Scope(), tenant, ps); err != nil {
			return err
		}
	}
	heard := false
	for i := range ps {
		p := &ps[i]
		p.drafts = domain.Plan(p.s)
		if p.holds, err = a.holds(ctx, p.s.Event, p.drafts, settings); err != nil {
			return err
		}
		heard = heard || len(p.drafts) > 0
	}
	if heard { // events nobody hears of need no transaction
		err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
			for _, p := range ps {
				for i, d := range p.drafts {
					if err := a.record(ctx, tx, p.s.Event, d, p.holds[i]); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, p := range ps {
		if p.awaitReporter {
			return domain.ErrNotYet
		}
	}
	return nil
}

// followers are the reporters of ev's follower tickets that notify has
// heard of, for the events followers hear of (a follower whose ticket's
// created event has not arrived is left out).
func (a *App) followers(ctx context.Context, tx pgx.Tx, ev domain.Event) ([]domain.Reporter, error) {
	if ev.IsGBV() || !slices.Contains(domain.FollowerKinds, ev.Kind) {
		return nil, nil
	}
	v := domain.Visibility{Tenant: ev.Tenant}
	var out []domain.Reporter
	for _, id := range ev.Followers {
		r, err := a.Store.GetReporter(ctx, tx, id, v, false)
		if errors.Is(err, domain.ErrReporterNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// teams looks up in routing the teams ev names (and, for a breach, the
// escalation team); a team routing no longer has is left out. known holds
// the answers routing gave for the events planned with ev (nil: a team it
// no longer has), so a batch asks once for each team.
func (a *App) teams(ctx context.Context, ev domain.Event, known map[string]*domain.Team) (map[string]domain.Team, error) {
	out := map[string]domain.Team{}
	for _, ids := range []func() []string{
		func() []string { return domain.TeamIDs(ev) },
		func() []string { return domain.FollowUpTeamIDs(ev, out) },
	} {
		for _, id := range ids() {
			t, asked := known[id]
			if !asked {
				got, err := a.Teams.GetTeam(ctx, ev.Tenant, id)
				switch {
				case err == nil:
					t = &got
				case !errors.Is(err, domain.ErrTeamNotFound):
					return nil, err
				}
				known[id] = t
			}
			if t != nil {
				out[id] = *t
			}
		}
	}
	return out, nil
}

// directory reads, in one transaction and one round trip, the channels of
// the teams each of ps names and the contacts of the staff its event may
// reach, into its Situation.
func (a *App) directory(ctx context.Context, scope pg.Scope, tenant string, ps []plan) error {
	var teams, users []string
	staffOf := make([][]string, len(ps))
	for i := range ps {
		s := &ps[i].s
		if len(s.Teams) == 0 {
			continue
		}
		for id := range s.Teams {
			teams = append(teams, id)
		}
		staffOf[i] = domain.StaffIDs(s.Event, s.Teams)
		users = append(users, staffOf[i]...)
	}
	var (
		chs []domain.TeamChannel
		cs  []domain.StaffContact
	)
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		chs, cs, err = a.Store.Directory(ctx, tx, tenant, compactSorted(teams), compactSorted(users))
		return err
	})
	if err != nil {
		return err
	}
	channels, staff := map[string]domain.TeamChannel{}, map[string]domain.StaffContact{}
	for _, ch := range chs {
		channels[ch.TeamID] = ch
	}
	for _, sc := range cs {
		staff[sc.UserID] = sc
	}
	for i := range ps {
		s := &ps[i].s
		for id := range s.Teams {
			if ch, ok := channels[id]; ok {
				s.Channels[id] = ch
			}
		}
		for _, u := range staffOf[i] {
			if sc, ok := staff[u]; ok {
				s.Staff[u] = sc
			}
		}
	}
	return nil
}

// compactSorted is xs sorted, each once.
func compactSorted(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}

// holds says when each draft may go: a reporter's (and a follower's) after
// the night unless
// the municipality allows night messages, a team's within the business
// hours of the calendar of the ticket's SLA policy when its channel asks.
func (a *App) holds(ctx context.Context, ev domain.Event, drafts []domain.Draft, st domain.Settings) ([]time.Time, error) {
	now := a.timestamp()
	out := make([]time.Time, len(drafts))
	var cal *domain.Calendar
	for i, d := range drafts {
		out[i] = now
		switch {
		case d.Audience() == domain.AudienceReporter:
			out[i] = domain.NotBeforeForReporter(now, st.ReporterAtNight)
		case d.HoursTeam != "":
			if cal == nil {
				c, err := a.Calendars.CalendarFor(ctx, ev.Tenant, ev.Category, now)
				if err != nil {
					return nil, err
				}
				cal = &c
			}
			out[i] = cal.NotBefore(now)
		}
	}
	return out, nil
}

// record writes the message of draft d about ev, unless it exists, and its
// delivery job when it may go now.
func (a *App) record(ctx context.Context, tx pgx.Tx, ev domain.Event, d domain.Draft, notBefore time.Time) error {
	now := a.timestamp()
	m := domain.Message{ID: uuid.NewString(), Tenant: ev.Tenant, TicketID: ev.TicketID, EventID: ev.ID, GBV: ev.IsGBV(),
		Kind: ev.Kind, Recipient: d.Recipient, RecipientID: d.RecipientID, Channel: d.Channel, Language: d.Language,
		State: domain.StateQueued, Create: now, Update: now}
	t, err := a.template(ctx, tx, ev, d)
	if err != nil {
		return err
	}
	if m.Subject, m.Body, err = domain.Compose(d, ev, t, a.Links.Unsubscribe(ev.Tenant, m.ID)); err != nil {
		return err
	}
	switch {
	case d.Suppressed != "":
		m.State, m.Error = domain.StateSuppressed, d.Suppressed
	case notBefore.After(now):
		m.State, m.NotBefore = domain.StateWaiting, &notBefore
	}
	added, err := a.Store.InsertMessage(ctx, tx, m)
	if err != nil || !added || m.State != domain.StateQueued {
		return err
	}
	return a.Jobs.Deliver(ctx, tx, m)
}

// template is the wording of d's message about ev: the municipality's
// template for the category, else its template for every category, else
// the shipped default. GBV messages use none (domain.Compose).
func (a *App) template(ctx context.Context, tx pgx.Tx, ev domain.Event, d domain.Draft) (domain.Template, error) {
	k := domain.TemplateKey{Audience: d.Audience(), Category: ev.Category, Kind: ev.Kind, Language: d.Language}
	if ev.IsGBV() {
		return domain.Template{}, nil
	}
	t, ok, err := a.Store.FindTemplate(ctx, tx, ev.Tenant, k)
	if err != nil || ok {
		return t, err
	}
	t, _ = domain.Default(k)
	return t, nil
}
