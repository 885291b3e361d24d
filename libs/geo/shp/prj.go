package shp

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// authority finds the EPSG code a WKT names for itself: the last
// AUTHORITY["EPSG","n"] (or ID["EPSG",n]) of the text, which belongs to its
// outermost system.
var authority = regexp.MustCompile(`(?i)(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$`)

// loZone finds a Hartebeesthoek94 Lo zone in a projection's name.
var loZone = regexp.MustCompile(`(?i)hartebeesthoek94[_ /]*lo[_ ]*(\d{2})`)

// utmSouth finds a WGS 84 UTM zone of the southern hemisphere.
var utmSouth = regexp.MustCompile(`(?i)wgs[_ ]*(?:19)?84[_ /]*utm[_ ]*zone[_ ]*(\d{2})[_ ]*s\b`)

// SRIDOf returns the EPSG code of a .prj's WKT: its own EPSG authority
// when it has one, else the systems South African boundary data comes in,
// known by name: WGS 84 (4326), Hartebeesthoek94 (4148), its Lo15 to Lo33
// grids (2046 to 2055) and WGS 84 UTM zones 33S to 36S (32733 to 32736).
// Anything else is an error telling the caller to name the code.
func SRIDOf(wkt string) (int, error) {
	if m := authority.FindStringSubmatch(wkt); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, nil
	}
	name := strings.ToLower(wkt)
	projected := strings.HasPrefix(strings.TrimSpace(name), "projcs[") || strings.HasPrefix(strings.TrimSpace(name), "projcrs[")
	if m := loZone.FindStringSubmatch(name); projected && m != nil {
		if z, _ := strconv.Atoi(m[1]); z >= 15 && z <= 33 && z%2 == 1 {
			return 2046 + (z-15)/2, nil
		}
	}
	if m := utmSouth.FindStringSubmatch(name); projected && m != nil {
		if z, _ := strconv.Atoi(m[1]); z >= 33 && z <= 36 {
			return 32700 + z, nil
		}
	}
	if !projected {
		switch {
		case strings.Contains(name, "hartebeesthoek"):
			return 4148, nil
		case strings.Contains(name, "wgs_1984") || strings.Contains(name, "wgs 84") || strings.Contains(name, "wgs84"):
			return 4326, nil
		}
	}
	head := wkt
	if len(head) > 80 {
		head = head[:80] + "..."
	}
	return 0, fmt.Errorf("unknown projection %q: name its EPSG code (--srid)", head)
}

// negatedLo reports whether a layer in a Hartebeesthoek94 Lo grid (EPSG
// 2046 to 2055) holds ESRI's ordinary Transverse Mercator coordinates:
// easting and northing, both negative in South Africa. EPSG defines the Lo
// grids south-orientated (westing and southing, positive), which is how
// PostGIS reprojects them, so such coordinates are negated on reading.
func negatedLo(wkt string, srid int) bool {
	if srid < 2046 || srid > 2055 {
		return false
	}
	return strings.Contains(strings.ToLower(wkt), `projection["transverse_mercator"]`)
}
