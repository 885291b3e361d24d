// Package e2e tests the suite as one system: it builds the real service
// binaries, starts them as separate processes on free ports against a fresh
// database, and drives them through gRPC and the JSON gateway, killing and
// restarting services to check that no accepted work is lost or duplicated.
package e2e
