package photo_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The GPS position, camera and time the synthetic photos carry: none of it
// may survive cleaning.
const (
	gpsMake     = "TrustEngineCam"
	gpsModel    = "Model-GPS-7731"
	gpsDateTime = "2026:03:14 09:26:53"
	xmpMarker   = "http://ns.adobe.com/xap/1.0/"
	iptcCity    = "Khayelitsha-IPTC"
)

// read returns a test file's bytes.
func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// tiffEntry is one IFD entry: tag, type, count and its value bytes.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

// ifd lays out one big-endian IFD at offset off: its entries, a zero next-
// IFD offset, then the values longer than four bytes. It returns the IFD's
// bytes; offsets inside it are absolute (from the TIFF header).
func ifd(off uint32, entries []tiffEntry) []byte {
	be := binary.BigEndian
	var head, data bytes.Buffer
	dataOff := off + 2 + uint32(len(entries))*12 + 4
	_ = binary.Write(&head, be, uint16(len(entries)))
	for _, e := range entries {
		_ = binary.Write(&head, be, e.tag)
		_ = binary.Write(&head, be, e.typ)
		_ = binary.Write(&head, be, e.count)
		if len(e.value) <= 4 {
			v := make([]byte, 4)
			copy(v, e.value)
			head.Write(v)
			continue
		}
		_ = binary.Write(&head, be, dataOff+uint32(data.Len()))
		data.Write(e.value)
		if data.Len()%2 == 1 {
			data.WriteByte(0)
		}
	}
	head.Write([]byte{0, 0, 0, 0})
	return append(head.Bytes(), data.Bytes()...)
}

func ascii(s string) tiffEntry {
	return tiffEntry{typ: 2, count: uint32(len(s) + 1), value: append([]byte(s), 0)}
}

func rationals(vs ...uint32) []byte {
	out := make([]byte, 0, 8*len(vs))
	for _, v := range vs {
		out = binary.BigEndian.AppendUint32(out, v)
		out = binary.BigEndian.AppendUint32(out, 1)
	}
	return out
}

// exifTIFF is an EXIF TIFF structure written per EXIF 2.3: IFD0 with Make,
// Model, Orientation, DateTime and a GPS IFD pointer, and the GPS IFD with
// version, latitude 33 deg 55 min 31 s S and longitude 18 deg 25 min 26 s
// E (central Cape Town).
func exifTIFF(orientation uint16) []byte {
	withTag := func(tag uint16, e tiffEntry) tiffEntry { e.tag = tag; return e }
	ifd0 := []tiffEntry{
		withTag(0x010f, ascii(gpsMake)),
		withTag(0x0110, ascii(gpsModel)),
		{tag: 0x0112, typ: 3, count: 1, value: binary.BigEndian.AppendUint16(nil, orientation)},
		withTag(0x0132, ascii(gpsDateTime)),
		{tag: 0x8825, typ: 4, count: 1}, // GPS IFD pointer, filled below
	}
	// IFD0's size decides where the GPS IFD starts; lay it out once to
	// learn it, then again with the pointer.
	size := uint32(len(ifd(8, ifd0)))
	gpsOff := 8 + size
	ifd0[4].value = binary.BigEndian.AppendUint32(nil, gpsOff)
	gps := []tiffEntry{
		{tag: 0x0000, typ: 1, count: 4, value: []byte{2, 3, 0, 0}},
		withTag(0x0001, ascii("S")),
		{tag: 0x0002, typ: 5, count: 3, value: rationals(33, 55, 31)},
		withTag(0x0003, ascii("E")),
		{tag: 0x0004, typ: 5, count: 3, value: rationals(18, 25, 26)},
	}
	out := []byte("MM\x00\x2a\x00\x00\x00\x08")
	out = append(out, ifd(8, ifd0)...)
	return append(out, ifd(gpsOff, gps)...)
}

