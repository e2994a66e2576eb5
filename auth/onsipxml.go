package auth

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
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

// OnSIPReply is what Tokentray reads from an admin API response (Output=xml).
type OnSIPReply struct {
	SessionID     string
	UserID        string
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

// OnSIPError is an error the admin API reported, in the documented order: a top-level Exception,
// an invalid request, or an action that did not complete. Message is for the user.
type OnSIPError struct {
	Kind      string // "exception", "request" or "action"
	Code      string // e.g. Accessor.LoginLocked
	Parameter string // for request errors, the parameter at fault
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

type xmlOnSIPError struct {
	Parameter string `xml:"Parameter"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

type xmlOnSIPSummary struct {
	AccountID      string                     `xml:"AccountId"`
	Addresses      []struct{ Address string } `xml:"Addresses>Address"`
	AuthUsername   string                     `xml:"AuthUsername"`
	ContactEmail   string                     `xml:"ContactEmail"`
	ContactName    string                     `xml:"ContactName"`
	OrganizationID string                     `xml:"OrganizationId"`
	Status         string                     `xml:"Status"`
	UserID         string                     `xml:"UserId"`
}

type xmlOnSIP struct {
	XMLName xml.Name
	Message string `xml:"Message"` // of an Exception document
	Context struct {
		Action struct {
			IsCompleted string          `xml:"IsCompleted"`
			Errors      []xmlOnSIPError `xml:"Errors>Error"`
		} `xml:"Action"`
		Request struct {
			IsValid string          `xml:"IsValid"`
			Errors  []xmlOnSIPError `xml:"Errors>Error"`
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

// errNotOnSIP marks a body that is not an admin API document (HTML, truncated XML): a transient fault.
var errNotOnSIP = errors.New("the answer is not an OnSIP API document")

// ParseOnSIP reads an admin API response. A documented error comes back as *OnSIPError; a body
// that is not a whole OnSIP document comes back wrapping errNotOnSIP. It never panics, whatever
// the bytes (FuzzParseOnSIP).
func ParseOnSIP(body []byte) (*OnSIPReply, error) {
	var doc xmlOnSIP
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotOnSIP, err)
	}
	// A document must end where its root ends (a truncated one fails above); nothing else may follow.
	if rest, _ := dec.Token(); rest != nil {
		if cd, ok := rest.(xml.CharData); !ok || len(bytes.TrimSpace(cd)) != 0 {
			return nil, fmt.Errorf("%w: data after the document", errNotOnSIP)
		}
	}
	switch doc.XMLName.Local {
	case "Exception":
		return nil, &OnSIPError{Kind: "exception", Message: strings.TrimSpace(doc.Message)}
	case "Response":
	default:
		return nil, fmt.Errorf("%w: root element %q", errNotOnSIP, doc.XMLName.Local)
	}
	c := doc.Context
	if strings.EqualFold(c.Request.IsValid, "false") {
		return nil, firstError("request", c.Request.Errors)
	}
	if strings.EqualFold(c.Action.IsCompleted, "false") {
		return nil, firstError("action", c.Action.Errors)
	}
	if c.Request.IsValid == "" && c.Action.IsCompleted == "" && c.Session.IsEstablished == "" {
		return nil, fmt.Errorf("%w: no Context", errNotOnSIP)
	}
	r := &OnSIPReply{SessionID: strings.TrimSpace(c.Session.SessionID), UserID: strings.TrimSpace(c.Session.UserID),
		IsEstablished: strings.EqualFold(strings.TrimSpace(c.Session.IsEstablished), "true"), Roles: c.Session.Roles}
	for _, it := range doc.Result.Items {
		if t := it.Token; t != nil && r.ThirdParty == nil {
			r.ThirdParty = &OnSIPThirdParty{Token: Secret(strings.TrimSpace(t.Token)), Service: t.Service,
				ServiceUserID: strings.TrimSpace(t.ServiceUserID), UserID: strings.TrimSpace(t.UserID), Scope: t.Scope, TokenID: t.TokenID}
		}
		for _, s := range append(it.Summaries, it.Summary...) {
			u := OnSIPUser{UserID: strings.TrimSpace(s.UserID), Name: s.ContactName, Email: s.ContactEmail, AuthUsername: s.AuthUsername,
				AccountID: s.AccountID, OrganizationID: s.OrganizationID, Status: s.Status}
			if len(s.Addresses) > 0 {
				u.Address = strings.TrimSpace(s.Addresses[0].Address)
			}
			r.Users = append(r.Users, u)
		}
	}
	return r, nil
}

func firstError(kind string, errs []xmlOnSIPError) *OnSIPError {
	if len(errs) == 0 {
		return &OnSIPError{Kind: kind}
	}
	e := errs[0]
	return &OnSIPError{Kind: kind, Code: strings.TrimSpace(e.Code), Parameter: strings.TrimSpace(e.Parameter), Message: strings.TrimSpace(e.Message)}
}
