// Package vocab is the one mapping between the contracts' enums and the
// words the services store and reason with: a value's name without its
// enum's prefix, in lower case. CATEGORY_WATER is "water",
// TICKET_STATUS_IN_PROGRESS is "in_progress",
// ASSIGNMENT_REASON_SLA_BREACH is "sla_breach".
//
// The words are derived from the enum descriptors, so a value added to a
// contract has its word at once, and no service writes a mapping table of
// its own. The zero (UNSPECIFIED) value has no word.
package vocab

import (
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Enum is a generated protobuf enum type, such as commonv1.Category.
type Enum interface {
	~int32
	protoreflect.Enum
}

// Word returns the word of e: "" for the zero value and for a number its
// enum does not define (a request from a newer or hostile client).
func Word[E Enum](e E) string {
	return tableOf(e.Descriptor()).words[protoreflect.EnumNumber(e)]
}

// Parse returns the value of E whose word is w; ok is false for "" and for
// a word the enum does not have.
func Parse[E Enum](w string) (E, bool) {
	var zero E
	n, ok := tableOf(zero.Descriptor()).numbers[w]
	return E(n), ok
}

// MustParse is Parse for words the service itself stored: an unknown one
// is a stored value the contract lost, and gives the zero value.
func MustParse[E Enum](w string) E {
	e, _ := Parse[E](w)
	return e
}

// table is the words of one enum, both ways.
type table struct {
	words   map[protoreflect.EnumNumber]string
	numbers map[string]protoreflect.EnumNumber
}

// tables caches a table per enum, by full name.
var tables sync.Map

func tableOf(d protoreflect.EnumDescriptor) *table {
	if t, ok := tables.Load(d.FullName()); ok {
		return t.(*table)
	}
	t, _ := tables.LoadOrStore(d.FullName(), build(d))
	return t.(*table)
}

// build derives the words of d. The prefix is what precedes UNSPECIFIED
// in the zero value's name (buf lint STANDARD makes every value carry it).
func build(d protoreflect.EnumDescriptor) *table {
	prefix := ""
	if zero := d.Values().ByNumber(0); zero != nil {
		prefix = strings.TrimSuffix(string(zero.Name()), "UNSPECIFIED")
	}
	t := &table{words: map[protoreflect.EnumNumber]string{}, numbers: map[string]protoreflect.EnumNumber{}}
	for i := range d.Values().Len() {
		v := d.Values().Get(i)
		if v.Number() == 0 {
			continue
		}
		w := strings.ToLower(strings.TrimPrefix(string(v.Name()), prefix))
		t.words[v.Number()] = w
		t.numbers[w] = v.Number()
	}
	return t
}
