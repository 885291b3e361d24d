package geo

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
)

// ParseAreaJSON is ParseArea for GeoJSON text. It refuses oversized text and
// too deep a nesting, or too many positions or rings, in one pass over the
// bytes before decoding them, so a hostile upload never becomes a huge tree
// in memory.
func ParseAreaJSON(raw []byte, field string) (Area, error) {
	m, err := decodeJSON(raw, field, 4)
	if err != nil {
		return Area{}, err
	}
	return ParseArea(m, field)
}

// decodeJSON decodes a GeoJSON object after scan has bounded its size.
func decodeJSON(raw []byte, field string, maxDepth int) (map[string]any, error) {
	if len(raw) > MaxAreaBytes {
		return nil, apperr.Invalid(field, fmt.Sprintf("must be at most %d MB of GeoJSON", MaxAreaBytes>>20))
	}
	if err := scan(raw, maxDepth); err != nil {
		return nil, apperr.Invalid(field, err.Error())
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return nil, apperr.Invalid(field, "must be one GeoJSON object")
	}
	return m, nil
}

// scan walks the text once, without allocating, and refuses arrays nested
// deeper than maxDepth (a MultiPolygon needs 4) and
// more positions or rings than any area may have. A position is an array
// holding no array; brackets inside strings are skipped.
func scan(raw []byte, maxDepth int) error {
	depth, positions, arrays := 0, 0, 0
	inString, escaped, leaf := false, false, false
	for _, c := range raw {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			if depth++; depth > maxDepth {
				return fmt.Errorf("coordinates must not nest more than %d arrays deep", maxDepth)
			}
			if arrays++; arrays > MaxAreaVertices+MaxAreaRings*2 {
				return fmt.Errorf("an area must have at most %d positions", MaxAreaVertices)
			}
			leaf = true
		case c == ']':
			if leaf {
				if positions++; positions > MaxAreaVertices {
					return fmt.Errorf("an area must have at most %d positions", MaxAreaVertices)
				}
			}
			depth--
			leaf = false
		}
	}
	return nil
}
