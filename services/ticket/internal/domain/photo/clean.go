package photo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Content types of what Clean writes.
const (
	ContentJPEG = "image/jpeg"
	ContentPNG  = "image/png"
)

// Output quality: photos stay photos; thumbnails are for lists.
const (
	jpegQuality  = 90
	thumbQuality = 80
	// ThumbEdge is the long edge of a thumbnail in pixels.
	ThumbEdge = 320
	// encodeOverhead is the memory, beyond the pixels, that encoding and
	// the thumbnail take at most (the thumbnail's intermediate image at
	// four times its size, its scaler's buffer, the encoders' buffers).
	encodeOverhead = 24 << 20
)

// Limits bound what Clean accepts.
type Limits struct {
	// MaxPixels is the most pixels an image may declare.
	MaxPixels int64
	// MaxMemory is the most memory cleaning one image may need, as
	// estimated from its header before it is decoded.
	MaxMemory int64
}

// Refusal is why a file is not accepted, in words for the uploader (it
// completes "data ...").
type Refusal struct {
	// Rule says what the file must be and what it is.
	Rule string
}

// Error implements error.
func (r *Refusal) Error() string { return "photo refused: " + r.Rule }

func refuse(format string, args ...any) error {
	return &Refusal{Rule: fmt.Sprintf(format, args...)}
}

// Gate admits the cleaning of one image that needs about bytes of memory,
// waiting while others hold the budget; release gives it back. It is how a
// service bounds the memory of concurrent uploads.
type Gate func(ctx context.Context, bytes int64) (release func(), err error)

// Picture is one encoded image Clean wrote.
type Picture struct {
	// ContentType is ContentJPEG or ContentPNG.
	ContentType string
	// Width and Height are its size in pixels.
	Width, Height int
}

// Result is what Clean found and wrote.
type Result struct {
	// Found is the format of the upload.
	Found Format
	// Orientation is the EXIF orientation that was applied (1 when none).
	Orientation int
	// Image is the cleaned image, Thumbnail its thumbnail.
	Image, Thumbnail Picture
}

// Clean reads the upload src of size bytes, decodes it if it is a JPEG,
// PNG or WebP image within lim, turns it upright by its EXIF orientation
// and writes it again to img (as JPEG, or PNG when it has transparency)
// and a thumbnail to thumb. Nothing of the upload but its pixels reaches
// either. A file that is refused returns a *Refusal and writes nothing;
// other errors are the writers' or the gate's.
func Clean(ctx context.Context, src io.ReaderAt, size int64, lim Limits, gate Gate, img, thumb io.Writer) (Result, error) {
	var res Result
	head := make([]byte, min(size, SniffLen))
	if _, err := src.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return res, fmt.Errorf("photo.Clean: read: %w", err)
	}
	f, found := Sniff(head)
	if f == "" {
		return res, refuse("must be a JPEG, PNG or WebP image; found %s", found)
	}
	res.Found = f
	cfg, err := decodeConfig(f, io.NewSectionReader(src, 0, size))
	if err != nil {
		return res, refuse("is not a readable %s image: %v", f, err)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return res, refuse("is a %s image of %dx%d pixels, which has no picture", f, cfg.Width, cfg.Height)
	}
	if pixels > lim.MaxPixels {
		return res, refuse("declares %dx%d = %d pixels; at most %d are accepted", cfg.Width, cfg.Height, pixels, lim.MaxPixels)
	}
	h := scanHeader(f, src, size)
	res.Orientation = 1
	if o, err := Orientation(h.exif); err == nil {
		res.Orientation = o
	}
	need := memoryNeed(f, cfg, h, res.Orientation)
	if need > lim.MaxMemory {
		return res, refuse("needs about %d MiB to decode (%dx%d pixels%s); at most %d MiB are allowed",
			need>>20, cfg.Width, cfg.Height, map[bool]string{true: ", progressive", false: ""}[h.progressive], lim.MaxMemory>>20)
	}
	release, err := gate(ctx, need)
	if err != nil {
		return res, err
	}
	defer release()
	decoded, err := decode(f, io.NewSectionReader(src, 0, size))
	if err != nil {
		return res, refuse("is not a complete %s image: %v", f, err)
	}
	if b := decoded.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return res, refuse("decodes to %dx%d pixels but declares %dx%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	up := upright(decoded, res.Orientation)
	if res.Image, err = encode(img, up, jpegQuality); err != nil {
		return res, err
	}
	res.Thumbnail, err = encode(thumb, thumbnail(up), thumbQuality)
	return res, err
}

// decodeConfig reads an image's declared size and colour model.
func decodeConfig(f Format, r io.Reader) (image.Config, error) {
	br := bufio.NewReader(r)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(br)
	case PNG:
		return png.DecodeConfig(br)
	}
	return webp.DecodeConfig(br)
}

// decode decodes the whole image.
func decode(f Format, r io.Reader) (image.Image, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	switch f {
	case JPEG:
		return jpeg.Decode(br)
	case PNG:
		return png.Decode(br)
	}
	return webp.Decode(br)
}

// memoryNeed estimates the memory cleaning an image takes from what its
// header declares: the decoder's pixels (and a progressive JPEG's
// coefficients), a second copy when it must be turned upright, and the
// encoding.
func memoryNeed(f Format, cfg image.Config, h header, orientation int) int64 {
	pixels := int64(cfg.Width) * int64(cfg.Height)
	var quarterBytes int64 // bytes per pixel, times 4
	switch {
	case f == JPEG && h.samples > 0:
		quarterBytes = int64(h.samples)
	case f == WebP && cfg.ColorModel == color.NRGBAModel:
		quarterBytes = 32 // lossless: the decoder's ARGB words and the NRGBA image
	default:
		quarterBytes = 4 * bytesPerPixel(cfg.ColorModel)
	}
	need := pixels * quarterBytes / 4
	if f == JPEG && h.progressive {
		need += pixels * int64(max(h.samples, 4)) // 4-byte coefficients per sample
	}
	if orientation >= 2 && orientation <= 8 {
		need *= 2
	}
	return need + encodeOverhead
}

// bytesPerPixel is the decoded size of a pixel of colour model m.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.YCbCrModel:
		return 3
	case color.NYCbCrAModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// encode writes img as JPEG of quality q when it is opaque, else as PNG.
func encode(w io.Writer, img image.Image, q int) (Picture, error) {
	b := img.Bounds()
	p := Picture{ContentType: ContentJPEG, Width: b.Dx(), Height: b.Dy()}
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	if opaque(img) {
		err = jpeg.Encode(bw, img, &jpeg.Options{Quality: q})
	} else {
		p.ContentType = ContentPNG
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(bw, img)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return p, fmt.Errorf("photo: encode: %w", err)
	}
	return p, nil
}
