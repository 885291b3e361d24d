package photo

import (
	"bytes"
	"encoding/binary"
	"io"
)

// maxExif bounds the EXIF block read to find the orientation: a JPEG APP1
// segment holds at most 64 KiB, and PNG and WebP writers keep theirs as
// small.
const maxExif = 1 << 20

// maxSegments bounds the JPEG segments walked before the image data, and
// maxChunks the PNG and WebP chunks walked (a large PNG holds thousands of
// image data chunks).
const (
	maxSegments = 4096
	maxChunks   = 1 << 16
)

// exifHeader opens the EXIF block of a JPEG APP1 segment (and, from some
// writers, of PNG and WebP EXIF chunks).
var exifHeader = []byte("Exif\x00\x00")

// header is what is learnt from an image's leading segments or chunks
// before it is decoded.
type header struct {
	// exif is the TIFF structure of the EXIF block, if any.
	exif []byte
	// progressive marks a progressive JPEG, which the decoder holds as
	// coefficients before it makes pixels.
	progressive bool
	// samples is the number of decoded samples per pixel, times 4, from a
	// JPEG's frame header (4:2:0 colour is 6, greyscale 4); 0 when unknown.
	samples int
}

// readAt reads n bytes at off, or reports false.
func readAt(r io.ReaderAt, off int64, n int) ([]byte, bool) {
	if off < 0 || n < 0 {
		return nil, false
	}
	b := make([]byte, n)
	if _, err := r.ReadAt(b, off); err != nil {
		return nil, false
	}
	return b, true
}

// scanHeader walks the segments (JPEG) or chunks (PNG, WebP) of an image of
// format f before its image data and returns what they say. A malformed
// structure ends the walk with what was found so far: the decoder is the
// judge of whether the image is valid.
func scanHeader(f Format, r io.ReaderAt, size int64) header {
	switch f {
	case JPEG:
		return scanJPEG(r, size)
	case PNG:
		return header{exif: chunkExif(r, size, 8, false)}
	case WebP:
		return header{exif: chunkExif(r, size, 12, true)}
	}
	return header{}
}

// scanJPEG walks a JPEG's marker segments from SOI to the first scan.
func scanJPEG(r io.ReaderAt, size int64) header {
	var h header
	pos := int64(2)
	for range maxSegments {
		m, ok := readAt(r, pos, 2)
		if !ok || m[0] != 0xff {
			return h
		}
		marker := m[1]
		switch {
		case marker == 0xff: // fill byte
			pos++
			continue
		case marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8): // no length
			pos += 2
			continue
		case marker == 0xda || marker == 0xd9: // start of scan, end of image
			return h
		}
		l, ok := readAt(r, pos+2, 2)
		if !ok {
			return h
		}
		length := int64(binary.BigEndian.Uint16(l))
		if length < 2 || pos+2+length > size {
			return h
		}
		if marker == 0xe1 && h.exif == nil {
			if p, ok := readAt(r, pos+4, int(length-2)); ok && bytes.HasPrefix(p, exifHeader) {
				h.exif = p[len(exifHeader):]
			}
		}
		if isSOF(marker) {
			if p, ok := readAt(r, pos+4, int(length-2)); ok {
				h.samples = frameSamples(p)
			}
			h.progressive = marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce
		}
		pos += 2 + length
	}
	return h
}

// isSOF reports whether marker starts a frame (SOF0 to SOF15 but DHT, JPG
// and DAC, which share the range).
func isSOF(marker byte) bool {
	return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc
}

// frameSamples reads a frame header (precision, height, width, component
// count, then per component its id, sampling factors and table) and
// returns the decoded samples per pixel times 4, or 0 when it is malformed.
func frameSamples(p []byte) int {
	if len(p) < 6 {
		return 0
	}
	n := int(p[5])
	if n == 0 || len(p) < 6+3*n {
		return 0
	}
	hmax, vmax := 1, 1
	for i := range n {
		hv := p[6+3*i+1]
		hmax, vmax = max(hmax, int(hv>>4)), max(vmax, int(hv&0x0f))
	}
	total := 0
	for i := range n {
		hv := p[6+3*i+1]
		total += 4 * int(hv>>4) * int(hv&0x0f) / (hmax * vmax)
	}
	return max(total, 1)
}

// chunkExif walks PNG chunks (length, type, data, CRC; big-endian) or RIFF
// chunks (type, little-endian length, data, padding to even) from start
// and returns the TIFF structure of the first EXIF chunk, or nil. The walk
// goes past the image data: WebP keeps its EXIF chunk after it, and PNG
// writers put eXIf on either side.
func chunkExif(r io.ReaderAt, size, start int64, riff bool) []byte {
	pos := start
	for range maxChunks {
		hd, ok := readAt(r, pos, 8)
		if !ok {
			return nil
		}
		var (
			kind   string
			length int64
			data   int64
			next   int64
		)
		if riff {
			kind, length = string(hd[:4]), int64(binary.LittleEndian.Uint32(hd[4:]))
			data, next = pos+8, pos+8+length+length%2
		} else {
			kind, length = string(hd[4:]), int64(binary.BigEndian.Uint32(hd[:4]))
			data, next = pos+8, pos+12+length
		}
		if length < 0 || data+length > size {
			return nil
		}
		switch kind {
		case "IEND":
			return nil
		case "eXIf", "EXIF":
			if length > maxExif {
				return nil
			}
			p, ok := readAt(r, data, int(length))
			if !ok {
				return nil
			}
			return bytes.TrimPrefix(p, exifHeader)
		}
		pos = next
	}
	return nil
}
