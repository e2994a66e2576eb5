package fakeidp

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"time"
)

// idToken signs an RS256 id_token for the fake's user (nonce included when the sign-in sent one).
// Its claims say as little as the real ones do: Avaya's only the subject and e-mail, and an
// OpenID issuer's (with an access token issued alongside, OIDC Core §5.4) only the subject, so
// the name comes from users/me or userinfo.
func (s *Server) idToken(nonce string) string {
	claims := map[string]any{"iss": s.URL, "sub": s.User.Sub, "aud": s.ClientID, "iat": time.Now().Unix(),
		"exp": time.Now().Add(time.Hour).Unix()}
	if s.Kind == Avaya {
		claims["email"] = s.User.Username
	}
	if nonce != "" {
		claims["nonce"] = nonce
		if s.WrongNonce {
			claims["nonce"] = "not-" + nonce
		}
	}
	key := s.key
	if s.BadIDToken {
		key, _ = rsa.GenerateKey(rand.Reader, 2048)
	}
	enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	head := enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "fake"})
	body := enc(claims)
	sum := sha256.Sum256([]byte(head + "." + body))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	return head + "." + body + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func (s *Server) jwks(w http.ResponseWriter) {
	if s.Kind != OIDC {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	pub := s.key.PublicKey
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "fake",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}
