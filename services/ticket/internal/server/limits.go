package server

// MaxRecvMsgSize is the largest request the ticket service accepts. It is
// above every field limit, so that oversized text (a 10 MB description) is
// refused by validation naming the field, not by gRPC's default 4 MB cap.
const MaxRecvMsgSize = 16 << 20
