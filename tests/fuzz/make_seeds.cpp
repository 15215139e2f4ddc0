// Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/), made by the real
// encoders from messages like the protocol tests' (tests/sync/protocol/*_fixtures.h) and from
// the CSV shapes of the import tests. tools/fuzz.sh runs it; its output is committed.
//   make_seeds OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sync/protocol/messages.h"
#include "sync/protocol/wire_v2.h"

namespace {

using namespace gocua::protocol;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kDevA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const std::string kDevB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
const std::string kBatch = "0190a1b2-c3d4-7000-8000-000000000001";
const std::string kRecord = "0190a1b2-c3d4-7111-8222-333344445555";
constexpr int64_t kHlc = int64_t{1720000000000} << 16;

Op MakeOp(const std::string& origin, int64_t seq, const std::string& type, const std::string& field,
          json value) {
  Op op;
  op.origin_device = origin;
  op.seq = seq;
  op.record_type = type;
  op.record_id = kRecord;
  op.field = field;
  op.value = std::move(value);
  op.hlc = kHlc + seq;
  return op;
}

PushRequest Push(int protocol) {
  PushRequest p;
  p.protocol = protocol;
  p.device_id = kDevA;
  p.batch_id = kBatch;
  p.ops = {MakeOp(kDevA, 41, "visit", "household_id", "0190a1b2-c3d4-7111-8222-000000000001"),
           MakeOp(kDevA, 42, "visit", "topics", {{"vneid", "done"}, {"payment", "needs_followup"}}),
           MakeOp(kDevA, 43, "visit", "note", nullptr)};
  p.ops[1].base_hlc = kHlc;
  p.ops[1].base_device = kDevB;
  p.ops[2].author = "0190a1b2-0000-7000-8000-00000000beef";
  Op del = MakeOp(kDevA, 44, "household", "deleted", 1);
  del.seen_hlc = kHlc + 3;
  del.seen_device = kDevA;
  p.ops.push_back(del);
  return p;
}

PullResponse Pull() {
  PullResponse p;
  p.ops.push_back({101, MakeOp(kDevA, 1, "household", "head_name", "Nguyễn Văn Đức")});
  p.ops.push_back({102, MakeOp(kDevA, 2, "household", "members_count", 4)});
  p.ops.push_back({105, MakeOp(kDevB, 7, "visit", "persons", json::array({"a", "b"}))});
  p.next_cursor = "e1.105";
  p.has_more = false;
  p.server_time = 1720000000000;
  p.devices.push_back({kDevB, "Laptop tổ 3", 1720000000000});
  return p;
}

void Write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds OUT_DIR\n");
    return 2;
  }
  const fs::path out(argv[1]);
  const fs::path v1 = out / "protocol_v1", v2 = out / "protocol_v2", text = out / "v2_text",
                 csv = out / "csv_import";
  Write(v1, "push", Encode(Push(1)));
  PushRequest empty = Push(1);
  empty.ops.clear();
  Write(v1, "push_empty", Encode(empty));
  PushResponse reply;
  reply.results = {{41, Outcome::kApplied, ""},
                   {42, Outcome::kConflict, ""},
                   {43, Outcome::kQuarantined, "author is not a member"}};
  reply.acked_seq = 43;
  reply.server_time = 1720000000000;
  Write(v1, "push_reply", Encode(reply));
  PullResponse pull = Pull();
  Write(v1, "pull", Encode(pull));
  Write(v1, "enroll_request", Encode(EnrollRequest{1, "7K2M-9QXP", kDevA, "Laptop tổ 3"}));
  Write(v1, "enroll_reply", Encode(EnrollResponse{kDevA, "tok", kRecord, 1720000000000}));
  ErrorBody err;
  err.code = "seq_gap";
  err.message = "gửi lại từ seq 12";
  err.expected_seq = 12;
  err.origin_device = kDevA;
  Write(v1, "error", Encode(err));

  const std::string push2 = Encode(Push(2));
  Write(v2, "push", push2);
  Write(text, "push", push2);
  const std::string pull2 = EncodePullResponseV2(pull);
  Write(v2, "pull", pull2);
  Write(text, "pull", pull2);
  Write(
      v2, "push_reply",
      R"({"results":[{"seq":12,"outcome":"conflict"}],"acked_seq":13,"server_time":1720000000000})");
  PullResponse last;
  last.next_cursor = "e1.9";
  last.server_time = 1720000000000;
  Write(text, "pull_empty", EncodePullResponseV2(last));

  Write(csv, "bom_semicolon_crlf",
        "\xEF\xBB\xBFSTT;Thôn;Chủ hộ;Số nhà;SĐT;Số nhân khẩu;Trong độ tuổi lao động;"
        "Điện thoại thông minh;Internet tại nhà\r\n"
        "1;Thôn An Phú;Phạm Văn Bình;5;0905 111 222;3;2;1;Có\r\n"
        "2;thon an phu;Võ Thị Cúc;\"7; hẻm 2\";;2;1;0;Không\r\n"
        "3;THÔN 2;Hồ Văn Dũng;;;1;1;1;x\r\n");
  Write(csv, "english_comma",
        "village,head,address,phone,members,working_age,smartphones,internet\n"
        "Thôn 2,Nguyễn Văn Đức,\"12, ngõ 3\",0912345678,4,2,2,yes\n"
        "Thôn 2,Nguyễn Văn Đức,\"12, ngõ 3\",0912345678,4,2,2,yes\n"
        "Thôn 9,Trần Thị Hoa,,,x,1,1,no\n");
  Write(csv, "tab_quotes", "Thôn\tChủ hộ\n\"Thôn An Phú\"\t\"Lê \"\"Tám\"\"\"\n");
  std::printf("seeds written to %s\n", out.string().c_str());
  return 0;
}
