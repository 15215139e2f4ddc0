// sync/ops/op_convert.h: every field crosses the seam, both ways, and a moved-from op keeps
// its identity.
#include "sync/ops/op_convert.h"

#include <doctest/doctest.h>

#include <string>

namespace gocua {
namespace {

// An op with every field set to a value no default has: a field the conversion drops or
// swaps shows as a difference.
protocol::Op FullOp() {
  protocol::Op op;
  op.origin_device = "0190f3a2-0000-7000-8000-00000000000a";
  op.seq = 42;
  op.record_type = "visit";
  op.record_id = "0190f3a2-0000-7000-8000-0000000000b1";
  op.field = "deleted";
  op.value = 1;
  op.base_hlc = 1700000000001;
  op.base_device = "0190f3a2-0000-7000-8000-0000000000c2";
  op.hlc = 1700000000002;
  op.author = "0190f3a2-0000-7000-8000-0000000000d3";
  op.seen_hlc = 1700000000003;
  op.seen_device = "0190f3a2-0000-7000-8000-0000000000e4";
  return op;
}

TEST_CASE("OpConvert: protocol op to RemoteOp carries every field") {
  const protocol::Op op = FullOp();
  protocol::Op moved = op;
  const RemoteOp r = sync_ops::ToRemoteOp(std::move(moved));
  CHECK(r.origin_device == op.origin_device);
  CHECK(r.seq == op.seq);
  CHECK(r.record_type == op.record_type);
  CHECK(r.record_id == op.record_id);
  CHECK(r.field == op.field);
  CHECK(r.value == op.value);
  CHECK(r.base == Stamp{op.base_hlc, op.base_device});
  CHECK(r.hlc == op.hlc);
  CHECK(r.author == op.author);
  CHECK(r.seen == Stamp{op.seen_hlc, op.seen_device});
  // The identity stays readable in the moved-from op (the hub's v2 push reply reads it).
  CHECK(moved.origin_device == op.origin_device);
  CHECK(moved.seq == op.seq);
}

TEST_CASE("OpConvert: a pulled op appended in place is the op ToRemoteOp makes") {
  const protocol::Op op = FullOp();
  std::vector<RemoteOp> ops(1);
  sync_ops::AppendRemoteOp(protocol::Op(op), ops);
  REQUIRE(ops.size() == 2);
  CHECK(ops[1] == sync_ops::ToRemoteOp(protocol::Op(op)));
  CHECK(ops[0] == RemoteOp());
}

TEST_CASE("OpConvert: protocol op round-trips through RemoteOp") {
  const protocol::Op op = FullOp();
  CHECK(sync_ops::ToWireOp(sync_ops::ToRemoteOp(protocol::Op(op))) == op);
}

TEST_CASE("OpConvert: RemoteOp round-trips through the protocol op") {
  RemoteOp r;
  r.origin_device = "0190f3a2-0000-7000-8000-0000000000f5";
  r.seq = 7;
  r.record_type = "household";
  r.record_id = "0190f3a2-0000-7000-8000-000000000106";
  r.field = "head_name";
  r.value = "Nguyễn Văn A";
  r.base = {11, "0190f3a2-0000-7000-8000-000000000117"};
  r.hlc = 12;
  r.author = "0190f3a2-0000-7000-8000-000000000128";
  r.seen = {13, "0190f3a2-0000-7000-8000-000000000139"};
  RemoteOp moved = r;
  const protocol::Op op = sync_ops::ToWireOp(std::move(moved));
  CHECK(op.origin_device == r.origin_device);
  CHECK(op.base_hlc == r.base.hlc);
  CHECK(op.base_device == r.base.device);
  CHECK(op.seen_hlc == r.seen.hlc);
  CHECK(op.seen_device == r.seen.device);
  CHECK(moved.origin_device == r.origin_device);
  CHECK(sync_ops::ToRemoteOp(protocol::Op(op)) == r);
}

TEST_CASE("OpConvert: absent parts stay absent both ways") {
  // A null value, a field never written (no base), no author, no seen stamp.
  protocol::Op op = FullOp();
  op.field = "phone";
  op.value = nullptr;
  op.base_hlc = 0;
  op.base_device.clear();
  op.author.clear();
  op.seen_hlc = 0;
  op.seen_device.clear();
  const RemoteOp r = sync_ops::ToRemoteOp(protocol::Op(op));
  CHECK(r.value.is_null());
  CHECK(r.base == Stamp{});
  CHECK(r.author.empty());
  CHECK(r.seen == Stamp{});
  CHECK(sync_ops::ToWireOp(RemoteOp(r)) == op);
}

TEST_CASE("OpConvert: a change-log entry becomes the op of this device") {
  ChangeEntry e;
  e.seq = 5;
  e.record_type = "person";
  e.record_id = "0190f3a2-0000-7000-8000-00000000014a";
  e.field = "deleted";
  e.value = 1;
  e.base_hlc = 21;
  e.base_device = "0190f3a2-0000-7000-8000-00000000015b";
  e.hlc = 22;
  e.author = "0190f3a2-0000-7000-8000-00000000016c";
  e.seen_hlc = 23;
  e.seen_device = "0190f3a2-0000-7000-8000-00000000017d";
  const std::string device = "0190f3a2-0000-7000-8000-00000000018e";

  protocol::Op want;
  want.origin_device = device;
  want.seq = e.seq;
  want.record_type = e.record_type;
  want.record_id = e.record_id;
  want.field = e.field;
  want.value = e.value;
  want.base_hlc = e.base_hlc;
  want.base_device = e.base_device;
  want.hlc = e.hlc;
  want.author = e.author;
  want.seen_hlc = e.seen_hlc;
  want.seen_device = e.seen_device;
  CHECK(sync_ops::ToWireOp(ChangeEntry(e), device) == want);

  // A null value and absent stamps and author.
  e.value = nullptr;
  e.base_hlc = 0;
  e.base_device.clear();
  e.author.clear();
  e.seen_hlc = 0;
  e.seen_device.clear();
  const protocol::Op op = sync_ops::ToWireOp(ChangeEntry(e), device);
  CHECK(op.value.is_null());
  CHECK(op.base_hlc == 0);
  CHECK(op.base_device.empty());
  CHECK(op.author.empty());
  CHECK(op.seen_hlc == 0);
  CHECK(op.seen_device.empty());
  CHECK(op.origin_device == device);
}

}  // namespace
}  // namespace gocua
