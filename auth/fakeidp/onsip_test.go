package fakeidp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// The fake answers JSON when asked, in OnSIP's JSON shape: every value a string, a single
// element an object and a repeated one an array.
func TestOnSIPAnswersJSONWhenAsked(t *testing.T) {
	s := StartOnSIP()
	defer s.Close()
	resp, err := http.PostForm(s.URL+"/api", url.Values{"Action": {"SessionCreate"}, "Username": {s.Username}, "Password": {s.Password}, "Output": {"json"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Response struct {
			Context struct {
				Request struct {
					IsValid    string
					Parameters struct {
						Parameter []struct{ Name, Value string }
					}
				}
				Session struct{ IsEstablished, SessionId string }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Response.Context
	if c.Session.IsEstablished != "true" || c.Session.SessionId == "" || c.Request.IsValid != "true" {
		t.Fatalf("JSON answer %+v", c)
	}
	for _, p := range c.Request.Parameters.Parameter {
		if p.Name == "Password" && p.Value != "******" {
			t.Fatalf("the password was echoed: %q", p.Value)
		}
	}
}
