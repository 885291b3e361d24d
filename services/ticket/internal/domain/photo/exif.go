package photo

import (
	"encoding/binary"
	"errors"
)

// tagOrientation is the TIFF/EXIF tag of the orientation (EXIF 2.3, 4.6.4
// A): a SHORT, 1 to 8, how the stored rows and columns map onto the
// upright picture.
const tagOrientation = 0x0112

// typeShort is the TIFF field type SHORT (16-bit unsigned).
const typeShort = 3

// errNoOrientation says a TIFF structure holds no usable orientation.
var errNoOrientation = errors.New("photo: no orientation tag")

// Orientation reads the orientation tag from the first IFD of a TIFF
// structure (the payload of an EXIF block after its "Exif\0\0" header):
// the byte-order mark, the magic 42, the offset of IFD0 and its entries.
// It reads nothing else of the EXIF data. Anything malformed, out of
// bounds or outside 1..8 is an error: the caller then treats the image
// as stored upright.
func Orientation(tiff []byte) (int, error) {
	if len(tiff) < 8 {
		return 0, errors.New("photo: TIFF header too short")
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0, errors.New("photo: not a TIFF byte order")
	}
	if order.Uint16(tiff[2:4]) != 42 {
		return 0, errors.New("photo: not TIFF (magic is not 42)")
	}
	ifd := uint64(order.Uint32(tiff[4:8]))
	if ifd < 8 || ifd+2 > uint64(len(tiff)) {
		return 0, errors.New("photo: IFD0 out of bounds")
	}
	n := uint64(order.Uint16(tiff[ifd : ifd+2]))
	entries := ifd + 2
	if entries+n*12 > uint64(len(tiff)) {
		return 0, errors.New("photo: IFD0 entries out of bounds")
	}
	for i := range n {
		e := tiff[entries+i*12 : entries+i*12+12]
		if order.Uint16(e[0:2]) != tagOrientation {
			continue
		}
		// A SHORT with count 1 sits in the first two bytes of the value
		// field; anything else is not a valid orientation.
		if order.Uint16(e[2:4]) != typeShort || order.Uint32(e[4:8]) != 1 {
			return 0, errors.New("photo: orientation is not one SHORT")
		}
		o := int(order.Uint16(e[8:10]))
		if o < 1 || o > 8 {
			return 0, errors.New("photo: orientation outside 1..8")
		}
		return o, nil
	}
	return 0, errNoOrientation
}
