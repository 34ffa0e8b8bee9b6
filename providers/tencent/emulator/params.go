package emulator

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// params are a request's business parameters, from JSON or from a flattened
// query. Accessors accept both a JSON value and its string form, because GET
// carries every value as a string.
type params map[string]any

func (p params) str(k string) (string, bool) {
	switch v := p[k].(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

func (p params) strs(k string) ([]string, *apiError) {
	v, ok := p[k]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errorf(codeInvalidParameter, "The parameter %s must be an array of strings.", k)
	}
	out := make([]string, 0, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, errorf(codeInvalidParameter, "The parameter %s.%d must be a string.", k, i)
		}
		out = append(out, s)
	}
	return out, nil
}

// number is the text of a numeric parameter, a JSON number or (in a GET
// query) a string; present is false when it is absent or null.
func (p params) number(k, kind string) (s string, present bool, aerr *apiError) {
	switch x := p[k].(type) {
	case nil:
		return "", false, nil
	case json.Number:
		return x.String(), true, nil
	case string:
		return x, true, nil
	}
	return "", true, errorf(codeInvalidParameter, "The parameter %s must be %s.", k, kind)
}

func (p params) int(k string, def int64) (int64, *apiError) {
	s, present, aerr := p.number(k, "an integer")
	if aerr != nil || !present {
		return def, aerr
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errorf(codeInvalidParameter, "The parameter %s must be an integer, got %q.", k, s)
	}
	return n, nil
}

func (p params) uint(k string) (uint64, bool, *apiError) {
	s, present, aerr := p.number(k, "an unsigned integer")
	if aerr != nil || !present {
		return 0, present, aerr
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, true, errorf(codeInvalidParameter, "The parameter %s must be an unsigned integer, got %q.", k, s)
	}
	return n, true, nil
}

func (p params) bool(k string) (bool, *apiError) {
	switch v := p[k].(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case string:
		if b, err := strconv.ParseBool(v); err == nil {
			return b, nil
		}
	}
	return false, errorf(codeInvalidParameter, "The parameter %s must be true or false.", k)
}

type filter struct {
	name   string
	values []string
}

func (p params) filters() ([]filter, *apiError) {
	v, ok := p["Filters"]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errorf(codeInvalidParameter, "The parameter Filters must be an array of {Name, Values}.")
	}
	var out []filter
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, errorf(codeInvalidParameter, "The parameter Filters.%d must be an object {Name, Values}.", i)
		}
		name, _ := params(m).str("Name")
		values, err := params(m).strs("Values")
		if err != nil {
			return nil, err
		}
		out = append(out, filter{name, values})
	}
	return out, nil
}

// unflatten turns 0-based flattened query parameters (Filters.0.Values.1=x)
// back into the JSON shape the body would have had.
func unflatten(q url.Values) params {
	root := map[string]any{}
	for k, vs := range q {
		if len(vs) == 0 {
			continue
		}
		node := root
		parts := strings.Split(k, ".")
		for i, part := range parts {
			if i == len(parts)-1 {
				node[part] = vs[0]
				break
			}
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
	}
	return params(listify(root).(map[string]any))
}

// listify turns every map whose keys are all indexes into a list.
func listify(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, x := range m {
		m[k] = listify(x)
	}
	idx := make([]int, 0, len(m))
	for k := range m {
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 {
			return m
		}
		idx = append(idx, n)
	}
	if len(idx) == 0 {
		return m
	}
	sort.Ints(idx)
	list := make([]any, len(idx))
	for i, n := range idx {
		list[i] = m[strconv.Itoa(n)]
	}
	return list
}
