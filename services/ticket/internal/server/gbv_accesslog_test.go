package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// The GBV content of the access-log test: text that exists only in its GBV
// ticket (description, reporter contact, address, a status reason, a note).
const (
	gbvAddress = "Flat 3, 14 Long Street"
	gbvPhone   = "+27825550101"
	gbvEmail   = "survivor@example.org"
	gbvReason  = "Met her at the Sea Point clinic"
	gbvNote    = "Safe house at 9 Bree Street"
	gbvPhoto   = "bruises-thandi-bree-street.jpg"
)

var gbvSecrets = []string{secretText, gbvAddress, gbvPhone, gbvEmail, gbvReason, gbvNote, gbvPhoto}

// gbvRequest is a GBV report carrying the secrets above.
func gbvRequest() *ticketv1.CreateTicketRequest {
	req := newTicket(commonv1.Category_CATEGORY_GBV, secretText)
	req.Address = gbvAddress
	req.Reporter = &ticketv1.Reporter{Name: "Survivor", Phone: gbvPhone, Email: gbvEmail}
	return req
}

// logFixture is one GBV ticket, worked by the tenant's SAPS liaison, with
// a photo.
type logFixture struct {
	h          *harness
	id         string
	attachment string
	liaison    context.Context
	reporter   context.Context
}

// gbvPhotoUpload is the SAPS liaison's upload of a photo to the fixture's
// ticket.
func (f *logFixture) gbvPhotoUpload() (*ticketv1.UploadAttachmentResponse, error) {
	return f.h.upload(f.liaison, &ticketv1.AttachmentUpload{TicketId: f.id, FileName: gbvPhoto}, probeJPEG, 64<<10)
}

// logCall is one call of an RPC against the fixture's GBV ticket.
type logCall struct {
	name string
	call func(t *testing.T, f *logFixture) (proto.Message, error)
	// subject is who calls; the log entry must name them.
	subject string
	// sealed says the answer carries the GBV ticket's sealed content; the
	// test also checks that it does (or does not).
	sealed bool
}

