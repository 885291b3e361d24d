package open311

import (
	"net/http"
)

// services answers services.{fmt} and services/{code}.{fmt}. Hidden
// services are never listed and their definitions read as not found.
func (h *Handler) services(w http.ResponseWriter, r *http.Request, e endpoint) {
	if !parseForm(w, r, e.format) {
		return
	}
	if _, _, ok := h.jurisdiction(w, r, e.format); !ok {
		return
	}
	if e.id != "" {
		s, ok := serviceByCode(e.id)
		if !ok || s.Hidden {
			writeError(w, e.format, http.StatusNotFound, "service_code "+e.id+" not found")
			return
		}
		write(w, e.format, http.StatusOK, definition(s))
		return
	}
	list := serviceList{Services: []serviceOut{}}
	for _, s := range catalog {
		if s.Hidden {
			continue
		}
		list.Services = append(list.Services, serviceOut{ServiceCode: s.Code, ServiceName: s.Name, Description: s.Description,
			Metadata: len(attributes) > 0, Type: "realtime", Keywords: s.Keywords, Group: s.Group})
	}
	write(w, e.format, http.StatusOK, list)
}

// definition renders a service's attributes.
func definition(s service) definitionOut {
	d := definitionOut{ServiceCode: s.Code, Attributes: []attributeOut{}}
	for _, a := range attributes {
		out := attributeOut{Variable: true, Code: a.Code, Datatype: a.Datatype, Required: a.Required,
			DatatypeDescription: "One of the listed keys.", Order: a.Order, Description: a.Description, Values: []valueOut{}}
		for _, v := range a.Values {
			out.Values = append(out.Values, valueOut(v))
		}
		d.Attributes = append(d.Attributes, out)
	}
	return d
}
