// The console's words (strings.h). Vietnamese first: it is what province staff read; English
// for the others. Plain words that say what to do next.
#include "sync/hub/console/strings.h"

#include <map>

namespace gocua::hub::console {
namespace {

struct Text {
  const char* vi;
  const char* en;
};

const std::map<std::string_view, Text>& Table() {
  static const std::map<std::string_view, Text> kTable = {
      {"app", {"Gõ Cửa — Bảng điều hành tỉnh", "Gõ Cửa — Province console"}},
      {"nav.communes", {"Xã và thôn", "Communes and villages"}},
      {"nav.leaders", {"Lãnh đạo và mã đăng ký", "Leaders and codes"}},
      {"nav.devices", {"Máy của xã", "Commune laptops"}},
      {"nav.quarantine", {"Thao tác bị giữ lại", "Quarantined ops"}},
      {"nav.conflicts", {"Xung đột", "Conflicts"}},
      {"nav.coverage", {"Độ phủ toàn tỉnh", "Coverage"}},
      {"nav.audit", {"Nhật ký", "Audit log"}},
      {"signout", {"Đăng xuất", "Sign out"}},
      {"signin.title", {"Đăng nhập", "Sign in"}},
      {"signin.name", {"Tên tài khoản", "Account name"}},
      {"signin.password", {"Mật khẩu", "Password"}},
      {"signin.button", {"Đăng nhập", "Sign in"}},
      {"signin.hint",
       {"Chưa có tài khoản? Nhờ người quản trị máy chủ tạo bằng lệnh gocua-hub admin add.",
        "No account? Ask the hub's administrator to make one with gocua-hub admin add."}},
      {"signin.wrong",
       {"Sai tên tài khoản hoặc mật khẩu. Kiểm tra lại rồi thử lần nữa; sau 5 lần sai tài khoản "
        "bị khoá 15 phút.",
        "Wrong account name or password. Check and try again; after 5 failures the account is "
        "locked for 15 minutes."}},
      {"signin.locked",
       {"Tài khoản đang bị khoá vì đăng nhập sai nhiều lần. Chờ 15 phút rồi thử lại.",
        "This account is locked after too many failed sign-ins. Wait 15 minutes and try again."}},
      {"signin.expired",
       {"Trang đăng nhập đã cũ. Hãy đăng nhập lại trên trang này.",
        "The sign-in page had expired. Sign in again on this page."}},
      {"show", {"Xem", "Show"}},
      {"save", {"Lưu", "Save"}},
      {"done.saved", {"Đã lưu.", "Saved."}},
      {"done.revoked",
       {"Đã thu hồi máy. Máy đó không đồng bộ được nữa.",
        "The laptop is revoked. It can no longer sync."}},
      {"communes.create", {"Thêm xã", "Add a commune"}},
      {"communes.create.button", {"Thêm xã", "Add commune"}},
      {"communes.province", {"Tỉnh", "Province"}},
      {"communes.name", {"Tên xã", "Commune name"}},
      {"communes.commune", {"Xã", "Commune"}},
      {"communes.villages", {"Thôn", "Villages"}},
      {"communes.village", {"Tên thôn", "Village name"}},
      {"communes.village.new", {"Tên thôn mới", "New village's name"}},
      {"communes.village.add", {"Thêm thôn", "Add village"}},
      {"communes.rename", {"Đổi tên", "Rename"}},
      {"communes.none", {"Chưa có xã nào. Hãy thêm xã trên trang Xã và thôn.",
                         "No commune yet. Add one on the Communes page."}},
      {"communes.novillages", {"Chưa có thôn.", "No village yet."}},
      {"communes.move.later",
       {"Chuyển thôn sang xã khác (sau sáp nhập) chưa làm được ở đây; hãy báo người quản trị máy "
        "chủ.",
        "Moving a village to another commune (after a merger) cannot be done here yet; ask the "
        "hub's administrator."}},
      {"leaders.list", {"Lãnh đạo của xã", "The commune's leaders"}},
      {"leaders.name", {"Họ tên", "Name"}},
      {"leaders.pin", {"Mã PIN (4–8 số)", "PIN (4–8 digits)"}},
      {"leaders.add", {"Thêm lãnh đạo", "Add leader"}},
      {"leaders.none", {"Chưa có lãnh đạo.", "No leader yet."}},
      {"leaders.code", {"Mã đăng ký máy lãnh đạo", "Leader laptop enrollment code"}},
      {"leaders.code.help",
       {"Mã dùng một lần để đăng ký máy tính của lãnh đạo xã. Đọc mã cho lãnh đạo qua điện thoại.",
        "A one-time code that enrolls the commune leader's laptop. Read it out over the phone."}},
      {"leaders.code.hours", {"Hiệu lực (giờ)", "Valid for (hours)"}},
      {"leaders.code.issue", {"Cấp mã", "Issue code"}},
      {"leaders.code.once",
       {"Ghi lại mã này ngay: máy chủ chỉ giữ bản băm, không hiện lại được.",
        "Write this code down now: the hub keeps only its hash and cannot show it again."}},
      {"leaders.code.until", {"Hết hạn lúc", "Expires at"}},
      {"leaders.devices", {"Máy lãnh đạo đã đăng ký", "Leader laptops enrolled"}},
      {"leaders.nodevices", {"Chưa có máy lãnh đạo.", "No leader laptop yet."}},
      {"devices.name", {"Máy", "Laptop"}},
      {"devices.role", {"Vai trò", "Role"}},
      {"devices.enrolled", {"Đăng ký lúc", "Enrolled"}},
      {"devices.lastsync", {"Đồng bộ lần cuối", "Last sync"}},
      {"devices.state", {"Trạng thái", "State"}},
      {"devices.active", {"Đang dùng", "Active"}},
      {"devices.revoked", {"Đã thu hồi", "Revoked"}},
      {"devices.revoke", {"Thu hồi", "Revoke"}},
      {"devices.revoke.confirm",
       {"Thu hồi máy này? Máy sẽ không đồng bộ được nữa và việc chưa gửi trên máy sẽ mất.",
        "Revoke this laptop? It will no longer sync, and its unsent work is lost."}},
      {"devices.revoke.help",
       {"Thu hồi khi máy bị mất hoặc bị đánh cắp. Muốn dùng lại, đăng ký máy bằng mã mới.",
        "Revoke a lost or stolen laptop. To use it again, enroll it with a new code."}},
      {"devices.none", {"Xã này chưa có máy nào.", "This commune has no laptop yet."}},
      {"role.leader", {"Lãnh đạo", "Leader"}},
      {"role.member", {"Thành viên", "Member"}},
      {"quarantine.help",
       {"Các thao tác máy chủ không nhận (sai dữ liệu hoặc không có quyền), kèm lý do.",
        "Ops the hub did not accept (invalid or not allowed), with the reason."}},
      {"quarantine.when", {"Nhận lúc", "Received"}},
      {"quarantine.device", {"Máy gửi", "Sent by"}},
      {"quarantine.record", {"Bản ghi", "Record"}},
      {"quarantine.value", {"Giá trị", "Value"}},
      {"quarantine.reason", {"Lý do", "Reason"}},
      {"quarantine.none", {"Không có thao tác nào bị giữ lại.", "No quarantined op."}},
      {"conflicts.help",
       {"Các xung đột đang mở, theo xã: lãnh đạo xã giải quyết trên máy của mình.",
        "Open conflicts, per commune: the commune's leader resolves them on their laptop."}},
      {"conflicts.a", {"Giá trị trước", "Value before"}},
      {"conflicts.b", {"Giá trị đến sau", "Incoming value"}},
      {"conflicts.winner", {"Đang giữ", "Kept"}},
      {"conflicts.none", {"Không có xung đột nào đang mở.", "No open conflict."}},
      {"coverage.help",
       {"Mỗi xã: số hộ đã đến, và người trong độ tuổi lao động sử dụng được dịch vụ công trực "
        "tuyến, so với mục tiêu của tỉnh",
        "Per commune: households visited, and working-age people able to use online public "
        "services, against the province's target"}},
      {"coverage.by", {"đến năm", "by"}},
      {"coverage.chart",
       {"Tỷ lệ hộ đã đến và tỷ lệ dùng được dịch vụ công trực tuyến theo xã",
        "Households visited and online public services, per commune"}},
      {"coverage.download", {"Tải về Excel (XLSX)", "Download Excel (XLSX)"}},
      {"coverage.commune", {"Xã", "Commune"}},
      {"coverage.households", {"Số hộ", "Households"}},
      {"coverage.visited", {"Hộ đã đến", "Households visited"}},
      {"coverage.visited_pct", {"% hộ đã đến", "% visited"}},
      {"coverage.online", {"Người dùng được DVC trực tuyến", "Can use online services"}},
      {"coverage.working_age", {"Người trong độ tuổi lao động", "Working-age people"}},
      {"coverage.online_pct", {"% dùng được DVC trực tuyến", "% online services"}},
      {"coverage.meets", {"Đạt mục tiêu", "Meets target"}},
      {"coverage.yes", {"Đạt", "Yes"}},
      {"coverage.no", {"Chưa đạt", "Not yet"}},
      {"coverage.target", {"Mục tiêu", "Target"}},
      {"coverage.settarget", {"Mục tiêu của tỉnh", "The province's target"}},
      {"coverage.year", {"Năm", "Year"}},
      {"coverage.percent", {"Tỷ lệ (%)", "Percent"}},
      {"coverage.band",
       {"Độ tuổi lao động: 15 đến 60 tuổi (năm nay trừ năm sinh).",
        "Working age: 15 to 60 (this year minus the birth year)."}},
      {"coverage.badtarget",
       {"Năm phải từ 2000 đến 2100 và tỷ lệ từ 1 đến 100. Sửa lại rồi lưu.",
        "The year must be 2000 to 2100 and the percent 1 to 100. Correct them and save."}},
      {"xlsx.sheet", {"Do phu", "Coverage"}},
      {"xlsx.title", {"Độ phủ toàn tỉnh — Gõ Cửa", "Coverage across the province — Gõ Cửa"}},
      {"audit.when", {"Lúc", "When"}},
      {"audit.who", {"Ai", "Who"}},
      {"audit.what", {"Việc", "What"}},
      {"audit.detail", {"Chi tiết", "Detail"}},
      {"audit.from", {"Từ địa chỉ", "From"}},
      {"error.title", {"Không làm được", "Could not do that"}},
      {"error.back", {"Quay lại", "Back"}},
      {"error.notfound", {"Không có trang này. Chọn một mục trên thanh trên cùng.",
                          "No such page. Pick one from the bar at the top."}},
      {"error.method", {"Trang này không nhận yêu cầu kiểu này.", "This page does not take that request."}},
      {"error.form", {"Yêu cầu phải gửi từ biểu mẫu của trang.", "Send this from the page's form."}},
      {"error.session",
       {"Phiên làm việc đã hết. Hãy đăng nhập lại.", "Your session has ended. Sign in again."}},
      {"error.csrf",
       {"Biểu mẫu này đã cũ hoặc không gửi từ bảng điều hành. Tải lại trang rồi làm lại.",
        "This form is stale or was not sent from the console. Reload the page and try again."}},
      {"error.store",
       {"Máy chủ không đọc/ghi được dữ liệu. Thử lại sau; nếu vẫn lỗi, báo người quản trị.",
        "The hub could not read or write its data. Try again later; tell the administrator if "
        "it persists."}},
      {"error.internal", {"Máy chủ gặp lỗi. Thử lại sau.", "The hub failed. Try again later."}},
  };
  return kTable;
}

}  // namespace

const char* Tr(Lang lang, std::string_view key) {
  auto it = Table().find(key);
  if (it == Table().end()) return "?";
  return lang == Lang::kEn ? it->second.en : it->second.vi;
}

}  // namespace gocua::hub::console
