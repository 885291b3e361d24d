package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand"
	"sync"
	"testing"
	"time"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// photoClients is how many uploads run at once in the photo benchmark.
const photoClients = 16

// benchPhoto is a JPEG of random pixels just under the 20 MiB upload
// limit: noise is what JPEG compresses worst, so a 20 MB file is a 10
// megapixel photo here (a camera's 20 MB photo has more pixels and less
// noise; ATTACHMENT_DECODE_MEMORY bounds those alike).
func benchPhoto(b *testing.B) []byte {
	b.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 3760, 2800))
	rng := rand.New(rand.NewSource(7731))
	_, _ = rng.Read(m.Pix)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, m, &jpeg.Options{Quality: 100}); err != nil {
		b.Fatal(err)
	}
	if out.Len() > 20<<20 || out.Len() < 18<<20 {
		b.Fatalf("the benchmark photo is %d bytes, not just under 20 MiB", out.Len())
	}
	return out.Bytes()
}

// benchPhotos measures the memory of photo uploads: 16 clients each
// upload a 20 MB photo at once through the gateway (multipart, streamed to
// the ticket service, which spools, cleans and stores it), and the peak
// resident set of the ticket service and of the gateway is read before
// (idle, after one small upload) and after. Memory must stay bounded:
// neither holds the uploads whole, and cleaning runs within
// ATTACHMENT_DECODE_MEMORY.
func benchPhotos(b *testing.B, r *benchReport) {
	s := startSuite(b, options{extraEnv: []string{"GATEWAY_TENANT_RATE=0", "GATEWAY_CLIENT_RATE=0"}})
	s.seedCity(b, "TST")
	token := s.token("bench-agent", "TST", "agent")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, token))
	photo := benchPhoto(b)
	tickets := make([]string, photoClients)
	for i := range tickets {
		t, err := tc.CreateTicket(b.Context(), &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_ROADS,
			Description: fmt.Sprintf("Pothole %d", i), Location: westPoint})
		if err != nil {
			b.Fatal(err)
		}
		tickets[i] = t.GetTicket().GetId()
	}
	upload := func(ticket string, data []byte) error {
		ct, body := multipartBody(b, file("file", "photo.jpg", data))
		code, resp := s.postBody("/v1/tickets/"+ticket+"/attachments", token, ct, bytes.NewReader(body))
		if code != 200 {
			return fmt.Errorf("upload: %d %v", code, resp)
		}
		return nil
	}
	// Warm up every path once with a small photo, then read the idle peaks.
	var small bytes.Buffer
	_ = jpeg.Encode(&small, image.NewGray(image.Rect(0, 0, 32, 32)), nil)
	if err := upload(tickets[0], small.Bytes()); err != nil {
		b.Fatal(err)
	}
	ticketPid, gatewayPid := s.procs["ticket"].cmd.Process.Pid, s.procs["gateway"].cmd.Process.Pid
	idleTicket, idleGateway := peakRSSKiB(ticketPid)/1024, peakRSSKiB(gatewayPid)/1024

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, photoClients)
	for _, id := range tickets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- upload(id, photo)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	peakTicket, peakGateway := peakRSSKiB(ticketPid)/1024, peakRSSKiB(gatewayPid)/1024
	total := float64(photoClients*len(photo)) / (1 << 20)
	one := func(v float64) spread { return spreadOf([]float64{v}) }
	r.add("9 photos", "peak RSS (VmHWM) of ticket, idle", "MiB", one(idleTicket))
	r.add("9 photos", fmt.Sprintf("peak RSS (VmHWM) of ticket during %d concurrent %.0f MB uploads", photoClients, float64(len(photo))/1e6), "MiB", one(peakTicket))
	r.add("9 photos", "peak RSS (VmHWM) of gateway, idle", "MiB", one(idleGateway))
	r.add("9 photos", fmt.Sprintf("peak RSS (VmHWM) of gateway during %d concurrent %.0f MB uploads", photoClients, float64(len(photo))/1e6), "MiB", one(peakGateway))
	r.add("9 photos", fmt.Sprintf("%d uploads of %.0f MB received, cleaned and stored", photoClients, float64(len(photo))/1e6), "MB/s",
		one(float64(photoClients*len(photo))/1e6/took.Seconds()))
	r.goal(fmt.Sprintf("9: ticket RSS growth / the %d uploads' %.0f MiB", photoClients, total), (peakTicket-idleTicket)/total, false, 0.75)
	r.goal(fmt.Sprintf("9: gateway RSS growth / the %d uploads' %.0f MiB", photoClients, total), (peakGateway-idleGateway)/total, false, 0.1)
	r.note("Photos: %d clients upload one %.1f MiB JPEG of random pixels (3760x2800, the worst case for its size) each at once through the gateway; the figures are peak resident sets (VmHWM) before and after, so the growth is what the uploads cost at most. Measured once: a peak does not repeat.",
		photoClients, float64(len(photo))/(1<<20))
}
