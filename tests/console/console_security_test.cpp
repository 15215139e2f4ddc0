// The console's security against the real hub on loopback, over plain HTTP (libcurl): nothing
// without a session, device tokens open nothing, CSRF, session fixation, lockout, cookies,
// accounts and the audit log.
#include <doctest/doctest.h>

#include "tests/console/console_http.h"

namespace gocua::console_test {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

const std::vector<std::string> kGetPaths = {"/console",
                                            "/console/",
                                            "/console/communes",
                                            "/console/leaders",
                                            "/console/devices",
                                            "/console/quarantine",
                                            "/console/conflicts",
                                            "/console/coverage",
                                            "/console/coverage.xlsx",
                                            "/console/audit",
                                            "/console/nothing-here"};
const std::vector<std::string> kPostPaths = {
    "/console/communes/create",         "/console/communes/rename", "/console/communes/village-add",
    "/console/communes/village-rename", "/console/leaders/add",     "/console/leaders/code",
    "/console/devices/revoke",          "/console/coverage/target", "/console/signout"};

// No content of a signed-in page: sent to sign in (GET) or refused (anything else).
void CheckRefused(const Reply& r, const std::string& method, const std::string& path) {
  INFO(method, " ", path, " → ", r.status, "\n", r.body.substr(0, 300));
  if (method == "GET") {
    CHECK(r.status == 303);
    CHECK(r.Header("location") == "/console/signin");
  } else {
    CHECK(r.status == 401);
  }
  CHECK_FALSE(Has(r.body, "<table"));
  CHECK_FALSE(Has(r.body, "name=\"csrf\""));
}

}  // namespace

TEST_CASE("Console: no page or endpoint answers without a session") {
  ConsoleHub hub;
  hub.hub().Ok({"commune", "create", "--province", "Kon Tum", "--commune", "Xã Bí Mật"});
  for (const std::string& cookie :
       {std::string(), std::string("gocua_session=") + std::string(64, 'a')}) {
    const std::vector<std::string> headers =
        cookie.empty() ? std::vector<std::string>{} : std::vector<std::string>{"Cookie: " + cookie};
    for (const std::string& p : kGetPaths) {
      Reply r = Request(hub.url(p), "GET", "", headers);
      CheckRefused(r, "GET", p);
      CHECK_FALSE(Has(r.body, "Bí Mật"));
    }
    for (const std::string& p : kPostPaths)
      CheckRefused(Request(hub.url(p), "POST", "name=x&province=y&csrf=z", headers), "POST", p);
  }
  // The sign-in page and the static files are the only things served without one.
  CHECK(Request(hub.url("/console/signin")).status == 200);
  CHECK(Request(hub.url("/console/static/console.css")).status == 200);
  // And with a session the same pages do answer (so the refusals above are the session's).
  const std::string s = hub.SignIn();
  Reply page = hub.Get("/console/communes", s);
  CHECK(page.status == 200);
  CHECK(Has(page.body, "Bí Mật"));
}

TEST_CASE("Console: every page has its words in Vietnamese and in English") {
  ConsoleHub hub;
  const std::string commune =
      hub.hub().Ok({"commune", "create", "--province", "Kon Tum", "--commune", "Xã Chữ"});
  hub.hub().Ok({"village", "add", "--commune", commune, "Thôn Một"});
  const std::string s = hub.SignIn();
  for (const std::string lang : {"vi", "en"}) {
    for (const std::string& p : kGetPaths) {
      if (p == "/console/coverage.xlsx") continue;
      Reply r = hub.Get(p + "?lang=" + lang, s);
      if (r.status == 303) r = hub.Get(r.Header("location") + "?lang=" + lang, s);
      INFO(lang, " ", p, " → ", r.status);
      CHECK_FALSE(Has(r.body, "⟦?⟧"));  // a key missing from strings.cpp
      CHECK(Has(r.body, std::string("<html lang=\"") + lang + "\""));
    }
  }
  CHECK(Has(hub.Get("/console/coverage?lang=en", s).body, "Households visited"));
  CHECK(Has(hub.Get("/console/coverage?lang=vi", s).body, "Hộ đã đến"));
}

