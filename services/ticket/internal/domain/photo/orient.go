package photo

import (
	"image"
	"image/draw"
)

// transposes reports whether orientation o swaps width and height (5 to 8:
// the picture was taken with the camera on its side).
func transposes(o int) bool { return o >= 5 && o <= 8 }

// source returns the stored pixel (sx, sy) that lands on upright pixel
// (dx, dy) of an image stored w by h with EXIF orientation o (EXIF 2.3,
// 4.6.4 A): 2 mirrors, 3 turns half way, 4 flips, 5 transposes, 6 turns a
// quarter clockwise, 7 transverses, 8 turns a quarter anticlockwise.
func source(o, dx, dy, w, h int) (sx, sy int) {
	switch o {
	case 2:
		return w - 1 - dx, dy
	case 3:
		return w - 1 - dx, h - 1 - dy
	case 4:
		return dx, h - 1 - dy
	case 5:
		return dy, dx
	case 6:
		return dy, h - 1 - dx
	case 7:
		return w - 1 - dy, h - 1 - dx
	case 8:
		return w - 1 - dy, dx
	}
	return dx, dy
}

// plane turns one plane of pixels, bpp bytes each, stored w by h with
// stride, upright by orientation o, into a new tightly packed plane.
func plane(src []byte, stride, w, h, bpp, o int) (dst []byte, dstride int) {
	dw, dh := w, h
	if transposes(o) {
		dw, dh = h, w
	}
	dst = make([]byte, dw*dh*bpp)
	dstride = dw * bpp
	for dy := range dh {
		row := dst[dy*dstride : (dy+1)*dstride]
		for dx := range dw {
			sx, sy := source(o, dx, dy, w, h)
			if bpp == 1 {
				row[dx] = src[sy*stride+sx]
				continue
			}
			copy(row[dx*bpp:(dx+1)*bpp], src[sy*stride+sx*bpp:])
		}
	}
	return dst, dstride
}

// transposedRatio is the chroma subsampling of a YCbCr image after a
// quarter turn; false for ratios whose turn Go cannot represent.
func transposedRatio(r image.YCbCrSubsampleRatio) (image.YCbCrSubsampleRatio, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		return r, true
	case image.YCbCrSubsampleRatio422:
		return image.YCbCrSubsampleRatio440, true
	case image.YCbCrSubsampleRatio440:
		return image.YCbCrSubsampleRatio422, true
	}
	return r, false
}

// chromaSize is the size of a chroma plane of a w by h YCbCr image.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	}
	return w, h
}

// upright returns img turned upright by EXIF orientation o. It turns the
// decoder's own planes (YCbCr, grey, RGBA and their kin), one extra copy
// of the pixels and no per-pixel interface calls; any other image is
// first drawn into RGBA.
func upright(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	if b.Min != (image.Point{}) {
		img = toNRGBA(img)
		b = img.Bounds()
	}
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if transposes(o) {
		dw, dh = h, w
	}
	rect := image.Rect(0, 0, dw, dh)
	switch m := img.(type) {
	case *image.YCbCr:
		if out, ok := uprightYCbCr(m, o); ok {
			return out
		}
	case *image.NYCbCrA:
		if out, ok := uprightYCbCr(&m.YCbCr, o); ok {
			a, as := plane(m.A, m.AStride, w, h, 1, o)
			return &image.NYCbCrA{YCbCr: *out, A: a, AStride: as}
		}
	case *image.Gray:
		p, s := plane(m.Pix, m.Stride, w, h, 1, o)
		return &image.Gray{Pix: p, Stride: s, Rect: rect}
	case *image.Gray16:
		p, s := plane(m.Pix, m.Stride, w, h, 2, o)
		return &image.Gray16{Pix: p, Stride: s, Rect: rect}
	case *image.Alpha:
		p, s := plane(m.Pix, m.Stride, w, h, 1, o)
		return &image.Alpha{Pix: p, Stride: s, Rect: rect}
	case *image.Paletted:
		p, s := plane(m.Pix, m.Stride, w, h, 1, o)
		return &image.Paletted{Pix: p, Stride: s, Rect: rect, Palette: m.Palette}
	case *image.RGBA:
		p, s := plane(m.Pix, m.Stride, w, h, 4, o)
		return &image.RGBA{Pix: p, Stride: s, Rect: rect}
	case *image.NRGBA:
		p, s := plane(m.Pix, m.Stride, w, h, 4, o)
		return &image.NRGBA{Pix: p, Stride: s, Rect: rect}
	case *image.CMYK:
		p, s := plane(m.Pix, m.Stride, w, h, 4, o)
		return &image.CMYK{Pix: p, Stride: s, Rect: rect}
	case *image.RGBA64:
		p, s := plane(m.Pix, m.Stride, w, h, 8, o)
		return &image.RGBA64{Pix: p, Stride: s, Rect: rect}
	case *image.NRGBA64:
		p, s := plane(m.Pix, m.Stride, w, h, 8, o)
		return &image.NRGBA64{Pix: p, Stride: s, Rect: rect}
	}
	n := toNRGBA(img)
	p, s := plane(n.Pix, n.Stride, w, h, 4, o)
	return &image.NRGBA{Pix: p, Stride: s, Rect: rect}
}

// uprightYCbCr turns a YCbCr image's three planes; false when its chroma
// subsampling cannot be turned.
func uprightYCbCr(m *image.YCbCr, o int) (*image.YCbCr, bool) {
	ratio := m.SubsampleRatio
	if transposes(o) {
		var ok bool
		if ratio, ok = transposedRatio(m.SubsampleRatio); !ok {
			return nil, false
		}
	} else if _, ok := transposedRatio(ratio); !ok {
		return nil, false
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	cw, ch := chromaSize(m.SubsampleRatio, w, h)
	y, ys := plane(m.Y, m.YStride, w, h, 1, o)
	cb, cs := plane(m.Cb, m.CStride, cw, ch, 1, o)
	cr, _ := plane(m.Cr, m.CStride, cw, ch, 1, o)
	dw, dh := w, h
	if transposes(o) {
		dw, dh = h, w
	}
	return &image.YCbCr{Y: y, Cb: cb, Cr: cr, YStride: ys, CStride: cs, SubsampleRatio: ratio, Rect: image.Rect(0, 0, dw, dh)}, true
}

// toNRGBA draws img into a new NRGBA image at the origin.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}
