// Static files: serves the built web UI (Vite output in web/dist: index.html + assets/*) as the
// router's fallback for paths outside /api/. Entry point: MakeStaticHandler.
// No directory listings, no compression, no range requests; the server streams the files.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"

namespace onestop::http {

// A RawHandler for GET/HEAD under `web_root` (use with Router::SetFallback):
// - "/" and unknown paths without a file extension get index.html (history-mode routing);
//   a missing path with an extension ("/assets/x.js") is 404 http.not_found.
// - "/assets/*" (hashed names) is cached for a year (immutable); everything else is no-cache
//   and revalidated with ETag / Last-Modified (304 on If-None-Match or If-Modified-Since).
// - "..", "." segments, backslashes and paths escaping `web_root` through symlinks are 404.
// - Without web_root/index.html: a small Chinese page explaining how to build the UI.
// Other methods: 405 with "Allow: GET, HEAD". Files are returned via Response::file_path.
// The handler is thread-safe and looks at the file system on each request, so rebuilding the
// UI while the server runs is picked up.
RawHandler MakeStaticHandler(std::string web_root);

// The Content-Type for a file name by its extension, e.g. "app.3f2a.js" ->
// "text/javascript; charset=utf-8"; unknown: "application/octet-stream".
std::string_view ContentTypeForPath(std::string_view path);

}  // namespace onestop::http