TEST_CASE("Console: a device token does not open the console") {
  ConsoleHub hub;
  const std::string commune =
      hub.hub().Ok({"commune", "create", "--province", "Kon Tum", "--commune", "Xã Thiết Bị"});
  for (const std::string role : {"member", "leader"}) {
    const std::string code = hub.hub().Ok({"enroll-code", "--commune", commune, "--role", role});
    const std::string device = role == std::string("member")
                                   ? "01a24a44-6576-7aad-a660-3a359b696261"
                                   : "01a24a44-6576-7aad-a660-3a359b696262";
    Reply enrolled = Request(
        hub.url("/v1/enroll"), "POST",
        nlohmann::json{
            {"protocol", 1}, {"code", code}, {"device_id", device}, {"device_name", "Laptop"}}
            .dump(),
        {"Content-Type: application/json"});
    INFO(enrolled.body);
    REQUIRE(enrolled.status == 200);
    const std::string token = nlohmann::json::parse(enrolled.body)["token"];
    // The token works where it should: the sync API.
    CHECK(Request(hub.url("/v1/pull?protocol=1"), "GET", "", {"Authorization: Bearer " + token})
              .status == 200);
    // And opens nothing of the console, as a Bearer header or as a cookie.
    for (const std::string& p : kGetPaths) {
      CheckRefused(Request(hub.url(p), "GET", "", {"Authorization: Bearer " + token}), "GET", p);
      CheckRefused(Request(hub.url(p), "GET", "", {"Cookie: gocua_session=" + token}), "GET", p);
    }
    CheckRefused(Request(hub.url("/console/devices/revoke"), "POST", "device=" + device,
                         {"Authorization: Bearer " + token}),
                 "POST", "/console/devices/revoke");
  }
}

TEST_CASE("Console: a form without or with a wrong CSRF token changes nothing") {
  ConsoleHub hub;
  const std::string s = hub.SignIn();
  const std::string csrf = hub.Csrf(s);
  Reply none = hub.Post("/console/communes/create", s, "province=Kon+Tum&name=Xa+Khong+Token");
  CHECK(none.status == 403);
  Reply wrong = hub.Post("/console/communes/create", s,
                         "province=Kon+Tum&name=Xa+Sai+Token&csrf=" + std::string(64, '0'));
  CHECK(wrong.status == 403);
  // Another session's token is a wrong token too.
  const std::string other = hub.SignIn();
  Reply crossed = hub.Post("/console/communes/create", s,
                           "province=Kon+Tum&name=Xa+Cheo&csrf=" + hub.Csrf(other));
  CHECK(crossed.status == 403);
  Reply right =
      hub.Post("/console/communes/create", s, "province=Kon+Tum&name=Xa+Dung&csrf=" + csrf);
  CHECK(right.status == 303);
  const std::string list = hub.hub().Ok({"commune", "list"});
  CHECK(Has(list, "Xa Dung"));
  CHECK_FALSE(Has(list, "Xa Khong Token"));
  CHECK_FALSE(Has(list, "Xa Sai Token"));
  CHECK_FALSE(Has(list, "Xa Cheo"));
  // The refusals are in the audit log, with who.
  test::SqliteReader db(hub.hub().db_path());
  CHECK(db.Rows("SELECT admin FROM console_audit WHERE action = 'csrf.refused'").size() == 3);
  // A signed-in browser's sign-out needs the token as well.
  CHECK(hub.Post("/console/signout", s, "").status == 403);
  CHECK(hub.Get("/console/communes", s).status == 200);
}

