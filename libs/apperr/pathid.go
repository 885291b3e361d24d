package apperr

// PathID picks the id of the resource an update names: top, the field the
// gateway fills from the URL path (topField), else inner, the id inside
// the resource (innerField). Both set and different is InvalidArgument
// naming innerField, so a body cannot redirect an update to another
// resource than its URL names.
func PathID(top, inner, topField, innerField string) (string, error) {
	switch {
	case top == "":
		return inner, nil
	case inner == "" || inner == top:
		return top, nil
	default:
		return "", Invalid(innerField, "must be empty or equal "+topField)
	}
}
