// Package libs is the root of the Trust Engine platform module. The code lives in
// subpackages: config, logging, apperr, auth, access, pg, geo (and its shapefile
// reader, geo/shp), seal, vocab (and its words, vocab/word), peers, queue, server,
// background (the periodic loops server.Options.Background runs),
// tracing, devtoken (development tokens, for devtoken and trustctl), and the test
// helpers pgtest (a shared server, or a cluster of a test's own),
// server/servertest and queue/queuetest; csvreport writes report answers as CSV.
package libs
