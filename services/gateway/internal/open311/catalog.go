package open311

import commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"

// service is one Open311 service: a ticket category of the jurisdiction.
type service struct {
	Code        string
	Name        string
	Description string
	Keywords    string
	Group       string
	Category    commonv1.Category
	// Hidden services are never listed or described (GBV), but a client
	// that knows the code may still file a report with it.
	Hidden bool
}

// catalog is the same for every jurisdiction: the categories of the design,
// in the order an app should offer them.
var catalog = []service{
	{Code: "water", Name: "Water", Description: "Burst or leaking pipes, no water supply, dirty water, faulty meters.",
		Keywords: "water,leak,burst pipe,no water,meter", Group: "Infrastructure", Category: commonv1.Category_CATEGORY_WATER},
	{Code: "roads", Name: "Roads and stormwater", Description: "Potholes, damaged roads and pavements, blocked stormwater drains, traffic lights.",
		Keywords: "pothole,road,pavement,stormwater,traffic light", Group: "Infrastructure", Category: commonv1.Category_CATEGORY_ROADS},
	{Code: "electricity", Name: "Electricity", Description: "Outages, fallen lines, faulty street lights, damaged substations.",
		Keywords: "outage,power,street light,cable,substation", Group: "Infrastructure", Category: commonv1.Category_CATEGORY_ELECTRICITY},
	{Code: "waste", Name: "Waste collection", Description: "Missed refuse collection, illegal dumping, overflowing bins.",
		Keywords: "refuse,rubbish,bin,dumping,collection", Group: "Environment", Category: commonv1.Category_CATEGORY_WASTE},
	{Code: "sanitation", Name: "Sanitation and sewage", Description: "Blocked or overflowing sewers, broken toilets, sewage spills.",
		Keywords: "sewer,sewage,toilet,blocked drain", Group: "Environment", Category: commonv1.Category_CATEGORY_SANITATION},
	{Code: "other", Name: "Other", Description: "Any other municipal service-delivery problem.",
		Keywords: "other", Group: "General", Category: commonv1.Category_CATEGORY_OTHER},
	{Code: "gbv", Name: "Gender-based violence", Description: "Reported confidentially to the SAPS liaison.",
		Group: "Safety", Category: commonv1.Category_CATEGORY_GBV, Hidden: true},
}

// serviceByCode finds a service, hidden ones included.
func serviceByCode(code string) (service, bool) {
	for _, s := range catalog {
		if s.Code == code {
			return s, true
		}
	}
	return service{}, false
}

// serviceByCategory finds the service of a ticket category.
func serviceByCategory(c commonv1.Category) service {
	for _, s := range catalog {
		if s.Category == c {
			return s
		}
	}
	return service{Code: "other", Name: "Other"}
}

// attribute is one extra field of a service definition.
type attribute struct {
	Code, Description, Datatype string
	Required                    bool
	Order                       int
	Values                      []attributeValue
}

// attributeValue is one choice of a list attribute.
type attributeValue struct{ Key, Name string }

// attributes are the same for every service: how bad the problem is, which
// helps triage without being required, and the earlier request the
// reporter chose to add to (found with nearby.json): the new request is
// closed as its duplicate and follows it.
var attributes = []attribute{{
	Code: "severity", Description: "How serious is the problem?", Datatype: "singlevaluelist", Order: 1,
	Values: []attributeValue{{"low", "Minor inconvenience"}, {"medium", "Serious"}, {"high", "Danger to life or property"}},
}, {
	Code: "duplicate_of", Datatype: "string", Order: 2,
	Description: "The service_request_id of an open request for the same problem that the reporter adds to (see nearby.json): " +
		"this request is closed as its duplicate",
}}

// attributeByCode finds an attribute definition.
func attributeByCode(code string) (attribute, bool) {
	for _, a := range attributes {
		if a.Code == code {
			return a, true
		}
	}
	return attribute{}, false
}
