// The REST control plane: an HTTP/1.1 server (Boost.Beast on Asio) that speaks Kafka Connect's
// REST API by handing every request to api::Router, which calls the Herder.
//
// Threading: start() spawns `Options::threads` threads that run one io_context. The acceptor and
// each connection live on their own strand, so one connection's handlers never run concurrently;
// different connections do when threads > 1. Reads (GET, HEAD, OPTIONS) call the herder on these
// io threads: the herder answers them from a snapshot without waiting. Every other request may
// wait on the herder (at most its request timeout) and runs on a separate pool of
// `Options::blocking_threads`, its response sent back on the connection's strand; so no io thread
// ever blocks, and /health, /metrics and GET /connectors answer while changes wait. start(),
// port() and stop() are called from the owning thread; stop() must not be called from a server
// thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/basic_auth.h"
#include "herder/herder.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace tributary::api {

namespace detail {
class ServerImpl;
}  // namespace detail

class RestServer {
 public:
  struct Options {
    /// Kafka Connect's `listeners`: a comma list of http://host:port and https://host:port
    /// ("http://:8083" binds every interface; port 0 picks a free port, see port()).
    std::string listeners = "http://:8083";
    /// For https listeners (common/tls.h builds it from the worker config); required when one is.
    std::shared_ptr<boost::asio::ssl::context> tls;
    /// Basic authentication of every request (api/basic_auth.h); none when empty.
    std::optional<BasicAuth> auth;
    /// Largest accepted request body; a larger one is answered 413 with a JSON error body.
    std::size_t body_limit = 1024 * 1024;
    /// Time allowed to receive a request (and to send a response); idle keep-alive connections
    /// are closed after it too.
    std::chrono::seconds read_timeout{30};
    /// io_context threads.
    int threads = 1;
    /// Threads for requests that may wait on the herder (changes, validation); more waiting
    /// requests queue behind them.
    int blocking_threads = 8;
  };

  RestServer(Herder& herder, Options options);
  /// Stops the server if it is running.
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  /// Binds every listener and starts serving. Throws std::runtime_error naming the listener and
  /// address when a listener is malformed or cannot be bound; nothing is left running then.
  void start();
  /// The bound port of the first listener (the real one when it was configured as 0).
  std::uint16_t port() const;
  /// The bound port of every listener, in `listeners` order.
  std::vector<std::uint16_t> ports() const;
  /// Closes the listeners and every connection, waits for in-flight requests, joins the threads.
  /// Idempotent. A stopped server cannot be started again.
  void stop();

 private:
  std::unique_ptr<detail::ServerImpl> impl_;
};

}  // namespace tributary::api
