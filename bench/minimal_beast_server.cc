// The baseline for bench/http.sh: the same Beast coroutine server shape as src/http/server.cc
// (io_context on N threads, a strand per connection, HTTP/1.1 keep-alive, message_generator)
// answering {"status":"ok"} to every request, with no routing, database or logging. The ratio
// of a real endpoint's req/s to this one is what OneStop's own layers cost.
//   minimal_beast_server --listen 127.0.0.1:8081 --threads 2
// Prints "listening on HOST:PORT" once bound (port 0 picks a free port).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

net::awaitable<void> Session(beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  for (;;) {
    stream.expires_after(std::chrono::seconds(75));
    bhttp::request<bhttp::string_body> request;
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, request, kNoThrow);
    if (ec) break;
    bhttp::response<bhttp::string_body> response{bhttp::status::ok, request.version()};
    response.set(bhttp::field::content_type, "application/json; charset=utf-8");
    response.keep_alive(request.keep_alive());
    response.body() = R"({"status":"ok"})";
    response.prepare_payload();
    const bool keep_alive = response.keep_alive();
    auto [write_ec, written] = co_await beast::async_write(
        stream, bhttp::message_generator(std::move(response)), kNoThrow);
    if (write_ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> Accept(tcp::acceptor& acceptor, net::io_context& io) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(io), kNoThrow);
    if (ec) {
      if (!acceptor.is_open()) co_return;
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(tcp::socket(std::move(socket)));
    net::any_io_executor ex = stream.get_executor();
    net::co_spawn(ex, Session(std::move(stream)), net::detached);
  }
}

[[noreturn]] void Usage() {
  std::cerr << "usage: minimal_beast_server [--listen HOST:PORT] [--threads N]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:8081";
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      Usage();
    }
  }
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || threads < 1) Usage();

  net::io_context io(threads);
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(listen.substr(0, colon), ec);
  if (ec) Usage();
  const tcp::endpoint endpoint(address,
                               static_cast<unsigned short>(std::atoi(listen.c_str() + colon + 1)));
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint, ec);
  if (ec) {
    std::cerr << "cannot bind " << listen << ": " << ec.message() << "\n";
    return 1;
  }
  acceptor.listen();
  const tcp::endpoint bound = acceptor.local_endpoint();
  std::cout << "listening on " << bound.address().to_string() << ":" << bound.port() << std::endl;

  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code&, int) { io.stop(); });
  net::co_spawn(io, Accept(acceptor, io), net::detached);

  std::vector<std::thread> workers;
  for (int i = 1; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& t : workers) t.join();
  return 0;
}
