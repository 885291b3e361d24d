package photo

import "io"

// ExifOf exposes the container walk to the external tests: the TIFF
// structure of the EXIF block found in a file of format f.
func ExifOf(f Format, r io.ReaderAt, size int64) []byte { return scanHeader(f, r, size).exif }
