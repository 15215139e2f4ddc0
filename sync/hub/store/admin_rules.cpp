#include "sync/hub/store/admin_rules.h"

#include "storage/core/ids.h"
#include "storage/core/text.h"

namespace gocua::hub_internal {

Result<std::string> NfcName(const std::string& name, const char* what) {
  auto nfc = ToNfc(name);
  if (!nfc)
    return InvalidInput(std::string("Tên ") + what + " không phải UTF-8 hợp lệ — the " + what +
                        " name is not valid UTF-8: " + nfc.error().message());
  return nfc;
}

Status CheckNewPin(const std::string& pin) {
  bool digits = pin.size() >= 4 && pin.size() <= 8;
  for (char ch : pin) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) return InvalidInput("Mã PIN gồm 4–8 chữ số — the PIN must be 4 to 8 digits");
  return Status::Ok();
}

std::string NewEnrollmentCode() {
  static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I
  const std::string random = RandomHex(8);
  std::string code;
  for (size_t i = 0; i < 8; ++i) {
    if (i == 4) code.push_back('-');
    code.push_back(kAlphabet[std::stoi(random.substr(i * 2, 2), nullptr, 16) % 32]);
  }
  return code;
}

std::string NormaliseCode(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  }
  return out;
}

}  // namespace gocua::hub_internal
