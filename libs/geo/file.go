package geo

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxFileBytes is the most GeoJSON text ReadCollection reads, after
// decompression: the national ward file is about 60 MB, so a file far
// larger (or a small .gz that inflates to one) is refused, not read into
// memory.
const MaxFileBytes = 1 << 30

// ErrFileTooLarge refuses GeoJSON text over MaxFileBytes.
var ErrFileTooLarge = fmt.Errorf("more than %d MB of GeoJSON (after decompression)", MaxFileBytes>>20)

// ReadCollectionFile reads a GeoJSON FeatureCollection from a .geojson or
// .json file, or a gzip-compressed .gz one (ReadCollection's limits).
func ReadCollectionFile(path string) (map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	fc, err := ReadCollection(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fc, nil
}

// ReadCollection decodes a FeatureCollection feature by feature, holding
// at most one feature's tokens beyond what it has decoded: at most
// MaxFileBytes of text, MaxFeatures features, and MaxAreaVertices positions
// per feature, each refused as soon as it is passed (a 5-million-vertex
// ward is refused after its 200,001st position, without reading the rest
// into memory). The result is the decoded collection, for ParseFeatures.
func ReadCollection(r io.Reader) (map[string]any, error) {
	lr := &limitedReader{r: r, left: MaxFileBytes}
	dec := json.NewDecoder(lr)
	dec.UseNumber()
	fc := map[string]any{}
	if err := expectDelim(dec, '{', "a FeatureCollection must be a JSON object"); err != nil {
		return nil, lr.explain(err)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, lr.explain(err)
		}
		name, _ := key.(string)
		if name != "features" {
			v, err := readValue(dec, nil)
			if err != nil {
				return nil, lr.explain(err)
			}
			fc[name] = v
			continue
		}
		features, err := readFeatures(dec)
		if err != nil {
			return nil, lr.explain(err)
		}
		fc["features"] = features
	}
	if _, err := dec.Token(); err != nil {
		return nil, lr.explain(err)
	}
	if fc["type"] != "FeatureCollection" {
		return nil, errors.New(`"type" must be FeatureCollection`)
	}
	return fc, nil
}

// readFeatures reads the features array, one feature at a time.
func readFeatures(dec *json.Decoder) ([]any, error) {
	if err := expectDelim(dec, '[', `"features" must be an array`); err != nil {
		return nil, err
	}
	var out []any
	for dec.More() {
		if len(out) == MaxFeatures {
			return nil, fmt.Errorf("more than %d features; split the file", MaxFeatures)
		}
		budget := &positions{left: 2 * MaxAreaVertices}
		v, err := readValue(dec, budget)
		if err != nil {
			return nil, fmt.Errorf("features[%d]: %w", len(out), err)
		}
		out = append(out, v)
	}
	_, err := dec.Token()
	return out, err
}

// positions counts down the numbers a feature may still hold (two per
// position, plus its few numeric properties).
type positions struct{ left int }

// readValue decodes the next JSON value from its tokens, numbers as
// float64, charging every number to budget (when not nil).
func readValue(dec *json.Decoder, budget *positions) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readValue(dec, budget)
				if err != nil {
					return nil, err
				}
				m[k.(string)] = v
			}
			_, err := dec.Token()
			return m, err
		case '[':
			var a []any
			for dec.More() {
				v, err := readValue(dec, budget)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			if a == nil {
				a = []any{}
			}
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		if budget != nil {
			if budget.left--; budget.left < 0 {
				return nil, fmt.Errorf("an area must have at most %d positions", MaxAreaVertices)
			}
		}
		f, err := t.Float64()
		if err != nil {
			return nil, fmt.Errorf("number %s: %w", t, err)
		}
		return f, nil
	default:
		return t, nil
	}
}

func expectDelim(dec *json.Decoder, want json.Delim, msg string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return errors.New(msg)
	}
	return nil
}

// limitedReader reads at most left bytes and remembers that it hit the
// limit, so the decoder's error can be told as ErrFileTooLarge.
type limitedReader struct {
	r    io.Reader
	left int64
	hit  bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.hit = true
		return 0, ErrFileTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// explain turns a decoding error caused by the size limit into
// ErrFileTooLarge.
func (l *limitedReader) explain(err error) error {
	if l.hit {
		return ErrFileTooLarge
	}
	return err
}