// gbvAnswers exercises every RPC that can be asked about a GBV ticket, as
// the one who may ask: the SAPS liaison, or the service and platform admin
// roles for their own RPCs.
var gbvAnswers = map[string][]logCall{
	rpcCreateTicket: {
		{name: "a SAPS liaison's new GBV report comes back whole", subject: "saps-CPT", sealed: true,
			call: func(t *testing.T, f *logFixture) (proto.Message, error) {
				req := gbvRequest()
				req.IdempotencyKey = "liaison-report"
				return f.h.public.CreateTicket(f.liaison, req)
			}},
		{name: "its retry comes back whole too", subject: "saps-CPT", sealed: true,
			call: func(t *testing.T, f *logFixture) (proto.Message, error) {
				req := gbvRequest()
				req.IdempotencyKey = "liaison-report"
				return f.h.public.CreateTicket(f.liaison, req)
			}},
		{name: "a citizen's GBV report comes back as a receipt", subject: "victim",
			call: func(t *testing.T, f *logFixture) (proto.Message, error) {
				return f.h.public.CreateTicket(f.reporter, gbvRequest())
			}},
	},
	rpcGetTicket: {{name: "the liaison reads the ticket", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.GetTicket(f.liaison, &ticketv1.GetTicketRequest{Id: f.id})
		}}},
	rpcListTickets: {{name: "the liaison lists GBV tickets", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.ListTickets(f.liaison, &ticketv1.ListTicketsRequest{Categories: []commonv1.Category{commonv1.Category_CATEGORY_GBV}})
		}}},
	rpcUpdateTicketStatus: {{name: "the liaison moves the ticket on", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.UpdateTicketStatus(f.liaison, &ticketv1.UpdateTicketStatusRequest{Id: f.id, Status: awaiting})
		}}},
	rpcAddTicketNote: {{name: "the liaison adds a note", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.AddTicketNote(f.liaison, &ticketv1.AddTicketNoteRequest{TicketId: f.id, Body: gbvNote})
		}}},
	rpcListTicketNotes: {{name: "the liaison reads the notes", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.ListTicketNotes(f.liaison, &ticketv1.ListTicketNotesRequest{TicketId: f.id})
		}}},
	rpcGetTicketHistory: {{name: "the liaison reads the history", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.GetTicketHistory(f.liaison, &ticketv1.GetTicketHistoryRequest{TicketId: f.id})
		}}},
	rpcListGbvAccessLog: {{name: "a platform admin audits the reads", subject: "root",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.ListGbvAccessLog(admin(t), &ticketv1.ListGbvAccessLogRequest{TicketId: f.id})
		}}},
	rpcRecordAssignment: {{name: "routing records an assignment", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.RecordAssignment(service(t), &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: f.id,
				AssignmentId: uuid.NewString(), TeamId: "saps", TeamName: "SAPS Liaison", Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH,
				EscalationLevel: 1, AssignTime: timestamppb.Now()})
		}}},
	rpcRecordDeadlines: {{name: "SLA records deadlines", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.RecordDeadlines(service(t), &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: f.id,
				Revision: 1, ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))})
		}}},
	rpcBatchRecordAssignments: {{name: "routing records assignments of many tickets", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.BatchRecordAssignments(service(t), &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
				Requests: []*ticketv1.RecordAssignmentRequest{{Tenant: "CPT", TicketId: f.id,
					AssignmentId: uuid.NewString(), TeamId: "saps", TeamName: "SAPS Liaison", Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH,
					EscalationLevel: 1, AssignTime: timestamppb.Now()}}})
		}}},
	rpcBatchRecordDeadlines: {{name: "SLA records deadlines of many tickets", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.BatchRecordDeadlines(service(t), &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
				Requests: []*ticketv1.RecordDeadlinesRequest{{Tenant: "CPT", TicketId: f.id,
					Revision: 1, ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))}}})
		}}},
	rpcRecordClockEvent: {{name: "SLA records a breach", subject: "sla",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.RecordClockEvent(service(t), &ticketv1.RecordClockEventRequest{Tenant: "CPT", TicketId: f.id,
				EventId: uuid.NewString(), Kind: ticketv1.SlaEventKind_SLA_EVENT_KIND_BREACH, Clock: ticketv1.SlaClock_SLA_CLOCK_RESPONSE,
				Cycle: 1, Step: 1, Deadline: timestamppb.Now(), EscalationLevel: 1})
		}}},
	// Its answer is a flag; the entries it writes name the other service's
	// RPC, not this one (record_gbv_access_test.go checks them).
	rpcRecordGbvAccess: {{name: "routing logs an answer that carried the ticket's content", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.RecordGbvAccess(service(t), gbvAccess(f.id))
		}}},
	rpcListPublicTickets: {{name: "Open311 lists the ticket by id", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.ListPublicTickets(service(t), &ticketv1.ListPublicTicketsRequest{Tenant: "CPT", Ids: []string{f.id}, IncludeNotes: true})
		}}},
	rpcGetPublicTicket: {{name: "Open311 asks for the ticket", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.internal.GetPublicTicket(service(t), &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: f.id, IncludeNotes: true})
		}}},
	rpcSubmitPublicReport: {{name: "Open311 files a GBV report", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			r := gbvRequest()
			return f.h.internal.SubmitPublicReport(service(t), &ticketv1.SubmitPublicReportRequest{Tenant: "CPT",
				ClientId: uuid.NewString(), Category: r.GetCategory(), Description: r.GetDescription(), Location: r.GetLocation(),
				Address: r.GetAddress(), Reporter: r.GetReporter()})
		}}},
}

