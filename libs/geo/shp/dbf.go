package shp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// field is one column of a dBase table.
type field struct {
	name          string
	kind          byte // C text, N/F number, L logical, D date
	length, start int
}

// readDBF decodes a dBase III table into one property map per record:
// text as strings (UTF-8, or Latin-1 when not valid UTF-8), numbers as
// float64 (absent when blank), logicals as bools, dates as YYYYMMDD text.
// Deleted records keep their place (a shapefile's records pair with its
// shapes by position) with no properties.
func readDBF(data []byte) ([]map[string]any, error) {
	if len(data) < 32 {
		return nil, errors.New("not a dBase table (too short)")
	}
	n := int(binary.LittleEndian.Uint32(data[4:8]))
	header := int(binary.LittleEndian.Uint16(data[8:10]))
	size := int(binary.LittleEndian.Uint16(data[10:12]))
	if header < 33 || header > len(data) || size < 1 {
		return nil, fmt.Errorf("bad dBase header (header %d bytes, records %d bytes)", header, size)
	}
	var fields []field
	start := 1 // after the deletion flag
	for off := 32; off+32 <= header && data[off] != 0x0D; off += 32 {
		name := strings.TrimRight(string(data[off:off+11]), "\x00 ")
		f := field{name: name, kind: data[off+11], length: int(data[off+16]), start: start}
		start += f.length
		fields = append(fields, f)
	}
	if start > size {
		return nil, fmt.Errorf("fields of %d bytes exceed records of %d", start, size)
	}
	if header+n*size > len(data) {
		return nil, fmt.Errorf("%d records of %d bytes run past the file", n, size)
	}
	out := make([]map[string]any, n)
	for i := range n {
		rec := data[header+i*size : header+(i+1)*size]
		props := map[string]any{}
		out[i] = props
		if rec[0] == '*' {
			continue
		}
		for _, f := range fields {
			raw := strings.TrimSpace(text(rec[f.start : f.start+f.length]))
			switch f.kind {
			case 'N', 'F':
				if raw == "" {
					continue
				}
				v, err := strconv.ParseFloat(raw, 64)
				if err != nil {
					return nil, fmt.Errorf("record %d, %s: %q is not a number", i+1, f.name, raw)
				}
				props[f.name] = v
			case 'L':
				switch raw {
				case "T", "t", "Y", "y":
					props[f.name] = true
				case "F", "f", "N", "n":
					props[f.name] = false
				}
			default:
				props[f.name] = raw
			}
		}
	}
	return out, nil
}

// text decodes a dBase value: UTF-8 when it is valid, else Latin-1.
func text(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
