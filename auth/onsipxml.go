package auth

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"tokentray/auth/text"
)

// OnSIPUser is one OnSIP user a third-party sign-in can act as (a UserSummary).
type OnSIPUser struct {
	UserID         string `json:"user_id"`
	Name           string `json:"name,omitempty"`  // ContactName
	Email          string `json:"email,omitempty"` // ContactEmail
	AuthUsername   string `json:"auth_username,omitempty"`
	AccountID      string `json:"account_id,omitempty"`
	OrganizationID string `json:"organization_id,omitempty"`
	Status         string `json:"status,omitempty"`
	Address        string `json:"address,omitempty"` // the first SIP address
}

// OnSIPReply is what Tokentray reads from an admin API response.
type OnSIPReply struct {
	SessionID string
	UserID    string
	// IsEstablished is Context/Session/IsEstablished, which every response carries whatever became
	// of the request: it alone says whether the session lives.
	IsEstablished bool
	Roles         []string
	// From Result/*/UserOAuth2AccessToken: the third-party sign-in behind the session.
	ThirdParty *OnSIPThirdParty
	Users      []OnSIPUser // every UserSummary, in Result/*/UserSummaries or Result/*/UserSummary
}

// OnSIPThirdParty is the UserOAuth2AccessToken element.
type OnSIPThirdParty struct {
	Token         Secret
	Service       string
	ServiceUserID string
	UserID        string
	Scope         string
	TokenID       string
}

// OnSIPError is an error the admin API reported: a top-level Exception (the service had a
// problem), an invalid request (Context/Request/IsValid false), or an action that did not
// complete (Context/Action/IsCompleted false, its error under Action/Errors or, as the live
// service answers a locked login, under Request/Errors). Message is OnSIP's, for the user.
type OnSIPError struct {
	Kind      string // "exception", "request" or "action"
	Code      string // e.g. Accessor.LoginLocked
	Parameter string // the parameter at fault, where OnSIP names one
	Message   string
}

func (e *OnSIPError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "OnSIP refused the request"
	}
	if e.Code != "" {
		msg += " (" + e.Code + ")"
	}
	return msg
}

// errNotOnSIP marks a body that is not an admin API document (HTML, truncated XML): a transient fault.
var errNotOnSIP = errors.New("the answer is not an OnSIP API document")

// onsipDoc is a response with the parts Tokentray reads, whichever format it came in.
type onsipDoc struct {
	exception  *string
	isValid    string
	completed  string
	requestErr []onsipErr
	actionErr  []onsipErr
	session    struct{ established, id, user string }
	roles      []string
	tokens     []onsipToken
	summaries  []onsipSummary
	hasContext bool
}

type onsipErr struct{ Parameter, Code, Message string }

type onsipToken struct{ Scope, Service, Token, ServiceUserID, UserID, TokenID string }

type onsipSummary struct {
	AccountID, AuthUsername, ContactEmail, ContactName, OrganizationID, Status, UserID string
	Addresses                                                                          []string
}

// ParseOnSIP reads an admin API response, in XML (Output=xml, which Tokentray asks for) or JSON
// (Output=json, in which the public clients' recordings of the live service are). A document that
// reports an error returns both the reply (its Session block still says whether the session
// lives) and an *OnSIPError. A body that is not a whole OnSIP document returns an error wrapping
// errNotOnSIP and no reply. It never panics, whatever the bytes (FuzzParseOnSIP).
func ParseOnSIP(body []byte) (*OnSIPReply, error) {
	var d *onsipDoc
	var err error
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		d, err = parseOnSIPJSON(t)
	} else {
		d, err = parseOnSIPXML(body)
	}
	if err != nil {
		return nil, err
	}
	return d.reply()
}

func (d *onsipDoc) reply() (*OnSIPReply, error) {
	if d.exception != nil {
		return nil, &OnSIPError{Kind: "exception", Message: text.Printable(strings.TrimSpace(*d.exception), 500)}
	}
	if !d.hasContext {
		return nil, fmt.Errorf("%w: no Context", errNotOnSIP)
	}
	r := &OnSIPReply{SessionID: strings.TrimSpace(d.session.id), UserID: strings.TrimSpace(d.session.user),
		IsEstablished: strings.EqualFold(strings.TrimSpace(d.session.established), "true"), Roles: d.roles}
	for _, t := range d.tokens {
		if r.ThirdParty == nil {
			r.ThirdParty = &OnSIPThirdParty{Token: Secret(strings.TrimSpace(t.Token)), Service: strings.TrimSpace(t.Service),
				ServiceUserID: strings.TrimSpace(t.ServiceUserID), UserID: strings.TrimSpace(t.UserID), Scope: t.Scope, TokenID: t.TokenID}
		}
	}
	for _, s := range d.summaries {
		u := OnSIPUser{UserID: strings.TrimSpace(s.UserID), Name: text.Printable(strings.TrimSpace(s.ContactName), 100),
			Email: text.Printable(strings.TrimSpace(s.ContactEmail), 200), AuthUsername: text.Printable(s.AuthUsername, 200),
			AccountID: s.AccountID, OrganizationID: s.OrganizationID, Status: s.Status}
		if len(s.Addresses) > 0 {
			u.Address = text.Printable(strings.TrimSpace(s.Addresses[0]), 200)
		}
		r.Users = append(r.Users, u)
	}
	switch {
	case strings.EqualFold(d.isValid, "false"):
		return r, firstError("request", d.requestErr)
	case strings.EqualFold(d.completed, "false"):
		return r, firstError("action", append(d.actionErr, d.requestErr...))
	}
	return r, nil
}

