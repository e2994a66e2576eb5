package ipc

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"tokentray/app/ipc/jsoncodec"
	"tokentray/app/model"
)

// sample is a value of type t with every field set, down to a few levels (a type may hold itself:
// an inspection's id_token's): what a test needs to see a field dropped on the way.
func sample(t reflect.Type, n int) reflect.Value { return sampleAt(t, n, 0) }

func sampleAt(t reflect.Type, n, depth int) reflect.Value {
	v := reflect.New(t).Elem()
	if depth > 4 {
		return v
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("v" + strings.Repeat("x", n%3) + "<é>")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		switch {
		case t == reflect.TypeFor[time.Duration]():
			v.SetInt(int64(time.Duration(n+1) * time.Minute))
		case t.PkgPath() != "": // an enumeration (a state, a problem class): one of its values
			v.SetInt(1)
		default:
			v.SetInt(int64(n + 1))
		}
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		v.Set(sampleAt(t.Elem(), n, depth+1).Addr())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte("body"))
		} else {
			v.Set(reflect.Append(v, sampleAt(t.Elem(), n, depth+1)))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
		v.SetMapIndex(sampleAt(t.Key(), n, depth+1), sampleAt(t.Elem(), n, depth+1))
	case reflect.Interface:
		v.Set(reflect.ValueOf("any"))
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 3, 12, 0, n, 123000, time.UTC)))
			break
		}
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				v.Field(i).Set(sampleAt(t.Field(i).Type, n+i, depth+1))
			}
		}
	}
	return v
}

// Every field of Request and of Response, set alone and all together, goes through the hand
// codec (or past it, to encoding/json) and comes back as it went: a field the hand encoder or
// reader drops, or a key it spells otherwise than the field's tag, fails here.
func TestEveryFieldRoundTrips(t *testing.T) {
	codec := jsoncodec.Codec{}
	for _, typ := range []reflect.Type{reflect.TypeFor[Request](), reflect.TypeFor[Response]()} {
		full := sample(typ, 0)
		cases := []reflect.Value{full}
		for i := range typ.NumField() {
			one := reflect.New(typ).Elem()
			one.Field(i).Set(full.Field(i))
			one.FieldByName("V").SetInt(Version)
			cases = append(cases, one)
		}
		for _, c := range cases {
			var line []byte
			var err error
			switch v := c.Interface().(type) {
			case Request:
				line, err = v.encode(codec)
			case Response:
				line = v.Encode(codec)
			}
			if err != nil {
				t.Fatal(err)
			}
			back := reflect.New(typ)
			if err := json.Unmarshal(line, back.Interface()); err != nil || !reflect.DeepEqual(back.Elem().Interface(), c.Interface()) {
				t.Errorf("%s written as %s reads back as %+v (%v)", typ.Name(), line, back.Elem().Interface(), err)
			}
			canonical, _ := json.Marshal(c.Interface())
			switch typ {
			case reflect.TypeFor[Request]():
				if r, ok := quickRequest(canonical); ok && !reflect.DeepEqual(r, c.Interface()) {
					t.Errorf("request %s read by hand as %+v", canonical, r)
				}
				if r, err := DecodeRequest(canonical, codec); err != nil || !reflect.DeepEqual(r, c.Interface()) {
					t.Errorf("request %s decoded as %+v (%v)", canonical, r, err)
				}
			default:
				if r, ok := quickResponse(canonical); ok && !reflect.DeepEqual(*r, c.Interface()) {
					t.Errorf("answer %s read by hand as %+v", canonical, *r)
				}
				if r, err := decodeResponse(canonical, codec); err != nil || !reflect.DeepEqual(*r, c.Interface()) {
					t.Errorf("answer %s decoded as %+v (%v)", canonical, r, err)
				}
			}
		}
	}
}

// The hand codec's keys are the fields' tags, in one place (wire.go).
func TestKeysAreTheTags(t *testing.T) {
	tags := map[string]bool{}
	for _, typ := range []reflect.Type{reflect.TypeFor[Request](), reflect.TypeFor[Response](), reflect.TypeFor[model.Credential]()} {
		for i := range typ.NumField() {
			tags[strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]] = true
		}
	}
	for _, k := range []string{keyV, keyOp, keyAccount, keyMinValid, keyUser, keyName, keyProvider, keyText, keyNoBrowser, keyDevice,
		keyVia, keyCommand, keyLimit, keyError, keyCode, keyProgress, keyToken, keyProblem, keyField, keyCredAccount, keyCredKind,
		keyCredValue, keyCredType, keyCredExpiry, keyCredScope, keyCredIdentity} {
		if !tags[k] {
			t.Errorf("the hand codec's key %q is no field's tag", k)
		}
	}
}
