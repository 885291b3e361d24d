// Package libs is the root of the Trust Engine platform module. The code lives in
// subpackages: config, logging, apperr, auth, pg, geo, server and the test helpers
// pgtest and server/servertest.
package libs