func firstError(kind string, errs []onsipErr) *OnSIPError {
	if len(errs) == 0 {
		return &OnSIPError{Kind: kind}
	}
	e := errs[0]
	return &OnSIPError{Kind: kind, Code: text.Printable(strings.TrimSpace(e.Code), 100), Parameter: text.Printable(strings.TrimSpace(e.Parameter), 100),
		Message: text.Printable(strings.TrimSpace(e.Message), 500)}
}

// The XML form.

type xmlOnSIPSummary struct {
	AccountID      string   `xml:"AccountId"`
	Addresses      []string `xml:"Addresses>Address>Address"`
	AuthUsername   string   `xml:"AuthUsername"`
	ContactEmail   string   `xml:"ContactEmail"`
	ContactName    string   `xml:"ContactName"`
	OrganizationID string   `xml:"OrganizationId"`
	Status         string   `xml:"Status"`
	UserID         string   `xml:"UserId"`
}

type xmlOnSIP struct {
	XMLName xml.Name
	Text    string `xml:",chardata"` // an Exception document's text (CDATA)
	Context *struct {
		Action struct {
			IsCompleted string     `xml:"IsCompleted"`
			Errors      []onsipErr `xml:"Errors>Error"`
		} `xml:"Action"`
		Request struct {
			IsValid string     `xml:"IsValid"`
			Errors  []onsipErr `xml:"Errors>Error"`
		} `xml:"Request"`
		Session struct {
			IsEstablished string   `xml:"IsEstablished"`
			SessionID     string   `xml:"SessionId"`
			UserID        string   `xml:"UserId"`
			Roles         []string `xml:"Roles>Role>Name"`
		} `xml:"Session"`
	} `xml:"Context"`
	Result struct {
		Items []struct {
			Token *struct {
				Scope, Service, Token string
				ServiceUserID         string `xml:"ServiceUserId"`
				UserID                string `xml:"UserId"`
				TokenID               string `xml:"UserOAuth2AccessTokenId"`
			} `xml:"UserOAuth2AccessToken"`
			Summaries []xmlOnSIPSummary `xml:"UserSummaries>UserSummary"`
			Summary   []xmlOnSIPSummary `xml:"UserSummary"`
		} `xml:",any"`
	} `xml:"Result"`
}

func parseOnSIPXML(body []byte) (*onsipDoc, error) {
	var x xmlOnSIP
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotOnSIP, err)
	}
	// A document must end where its root ends (a truncated one fails above); nothing else may follow.
	if rest, _ := dec.Token(); rest != nil {
		if cd, ok := rest.(xml.CharData); !ok || len(bytes.TrimSpace(cd)) != 0 {
			return nil, fmt.Errorf("%w: data after the document", errNotOnSIP)
		}
	}
	d := &onsipDoc{}
	switch x.XMLName.Local {
	case "Exception":
		d.exception = &x.Text
		return d, nil
	case "Response":
	default:
		return nil, fmt.Errorf("%w: root element %q", errNotOnSIP, x.XMLName.Local)
	}
	if c := x.Context; c != nil {
		d.hasContext = true
		d.isValid, d.completed = strings.TrimSpace(c.Request.IsValid), strings.TrimSpace(c.Action.IsCompleted)
		d.requestErr, d.actionErr = c.Request.Errors, c.Action.Errors
		d.session.established, d.session.id, d.session.user = c.Session.IsEstablished, c.Session.SessionID, c.Session.UserID
		d.roles = c.Session.Roles
	}
	for _, it := range x.Result.Items {
		if t := it.Token; t != nil {
			d.tokens = append(d.tokens, onsipToken{t.Scope, t.Service, t.Token, t.ServiceUserID, t.UserID, t.TokenID})
		}
		for _, s := range append(it.Summaries, it.Summary...) {
			d.summaries = append(d.summaries, onsipSummary{s.AccountID, s.AuthUsername, s.ContactEmail, s.ContactName,
				s.OrganizationID, s.Status, s.UserID, s.Addresses})
		}
	}
	return d, nil
}
