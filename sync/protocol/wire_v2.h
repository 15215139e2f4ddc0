#pragma once
// Sync protocol v2 on the wire: the same ops as v1 (messages.h), sent as one entry per *run* of
// ops on one record. The contract in prose, with examples, is docs/sync-protocol.md ("Protocol
// v2"). Pure functions, any thread; decoders take untrusted input and never throw.
//
// A run is consecutive ops (in the order given) with the same origin_device, record_type,
// record_id and author, whose seqs count up by one (and, in a pull page, whose server_seqs do
// too). It is sent once with its record and its first op's identity and stamp:
//
//   {"origin": D, "seq": S, "server_seq": N, "type": T, "id": I, "author": A, "hlc": H,
//    "ops": [[field, value], [field, value, {"hlc_step": d, "base_hlc": b, "base_device": B,
//                                            "seen_hlc": s, "seen_device": E}], ...]}
//
// Op k of the run has seq S + k (server_seq N + k) and hlc H for k = 0, else the previous op's
// hlc + hlc_step (1 when absent). base_* and seen_* are absent when 0 / "". `author` absent is
// "". `origin` absent is the previous run's (in a push, the first run's is the batch's
// device_id; a pull page's first run must say it). `seq` absent is the next seq of that origin
// after its previous run in the message (required on an origin's first run). `server_seq`
// absent is the previous op's + 1 (required on a page's first run).
//
// Expansion is exact: Decode(Encode(m)) == m for every message whose ops the v1 codec carries,
// so the hub and the client keep one implementation over the expanded ops. A push's seq rules
// (consecutive per origin) and every limit are those of v1, counted in expanded ops; a break is
// named by its v2 path ("runs[3].ops[2][0]: ...").
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/op_view.h"

namespace gocua::protocol {

inline constexpr int kProtocolV2 = 2;

// ---- Push request: {"protocol": 2, "device_id", "batch_id", "runs": [...]} ----
// Encode(PushRequest) and DecodePushRequest() (messages.h) speak v2 when m.protocol == 2; these
// are the v2 halves they call.
std::string EncodePushRequestV2(const PushRequest& m);
// `j` is a parsed push body whose "protocol" is 2; `json_bytes` the size of its text.
Result<PushRequest> PushRequestV2FromJson(const nlohmann::json& j, size_t json_bytes);
// The same, moving the ops' values out of `j` instead of copying them.
Result<PushRequest> PushRequestV2FromJson(nlohmann::json&& j, size_t json_bytes);

// Builds a v2 push body op by op, so that a client can cut its batch on the size of the text it
// will send. Encode(request) gives the same text for the same ops.
namespace wire_v2_internal {
// The state of a v2 run writer: the open run and what later runs may leave out.
struct Writer {
  std::string text;  // the message up to the open run's last op
  bool open = false;  // a run is open: text lacks its closing "]}"
  std::string origin, type, id, author;
  int64_t next_seq = 0, last_hlc = 0, next_server_seq = 0;
  std::string last_origin;                                // "" before the first run of a pull
  std::vector<std::pair<std::string, int64_t>> next_seqs;  // per origin: after its last run
  int ops = 0;
};
}  // namespace wire_v2_internal

class PushBodyV2 {
 public:
  PushBodyV2(const std::string& device_id, const std::string& batch_id);
  // Appends `op` after the ops added so far; returns the finished body's size with it.
  size_t Add(const Op& op);
  // Takes back the op added last. REQUIRES: an Add() since the last UndoLast().
  void UndoLast();
  size_t size() const;  // bytes of the finished body with the ops added so far
  int ops() const { return w_.ops; }
  std::string Finish() const;  // the body's text

 private:
  wire_v2_internal::Writer w_, undo_;
  size_t undo_text_size_ = 0;
};

// ---- Push reply: {"results": [...], "acked_seq", "server_time"} ----
// `results` lists only the ops whose outcome is not `applied`, in pushed order, each as
// {"origin": D (absent: the pushing device), "seq", "outcome", "reason"}; every op not listed
// was applied. The reply is read against the push it answers; an op of `answered` whose
// origin_device is "" is the pushing device's (the hub moves the origins out of the push).
std::string EncodePushResponseV2(const PushRequest& answered, const PushResponse& m);
// The full v1 reply (one result per op of `answered`, in order). A result that names no op of
// the push, or breaks the pushed order, is kErrBadRequest.
Result<PushResponse> DecodePushResponseV2(std::string_view text, const PushRequest& answered);

// ---- Pull page: {"runs": [...], "next_cursor", "has_more", "server_time", "devices"?} ----
// `devices` (optional) is v1's, unchanged.
// `limit` and kMaxPullLimit count expanded ops. Pages are checked as fully as in v1.
std::string EncodePullResponseV2(const PullResponse& m);
// Writes a v2 pull page op by op, from views (the hub's pull, straight from its log rows):
// Finish() gives the text EncodePullResponseV2 gives for a page of the same ops and fields.
class PullBodyV2 {
 public:
  PullBodyV2();
  // Appends the op at `server_seq` after those added so far (server_seqs increasing).
  void Add(int64_t server_seq, const OpView& op);
  int ops() const { return w_.ops; }
  // The page's text; the body is spent.
  std::string Finish(const std::string& next_cursor, bool has_more, int64_t server_time,
                     const std::vector<DeviceSeen>& devices);

 private:
  wire_v2_internal::Writer w_;
};
Result<PullResponse> DecodePullResponseV2(std::string_view text);
Result<PullResponse> PullResponseV2FromJson(const nlohmann::json& j);
Result<PullResponse> PullResponseV2FromJson(nlohmann::json&& j);  // moves the values out of j

// ---- Versions ----
// The newest version in both `ours` and `theirs`, or 0 when they share none.
int ChooseVersion(std::span<const int> ours, std::span<const int> theirs);

}  // namespace gocua::protocol
