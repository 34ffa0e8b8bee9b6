package zenlayer

import "github.com/eipctl/eipctl/pkg/eip"

// syntax: the protocol notes show no real ZEC ID format (the emulator's
// prefixes are eipctl's own, and targets may be bare numbers with
// --target-type), so IDs are checked only for characters no ID holds and for
// length. --private-ip (lanIp) is checked by Validate.
var syntax = eip.Syntax{Regions: regions}
