package photo

import (
	"image"

	"golang.org/x/image/draw"
)

// thumbnail scales img so that its long edge is ThumbEdge pixels (an image
// already smaller keeps its size). A large image is first reduced cheaply
// to four times the thumbnail, then filtered down, so the filter's buffer
// stays small whatever the photo's size.
func thumbnail(img image.Image) image.Image {
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy(), ThumbEdge)
	src := img
	if b.Dx() > 4*w && b.Dy() > 4*h {
		mw, mh := fit(b.Dx(), b.Dy(), 4*ThumbEdge)
		mid := image.NewRGBA(image.Rect(0, 0, mw, mh))
		draw.ApproxBiLinear.Scale(mid, mid.Rect, img, b, draw.Src, nil)
		src = mid
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(out, out.Rect, src, src.Bounds(), draw.Src, nil)
	return out
}

// fit is the size of a w by h picture scaled so its long edge is at most
// edge, at least one pixel either way.
func fit(w, h, edge int) (int, int) {
	long := max(w, h)
	if long <= edge {
		return w, h
	}
	return max(1, (w*edge+long/2)/long), max(1, (h*edge+long/2)/long)
}
