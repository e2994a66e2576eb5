//go:build cli

package ipc

import "errors"

// The lean command sends only token requests, whose strings wire.go writes, and reads only the
// answers the app writes by hand (Response.Encode): anything else is the whole program's, which
// has encoding/json (json.go).
var errNotLean = errors.New("the lean command does not handle this; run tokentray-tray")

func encodeOther(Request) ([]byte, error) { return nil, errNotLean }

func decodeOther([]byte) (*Response, error) { return nil, errNotLean }
