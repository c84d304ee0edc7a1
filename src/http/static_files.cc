#include "http/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

namespace onestop::http {
namespace fs = std::filesystem;

namespace {

// Vite puts content-hashed files under assets/: a changed file gets a new name, so a year of
// caching is safe. index.html (and other unhashed files) must be revalidated on every load, or
// users keep running an old UI after a deployment.
constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kRevalidate[] = "no-cache";

constexpr char kNotBuiltPage[] = R"(<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>一网通办 · 界面尚未构建</title>
<link rel="icon" href="data:,">
<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.6;color:#303133}
code,pre{background:#f4f4f5;padding:.2em .4em;border-radius:4px}</style></head>
<body>
<h1>网页界面尚未构建</h1>
<p>服务器已正常运行，接口位于 <code>/api/v1/</code>（例如 <a href="/api/v1/healthz">/api/v1/healthz</a>），
但在网页目录中没有找到 <code>index.html</code>。</p>
<p>请在项目根目录执行：</p>
<pre>cd web &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p>然后用 <code>--web-root web/dist</code> 启动（或重启）服务：</p>
<pre>onestop serve --web-root web/dist</pre>
</body>
</html>
)";

struct FileInfo {
  std::uint64_t size = 0;
  std::int64_t mtime_s = 0;
  std::int64_t mtime_ns = 0;  // nanoseconds since the epoch, for the ETag
};

std::optional<FileInfo> StatRegularFile(const fs::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  FileInfo info;
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.mtime_s = st.st_mtim.tv_sec;
  info.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return info;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    std::string_view tag = TrimOws(if_none_match.substr(0, comma));
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

Response NotFoundResponse(const Request& request) {
  return ErrorResponse(NotFound("http.not_found", "请求的文件不存在"), request.request_id);
}

Response FileResponse(const Request& request, const fs::path& file, const FileInfo& info,
                      const char* cache_control) {
  char etag[48];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(info.size),
                static_cast<unsigned long long>(info.mtime_ns));
  const std::string last_modified = FormatHttpDate(info.mtime_s);

  bool not_modified = false;
  const std::string inm = request.Header("If-None-Match");
  if (!inm.empty()) {
    not_modified = EtagMatches(inm, etag);
  } else if (std::string ims = request.Header("If-Modified-Since"); !ims.empty()) {
    // RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is present.
    std::optional<std::int64_t> since = ParseHttpDate(ims);
    not_modified = since && info.mtime_s <= *since;
  }

  Response response;
  response.SetHeader("ETag", etag);
  response.SetHeader("Last-Modified", last_modified);
  response.SetHeader("Cache-Control", cache_control);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  if (not_modified) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.status = 200;
  response.content_type = std::string(ContentTypeForPath(file.filename().native()));
  response.file_path = file.native();
  return response;
}

// True for a path the handler refuses outright: "..", "." or empty segments, backslashes,
// NUL. Checked on the decoded path, so "%2e%2e" is caught too.
bool IsUnsafePath(std::string_view path, std::string_view& relative) {
  if (path.empty() || path.front() != '/') return true;
  path.remove_prefix(1);
  relative = path;
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return true;
  }
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return false;
  for (;;) {
    const std::size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (seg.empty() || seg == "." || seg == "..") return true;
    if (slash == std::string_view::npos) return false;
    path.remove_prefix(slash + 1);
  }
}

bool HasExtension(std::string_view relative) {
  if (!relative.empty() && relative.back() == '/') return false;
  const std::size_t slash = relative.rfind('/');
  std::string_view last = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
  const std::size_t dot = last.rfind('.');
  return dot != std::string_view::npos && dot > 0;
}

// True if `file` resolves (through symlinks) to a location inside `root`.
bool IsInside(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return false;
  const fs::path real_file = fs::canonical(file, ec);
  if (ec) return false;
  auto [root_end, file_it] =
      std::mismatch(real_root.begin(), real_root.end(), real_file.begin(), real_file.end());
  return root_end == real_root.end();
}

}  // namespace

std::string_view ContentTypeForPath(std::string_view path) {
  struct Entry {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".pdf", "application/pdf"},
      {".wasm", "application/wasm"},
  };
  const std::size_t dot = path.rfind('.');
  if (dot != std::string_view::npos) {
    std::string ext(path.substr(dot));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const Entry& e : kTypes) {
      if (e.ext == ext) return e.type;
    }
  }
  return "application/octet-stream";
}

RawHandler MakeStaticHandler(std::string web_root) {
  std::error_code ec;
  fs::path root = fs::absolute(fs::path(web_root), ec).lexically_normal();
  if (ec) root = fs::path(web_root);
  return [root = std::move(root)](Request& request) -> Result<Response> {
    if (request.method != "GET" && request.method != "HEAD") {
      Response response = ErrorResponse(
          InvalidArgument("http.method_not_allowed", "不支持该请求方法"), request.request_id);
      response.status = 405;
      response.SetHeader("Allow", "GET, HEAD");
      return response;
    }
    const fs::path index = root / "index.html";
    const std::optional<FileInfo> index_info = StatRegularFile(index);
    if (!index_info) {
      Response response;
      response.content_type = "text/html; charset=utf-8";
      response.body = kNotBuiltPage;
      response.SetHeader("Cache-Control", "no-store");
      return response;
    }

    // A view of request.path itself: `relative` points into it (a ternary with "/" would make a
    // temporary std::string and leave `relative` dangling).
    const std::string_view path = request.path.empty() ? std::string_view("/") : request.path;
    std::string_view relative;
    if (IsUnsafePath(path, relative)) {
      return NotFoundResponse(request);
    }
    if (relative.empty() || relative == "index.html") {
      return FileResponse(request, index, *index_info, kRevalidate);
    }
    const fs::path file = root / fs::path(relative);
    if (std::optional<FileInfo> info = StatRegularFile(file)) {
      if (!IsInside(root, file)) return NotFoundResponse(request);
      const bool hashed = relative.substr(0, 7) == "assets/";
      return FileResponse(request, file, *info, hashed ? kImmutable : kRevalidate);
    }
    // History-mode routing: "/cases/123" is a client-side route, answered with index.html.
    // A missing "/assets/app.js" is a real 404, or the browser would parse HTML as JS.
    if (HasExtension(relative)) return NotFoundResponse(request);
    return FileResponse(request, index, *index_info, kRevalidate);
  };
}

}  // namespace onestop::http
