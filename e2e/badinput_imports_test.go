package e2e

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// roads is the category of the imports the suite sends.
const roads = commonv1.Category_CATEGORY_ROADS

// importJSON is an ImportTeams body for TST with extra members (JSON text
// ending in a comma, or "") and one feature whose geometry is area.
func importJSON(extra, area string) string {
	return `{"tenant":"TST","category":"CATEGORY_ROADS","name_property":"WARD",` + extra +
		`"feature_collection":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WARD":"1"},"geometry":` + area + `}]}}`
}

// manyFeatures is an ImportTeams request for TST of n small square wards.
func manyFeatures(n int) *routingv1.ImportTeamsRequest {
	features := make([]any, n)
	for i := range features {
		lng := 18.45 + 0.0001*float64(i%1000)
		lat := -33.95 + 0.0001*float64(i/1000)
		features[i] = map[string]any{"type": "Feature", "properties": map[string]any{"WARD": fmt.Sprint(i)},
			"geometry": map[string]any{"type": "Polygon", "coordinates": []any{[]any{
				[]any{lng, lat}, []any{lng + 0.00005, lat}, []any{lng + 0.00005, lat + 0.00005}, []any{lng, lat}}}}}
	}
	fc, err := structpb.NewStruct(map[string]any{"type": "FeatureCollection", "features": features})
	if err != nil {
		panic(err)
	}
	return &routingv1.ImportTeamsRequest{Tenant: "TST", Category: roads, NameProperty: "WARD", FeatureCollection: fc}
}

// hugeWardRequest is the wire encoding of an ImportTeams request for TST
// whose one ward has n vertices (a protobuf Struct, as a client would send
// it), written straight into one buffer: building it as a Struct would take
// gigabytes. Each level's large member is its last field, so every header
// precedes the ring's positions.
func hugeWardRequest(n int) []byte {
	num := func(f float64) []byte { // a Value holding a number
		b := protowire.AppendTag(nil, 2, protowire.Fixed64Type)
		return protowire.AppendFixed64(b, math.Float64bits(f))
	}
	field := func(b []byte, n protowire.Number, v []byte) []byte {
		b = protowire.AppendTag(b, n, protowire.BytesType)
		return protowire.AppendBytes(b, v)
	}
	str := func(s string) []byte {
		return protowire.AppendString(protowire.AppendTag(nil, 3, protowire.BytesType), s)
	}
	entry := func(key string, value []byte) []byte { // a map entry of Struct.fields
		return field(protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), key), 2, value)
	}
	pair := field(field(nil, 1, num(18.5)), 1, num(-33.9)) // ListValue [lng, lat]
	position := field(nil, 1, field(nil, 6, pair))         // one element of the ring's ListValue
	// Headers from the inside out, each around everything after it.
	size := n * len(position)
	var prefix []byte
	wrap := func(before []byte, n protowire.Number) {
		h := protowire.AppendTag(append([]byte{}, before...), n, protowire.BytesType)
		h = protowire.AppendVarint(h, uint64(size))
		prefix = append(h, prefix...)
		size += len(h)
	}
	wrap(nil, 6)                                                                                     // Value{list_value: ring}
	wrap(nil, 1)                                                                                     // ListValue [ring]
	wrap(nil, 6)                                                                                     // Value{list_value: [ring]}
	wrap(protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "coordinates"), 2) // entry "coordinates"
	wrap(field(nil, 1, entry("type", str("Polygon"))), 1)                                            // geometry Struct
	wrap(nil, 5)                                                                                     // Value{struct_value}
	wrap(protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "geometry"), 2)    // entry "geometry"
	props := field(nil, 5, field(nil, 1, entry("WARD", str("1"))))
	wrap(append(field(nil, 1, entry("type", str("Feature"))), field(nil, 1, entry("properties", props))...), 1) // feature Struct
	wrap(nil, 5)                                                                                                // Value{struct_value: feature}
	wrap(nil, 1)                                                                                                // ListValue [feature]
	wrap(nil, 6)                                                                                                // Value{list_value}
	wrap(protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "features"), 2)               // entry "features"
	wrap(field(nil, 1, entry("type", str("FeatureCollection"))), 1)                                             // FeatureCollection Struct
	req := protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "TST")
	req = protowire.AppendVarint(protowire.AppendTag(req, 2, protowire.VarintType), uint64(roads))
	req = protowire.AppendString(protowire.AppendTag(req, 5, protowire.BytesType), "WARD")
	wrap(req, 4) // ImportTeamsRequest.feature_collection
	out := make([]byte, 0, size)
	out = append(out, prefix...)
	for range n {
		out = append(out, position...)
	}
	return out
}

