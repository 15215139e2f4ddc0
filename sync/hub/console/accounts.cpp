#include "sync/hub/console/accounts.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "storage/device/members.h"

namespace gocua::hub::console {
namespace {

// One line of stdin without its end; with `hide`, the terminal does not echo it.
bool ReadLine(bool hide, std::string* line) {
  termios old{};
  const bool tty = hide && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool ok = static_cast<bool>(std::getline(std::cin, *line));
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return ok;
}

}  // namespace

Result<std::string> ReadNewPassword(std::FILE* prompt) {
  const bool tty = isatty(STDIN_FILENO) == 1;
  std::string first, second;
  if (tty) std::fprintf(prompt, "Mật khẩu mới — new password: "), std::fflush(prompt);
  if (!ReadLine(tty, &first))
    return InvalidInput("Không đọc được mật khẩu — no password given on stdin");
  if (tty) {
    std::fprintf(prompt, "\nNhập lại — again: ");
    std::fflush(prompt);
    if (!ReadLine(true, &second) || second != first) {
      std::fprintf(prompt, "\n");
      return InvalidInput("Hai lần nhập không giống nhau; chạy lại lệnh — the two entries differ");
    }
    std::fprintf(prompt, "\n");
  }
  if (first.size() < kMinPasswordLength)
    return InvalidInput("Mật khẩu cần ít nhất " + std::to_string(kMinPasswordLength) +
                        " ký tự; chạy lại lệnh — the password needs at least " +
                        std::to_string(kMinPasswordLength) + " characters");
  return first;
}

Status AddAdmin(HubStore& store, const std::string& name, const std::string& password) {
  if (password.size() < kMinPasswordLength)
    return InvalidInput("the password needs at least " + std::to_string(kMinPasswordLength) +
                        " characters");
  return store.AddConsoleAdmin(name, NewPinHash(password));
}

}  // namespace gocua::hub::console
