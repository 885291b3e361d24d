// Package shptest writes small zipped polygon shapefiles for tests of
// readers of them (libs/geo/shp, trustctl): .shp, .shx, .dbf and .prj.
package shptest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Field is a dBase column: kind 'C' (text) or 'N' (number), with its width.
type Field struct {
	Name   string
	Kind   byte
	Length int
}

// Record is one shape: its rings (each closed, x y) and its values, in
// the order of the fields (string for C, float64 for N).
type Record struct {
	Rings  [][][2]float64
	Values []any
}

// Layer is a shapefile to write.
type Layer struct {
	Name       string
	Projection string // the .prj text; "" writes none
	Fields     []Field
	Records    []Record
}

// WriteZip writes the layer as a zip archive to w.
func WriteZip(w io.Writer, l Layer) error {
	zw := zip.NewWriter(w)
	shp, shx := l.shapes()
	files := []struct {
		ext  string
		data []byte
	}{{".shp", shp}, {".shx", shx}, {".dbf", l.dbf()}}
	if l.Projection != "" {
		files = append(files, struct {
			ext  string
			data []byte
		}{".prj", []byte(l.Projection)})
	}
	for _, f := range files {
		fw, err := zw.Create(l.Name + f.ext)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// shapes encodes the .shp and .shx files.
func (l Layer) shapes() (shp, shx []byte) {
	var body, index bytes.Buffer
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	le := binary.LittleEndian
	for i, r := range l.Records {
		var c bytes.Buffer
		points := 0
		for _, ring := range r.Rings {
			points += len(ring)
		}
		rMinX, rMinY, rMaxX, rMaxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, ring := range r.Rings {
			for _, p := range ring {
				rMinX, rMinY, rMaxX, rMaxY = math.Min(rMinX, p[0]), math.Min(rMinY, p[1]), math.Max(rMaxX, p[0]), math.Max(rMaxY, p[1])
			}
		}
		minX, minY, maxX, maxY = math.Min(minX, rMinX), math.Min(minY, rMinY), math.Max(maxX, rMaxX), math.Max(maxY, rMaxY)
		_ = binary.Write(&c, le, int32(5))
		_ = binary.Write(&c, le, [4]float64{rMinX, rMinY, rMaxX, rMaxY})
		_ = binary.Write(&c, le, int32(len(r.Rings)))
		_ = binary.Write(&c, le, int32(points))
		start := 0
		for _, ring := range r.Rings {
			_ = binary.Write(&c, le, int32(start))
			start += len(ring)
		}
		for _, ring := range r.Rings {
			for _, p := range ring {
				_ = binary.Write(&c, le, p)
			}
		}
		_ = binary.Write(&index, binary.BigEndian, [2]int32{int32((100 + body.Len()) / 2), int32(c.Len() / 2)})
		_ = binary.Write(&body, binary.BigEndian, [2]int32{int32(i + 1), int32(c.Len() / 2)})
		body.Write(c.Bytes())
	}
	header := func(length int) []byte {
		var h bytes.Buffer
		_ = binary.Write(&h, binary.BigEndian, [7]int32{9994, 0, 0, 0, 0, 0, int32(length / 2)})
		_ = binary.Write(&h, le, [2]int32{1000, 5})
		_ = binary.Write(&h, le, [8]float64{minX, minY, maxX, maxY})
		return h.Bytes()
	}
	shp = append(header(100+body.Len()), body.Bytes()...)
	shx = append(header(100+index.Len()), index.Bytes()...)
	return shp, shx
}

// dbf encodes the dBase III table.
func (l Layer) dbf() []byte {
	var b bytes.Buffer
	size := 1
	for _, f := range l.Fields {
		size += f.Length
	}
	header := 32 + 32*len(l.Fields) + 1
	b.Write([]byte{0x03, 126, 1, 1})
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(l.Records)))
	_ = binary.Write(&b, binary.LittleEndian, uint16(header))
	_ = binary.Write(&b, binary.LittleEndian, uint16(size))
	b.Write(make([]byte, 20))
	for _, f := range l.Fields {
		d := make([]byte, 32)
		copy(d, f.Name)
		d[11] = f.Kind
		d[16] = byte(f.Length)
		b.Write(d)
	}
	b.WriteByte(0x0D)
	for _, r := range l.Records {
		b.WriteByte(' ')
		for i, f := range l.Fields {
			var s string
			switch v := r.Values[i].(type) {
			case float64:
				s = fmt.Sprintf("%*s", f.Length, fmt.Sprint(v))
			default:
				s = fmt.Sprintf("%-*s", f.Length, fmt.Sprint(v))
			}
			b.WriteString(s[:f.Length])
		}
	}
	b.WriteByte(0x1A)
	return b.Bytes()
}
