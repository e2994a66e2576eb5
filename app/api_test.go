package app

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// api's calls never follow a redirect: the credential would travel wherever it points.
func TestAPICallsFollowNoRedirect(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer provider.Close()
	req, _ := http.NewRequest(http.MethodPost, provider.URL+"/api/users/me", nil)
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := noRedirects(nil).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || elsewhere.Load() != 0 {
		t.Fatalf("status %d, %d requests reached the other server", resp.StatusCode, elsewhere.Load())
	}
}
