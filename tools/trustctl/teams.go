package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/vocab"
)

// teams runs "teams list".
func teams(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		if len(args) > 0 && (args[0] == "-help" || args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(errOut, "Usage: trustctl teams list [flags]\n\nRun trustctl teams list -help for its flags.")
			return nil
		}
		fmt.Fprintln(errOut, "Usage: trustctl teams list [flags]")
		return errUsage
	}
	var t target
	fs := flags("teams list", "", "Lists the teams of a municipality, ordered by name; needs a staff token of it or a platform_admin one.", errOut)
	t.register(fs)
	tenant := fs.String("tenant", "", "municipality code (default: the token's)")
	category := fs.String("category", "", "only teams of this category")
	inactive := fs.Bool("inactive", false, "include inactive teams")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var cat commonv1.Category
	if *category != "" {
		var ok bool
		if cat, ok = vocab.Parse[commonv1.Category](*category); !ok {
			fmt.Fprintf(errOut, "-category %q: must be water, roads, electricity, waste, sanitation, gbv or other\n", *category)
			return errUsage
		}
	}
	rc, done, err := t.routing()
	if err != nil {
		return err
	}
	defer done()
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCATEGORY\tSAPS\tACTIVE\tAREA_KM2\tMANAGER\tID")
	n, page := 0, ""
	for {
		resp, err := rc.ListTeams(ctx, &routingv1.ListTeamsRequest{Tenant: *tenant, Category: cat, IncludeInactive: *inactive,
			PageSize: 1000, PageToken: page})
		if err != nil {
			return err
		}
		for _, team := range resp.GetTeams() {
			fmt.Fprintf(tw, "%s\t%s\t%t\t%t\t%.2f\t%s\t%s\n", team.GetName(), vocab.Word(team.GetCategory()), team.GetIsSaps(),
				team.GetActive(), team.GetAreaSqKm(), team.GetManagerId(), team.GetId())
			n++
		}
		if page = resp.GetNextPageToken(); page == "" {
			break
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(errOut, "%d teams\n", n)
	return nil
}
