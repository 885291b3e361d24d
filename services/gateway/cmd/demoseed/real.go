package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/geo"
)

// wardTeamPrefix names the water team of a ward: "Water ward 77".
const wardTeamPrefix = "Water ward "

// seedReal imports every municipality and every CPT ward from the MDB 2011
// files in dataDir (invalid shapes repaired by the routing service and
// reported), gives each ward team a manager, and adds the city-wide teams
// over CPT's stored boundary.
func seedReal(ctx context.Context, rc routingv1.RoutingServiceClient, dataDir string) error {
	munis, err := readStruct(filepath.Join(dataDir, "mdb2011", "municipalities2011.geojson.gz"))
	if err != nil {
		return err
	}
	mr, err := rc.ImportMunicipalities(ctx, &routingv1.ImportMunicipalitiesRequest{FeatureCollection: munis})
	if err != nil {
		return fmt.Errorf("import municipalities: %w", err)
	}
	fmt.Printf("municipalities (2011 Municipal Demarcation Board boundaries): %s\n",
		summary(mr.GetCreated(), mr.GetUpdated(), mr.GetRepaired(), mr.GetRefused()))
	if err := refusals(mr.GetFeatures()); err != nil {
		return fmt.Errorf("import municipalities: %w", err)
	}
	wards, err := readStruct(filepath.Join(dataDir, "mdb2011", "wards2011_CPT.geojson.gz"))
	if err != nil {
		return err
	}
	tr, err := rc.ImportTeams(ctx, &routingv1.ImportTeamsRequest{Tenant: "CPT", Category: commonv1.Category_CATEGORY_WATER,
		NameProperty: "WARDNO", NamePrefix: wardTeamPrefix, FeatureCollection: wards})
	if err != nil {
		return fmt.Errorf("import CPT wards: %w", err)
	}
	fmt.Printf("CPT water teams, one per ward: %s\n", summary(tr.GetCreated(), tr.GetUpdated(), tr.GetRepaired(), tr.GetRefused()))
	for _, f := range tr.GetFeatures() {
		if f.GetRepaired() {
			fmt.Printf("  %s repaired (%s; area changed %.4f%%)\n", f.GetName(), f.GetInvalidReason(), f.GetAreaChangePercent())
		}
	}
	if err := refusals(tr.GetFeatures()); err != nil {
		return fmt.Errorf("import CPT wards: %w", err)
	}
	if err := giveManagers(ctx, rc); err != nil {
		return err
	}
	muni, err := rc.GetMunicipality(ctx, &routingv1.GetMunicipalityRequest{Code: "CPT"})
	if err != nil {
		return fmt.Errorf("get municipality: %w", err)
	}
	return createTeams(ctx, rc, cityWideTeams(muni.GetMunicipality().GetBoundary()))
}

// giveManagers gives every CPT ward team without a manager its own
// ("mgr-water-ward-77"), so escalations reach a person.
func giveManagers(ctx context.Context, rc routingv1.RoutingServiceClient) error {
	resp, err := rc.ListTeams(ctx, &routingv1.ListTeamsRequest{Tenant: "CPT", Category: commonv1.Category_CATEGORY_WATER, PageSize: 1000})
	if err != nil {
		return fmt.Errorf("list teams: %w", err)
	}
	for _, t := range resp.GetTeams() {
		ward, ok := strings.CutPrefix(t.GetName(), wardTeamPrefix)
		if !ok || t.GetManagerId() != "" {
			continue
		}
		_, err := rc.UpdateTeam(ctx, &routingv1.UpdateTeamRequest{Id: t.GetId(),
			Team: &routingv1.Team{ManagerId: "mgr-water-ward-" + ward}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"manager_id"}}})
		if err != nil {
			return fmt.Errorf("update team %q: %w", t.GetName(), err)
		}
	}
	return nil
}

// refusals is an error listing the refused features of an import, if any.
func refusals(features []*routingv1.ImportFeatureReport) error {
	var lines []string
	for _, f := range features {
		if f.GetOutcome() == routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED {
			lines = append(lines, fmt.Sprintf("%s (%s): %s", f.GetName(), f.GetField(), f.GetRefusal()))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("%d features refused:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

func summary(created, updated, repaired, refused int32) string {
	return fmt.Sprintf("%d created, %d updated, %d repaired, %d refused", created, updated, repaired, refused)
}

// readStruct reads a GeoJSON file (libs/geo) as a protobuf Struct.
func readStruct(path string) (*structpb.Struct, error) {
	fc, err := geo.ReadCollectionFile(path)
	if err != nil {
		return nil, err
	}
	return structpb.NewStruct(fc)
}
