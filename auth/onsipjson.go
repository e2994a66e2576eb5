package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// The JSON form: every value is a string, an empty element is {}, and an element that may repeat
// is an array when it repeats and an object when it does not.

// one is a JSON value that is an object or an array of them.
type one[T any] []T

func (o *one[T]) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]T)(o))
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = one[T]{v}
	return nil
}

// jsonText is a JSON string, or {} for an empty element.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = jsonText(s)
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || len(obj) != 0 {
		return errors.New("not text")
	}
	return nil
}

type jsonOnSIPErr struct{ Parameter, Code, Message jsonText }

type jsonOnSIPSummary struct {
	AccountID jsonText `json:"AccountId"`
	Addresses struct {
		Address one[struct{ Address jsonText }]
	}
	AuthUsername   jsonText
	ContactEmail   jsonText
	ContactName    jsonText
	OrganizationID jsonText `json:"OrganizationId"`
	Status         jsonText
	UserID         jsonText `json:"UserId"`
}

type jsonOnSIP struct {
	Exception *json.RawMessage
	Response  *struct {
		Context *struct {
			Action struct {
				IsCompleted jsonText
				Errors      struct{ Error one[jsonOnSIPErr] }
			}
			Request struct {
				IsValid jsonText
				Errors  struct{ Error one[jsonOnSIPErr] }
			}
			Session struct {
				IsEstablished jsonText
				SessionID     jsonText `json:"SessionId"`
				UserID        jsonText `json:"UserId"`
				Roles         struct{ Role one[struct{ Name jsonText }] }
			}
		}
		Result map[string]struct {
			Token *struct {
				Scope, Service, Token jsonText
				ServiceUserID         jsonText `json:"ServiceUserId"`
				UserID                jsonText `json:"UserId"`
				TokenID               jsonText `json:"UserOAuth2AccessTokenId"`
			} `json:"UserOAuth2AccessToken"`
			Summaries struct{ UserSummary one[jsonOnSIPSummary] } `json:"UserSummaries"`
			Summary   one[jsonOnSIPSummary]                       `json:"UserSummary"`
		}
	}
}

func parseOnSIPJSON(body []byte) (*onsipDoc, error) {
	var j jsonOnSIP
	if err := json.Unmarshal(body, &j); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotOnSIP, err)
	}
	// encoding/json matches a key in any case ("ConteXt" is Context to it); OnSIP's keys are
	// exact, and what is not spelled as OnSIP spells it is not OnSIP's (found by FuzzParseOnSIP)
	var top map[string]json.RawMessage
	_ = json.Unmarshal(body, &top)
	if _, ok := top["Exception"]; !ok {
		j.Exception = nil
	}
	var resp map[string]json.RawMessage
	if r, ok := top["Response"]; !ok || json.Unmarshal(r, &resp) != nil {
		j.Response = nil
	} else if _, ok := resp["Context"]; !ok {
		j.Response.Context = nil
	}
	d := &onsipDoc{}
	if j.Exception != nil {
		var s string
		if json.Unmarshal(*j.Exception, &s) != nil {
			s = string(*j.Exception)
		}
		d.exception = &s
		return d, nil
	}
	if j.Response == nil {
		return nil, fmt.Errorf("%w: no Response", errNotOnSIP)
	}
	errs := func(in one[jsonOnSIPErr]) (out []onsipErr) {
		for _, e := range in {
			out = append(out, onsipErr{string(e.Parameter), string(e.Code), string(e.Message)})
		}
		return out
	}
	if c := j.Response.Context; c != nil {
		d.hasContext = true
		d.isValid, d.completed = string(c.Request.IsValid), string(c.Action.IsCompleted)
		d.requestErr, d.actionErr = errs(c.Request.Errors.Error), errs(c.Action.Errors.Error)
		d.session.established, d.session.id, d.session.user = string(c.Session.IsEstablished), string(c.Session.SessionID), string(c.Session.UserID)
		for _, r := range c.Session.Roles.Role {
			d.roles = append(d.roles, string(r.Name))
		}
	}
	for _, it := range j.Response.Result {
		if t := it.Token; t != nil {
			d.tokens = append(d.tokens, onsipToken{string(t.Scope), string(t.Service), string(t.Token), string(t.ServiceUserID), string(t.UserID), string(t.TokenID)})
		}
		for _, s := range append(it.Summaries.UserSummary, it.Summary...) {
			var addrs []string
			for _, a := range s.Addresses.Address {
				addrs = append(addrs, string(a.Address))
			}
			d.summaries = append(d.summaries, onsipSummary{string(s.AccountID), string(s.AuthUsername), string(s.ContactEmail),
				string(s.ContactName), string(s.OrganizationID), string(s.Status), string(s.UserID), addrs})
		}
	}
	return d, nil
}
