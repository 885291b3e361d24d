package photo_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"testing"

	"github.com/salga/trustengine/services/ticket/internal/domain/photo"
)

// FuzzOrientation reads arbitrary bytes as an EXIF TIFF structure: it
// never panics and never answers an orientation outside 1..8.
func FuzzOrientation(f *testing.F) {
	for o := range uint16(9) {
		f.Add(exifTIFF(o))
	}
	f.Add([]byte("II*\x00\x08\x00\x00\x00\xff\xff"))
	f.Add([]byte("MM\x00*\xff\xff\xff\xf0"))
	f.Fuzz(func(t *testing.T, tiff []byte) {
		o, err := photo.Orientation(tiff)
		if err == nil && (o < 1 || o > 8) {
			t.Fatalf("orientation %d", o)
		}
	})
}

// FuzzExifOf walks arbitrary bytes as JPEG segments, PNG chunks and RIFF
// chunks looking for the EXIF block: it never panics, and what it returns
// is a part of the input.
func FuzzExifOf(f *testing.F) {
	f.Add(withMetadata(encodeJPEG(f, cornerPicture()), 6))
	f.Add(pngWithExif(encodePNG(f, cornerPicture()), 3))
	f.Add(webpWithExif(f, read(f, "xim/blue-purple-pink.lossy.webp"), 8, 10, 10))
	f.Add(read(f, "goexif/infinite_loop_exif.jpg"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []photo.Format{photo.JPEG, photo.PNG, photo.WebP} {
			x := photo.ExifOf(format, bytes.NewReader(data), int64(len(data)))
			if len(x) > 0 && !bytes.Contains(data, x) {
				t.Fatalf("%s: returned bytes that are not in the input", format)
			}
		}
	})
}

// FuzzClean cleans arbitrary bytes under small limits: every input is
// refused with a Refusal or comes out as a decodable JPEG or PNG without
// metadata; nothing panics.
func FuzzClean(f *testing.F) {
	f.Add(withMetadata(encodeJPEG(f, cornerPicture()), 6))
	f.Add(pngWithExif(encodePNG(f, cornerPicture()), 5))
	f.Add(webpWithExif(f, read(f, "xim/blue-purple-pink.lossy.webp"), 6, 200, 100))
	f.Add(read(f, "goexif/f7-exif.jpg"))
	f.Add(read(f, "xim/gopher-doc.with-alpha.lossless.webp"))
	f.Add(pngDeclaring(50000, 50000))
	f.Add([]byte("<svg/>"))
	small := photo.Limits{MaxPixels: 1 << 20, MaxMemory: 64 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		var img, thumb bytes.Buffer
		_, err := photo.Clean(context.Background(), bytes.NewReader(data), int64(len(data)), small, (&gate{}).admit, &img, &thumb)
		if err != nil {
			var r *photo.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		for _, out := range [][]byte{img.Bytes(), thumb.Bytes()} {
			if _, _, err := image.Decode(bytes.NewReader(out)); err != nil {
				t.Fatalf("the output does not decode: %v", err)
			}
			if left := metadataBlocks(t, out); len(left) > 0 {
				t.Fatalf("metadata left: %v", left)
			}
		}
	})
}
