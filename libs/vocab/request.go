package vocab

import "github.com/salga/trustengine/libs/apperr"

// A request's enum value maps to a word with the functions below, in a
// service's server package. UNSPECIFIED maps to "" (the use case applies
// the default, refuses a missing value, or does not filter by it); a
// number the contract does not define (a newer or hostile client's) has no
// word at all and is refused, since "" would read as UNSPECIFIED.

// Optional is the word of a request's value e: "" for UNSPECIFIED, and
// defined false for a number E does not define.
func Optional[E Enum](e E) (w string, defined bool) {
	if e == 0 {
		return "", true
	}
	w = Word(e)
	return w, w != ""
}

// Field is Optional for request field field, refusing a number E does not
// define with InvalidArgument: field must satisfy rule.
func Field[E Enum](e E, field, rule string) (string, error) {
	w, defined := Optional(e)
	if !defined {
		return "", apperr.Invalid(field, rule)
	}
	return w, nil
}

// Repeated maps the values of repeated request field field to the
// domain's words, refusing UNSPECIFIED and undefined values with
// InvalidArgument: field must satisfy rule.
func Repeated[D ~string, E Enum](es []E, field, rule string) ([]D, error) {
	var out []D
	for _, e := range es {
		w := Word(e)
		if w == "" {
			return nil, apperr.Invalid(field, rule)
		}
		out = append(out, D(w))
	}
	return out, nil
}

// Each maps the values of a repeated request field one by one, "" for
// UNSPECIFIED and undefined values: for a domain that refuses "" naming
// its index.
func Each[E Enum](es []E) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, Word(e))
	}
	return out
}
