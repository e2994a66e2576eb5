// Package jsoncodec is encoding/json as the wire's ipc.Codec, for the programs that talk to the app
// about more than credentials: the app, the accounts window, the whole command line. The lean
// command does without it.
package jsoncodec

import "encoding/json"

// Codec is encoding/json; the zero value is ready.
type Codec struct{}

func (Codec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (Codec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