// xmpPacket is an XMP packet that repeats the GPS position.
func xmpPacket() []byte {
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="33,55.5167S" exif:GPSLongitude="18,25.4333E"/>` +
		`</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

// iptcBlock is a Photoshop image resource block with an IPTC-IIM record
// naming a city (dataset 2:90).
func iptcBlock() []byte {
	var iim bytes.Buffer
	iim.Write([]byte{0x1c, 2, 90})
	_ = binary.Write(&iim, binary.BigEndian, uint16(len(iptcCity)))
	iim.WriteString(iptcCity)
	var b bytes.Buffer
	b.WriteString("Photoshop 3.0\x00")
	b.WriteString("8BIM")
	b.Write([]byte{0x04, 0x04, 0, 0}) // resource 0x0404 (IPTC), empty name
	_ = binary.Write(&b, binary.BigEndian, uint32(iim.Len()))
	b.Write(iim.Bytes())
	if iim.Len()%2 == 1 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

// segment is a JPEG marker segment with its length.
func segment(marker byte, payload []byte) []byte {
	out := []byte{0xff, marker}
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
	return append(out, payload...)
}

// withMetadata inserts after a JPEG's SOI an EXIF APP1 with orientation,
// an XMP APP1 and an IPTC APP13, as a phone or photo editor writes them.
func withMetadata(jpg []byte, orientation uint16) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, segment(0xe1, append([]byte("Exif\x00\x00"), exifTIFF(orientation)...))...)
	out = append(out, segment(0xe1, append([]byte(xmpMarker+"\x00"), xmpPacket()...))...)
	out = append(out, segment(0xed, iptcBlock())...)
	return append(out, jpg[2:]...)
}

// pngChunk is a PNG chunk with its CRC.
func pngChunk(kind string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, kind...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(kind), data...)))
}

// pngWithExif inserts an eXIf chunk (orientation, GPS) and an XMP iTXt
// chunk after a PNG's IHDR.
func pngWithExif(p []byte, orientation uint16) []byte {
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", exifTIFF(orientation))...)
	out = append(out, pngChunk("iTXt", append([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"), xmpPacket()...))...)
	return append(out, p[ihdrEnd:]...)
}

// pngDeclaring is a PNG whose header declares w by h pixels and whose
// image data is one tiny compressed block: a decompression bomb's header.
func pngDeclaring(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

// riffChunk is a RIFF chunk, padded to an even length.
func riffChunk(kind string, data []byte) []byte {
	out := append([]byte(kind), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// webpWithExif wraps the VP8 chunk of a simple lossy WebP file into an
// extended (VP8X) file with an EXIF chunk after the image data, as the
// WebP container specification orders them.
func webpWithExif(t testing.TB, simple []byte, orientation uint16, w, h int) []byte {
	t.Helper()
	require.Equal(t, "VP8 ", string(simple[12:16]), "a simple lossy WebP")
	vp8 := simple[12:]
	vp8x := []byte{0x08, 0, 0, 0} // flags: EXIF present
	vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	body := append([]byte("WEBP"), riffChunk("VP8X", vp8x)...)
	body = append(body, vp8...)
	body = append(body, riffChunk("EXIF", exifTIFF(orientation))...)
	body = append(body, riffChunk("XMP ", xmpPacket())...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// Colours of the corner picture.
var (
	red   = color.RGBA{220, 20, 20, 255}
	green = color.RGBA{20, 200, 20, 255}
	blue  = color.RGBA{20, 20, 220, 255}
	white = color.RGBA{255, 255, 255, 255}
)

// cornerPicture is an upright 90x60 picture: a red block in the top-left
// corner, a blue one top right, a green one bottom left, white elsewhere.
func cornerPicture() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 90, 60))
	for y := range 60 {
		for x := range 90 {
			c := white
			switch {
			case x < 20 && y < 20:
				c = red
			case x >= 70 && y < 20:
				c = blue
			case x < 20 && y >= 40:
				c = green
			}
			m.Set(x, y, c)
		}
	}
	return m
}

// rot90 turns m a quarter clockwise; flipH mirrors it left to right.
func rot90(m image.Image) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(b.Dy()-1-y, x, m.At(x, y))
		}
	}
	return out
}

func flipH(m image.Image) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(b.Dx()-1-x, y, m.At(x, y))
		}
	}
	return out
}

// storedAs is how a camera stores the upright picture m when it writes
// EXIF orientation o: the inverse of what the orientation tells a viewer
// to do (EXIF 2.3, 4.6.4 A), built from quarter turns and mirrors.
func storedAs(m image.Image, o int) image.Image {
	switch o {
	case 2: // viewer mirrors
		return flipH(m)
	case 3: // viewer turns half way
		return rot90(rot90(m))
	case 4: // viewer flips top to bottom
		return rot90(rot90(flipH(m)))
	case 5: // viewer transposes
		return flipH(rot90(m))
	case 6: // viewer turns a quarter clockwise
		return rot90(rot90(rot90(m)))
	case 7: // viewer transverses
		return flipH(rot90(rot90(rot90(m))))
	case 8: // viewer turns a quarter anticlockwise
		return rot90(m)
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, m, &jpeg.Options{Quality: 95}))
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, m))
	return b.Bytes()
}

// near reports whether two colours are within tol of each other on every
// channel (JPEG is lossy).
func near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) int { return abs(int(x>>8) - int(y>>8)) }
	return d(ar, br) <= tol && d(ag, bg) <= tol && d(ab, bb) <= tol
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
