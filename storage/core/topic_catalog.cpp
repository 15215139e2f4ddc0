#include "storage/core/topic_catalog.h"

#include "storage/core/record_store.h"

namespace gocua {

const std::vector<Topic>& BuiltinTopics() {
  static const std::vector<Topic> topics = {
      {"vneid", "VNeID: cài đặt, kích hoạt định danh điện tử mức 2, tích hợp giấy tờ",
       "VNeID: install, activate level-2 e-identity, add documents", "public_services", 1},
      {"dvc", "Dịch vụ công trực tuyến: tài khoản, nộp hồ sơ, nộp phí",
       "Online public services: account, apply online, pay fees", "public_services", 2},
      {"cashless", "Thanh toán không dùng tiền mặt: ứng dụng ngân hàng, QR, hóa đơn điện nước",
       "Cashless payment: bank app, QR, utility bills", "payment", 3},
      {"health", "Y tế số: VssID, sổ sức khỏe điện tử, đặt lịch khám",
       "Digital health: VssID, e-health book, appointments", "platforms", 4},
      {"ecommerce", "Thương mại điện tử: bán nông sản trên Postmart, Voso",
       "E-commerce: selling farm produce on Postmart, Voso", "shopping", 5},
      {"safety", "An toàn trên mạng: nhận biết lừa đảo, mật khẩu mạnh, xác thực hai bước",
       "Online safety: scams, strong passwords, two-step verification", "safety", 6},
      {"smartphone", "Kỹ năng cơ bản: Zalo, tìm kiếm, chữ ký số",
       "Basic smartphone skills: Zalo, search, digital signature", "platforms", 7},
      {"elearning", "Học trực tuyến: nền tảng MOOC quốc gia (OneTouch)",
       "Online learning: national MOOC platform (OneTouch)", "platforms", 8},
      {"other", "Nội dung khác", "Other", "", 9},
  };
  return topics;
}

Status SeedTopicCatalog(Database::Impl& d) {
  const RecordDef& def = *FindRecordDef("topic");
  for (const Topic& t : BuiltinTopics()) {
    StoredRow row;
    row.values = {{"name_vi", t.name_vi},
                  {"name_en", t.name_en},
                  {"skill", t.skill},
                  {"sort", t.sort},
                  {"deleted", 0}};
    if (Status st = PutRow(d, def, t.id, row); !st) return st;
  }
  return Status::Ok();
}

}  // namespace gocua
