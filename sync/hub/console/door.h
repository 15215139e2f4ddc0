#pragma once
// Internal to sync/hub/console/: the door's pieces that the sign-in (signin.cpp) and the
// request handling (console.cpp) share.
#include <map>
#include <string>

#include "sync/hub/console/context.h"

namespace gocua::hub::console {

inline constexpr const char* kPreCookie = "gocua_signin";  // the sign-in form's double-submit token
inline constexpr const char* kLangCookie = "gocua_lang";

// Whether two secrets (tokens) are the same, compared in constant time; never for "".
bool SameSecret(const std::string& a, const std::string& b);
// A Set-Cookie value for the console's path: HttpOnly, SameSite=Strict, Secure over TLS;
// `max_age_s` < 0 for a browser-session cookie, 0 to delete it.
std::string Cookie(const Ctx& c, const std::string& name, const std::string& value,
                   int64_t max_age_s);
// The sign-in page (with `error` if not empty), with a fresh double-submit token.
http::Response SignInPage(Ctx& c, const std::string& error, int status = 200);
// POST /console/signin: checks the double-submit token, the password and the lockout; on
// success a new session (never the one the browser presented, which ends).
http::Response SignIn(Ctx& c, const std::map<std::string, std::string>& cookies,
                      const std::string& old_session_hash);

}  // namespace gocua::hub::console
