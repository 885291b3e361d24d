package server_test

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// mvtFeature is one decoded feature of a Mapbox vector tile: its
// properties (strings and numbers) by key.
type mvtFeature map[string]any

// decodeMVT reads the features of every layer of an MVT (the vector tile
// specification 2.1: Tile.layers = 3; Layer.name = 1, features = 2, keys =
// 3, values = 4; Feature.tags = 2), keyed by layer name. It is written
// from the specification so the tests check the bytes a map would read.
func decodeMVT(b []byte) (map[string][]mvtFeature, error) {
	out := map[string][]mvtFeature{}
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 3 || typ != protowire.BytesType {
			return nil
		}
		name, feats, err := decodeLayer(v)
		if err != nil {
			return err
		}
		out[name] = append(out[name], feats...)
		return nil
	})
	return out, err
}

func decodeLayer(b []byte) (string, []mvtFeature, error) {
	var (
		name   string
		keys   []string
		values []any
		tags   [][]uint64
	)
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 1:
			name = string(v)
		case 2:
			var ft []uint64
			err := eachField(v, func(n protowire.Number, t protowire.Type, fv []byte, _ uint64) error {
				if n != 2 {
					return nil
				}
				for len(fv) > 0 {
					x, k := protowire.ConsumeVarint(fv)
					if k < 0 {
						return protowire.ParseError(k)
					}
					ft = append(ft, x)
					fv = fv[k:]
				}
				return nil
			})
			if err != nil {
				return err
			}
			tags = append(tags, ft)
		case 3:
			keys = append(keys, string(v))
		case 4:
			val, err := decodeValue(v)
			if err != nil {
				return err
			}
			values = append(values, val)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	feats := make([]mvtFeature, 0, len(tags))
	for _, ft := range tags {
		f := mvtFeature{}
		for i := 0; i+1 < len(ft); i += 2 {
			if int(ft[i]) >= len(keys) || int(ft[i+1]) >= len(values) {
				return "", nil, fmt.Errorf("tag %d/%d out of range", ft[i], ft[i+1])
			}
			f[keys[ft[i]]] = values[ft[i+1]]
		}
		feats = append(feats, f)
	}
	return name, feats, nil
}

// decodeValue reads a Layer.Value: strings stay strings, every number
// becomes a float64.
func decodeValue(b []byte) (any, error) {
	var out any
	err := eachField(b, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			out = string(v)
		case 2:
			out = float64(math.Float32frombits(uint32(x)))
		case 3:
			out = math.Float64frombits(x)
		case 4:
			out = float64(int64(x))
		case 5:
			out = float64(x)
		case 6:
			out = float64(protowire.DecodeZigZag(x))
		case 7:
			out = x != 0
		}
		return nil
	})
	return out, err
}

// eachField calls fn for every field of a protobuf message: v holds the
// bytes of length-delimited fields, x the value of numeric ones.
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		var (
			v []byte
			x uint64
		)
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var x32 uint32
			x32, n = protowire.ConsumeFixed32(b)
			x = uint64(x32)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if err := fn(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}
