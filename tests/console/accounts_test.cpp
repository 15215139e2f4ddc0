// Administrators' accounts in the console against the real hub: changing one's own password
// (the old one required, the KDF's hash, the account's other sessions ended), removing another
// account (never one's own, never the last), both audited; expired sessions' rows deleted.
#include <doctest/doctest.h>

#include "platform/clock.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/console/console_http.h"
#include "tests/support/pg_hubs.h"

namespace gocua::console_test {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

constexpr const char* kOther = "tinh.hai";
constexpr const char* kOtherPassword = "mat-khau-thu-hai-2026";
constexpr const char* kNewPassword = "mat-khau-moi-rat-dai-2026";

// Whether `session` still opens a page (a gone session is sent to sign in).
bool Opens(ConsoleHub& hub, const std::string& session) {
  return hub.Get("/console/communes", session).status == 200;
}

}  // namespace

TEST_CASE_TEMPLATE(
    "Console: an administrator changes their own password and their other sessions end", Store,
    GOCUA_HUB_PROCESS_STORES) {
  ConsoleHub hub({}, Store::Make());
  REQUIRE(hub.AddAdmin(kOther, kOtherPassword).exit_code == 0);
  const std::string mine = hub.SignIn(), elsewhere = hub.SignIn(),
                    other = hub.SignIn(kOther, kOtherPassword);
  const std::string csrf = hub.Csrf(mine);
  test::HubDbReader db(hub.hub());
  // The number of tinh.admin's rows whose hash is `hash` (a pattern with LIKE).
  auto hash_is = [&db](const std::string& op, const std::string& hash) {
    return db.Int("SELECT count(*) FROM console_admins WHERE name = 'tinh.admin' AND "
                  "password_hash " + op + " '" + hash + "'");
  };
  const int64_t kdf_before = hash_is("LIKE", "pbkdf2-sha256$300000$%");
  REQUIRE(kdf_before == 1);

  Reply page = hub.Get("/console/accounts", mine);
  REQUIRE(page.status == 200);
  CHECK(Has(page.body, "data-account=\"tinh.hai\""));
  CHECK(Has(page.body, "id=\"change-password\""));

  // A wrong old password changes nothing (and counts as a failed sign-in).
  Reply wrong = hub.Post(
      "/console/accounts/password", mine,
      "csrf=" + csrf + "&old=not-the-password&new=" + kNewPassword + "&again=" + kNewPassword);
  CHECK(wrong.status == 400);
  CHECK(Has(wrong.body, "Mật khẩu hiện tại không đúng"));
  CHECK(db.Int("SELECT failed FROM console_admins WHERE name = 'tinh.admin'") == 1);
  // Too short, or typed differently twice: refused.
  CHECK(hub.Post("/console/accounts/password", mine,
                 "csrf=" + csrf + "&old=" + kPassword + "&new=short&again=short")
            .status == 400);
  CHECK(hub.Post("/console/accounts/password", mine,
                 "csrf=" + csrf + "&old=" + kPassword + "&new=" + kNewPassword + "&again=x" +
                     kNewPassword)
            .status == 400);
  // Without the CSRF token: refused.
  CHECK(
      hub.Post("/console/accounts/password", mine,
               std::string("old=") + kPassword + "&new=" + kNewPassword + "&again=" + kNewPassword)
          .status == 403);
  CHECK(Opens(hub, elsewhere));
  CHECK(hub.SignInReply(kAdmin, kNewPassword).status == 401);  // nothing changed yet
  CHECK(hub.SignInReply(kAdmin, kPassword).status == 303);

  Reply changed = hub.Post(
      "/console/accounts/password", mine,
      "csrf=" + csrf + "&old=" + kPassword + "&new=" + kNewPassword + "&again=" + kNewPassword);
  CHECK(changed.status == 303);
  CHECK(hash_is("LIKE", "pbkdf2-sha256$300000$%") == 1);
  CHECK(hash_is("LIKE", std::string("%") + kNewPassword + "%") == 0);
  CHECK(Opens(hub, mine));             // this browser stays signed in
  CHECK_FALSE(Opens(hub, elsewhere));  // the account's other session ended
  CHECK(Opens(hub, other));            // another account's did not
  CHECK(db.Int("SELECT count(*) FROM console_sessions WHERE admin = 'tinh.admin'") == 1);
  CHECK(hub.SignInReply(kAdmin, kPassword).status == 401);
  CHECK(hub.SignInReply(kAdmin, kNewPassword).status == 303);
  Reply audit = hub.Get("/console/audit", mine);
  CHECK(Has(audit.body, "accounts.password.refused"));
  CHECK(Has(audit.body, "accounts.password<"));
}

