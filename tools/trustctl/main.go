// Command trustctl administers a Trust Engine suite over gRPC: it imports
// official boundaries (municipalities, and ward sets as teams) from GeoJSON
// or the Municipal Demarcation Board's zipped Shapefiles, lists teams, and
// mints development tokens.
//
//	export TRUSTENGINE_TOKEN=$(trustctl token -role platform_admin -tenant '*')   # development only
//	trustctl import-municipalities data/mdb2011/municipalities2011.geojson.gz
//	trustctl import-wards -tenant JHB -category water -name-pattern 'Water ward {WARDNO}' data/mdb2011/wards2011_JHB.geojson.gz
//	trustctl teams list -tenant JHB -category water
//
// Every subcommand but token calls the routing service at -addr
// (TRUSTENGINE_ROUTING_ADDR, default 127.0.0.1:9102) with the bearer token
// in TRUSTENGINE_TOKEN; -help on each says more.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: its name, a line of help and what it runs.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, out, errOut io.Writer) error
}

var commands = []command{
	{"import-municipalities", "create or update municipalities from a boundary file (GeoJSON or zipped Shapefile)", importMunicipalities},
	{"import-wards", "create or update one team per ward (or other area) of a boundary file", importWards},
	{"teams", "teams list: list a municipality's teams", teams},
	{"token", "mint a development token (TRUSTENGINE_DEV_MODE=1 only)", token},
}

// errUsage marks a usage error, already explained: exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "trustctl:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(errOut)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], out, errOut)
		}
	}
	fmt.Fprintf(errOut, "trustctl: unknown command %q\n\n", args[0])
	usage(errOut)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: trustctl <command> [flags] [file]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-22s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEnvironment: TRUSTENGINE_TOKEN (bearer token), TRUSTENGINE_ROUTING_ADDR (default 127.0.0.1:9102).")
	fmt.Fprintln(w, "Run trustctl <command> -help for its flags.")
}

// flags is a subcommand's flag set, whose -help prints summary and usage.
func flags(name, args, summary string, errOut io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("trustctl "+name, flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() {
		fmt.Fprintf(errOut, "Usage: trustctl %s [flags] %s\n\n%s\n\nFlags:\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning a flag error into errUsage (the flag package
// has printed it).
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return errUsage
	}
	return err
}