// rawCodec sends bytes as they are and decodes answers as protobuf.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	return proto.Unmarshal(data, v.(proto.Message))
}
func (rawCodec) Name() string { return "proto" }

// sendRaw calls ImportTeams with an encoded request.
func sendRaw(ctx context.Context, cc *grpc.ClientConn, req []byte) error {
	return cc.Invoke(ctx, routingv1.RoutingService_ImportTeams_FullMethodName, req, &routingv1.ImportTeamsResponse{},
		grpc.ForceCodec(rawCodec{}), grpc.MaxCallSendMsgSize(math.MaxInt32))
}

// importsBadInput sends the bad imports of the bad-input suite: each is
// refused whole, with InvalidArgument naming the field (400 over HTTP),
// or, for a message over the service's 64 MB, ResourceExhausted before the
// service reads it.
func importsBadInput(ctx context.Context, t *testing.T, w *world, ty *tally, admin string) {
	s := w.s
	bowtie := `{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.55,-33.85],[18.55,-33.95],[18.45,-33.85],[18.45,-33.95]]]}`
	square := `{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.46,-33.95],[18.46,-33.94],[18.45,-33.95]]]}`
	for _, tc := range []struct{ name, body string }{
		{"an import refusing all with a bow-tie ward", importJSON(`"mode":"IMPORT_MODE_REFUSE_ALL",`, bowtie)},
		{"an import refusing all with lat/lng swapped", importJSON(`"mode":"IMPORT_MODE_REFUSE_ALL",`,
			`{"type":"Polygon","coordinates":[[[-33.95,18.45],[-33.95,18.46],[-33.94,18.46],[-33.95,18.45]]]}`)},
		{"an import refusing all with a ward without its name", `{"tenant":"TST","category":"CATEGORY_ROADS","name_property":"WARD","mode":"IMPORT_MODE_REFUSE_ALL",` +
			`"feature_collection":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + square + `}]}}`},
		{"an import in an unknown mode", importJSON(`"mode":"IMPORT_MODE_YOLO",`, square)},
		{"an import in an SRID PostGIS does not know", importJSON(`"srid":12345,`, square)},
		{"an import with a negative area change limit", importJSON(`"max_area_change_percent":-1,`, square)},
		{"an import of a Point", importJSON(`"mode":"IMPORT_MODE_REFUSE_ALL",`, `{"type":"Point","coordinates":[18.5,-33.9]}`)},
		{"a municipality import refusing all without a code", `{"mode":"IMPORT_MODE_REFUSE_ALL","feature_collection":{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","properties":{"MUNICNAME":"Nowhere","PROVINCE":"WC"},"geometry":` + square + `}]}}`},
	} {
		path := "/v1/teams:import"
		token := admin
		if tc.name == "a municipality import refusing all without a code" {
			path, token = "/v1/municipalities:import", w.token("TST", "platform_admin")
		}
		code, body, _ := s.call("POST", path, token, tc.body, nil)
		ty.http(t, tc.name, code, body, 400)
	}

	rc := w.routing("TST", "municipal_admin")
	_, err := rc.ImportTeams(ctx, manyFeatures(100_001))
	ty.grpc(t, "gRPC an import of 100,001 features", err, codes.InvalidArgument)
	require.ErrorContains(t, err, "at most 100000 features")

	err = sendRaw(ctx, w.conn(s.routingAddr, "TST", "municipal_admin"), hugeWardRequest(5_000_000))
	ty.grpc(t, "gRPC a ward of 5 million vertices", err, codes.ResourceExhausted)
	require.ErrorContains(t, err, "larger than max")
}
