// The HTTP/1.1 server (Beast + Asio, C++20 coroutines): sockets, keep-alive, timeouts, body
// limits and graceful shutdown. It turns bytes into http::Request and calls one Handler (the
// Router). server.cc is the only OneStop file that includes Beast or Asio (25 s to compile);
// routing, JSON and errors are in router.h. No TLS here: terminate it in a reverse proxy.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace onestop::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "host:port", "[::1]:8080"; port 0 picks a free one
  int threads = 4;                        // threads running handlers (see Server)
  std::size_t max_body_bytes = 1 << 20;   // larger request bodies get 413
  int header_timeout_s = 30;      // from a connection's (or request's) first byte to its headers
  int body_timeout_s = 60;        // to receive the body; also to send a response
  int keep_alive_timeout_s = 75;  // idle time between requests on a kept-alive connection
  int shutdown_grace_s = 15;      // RequestStop waits this long for in-flight requests
};

// Serves `handler` over HTTP/1.1.
//
// Threading: handlers do blocking database work, so they run directly on the `threads` threads
// of the I/O context instead of a separate pool. That saves a thread hop per request (the
// common case is a fast handler), but a thread blocked in a handler serves no other
// connection: with every thread busy, further requests wait in their sockets. Size `threads`
// for the number of concurrent slow requests (at least the database pool size). The acceptor,
// signals and the shutdown timer run on one extra thread, so a stuck handler never stops new
// connections from being accepted or a shutdown from starting.
//
// Every response gets X-Request-Id (the client's if IsSaneRequestId, else a new one; the
// same id is in request.request_id). HEAD gets the GET headers without a body.
//
// Typical use:
//   Server server(options, [&router](Request& r) { return router.Handle(r); });
//   RETURN_IF_ERROR(server.Start());
//   server.StopOnSignals();
//   server.Run();  // returns after SIGTERM/SIGINT and the graceful shutdown
class Server {
 public:
  // REQUIRES: options.threads >= 1; `handler` must not throw (exceptions become a 500).
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kInvalidArgument http.bad_listen for a malformed address;
  // kUnavailable http.port_in_use "端口 8080 已被占用", http.listen_denied (no permission for
  // the port) or http.listen_failed for other socket errors. Call once, before Run.
  Result<void> Start();
  // The bound address as "host:port" (the real port when options.listen used port 0).
  // REQUIRES: Start() succeeded.
  std::string LocalAddress() const;
  // Serves until stopped; blocks the calling thread (which runs the acceptor) and `threads`
  // more. Returns after RequestStop() once in-flight requests are done, or after
  // shutdown_grace_s at the latest (a handler still running then is waited for; its
  // connection is closed). Call once. REQUIRES: Start() succeeded.
  void Run();
  // Graceful stop, from any thread (also before Run): stop accepting, close idle keep-alive
  // connections, let requests already being received or handled finish and answer them with
  // "Connection: close", then make Run() return. Idempotent.
  void RequestStop();
  // Makes SIGTERM and SIGINT call RequestStop(); a second signal stops at once (skipping the
  // grace period). Call before Run.
  void StopOnSignals();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::http