TEST_CASE_TEMPLATE(
    "Console: an administrator removes another account, never their own or the last", Store,
    GOCUA_HUB_PROCESS_STORES) {
  ConsoleHub hub({}, Store::Make());
  REQUIRE(hub.AddAdmin(kOther, kOtherPassword).exit_code == 0);
  const std::string mine = hub.SignIn(), other = hub.SignIn(kOther, kOtherPassword);
  const std::string csrf = hub.Csrf(mine);
  test::HubDbReader db(hub.hub());

  Reply self = hub.Post("/console/accounts/remove", mine, "csrf=" + csrf + "&name=" + kAdmin);
  CHECK(self.status == 400);
  CHECK(Has(self.body, "Không tự xoá"));
  CHECK(hub.Post("/console/accounts/remove", mine, std::string("name=") + kOther).status == 403);
  CHECK(hub.Post("/console/accounts/remove", mine, "csrf=" + csrf + "&name=no.such").status == 400);
  CHECK(db.Int("SELECT count(*) FROM console_admins") == 2);
  CHECK(Opens(hub, other));

  CHECK(hub.Post("/console/accounts/remove", mine, "csrf=" + csrf + "&name=" + kOther).status ==
        303);
  CHECK(db.Int("SELECT count(*) FROM console_admins WHERE name = 'tinh.hai'") == 0);
  CHECK(db.Int("SELECT count(*) FROM console_sessions WHERE admin = 'tinh.hai'") == 0);
  CHECK_FALSE(Opens(hub, other));
  CHECK(hub.SignInReply(kOther, kOtherPassword).status == 401);
  Reply audit = hub.Get("/console/audit", mine);
  CHECK(Has(audit.body, "accounts.remove"));
  CHECK(Has(hub.Get("/console/accounts", mine).body, "data-account=\"tinh.admin\""));
  CHECK_FALSE(Has(hub.Get("/console/accounts", mine).body, "data-account=\"tinh.hai\""));
}

TEST_CASE("Console: the store never removes the last account") {
  const std::filesystem::path dir = test::MakeTempDir("gocua-console-last");
  SystemClock clock;
  auto store = OpenSqliteHubStore((dir / "hub.db").string(), clock);
  REQUIRE(store.ok());
  REQUIRE((*store)->AddConsoleAdmin("mot", "h1").ok());
  REQUIRE((*store)->AddConsoleAdmin("hai", "h2").ok());
  CHECK((*store)->RemoveConsoleAdmin("mot").ok());
  const Status last = (*store)->RemoveConsoleAdmin("hai");
  CHECK(last.code() == ErrorCode::kConflict);
  CHECK((*store)->RemoveConsoleAdmin("mot").code() == ErrorCode::kNotFound);
  auto names = (*store)->ConsoleAdmins();
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"hai"});
  store->reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("Console: expired sessions are deleted, not only refused") {
  ConsoleHub hub;
  const int64_t now = test::WallMs();
  const std::string idle = std::to_string(now - 31 * 60 * 1000);
  const std::string old = std::to_string(now - 13 * 3600 * 1000LL);
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(hub.hub().db_path().c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    const std::string sql =
        "INSERT INTO console_sessions(id_hash, admin, csrf, created_at, last_seen) VALUES "
        "('idle', 'tinh.admin', 'c', " +
        idle + ", " + idle +
        "), "
        "('old', 'tinh.admin', 'c', " +
        old + ", " + std::to_string(now) +
        "), "
        "('live', 'tinh.admin', 'c', " +
        std::to_string(now) + ", " + std::to_string(now) + ");";
    CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  test::SqliteReader db(hub.hub().db_path());
  CHECK(db.Int("SELECT count(*) FROM console_sessions") == 3);
  const std::string s = hub.SignIn();
  CHECK(Opens(hub, s));
  const auto rows = db.Rows("SELECT id_hash FROM console_sessions WHERE length(id_hash) < 64");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0] == "live");
}

}  // namespace gocua::console_test
