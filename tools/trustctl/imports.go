package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"text/tabwriter"

	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/vocab"
)

// importFlags are the flags every import takes.
type importFlags struct {
	target
	mode      string
	maxChange float64
	srid      int
	batch     int
	layer     string
}

func (f *importFlags) register(fs *flag.FlagSet) {
	f.target.register(fs)
	fs.StringVar(&f.mode, "mode", "repair", "repair (invalid shapes made valid in PostGIS), refuse_feature (refused one by one) or refuse_all (any refusal refuses the whole import; sent in one request)")
	fs.Float64Var(&f.maxChange, "max-area-change", 0, "largest change of area in percent a repair may make (0: the service's default, 5)")
	fs.IntVar(&f.srid, "srid", 0, "EPSG code of the coordinates when not WGS 84 (default: the .prj's, else 4326), e.g. 2048 (Hartebeesthoek94 Lo19), 32734 (UTM 34S)")
	fs.IntVar(&f.batch, "batch", 200, "features per request (progress is shown after each)")
	fs.StringVar(&f.layer, "layer", "", "the layer to read from a zipped Shapefile holding several")
}

// check checks the flags and the one file argument.
func (f *importFlags) check(fs *flag.FlagSet) (routingv1.ImportMode, string, error) {
	mode, ok := vocab.Parse[routingv1.ImportMode](f.mode)
	if !ok {
		fmt.Fprintf(fs.Output(), "-mode %q: must be repair, refuse_feature or refuse_all\n", f.mode)
		return 0, "", errUsage
	}
	if f.batch < 1 || f.batch > 100_000 {
		fmt.Fprintln(fs.Output(), "-batch must be between 1 and 100000")
		return 0, "", errUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(fs.Output(), "name one boundary file")
		fs.Usage()
		return 0, "", errUsage
	}
	return mode, fs.Arg(0), nil
}

func importMunicipalities(ctx context.Context, args []string, out, errOut io.Writer) error {
	var f importFlags
	fs := flags("import-municipalities", "FILE", "Creates or updates one municipality per feature of FILE (GeoJSON, .geojson.gz, or a zipped\n"+
		"Shapefile), named by its code property; needs a platform_admin token.", errOut)
	f.register(fs)
	codeProp := fs.String("code-property", "CAT_B", "feature property holding the municipality code")
	nameProp := fs.String("name-property", "MUNICNAME", "feature property holding its name")
	provProp := fs.String("province-property", "PROVINCE", "feature property holding its province")
	if err := parse(fs, args); err != nil {
		return err
	}
	mode, path, err := f.check(fs)
	if err != nil {
		return err
	}
	file, err := readBoundaries(path, f.layer)
	if err != nil {
		return err
	}
	rc, done, err := f.routing()
	if err != nil {
		return err
	}
	defer done()
	srid := sridFor(f.srid, file, path, errOut)
	s, err := sendBatches(ctx, file.features, f.batch, mode, errOut, func(fc *structpb.Struct) (reply, error) {
		r, err := rc.ImportMunicipalities(ctx, &routingv1.ImportMunicipalitiesRequest{FeatureCollection: fc,
			CodeProperty: *codeProp, NameProperty: *nameProp, ProvinceProperty: *provProp,
			Mode: mode, MaxAreaChangePercent: f.maxChange, Srid: int32(srid)})
		return r, err
	})
	s.print(out, fmt.Sprintf("municipalities from %s (EPSG:%d)", path, srid))
	return err
}

// namePattern is "<prefix>{PROPERTY}".
var namePattern = regexp.MustCompile(`^([^{}]*)\{([^{}]+)\}$`)