TEST_CASE("Console: a session id planted before sign-in is never the one signed in") {
  ConsoleHub hub;
  // An id the attacker made up, and one of the attacker's own real sessions.
  const std::string made_up(64, 'b');
  Reply a = hub.SignInReply(kAdmin, kPassword, made_up);
  REQUIRE(a.status == 303);
  const std::string got = SetCookie(a, "gocua_session");
  CHECK(got != made_up);
  CHECK(hub.Get("/console/communes", made_up).status == 303);
  const std::string attackers = hub.SignIn();
  Reply b = hub.SignInReply(kAdmin, kPassword, attackers);
  REQUIRE(b.status == 303);
  const std::string victims = SetCookie(b, "gocua_session");
  CHECK(victims != attackers);
  CHECK(hub.Get("/console/communes", victims).status == 200);
  // The planted session ended at the sign-in: the attacker holds nothing.
  CHECK(hub.Get("/console/communes", attackers).status == 303);
  // Sign-out ends the session for good.
  CHECK(hub.Post("/console/signout", victims, "csrf=" + hub.Csrf(victims)).status == 303);
  CHECK(hub.Get("/console/communes", victims).status == 303);
}

TEST_CASE("Console: five wrong passwords lock the account, even for the right one") {
  ConsoleHub hub;
  for (int i = 0; i < 4; ++i) CHECK(hub.SignInReply(kAdmin, "wrong-password-1").status == 401);
  Reply fifth = hub.SignInReply(kAdmin, "wrong-password-1");
  CHECK(fifth.status == 429);
  CHECK(Has(fifth.body, "khoá"));
  Reply right = hub.SignInReply(kAdmin, kPassword);
  CHECK(right.status == 429);
  CHECK(SetCookie(right, "gocua_session").empty());
  // Another account is not locked by it.
  REQUIRE(hub.AddAdmin("nguoi.khac", "mot-mat-khau-khac").exit_code == 0);
  CHECK(hub.SignInReply("nguoi.khac", "mot-mat-khau-khac").status == 303);
  test::SqliteReader db(hub.hub().db_path());
  CHECK(db.Rows("SELECT 1 FROM console_audit WHERE action = 'signin.lock' AND admin = 'tinh.admin'")
            .size() == 1);
  CHECK(db.Rows("SELECT 1 FROM console_audit WHERE action = 'signin.refused'").size() == 4);
  CHECK(db.Rows("SELECT 1 FROM console_admins WHERE name = 'tinh.admin' AND locked_until > 0")
            .size() == 1);
  // A sign-in form without its own cookie's token is refused before any password is checked.
  Reply forged = Request(hub.url("/console/signin"), "POST",
                         std::string("csrf=abc&name=nguoi.khac&password=mot-mat-khau-khac"));
  CHECK(forged.status == 403);
}

TEST_CASE("Console: the session cookie is HttpOnly, SameSite=Strict, Secure behind TLS") {
  ConsoleHub hub;
  Reply plain = hub.SignInReply(kAdmin, kPassword);
  std::string cookie;
  for (const std::string& v : plain.All("set-cookie"))
    if (v.rfind("gocua_session=", 0) == 0) cookie = v;
  CHECK(Has(cookie, "HttpOnly"));
  CHECK(Has(cookie, "SameSite=Strict"));
  CHECK_FALSE(Has(cookie, "Secure"));  // plain HTTP on loopback: a Secure cookie would not return
  // Behind a TLS proxy (nginx sets X-Forwarded-Proto).
  Reply page = Request(hub.url("/console/signin"), "GET", "", {"X-Forwarded-Proto: https"});
  const std::string pre = SetCookie(page, "gocua_signin");
  Reply proxied = Request(hub.url("/console/signin"), "POST",
                          std::string("csrf=") + pre + "&name=" + kAdmin + "&password=" + kPassword,
                          {"Cookie: gocua_signin=" + pre, "X-Forwarded-Proto: https"});
  REQUIRE(proxied.status == 303);
  for (const std::string& v : proxied.All("set-cookie"))
    if (v.rfind("gocua_session=", 0) == 0) cookie = v;
  CHECK(Has(cookie, "; Secure"));
  CHECK(Has(cookie, "HttpOnly"));
  CHECK(Has(proxied.Header("content-security-policy"), "default-src 'self'"));
}

