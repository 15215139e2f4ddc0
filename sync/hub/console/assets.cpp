// /console/static/: the console's only stylesheet and script, served by the hub itself (no
// CDN). Sized for a 1366×768 office PC; the script only confirms a revocation and submits the
// commune chooser on change (every page works without it).
#include "sync/hub/console/context.h"

namespace gocua::hub::console {
namespace {

constexpr const char kCss[] = R"CSS(
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 "Noto Sans","DejaVu Sans",Arial,sans-serif;color:#1d2733;background:#f4f6f8}
header{display:flex;align-items:center;gap:18px;background:#0d4a7a;color:#fff;padding:8px 18px;flex-wrap:wrap}
header a{color:#dbe9f6;text-decoration:none;padding:4px 8px;border-radius:4px}
header a.active,header a:hover{background:#1d6aa5;color:#fff}
.brand{font-weight:700;font-size:17px}
nav{display:flex;gap:2px;flex-wrap:wrap}
.right{margin-left:auto;display:flex;align-items:center;gap:8px}
.who{font-weight:600}
main{max-width:1300px;margin:0 auto;padding:12px 20px 40px}
h1{font-size:22px;margin:8px 0 12px}h2{font-size:18px;margin:18px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border:1px solid #d5dde5;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#e8eef4}td.num{text-align:right;font-variant-numeric:tabular-nums}
form.row{display:flex;gap:10px;align-items:flex-end;flex-wrap:wrap;margin:6px 0}
form.small input{padding:3px 6px}form.inline{display:inline}
label{display:flex;flex-direction:column;font-size:13px;color:#44525f}
input,select{font:inherit;padding:5px 8px;border:1px solid #9aa8b5;border-radius:4px;min-width:120px}
button,.button{font:inherit;background:#1d6aa5;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer;text-decoration:none;display:inline-block}
header button{background:#fff;color:#0d4a7a;padding:3px 10px}
button.danger{background:#b3261e}
.error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c14;padding:8px 12px;border-radius:4px}
.notice{background:#e8f5e9;border:1px solid #b7dfb9;padding:8px 12px;border-radius:4px}
.muted{color:#6b7785}.hint{color:#55626f;font-size:13px}
ul.villages{margin:0;padding-left:16px}
.code{font:700 44px/1.2 "DejaVu Sans Mono",monospace;letter-spacing:6px;background:#fff;border:2px dashed #0d4a7a;display:inline-block;padding:10px 24px}
form.signin{display:flex;flex-direction:column;gap:12px;max-width:360px;background:#fff;padding:20px;border-radius:6px}
svg{background:#fff;border:1px solid #d5dde5;max-width:100%}
.legend .sw{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px}
.sw.visited{background:#8fb3d9}.sw.online{background:#2e7d32}
code{font-size:12px;word-break:break-all}
)CSS";

constexpr const char kJs[] = R"JS(
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });
});
)JS";

}  // namespace

http::Response StaticAsset(const std::string& name) {
  http::Response r;
  if (name == "console.css") {
    r.headers.emplace_back("Content-Type", "text/css; charset=utf-8");
    r.body = kCss;
  } else if (name == "console.js") {
    r.headers.emplace_back("Content-Type", "text/javascript; charset=utf-8");
    r.body = kJs;
  } else {
    r.status = 404;
    r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    r.body = "not found\n";
    return r;
  }
  r.headers.emplace_back("Cache-Control", "max-age=3600");
  return r;
}

}  // namespace gocua::hub::console
