package plan

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// The output of `eip list -o yaml|json` is itself a plan: its eips: rows
// read as bindings, so `eip list > snapshot.yaml` and later `eip associate
// -f snapshot.yaml --force` restores every binding the snapshot shows. A
// row without a target (a free EIP) is no binding and is skipped: associate
// never unbinds. A snapshot that lists regions it could not read (errors:)
// is refused: restoring from it would restore only part of the estate.

// snapshotKeys maps a list row's keys to plan keys; "" marks a key that
// describes the EIP and is not part of its binding.
var snapshotKeys = map[string]string{
	"provider": "provider", "region": "region", "eipId": "eip", "targetId": "target", "targetType": "targetType",
	"privateIp": "privateIp", "mode": "mode",
	"ip": "", "status": "", "nativeStatus": "", "nativeMode": "",
}

func readSnapshot(key string, v *yaml.Node) ([]planRow, error) {
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s: must be a list, as eip list writes it", v.Line, key)
	}
	if key == "errors" {
		if len(v.Content) > 0 {
			return nil, fmt.Errorf("line %d: the snapshot lists regions eip list could not read (errors:): it is incomplete; take it again when every region reads", v.Line)
		}
		return nil, nil
	}
	var rows []planRow
	for _, n := range v.Content {
		it, err := readSnapshotRow(deref(n))
		if err == nil && it.Target == "" {
			continue
		}
		rows = append(rows, planRow{item: it, line: n.Line, err: err})
	}
	return rows, nil
}

func readSnapshotRow(n *yaml.Node) (PlanItem, error) {
	var it PlanItem
	if n.Kind != yaml.MappingNode {
		return it, fmt.Errorf("line %d: want a row of eip list's output", n.Line)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if err := once(seen, k); err != nil {
			return it, err
		}
		name, ok := snapshotKeys[k.Value]
		if !ok {
			return it, fmt.Errorf("line %d: unknown key %q in a row of eip list's output", k.Line, k.Value)
		}
		if name == "" {
			continue
		}
		val, err := scalar(name, v)
		if err != nil {
			return it, err
		}
		*it.field(name) = val
	}
	return it, nil
}