func init() {
	gbvAnswers[rpcUploadAttachment] = []logCall{{name: "the liaison adds a photo", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) { return f.gbvPhotoUpload() }}}
	gbvAnswers[rpcCreateTicketWithAttachments] = []logCall{
		{name: "a SAPS liaison's GBV report with a photo comes back whole", subject: "saps-CPT", sealed: true,
			call: func(t *testing.T, f *logFixture) (proto.Message, error) {
				return f.h.createWith(f.liaison, gbvRequest(), testFile{name: gbvPhoto, data: probeJPEG})
			}},
		{name: "a citizen's GBV report with a photo comes back as a receipt", subject: "victim",
			call: func(t *testing.T, f *logFixture) (proto.Message, error) {
				return f.h.createWith(f.reporter, gbvRequest(), testFile{name: gbvPhoto, data: probeJPEG})
			}},
	}
	gbvAnswers[rpcListAttachments] = []logCall{{name: "the liaison lists the photos", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.ListAttachments(f.liaison, &ticketv1.ListAttachmentsRequest{TicketId: f.id})
		}}}
	gbvAnswers[rpcDownloadAttachment] = []logCall{{name: "the liaison opens the photo", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			head, _, err := f.h.download(f.liaison, f.id, f.attachment, false)
			return head, err
		}}}
	gbvAnswers[rpcSetAttachmentPublic] = []logCall{{name: "the liaison keeps the photo private", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.SetAttachmentPublic(f.liaison, &ticketv1.SetAttachmentPublicRequest{TicketId: f.id, AttachmentId: f.attachment})
		}}}
	gbvAnswers[rpcDeleteAttachment] = []logCall{{name: "the liaison deletes a second photo", subject: "saps-CPT",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			up, err := f.gbvPhotoUpload()
			require.NoError(t, err)
			return f.h.public.DeleteAttachment(f.liaison, &ticketv1.DeleteAttachmentRequest{TicketId: f.id, AttachmentId: up.GetAttachment().GetId()})
		}}}
	gbvAnswers[rpcSubmitPublicReportWithMedia] = []logCall{{name: "Open311 files a GBV report with a photo", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			r := gbvRequest()
			return f.h.submitWith(service(t), &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: uuid.NewString(),
				Category: r.GetCategory(), Description: r.GetDescription(), Location: r.GetLocation(), Address: r.GetAddress(),
				Reporter: r.GetReporter()}, testFile{name: gbvPhoto, data: probeJPEG})
		}}}
	gbvAnswers[rpcDownloadPublicAttachment] = []logCall{{name: "Open311 asks for the photo", subject: "routing",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			head, _, err := f.h.downloadPublic(service(t), &ticketv1.DownloadPublicAttachmentRequest{Tenant: "CPT", TicketId: f.id, AttachmentId: f.attachment})
			return head, err
		}}}
}

func init() {
	// The liaison links a second GBV report to the fixture's ticket (which
	// stays open for the other calls) and unlinks it again.
	link := func(t *testing.T, f *logFixture) (string, error) {
		child := f.h.create(t, f.reporter, gbvRequest()).GetId()
		_, err := f.h.public.LinkDuplicate(f.liaison, &ticketv1.LinkDuplicateRequest{Id: child, ParentId: f.id, Reason: gbvReason})
		return child, err
	}
	gbvAnswers[rpcLinkDuplicate] = []logCall{{name: "the liaison links a second report as a duplicate", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			child := f.h.create(t, f.reporter, gbvRequest()).GetId()
			return f.h.public.LinkDuplicate(f.liaison, &ticketv1.LinkDuplicateRequest{Id: child, ParentId: f.id, Reason: gbvReason})
		}}}
	gbvAnswers[rpcUnlinkDuplicate] = []logCall{{name: "the liaison unlinks a duplicate", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			child, err := link(t, f)
			require.NoError(t, err)
			return f.h.public.UnlinkDuplicate(f.liaison, &ticketv1.UnlinkDuplicateRequest{Id: child, Reason: gbvReason})
		}}}
	gbvAnswers[rpcSetTicketPriority] = []logCall{{name: "the liaison sets the priority", subject: "saps-CPT", sealed: true,
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.SetTicketPriority(f.liaison, &ticketv1.SetTicketPriorityRequest{Id: f.id,
				Priority: commonv1.Priority_PRIORITY_P1_CRITICAL, Reason: gbvReason})
		}}}
	gbvAnswers[rpcFollowTicket] = []logCall{{name: "the liaison follows the ticket: its place and state only", subject: "saps-CPT",
		call: func(t *testing.T, f *logFixture) (proto.Message, error) {
			return f.h.public.FollowTicket(f.liaison, &ticketv1.FollowTicketRequest{Id: f.id})
		}}}
}

