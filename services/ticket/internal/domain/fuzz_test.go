package domain_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// createFields are the request fields CreateInput.Validate may name.
var createFields = map[string]bool{
	"category": true, "description": true, "location": true, "location.latitude": true,
	"location.longitude": true, "address": true, "reporter.name": true, "reporter.phone": true,
	"reporter.email": true, "idempotency_key": true,
}

// fuzzCategories includes an empty (unknown) category so the fuzzer reaches
// the category rule as well as every valid one.
var fuzzCategories = []domain.Category{"", word.CategoryWater, word.CategoryRoads, word.CategoryElectricity,
	word.CategoryWaste, word.CategorySanitation, word.CategoryGBV, word.CategoryOther}

// FuzzCreateInputValidate feeds arbitrary text and coordinates to the
// validation every new report passes through: it must never panic, must
// refuse with InvalidArgument naming only real fields, and whatever it
// accepts must be text the store can hold and a point inside South Africa.
func FuzzCreateInputValidate(f *testing.F) {
	f.Add(uint8(1), "Burst pipe on Main Road", "12 Main Road", "Thandi", "+27821234567", "thandi@example.org", "key-1", -33.9, 18.4)
	f.Add(uint8(6), "'; drop table ticket.tickets; --", "%_\\", "O'Brien", "(021) 400-1234", "a@b.co", "", -26.2, 28.0)
	f.Add(uint8(0), "", "", "", "", "", "", math.NaN(), math.Inf(1))
	f.Add(uint8(3), "nul\x00byte", "bell\a", "\xff\xfe", "not a phone", "Name <a@b.co>", strings.Repeat("k", 129), 91.0, -181.0)
	// Points near the edges of the platform's South Africa bounds (libs/geo).
	f.Add(uint8(2), "Pothole", "", "", "", "", "", -35.2, 28.0)
	f.Add(uint8(2), "Pothole", "", "", "", "", "", -35.6, 33.6)
	f.Add(uint8(7), strings.Repeat("é", 4001), strings.Repeat("x", 501), "  ", "+2", "@", "\u202e", -17.83, 31.05)
	f.Fuzz(func(t *testing.T, cat uint8, desc, addr, name, phone, email, key string, lat, lng float64) {
		in := domain.CreateInput{
			Tenant: "TST", Category: fuzzCategories[int(cat)%len(fuzzCategories)], Description: desc,
			Location: &domain.Point{Lat: lat, Lng: lng}, Address: addr, Channel: "web", IdempotencyKey: key,
			Reporter: domain.Reporter{Name: name, Phone: phone, Email: email},
		}
		err := in.Validate()
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code() != codes.InvalidArgument {
				t.Fatalf("refusal is not InvalidArgument: %v", err)
			}
			if len(ae.Violations()) == 0 {
				t.Fatalf("refusal names no field: %v", err)
			}
			for _, v := range ae.Violations() {
				if !createFields[v.Field] || v.Rule == "" {
					t.Fatalf("violation %+v does not name a known field and its rule", v)
				}
			}
			return
		}
		if in.Category == "" {
			t.Fatalf("accepted an unknown category")
		}
		for field, s := range map[string]string{"description": in.Description, "address": in.Address, "reporter.name": in.Reporter.Name,
			"reporter.phone": in.Reporter.Phone, "reporter.email": in.Reporter.Email, "idempotency_key": in.IdempotencyKey} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\x7f") {
				t.Fatalf("accepted %s %q with invalid UTF-8 or a control character", field, s)
			}
		}
		if in.Description == "" || utf8.RuneCountInString(in.Description) > domain.MaxDescription {
			t.Fatalf("accepted a description of %d characters", utf8.RuneCountInString(in.Description))
		}
		if utf8.RuneCountInString(in.Address) > domain.MaxAddress || utf8.RuneCountInString(in.IdempotencyKey) > domain.MaxIdempotencyKey {
			t.Fatalf("accepted an over-long address or idempotency key")
		}
		if math.IsNaN(lat) || math.IsNaN(lng) || lat < geo.MinLatSA || lat > geo.MaxLatSA || lng < geo.MinLngSA || lng > geo.MaxLngSA {
			t.Fatalf("accepted a point outside South Africa: %v,%v", lat, lng)
		}
	})
}
