package auth

import "strings"

// BearerToken returns the token of an Authorization value "Bearer <token>".
// The scheme is matched without regard to case ("bearer" and "BEARER" name
// the same scheme, RFC 9110 section 11.1), so every reader of the header
// (the gRPC interceptor, the gateway's rate limiter) agrees on which
// requests carry a token. ok is false for another scheme, an empty token or
// a token with spaces in it.
func BearerToken(value string) (token string, ok bool) {
	scheme, rest, found := strings.Cut(strings.TrimSpace(value), " ")
	if !found || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	token = strings.TrimSpace(rest)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}