// carryNoSealedContent are the RPCs whose answers cannot carry a ticket's
// content, whatever they are asked.
var carryNoSealedContent = map[string]string{
	rpcGetAttachmentRetention: "a municipality's retention setting; no ticket data",
	rpcSetAttachmentRetention: "a municipality's retention setting; no ticket data",
	rpcCreateApiKey:           "API keys of client applications; no ticket data",
	rpcListApiKeys:            "API keys of client applications; no ticket data",
	rpcRevokeApiKey:           "API keys of client applications; no ticket data",
	rpcVerifyApiKey:           "a key's tenant and client; no ticket data",
	rpcListNearbyTickets:      "never a GBV ticket, and no content of any (duplicates_test.go)",
	rpcGetDuplicateSettings:   "a municipality's radii and keywords; no ticket data",
	rpcSetDuplicateSettings:   "a municipality's radii and keywords; no ticket data",
	rpcGetTicketTile: "ids, references, categories, statuses and SLA states on a map tile, none of them sealed; " +
		"it still logs the GBV tickets a SAPS liaison's tile shows (tile_test.go)",
}

// TestEveryAnswerWithGBVContentIsLogged calls every RPC of the ticket
// service (enumerated from the descriptors) against a GBV ticket as the
// caller who may ask, and requires an access log entry naming the RPC and
// the caller exactly when the answer carries the ticket's sealed content.
func TestEveryAnswerWithGBVContentIsLogged(t *testing.T) {
	t.Parallel()
	requireClassified(t, "GBV access log", gbvAnswers, carryNoSealedContent)
	h := newHarness(t)
	f := &logFixture{h: h, liaison: saps(t, "CPT"), reporter: citizen(t, "CPT", "victim")}
	f.id = h.create(t, f.reporter, gbvRequest()).GetId()
	_, err := h.public.UpdateTicketStatus(f.liaison, &ticketv1.UpdateTicketStatusRequest{Id: f.id, Status: working, Reason: gbvReason})
	require.NoError(t, err)
	_, err = h.public.AddTicketNote(f.liaison, &ticketv1.AddTicketNoteRequest{TicketId: f.id, Body: gbvNote})
	require.NoError(t, err)
	up, err := f.gbvPhotoUpload()
	require.NoError(t, err)
	f.attachment = up.GetAttachment().GetId()

	logged := func(action, subject string) int {
		return h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE action = $1 AND subject = $2`, action, subject)
	}
	for _, m := range ticketRPCs(t) {
		action := m[strings.LastIndex(m, "/")+1:]
		for _, c := range gbvAnswers[m] {
			t.Run(action+": "+c.name, func(t *testing.T) {
				before := logged(action, c.subject)
				resp, err := c.call(t, f)
				answer := status.Convert(err).Message()
				if err == nil {
					b, merr := protojson.Marshal(resp)
					require.NoError(t, merr)
					answer = string(b)
				} else {
					require.Equal(t, codes.NotFound, status.Code(err), "only a GBV id asked of Open311 is refused: %v", err)
				}
				var carried []string
				for _, s := range gbvSecrets {
					if strings.Contains(answer, s) {
						carried = append(carried, s)
					}
				}
				require.Equal(t, c.sealed, len(carried) > 0, "sealed content in the answer: %q", carried)
				if c.sealed {
					// One entry per GBV ticket in the answer: a list may hold several.
					require.Greater(t, logged(action, c.subject), before, "access log entries of %s by %s", action, c.subject)
				} else {
					require.Equal(t, before, logged(action, c.subject), "access log entries of %s by %s", action, c.subject)
				}
			})
		}
	}
}
