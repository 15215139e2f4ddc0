#include "sync/client/sync_errors.h"

#include <cctype>

#include "sync/client/sync_engine.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/protocol.h"

namespace gocua::client {
namespace {

// " (hub: <message>)" when the hub said something, else "".
std::string HubSaid(const std::string& message) {
  return message.empty() ? "" : " (máy chủ — hub: " + message + ")";
}

std::string Versions(const std::vector<int>& versions) {
  std::string s;
  for (int v : versions) s += (s.empty() ? "" : ", ") + std::to_string(v);
  return s.empty() ? "?" : s;
}

}  // namespace

std::string TrimSpaces(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string CodeAsTyped(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

std::string_view FailureName(SyncFailure f) {
  switch (f) {
    case SyncFailure::kNone:
      return "none";
    case SyncFailure::kCancelled:
      return "cancelled";
    case SyncFailure::kNotEnrolled:
      return "not_enrolled";
    case SyncFailure::kBadInput:
      return "bad_input";
    case SyncFailure::kNetwork:
      return "network";
    case SyncFailure::kHubFailing:
      return "hub_failing";
    case SyncFailure::kUnauthorized:
      return "unauthorized";
    case SyncFailure::kProtocolMismatch:
      return "protocol_mismatch";
    case SyncFailure::kDeviceFork:
      return "device_fork";
    case SyncFailure::kHubLostData:
      return "hub_lost_data";
    case SyncFailure::kRejected:
      return "rejected";
    case SyncFailure::kBadReply:
      return "bad_reply";
    case SyncFailure::kTooOld:
      return "too_old";
    case SyncFailure::kWrongCommune:
      return "wrong_commune";
    case SyncFailure::kLocal:
      return "local";
  }
  return "unknown";
}

Status CancelledError() {
  return {ErrorCode::kIo,
          "Đã huỷ đồng bộ; phần đã gửi và đã nhận được giữ lại — sync cancelled; what was sent "
          "and received is kept"};
}

Status NotEnrolledError() {
  return {ErrorCode::kNotFound,
          "Máy này chưa đăng ký với máy chủ đồng bộ. Nhờ tổ trưởng tạo mã đăng ký rồi đăng ký "
          "máy (gocua-cli enroll --hub URL --code MÃ) — this device is not enrolled with a hub: "
          "ask a leader for an enrollment code, then enroll"};
}

Status BadHubUrlError(const std::string& url) {
  return InvalidInput("Địa chỉ máy chủ '" + url +
                      "' không hợp lệ; nhập dạng http://192.168.1.10:8080 hoặc "
                      "https://tên-máy-chủ — not a hub address; use http://host:port or "
                      "https://host");
}

Status BadEnrollInputError(const Status& why) {
  return InvalidInput(
      "Mã đăng ký hoặc tên máy không hợp lệ; kiểm tra rồi nhập lại — the "
      "enrollment code or device name is not valid: " +
      protocol::WireMessage(why));
}

Status LocalError(const Status& why) {
  return {why.code(),
          "Lỗi dữ liệu trên máy khi đồng bộ; thử lại, nếu vẫn lỗi hãy sao lưu thư mục dữ liệu "
          "và báo quản trị viên — the local database failed during sync: " +
              why.message()};
}

Status NetworkError(const std::string& url, int tries, const Status& why) {
  return {ErrorCode::kIo, "Không kết nối được máy chủ đồng bộ " + url + " sau " +
                              std::to_string(tries) + " lần thử: " + why.message() +
                              ". Dữ liệu chưa gửi vẫn được giữ trên máy. Kiểm tra mạng (Wi-Fi, "
                              "3G/4G) rồi thử lại — cannot reach the sync hub after " +
                              std::to_string(tries) +
                              " tries; nothing unsent is lost. Check the network and try again"};
}

Status HubFailingError(const std::string& url, int tries, const protocol::ErrorBody& body,
                       int http_status) {
  return {ErrorCode::kIo, "Máy chủ đồng bộ " + url + " đang gặp lỗi (HTTP " +
                              std::to_string(http_status) + ", " + std::to_string(tries) +
                              " lần thử)" + HubSaid(body.message) +
                              ". Dữ liệu chưa gửi vẫn được giữ trên máy. Thử lại sau; nếu lỗi "
                              "kéo dài, báo quản trị viên — the hub is failing; nothing unsent "
                              "is lost. Try again later; if it lasts, tell the admin"};
}

Status ProtocolMismatchError(const std::vector<int>& hub_versions) {
  return {ErrorCode::kInvalidInput,
          "Ứng dụng và máy chủ dùng phiên bản giao thức khác nhau (máy này: " +
              Versions({protocol::kSupportedVersions.begin(), protocol::kSupportedVersions.end()}) +
              "; máy chủ: " + Versions(hub_versions) +
              "). Cập nhật Gõ Cửa (hoặc báo quản trị viên cập nhật máy chủ) — the app and the hub "
              "speak different protocol versions; update the app or the hub"};
}

Status BadCodeError(const std::string& hub_message) {
  return {ErrorCode::kInvalidInput,
          "Mã đăng ký không đúng, đã được dùng hoặc đã hết hạn" + HubSaid(hub_message) +
              ". Nhờ tổ trưởng tạo mã mới rồi thử lại — the enrollment code is wrong, used or "
              "expired; ask a leader for a new code"};
}

Status EnrollRateLimitedError(const std::string& hub_message) {
  return {ErrorCode::kInvalidInput,
          "Máy chủ tạm từ chối đăng ký vì đã có quá nhiều lần nhập mã sai" + HubSaid(hub_message) +
              ". Chờ vài phút, kiểm tra lại mã với trưởng nhóm rồi thử lại — too many refused "
              "enrollment attempts; wait a few minutes, check the code with a leader and try "
              "again"};
}

Status UnauthorizedError(const std::string& hub_message) {
  return {ErrorCode::kInvalidInput,
          "Máy chủ không nhận máy này nữa (quyền đồng bộ đã bị thu hồi hoặc không hợp lệ)" +
              HubSaid(hub_message) +
              ". Dữ liệu chưa gửi vẫn được giữ. Nhờ tổ trưởng tạo mã đăng ký mới rồi đăng ký lại "
              "máy — the hub no longer accepts this device's token; nothing unsent is lost. Ask a "
              "leader for a new enrollment code and enroll again"};
}

Status NotFoundError(const std::string& url, std::string_view path) {
  return {ErrorCode::kNotFound, "Không tìm thấy " + std::string(path) + " trên " + url +
                                    ": đây có phải máy chủ Gõ Cửa không? Kiểm tra địa chỉ máy "
                                    "chủ — not found on this address; check the hub address"};
}

Status RejectedError(int http_status, const protocol::ErrorBody& body) {
  return {ErrorCode::kInvalidInput,
          "Máy chủ từ chối yêu cầu (HTTP " + std::to_string(http_status) + " " + body.code + ")" +
              HubSaid(body.message) +
              ". Dữ liệu chưa gửi vẫn được giữ. Cập nhật Gõ Cửa; nếu vẫn lỗi, báo quản trị viên — "
              "the hub refused the request; nothing unsent is lost. Update the app; if it "
              "persists, tell the admin"};
}

Status BadReplyError(const Status& why) {
  return {ErrorCode::kCorrupt,
          "Máy chủ trả lời không đúng giao thức (" + protocol::WireMessage(why) +
              "). Dữ liệu chưa gửi vẫn được giữ. Thử lại sau; nếu vẫn lỗi, báo quản trị viên — "
              "the hub's reply breaks the protocol; nothing unsent is lost. Try later; if it "
              "persists, tell the admin"};
}

Status UnsendableError(int64_t seq, const Status& why) {
  return {ErrorCode::kCorrupt, "Thay đổi số " + std::to_string(seq) +
                                   " trong máy không gửi được (" + protocol::WireMessage(why) +
                                   "). Sao lưu thư mục dữ liệu và báo quản trị viên — change " +
                                   std::to_string(seq) +
                                   " cannot be sent; back up the data folder and tell the admin"};
}

Status DeviceForkError(const std::string& hub_message) {
  return {ErrorCode::kConflict,
          "Mã thiết bị của máy này đang được một máy khác dùng (có thể ổ đĩa được sao chép hoặc "
          "khôi phục từ bản sao lưu)" +
              HubSaid(hub_message) +
              ". Đã dừng gửi; dữ liệu chưa gửi vẫn được giữ. Báo quản trị viên để đăng ký máy này "
              "như một thiết bị mới — another machine uses this device's id (a copied disk or a "
              "restored backup); pushing stopped and the outbox is kept. Ask the admin to enroll "
              "it as a new device"};
}

Status AlreadyEnrolledError(const std::string& hub_message) {
  return {ErrorCode::kConflict,
          "Máy chủ đã có mã thiết bị của máy này (máy đã đăng ký trước đây rồi bị thu hồi, hoặc "
          "là bản sao của một máy khác) nên không nhận đăng ký lại" +
              HubSaid(hub_message) +
              ". Dữ liệu trên máy vẫn được giữ. Báo quản trị viên — the hub already knows this "
              "device id (enrolled before and revoked, or a copy of another laptop) and will "
              "not enroll it again; the local data is kept. Tell the admin"};
}

Status HubLostDataError(const std::string& url, int64_t expected_seq, int64_t first_held_seq) {
  return {ErrorCode::kConflict,
          "Máy chủ " + url + " cần thay đổi số " + std::to_string(expected_seq) +
              " của máy này, nhưng máy đã xoá nó sau khi máy chủ xác nhận (" +
              (first_held_seq > 0 ? "máy còn giữ từ số " + std::to_string(first_held_seq)
                                  : std::string("máy không còn thay đổi nào chưa gửi")) +
              "); có thể máy chủ đã được khôi phục từ bản sao lưu cũ. Đã dừng gửi; báo quản trị "
              "viên — the hub asks for seq " +
              std::to_string(expected_seq) +
              ", which it acknowledged before and this device no longer holds; the hub was "
              "probably restored from an old backup. Pushing stopped; tell the admin"};
}

Status TooOldError(const Status& why) {
  return {ErrorCode::kTooNew,
          "Dữ liệu từ máy chủ mới hơn phiên bản Gõ Cửa này; cập nhật ứng dụng rồi đồng bộ lại — "
          "the hub sent records this version does not know; update the app and sync again (" +
              why.message() + ")"};
}

Status WrongCommuneError(const Status& why) {
  return {ErrorCode::kConflict,
          "Máy này đã có dữ liệu của một xã khác nên không đăng ký vào xã này được. Dùng một thư "
          "mục dữ liệu mới (--data) cho xã mới — this device already holds another commune; "
          "use a new data folder for the new commune (" +
              why.message() + ")"};
}

}  // namespace gocua::client
