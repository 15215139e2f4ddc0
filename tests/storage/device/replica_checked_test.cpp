// CheckPulled (storage/device/replica.h): a pulled page is checked off the database thread, then
// applied. The page must fail, or apply, exactly as when each op was checked while applied:
// the first bad op not made by this device fails the page with its error, nothing is written.
#include <doctest/doctest.h>

#include "storage/core/record_store.h"
#include "storage/device/replica.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

RemoteOp Op(const std::string& device, int64_t seq, const std::string& id, const char* field,
            nlohmann::json value) {
  RemoteOp op;
  op.origin_device = device;
  op.seq = seq;
  op.record_type = "topic";
  op.record_id = id;
  op.field = field;
  op.value = std::move(value);
  op.hlc = 1000 + seq;
  return op;
}

TEST_CASE("Replica: a checked page fails on its first bad op from another device") {
  test::CommuneFixture f;
  const std::string me = f.db->device_id();
  std::vector<RemoteOp> ops = {Op("dev-x", 1, "t1", "name_vi", "Một"),
                               Op(me, 2, "t2", "no_such_field", 1),  // ours: skipped, unchecked
                               Op("dev-x", 7, "t3", "sort", "not a number"),
                               Op("dev-x", 8, "t4", "colour", "red")};
  CheckedPage page = CheckPulled(ops);
  REQUIRE(page.bad.size() == 3);
  CHECK(page.bad[0].first == 1);
  CHECK(page.bad[1].first == 2);
  CHECK(page.bad[2].first == 3);
  Status st = Replica(*f.db).ApplyPulled(page, "c1");
  CHECK(st.code() == ErrorCode::kCorrupt);
  CHECK(st.message() ==
        "Dữ liệu từ máy chủ không đọc được; hãy cập nhật Gõ Cửa — cannot apply op dev-x/7: "
        "topic.sort: phải là số nguyên — must be an integer");
  // The same through the unchecked entry point.
  Status again = Replica(*f.db).ApplyPulled(ops, "c1");
  CHECK(again.message() == st.message());
  // Nothing of the page was written, the cursor stayed.
  auto t1 = ReadRow(f.db->impl(), *FindRecordDef("topic"), "t1");
  REQUIRE(t1.ok());
  CHECK_FALSE(t1->exists);
  CHECK(Replica(*f.db).State()->cursor.empty());
}

TEST_CASE("Replica: a checked page applies normalised values, and our own bad ops are skipped") {
  test::CommuneFixture f;
  const std::string me = f.db->device_id();
  const std::string nfd = "Vie\xcc\xa3\xcc\x82t";  // "Việt" decomposed
  CheckedPage page =
      CheckPulled({Op(me, 1, "t2", "no_such_field", 1), Op("dev-x", 2, "t1", "name_vi", nfd)});
  REQUIRE(page.bad.size() == 1);
  CHECK(page.ops[1].value == "Vi\xe1\xbb\x87t");  // NFC
  REQUIRE(Replica(*f.db).ApplyPulled(page, "c1").ok());
  auto t1 = ReadRow(f.db->impl(), *FindRecordDef("topic"), "t1");
  REQUIRE(t1.ok());
  CHECK(t1->values["name_vi"] == "Vi\xe1\xbb\x87t");
  CHECK(Replica(*f.db).State()->cursor == "c1");
  auto t2 = ReadRow(f.db->impl(), *FindRecordDef("topic"), "t2");
  CHECK_FALSE(t2->exists);
}

}  // namespace
}  // namespace gocua