TEST_CASE("Console: over the hub's own TLS the session cookie is Secure") {
  const std::filesystem::path dir = test::MakeTempDir("gocua-console-tls");
  const std::string cert = (dir / "hub.crt").string(), key = (dir / "hub.key").string();
  const std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      key + "' -out '" + cert + "' >/dev/null 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "the openssl command failed: " << cmd);
  CaFile() = cert;
  {
    ConsoleHub hub({"--tls-cert", cert, "--tls-key", key});
    REQUIRE(hub.url("").rfind("https://", 0) == 0);
    Reply r = hub.SignInReply(kAdmin, kPassword);
    CHECK(r.status == 303);
    std::string cookie;
    for (const std::string& v : r.All("set-cookie"))
      if (v.rfind("gocua_session=", 0) == 0) cookie = v;
    CHECK(Has(cookie, "; Secure"));
    CHECK(Has(cookie, "HttpOnly"));
    CHECK(hub.Get("/console/communes", SetCookie(r, "gocua_session")).status == 200);
  }
  CaFile().clear();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST_CASE("Console: sessions live in the database and survive a hub restart") {
  ConsoleHub hub;
  const std::string s = hub.SignIn();
  hub.hub().Stop();
  hub.hub().Start();
  CHECK(hub.Get("/console/communes", s).status == 200);
  test::SqliteReader db(hub.hub().db_path());
  const auto rows = db.Rows("SELECT id_hash, admin FROM console_sessions");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0] != s);  // only a hash of the id is kept
  CHECK(rows[0][1] == kAdmin);
}

TEST_CASE("Console: admin add keeps only a PBKDF2 hash and never prints the password") {
  ConsoleHub hub;
  test::ProcessResult r = hub.AddAdmin("them.mot", "mot-mat-khau-bi-mat");
  CHECK(r.exit_code == 0);
  CHECK_FALSE(Has(r.out + r.err, "mot-mat-khau-bi-mat"));
  test::SqliteReader db(hub.hub().db_path());
  const auto rows = db.Rows("SELECT password_hash FROM console_admins WHERE name = 'them.mot'");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0].rfind("pbkdf2-sha256$300000$", 0) == 0);
  CHECK_FALSE(Has(rows[0][0], "mot-mat-khau-bi-mat"));
  CHECK(hub.AddAdmin("them.mot", "mot-mat-khau-khac-nua").exit_code == 1);  // taken
  CHECK(hub.AddAdmin("ngan.qua", "ngan").exit_code == 1);                   // too short
  CHECK(db.Rows("SELECT 1 FROM console_admins WHERE name = 'ngan.qua'").empty());
}

TEST_CASE("Console: every action is in the audit log with who and when") {
  ConsoleHub hub;
  const std::string s = hub.SignIn();
  const std::string csrf = hub.Csrf(s);
  REQUIRE(hub.Post("/console/communes/create", s, "province=Kon+Tum&name=Xa+Nhat+Ky&csrf=" + csrf)
              .status == 303);
  REQUIRE(hub.Post("/console/coverage/target", s, "year=2030&percent=85&csrf=" + csrf).status ==
          303);
  const int64_t before = test::WallMs() - 60000;
  test::SqliteReader db(hub.hub().db_path());
  const auto rows = db.Rows("SELECT admin, action, at, detail FROM console_audit ORDER BY id");
  std::vector<std::string> actions;
  for (const auto& row : rows) {
    CHECK(row[0] == kAdmin);
    CHECK(std::stoll(row[2]) > before);
    actions.push_back(row[1]);
  }
  CHECK(actions == std::vector<std::string>{"signin", "communes.create", "coverage.target"});
  CHECK(Has(rows[1][3], "Xa Nhat Ky"));
  Reply audit = hub.Get("/console/audit", s);
  CHECK(Has(audit.body, "communes.create"));
}

}  // namespace gocua::console_test