func importWards(ctx context.Context, args []string, out, errOut io.Writer) error {
	var f importFlags
	fs := flags("import-wards", "FILE", "Creates or updates one team per feature of FILE (GeoJSON, .geojson.gz, or a zipped Shapefile),\n"+
		"all of one category, each named by the pattern; needs a municipal_admin token of the municipality\n"+
		"or a platform_admin one.", errOut)
	f.register(fs)
	tenant := fs.String("tenant", "", "municipality code (required unless the token names one)")
	category := fs.String("category", "", "category of every team: water, roads, electricity, waste, sanitation, gbv, other (required)")
	saps := fs.Bool("saps", false, "the teams are SAPS liaison teams")
	pattern := fs.String("name-pattern", "Ward {WARDNO}", "team name: text followed by one {PROPERTY} of the feature, e.g. 'Water ward {WARDNO}'")
	if err := parse(fs, args); err != nil {
		return err
	}
	mode, path, err := f.check(fs)
	if err != nil {
		return err
	}
	cat, ok := vocab.Parse[commonv1.Category](*category)
	if !ok {
		fmt.Fprintf(errOut, "-category %q: must be water, roads, electricity, waste, sanitation, gbv or other\n", *category)
		return errUsage
	}
	m := namePattern.FindStringSubmatch(*pattern)
	if m == nil {
		fmt.Fprintf(errOut, "-name-pattern %q: must be text followed by one {PROPERTY}, e.g. 'Water ward {WARDNO}'\n", *pattern)
		return errUsage
	}
	file, err := readBoundaries(path, f.layer)
	if err != nil {
		return err
	}
	rc, done, err := f.routing()
	if err != nil {
		return err
	}
	defer done()
	srid := sridFor(f.srid, file, path, errOut)
	s, err := sendBatches(ctx, file.features, f.batch, mode, errOut, func(fc *structpb.Struct) (reply, error) {
		r, err := rc.ImportTeams(ctx, &routingv1.ImportTeamsRequest{Tenant: *tenant, Category: cat, IsSaps: *saps,
			FeatureCollection: fc, NameProperty: m[2], NamePrefix: m[1],
			Mode: mode, MaxAreaChangePercent: f.maxChange, Srid: int32(srid)})
		return r, err
	})
	s.print(out, fmt.Sprintf("%s teams of %s from %s (EPSG:%d)", *category, or(*tenant, "the token's municipality"), path, srid))
	return err
}

// reply is what both imports answer.
type reply interface {
	GetCreated() int32
	GetUpdated() int32
	GetRepaired() int32
	GetRefused() int32
	GetFeatures() []*routingv1.ImportFeatureReport
}

// summary adds up the answers of an import's batches.
type summary struct {
	sent                                int
	created, updated, repaired, refused int
	// features are the repaired and refused ones, indexes in the file.
	features []*routingv1.ImportFeatureReport
}

// batchIndex finds a feature's index in a field path of a batch.
var batchIndex = regexp.MustCompile(`^feature_collection\.features\[(\d+)\]`)

// sendBatches sends the features in batches of size (all at once in
// refuse_all mode, which must be one request to write nothing when it
// refuses), reporting progress on errOut.
func sendBatches(ctx context.Context, features []any, size int, mode routingv1.ImportMode, errOut io.Writer,
	send func(*structpb.Struct) (reply, error)) (summary, error) {
	var s summary
	if mode == routingv1.ImportMode_IMPORT_MODE_REFUSE_ALL {
		size = len(features)
	}
	for start := 0; start < len(features); start += size {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		end := min(start+size, len(features))
		fc, err := structpb.NewStruct(map[string]any{"type": "FeatureCollection", "features": features[start:end]})
		if err != nil {
			return s, fmt.Errorf("features %d..%d: %w", start, end-1, err)
		}
		r, err := send(fc)
		if err != nil {
			return s, fmt.Errorf("features %d..%d: %w", start, end-1, describe(err, start))
		}
		s.sent = end
		s.created += int(r.GetCreated())
		s.updated += int(r.GetUpdated())
		s.repaired += int(r.GetRepaired())
		s.refused += int(r.GetRefused())
		for _, f := range r.GetFeatures() {
			if f.GetRepaired() || f.GetOutcome() == routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED {
				f.Index += int32(start)
				f.Field = batchIndex.ReplaceAllString(f.GetField(), fmt.Sprintf("feature_collection.features[%d]", f.GetIndex()))
				s.features = append(s.features, f)
			}
		}
		fmt.Fprintf(errOut, "imported %d/%d features (%d%%): %d created, %d updated, %d repaired, %d refused\n",
			end, len(features), 100*end/len(features), s.created, s.updated, s.repaired, s.refused)
	}
	return s, nil
}

// describe says where a batch's error counts feature indexes from.
func describe(err error, start int) error {
	if start == 0 {
		return err
	}
	return fmt.Errorf("%w (the features[i] it names count from feature %d of the file)", err, start)
}

// print writes the repaired and refused features and the summary table.
func (s summary) print(w io.Writer, what string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range s.features {
		if f.GetOutcome() == routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED {
			fmt.Fprintf(tw, "refused\t%d\t%s\t%s: %s\n", f.GetIndex(), f.GetName(), f.GetField(), f.GetRefusal())
		} else {
			fmt.Fprintf(tw, "repaired\t%d\t%s\t%s, area changed %.4f%%\n", f.GetIndex(), f.GetName(), f.GetInvalidReason(), f.GetAreaChangePercent())
		}
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\n%s: %d features sent\n", what, s.sent)
	fmt.Fprintf(tw, "created\tupdated\trepaired\trefused\n%d\t%d\t%d\t%d\n", s.created, s.updated, s.repaired, s.refused)
	_ = tw.Flush()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
