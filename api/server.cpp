#include "api/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <charconv>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#include "api/errors.h"
#include "api/routes.h"
#include "common/log.h"

namespace tributary::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr const char* kLogger = "io.tributary.api";
// How long a connection that is being closed after an error may keep sending before we drop it.
constexpr std::chrono::seconds kLingerTimeout{5};
constexpr std::size_t kLingerMaxBytes = 64 * 1024 * 1024;

struct ListenerSpec {
  std::string text;  // as configured, for messages
  std::string host;  // empty: every interface
  std::uint16_t port = 0;
  bool https = false;
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Kafka Connect's `listeners`: comma-separated PROTOCOL://HOST:PORT, HOST possibly empty or a
// bracketed IPv6 address.
std::vector<ListenerSpec> parse_listeners(const std::string& value) {
  std::vector<ListenerSpec> out;
  std::string_view rest = value;
  while (true) {
    auto comma = rest.find(',');
    std::string item = trim(rest.substr(0, comma));
    if (!item.empty()) {
      ListenerSpec spec;
      spec.text = item;
      auto fail = [&](const std::string& why) {
        throw std::runtime_error("Invalid REST listener '" + item + "' in listeners: " + why);
      };
      auto sep = item.find("://");
      if (sep == std::string::npos) fail("expected PROTOCOL://HOST:PORT, e.g. http://:8083");
      std::string protocol = item.substr(0, sep);
      std::transform(protocol.begin(), protocol.end(), protocol.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (protocol != "http" && protocol != "https")
        fail("unknown protocol '" + protocol + "' (http or https)");
      spec.https = protocol == "https";
      std::string hostport = item.substr(sep + 3);
      if (!hostport.empty() && hostport.back() == '/') hostport.pop_back();
      auto colon = hostport.rfind(':');
      if (colon == std::string::npos) fail("missing port");
      spec.host = hostport.substr(0, colon);
      if (spec.host.size() >= 2 && spec.host.front() == '[' && spec.host.back() == ']') {
        spec.host = spec.host.substr(1, spec.host.size() - 2);
      }
      std::string port = hostport.substr(colon + 1);
      unsigned value_port = 0;
      auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value_port);
      if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() ||
          value_port > 65535) {
        fail("port '" + port + "' is not a number between 0 and 65535");
      }
      spec.port = static_cast<std::uint16_t>(value_port);
      out.push_back(std::move(spec));
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (out.empty()) throw std::runtime_error("No REST listener configured (listeners is empty)");
  return out;
}

std::string endpoint_text(const tcp::endpoint& e) {
  std::string addr = e.address().to_string();
  if (e.address().is_v6()) addr = "[" + addr + "]";
  return addr + ":" + std::to_string(e.port());
}

}  // namespace

namespace detail {

// What stop() needs of a connection, whatever its stream.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void close() = 0;
};

struct Listener {
  Listener(net::io_context& ioc, bool tls)
      : acceptor(net::make_strand(ioc)), retry(acceptor.get_executor()), https(tls) {}
  tcp::acceptor acceptor;
  net::steady_timer retry;  // backs off after accept errors such as EMFILE
  bool https;
};

class ServerImpl {
 public:
  ServerImpl(Herder& herder, RestServer::Options opts)
      : options(std::move(opts)), router(herder), ioc(std::max(1, options.threads)) {}

  void do_accept(Listener& l);
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  const RestServer::Options options;
  const Router router;

  std::mutex mu;                       // guards the fields below
  std::atomic<bool> stopping_{false};  // written under mu
  bool started = false;
  std::vector<std::weak_ptr<SessionBase>> sessions;  // live connections, closed by stop()

  // Declared after the router and options: destroyed first, with every pending handler.
  net::io_context ioc;
  // Runs the requests that may wait on the herder (Router::may_block); joined by stop().
  net::thread_pool blocking{static_cast<std::size_t>(std::max(1, options.blocking_threads))};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
  std::vector<std::unique_ptr<Listener>> listeners;
  std::vector<std::uint16_t> ports;
  std::vector<std::thread> threads;
};

// One HTTP/1.1 connection over plain TCP (Stream = beast::tcp_stream) or TLS
// (beast::ssl_stream<beast::tcp_stream>): for TLS a handshake first, then read a request, answer
// it, repeat while keep-alive. Every handler runs on the connection's strand.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  Session(tcp::socket&& socket, ServerImpl& server) requires(!kTls)
      : stream_(std::move(socket)), server_(server) {}
  Session(tcp::socket&& socket, ServerImpl& server, net::ssl::context& tls) requires(kTls)
      : stream_(std::move(socket), tls), server_(server) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->lowest().expires_after(self->server_.options.read_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->do_close();  // not TLS, or refused
          self->do_read();
        });
      } else {
        self->do_read();
      }
    });
  }

  // Safe from any thread: closes the socket on the strand, aborting whatever is pending.
  void close() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->do_close(); });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  auto self() { return this->shared_from_this(); }

  void do_read() {
    if (server_.stopping()) return do_close();
    parser_.emplace();
    parser_->body_limit(static_cast<std::uint64_t>(server_.options.body_limit));
    lowest().expires_after(server_.options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, self()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return handle_request();
    const auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // The client waits for this before sending the body (curl does for large bodies).
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      lowest().expires_after(server_.options.read_timeout);
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = self()](beast::error_code wec, std::size_t) {
                                if (wec) return self->do_close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    lowest().expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, self()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    handle_request();
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return reject(413, "Request body is larger than the limit of " +
                             std::to_string(server_.options.body_limit) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return reject(431, "Request header is too large");
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return reject(400, "Malformed HTTP request: " + ec.message());
    }
    // End of stream, timeout (the stream is already closed), reset, or aborted by stop().
    do_close();
  }

  void handle_request() {
    HttpResponse res;
    bool keep_alive = false;
    try {
      HttpRequest req = parser_->release();
      if (server_.options.auth &&
          !server_.options.auth->authorized(std::string_view(req.method_string()),
                                            std::string_view(req.target()),
                                            std::string_view(req[http::field::authorization]))) {
        // Kafka's JaasBasicAuthFilter answers with this text; credentials are never logged.
        res = HttpResponse{http::status::unauthorized, 11};
        res.set(http::field::content_type, "text/plain");
        res.body() = "User cannot access the resource.";
        res.prepare_payload();
      } else if (Router::may_block(req)) {
        // A change may wait on the herder (up to the request timeout): it runs on the blocking
        // pool, so the io threads keep answering reads, /health and /metrics meanwhile.
        net::post(server_.blocking, [self = self(), req = std::move(req)]() mutable {
          HttpResponse r = self->server_.router.handle(req);  // never throws
          const bool ka = req.keep_alive() && !self->server_.stopping();
          net::post(self->stream_.get_executor(), [self, r = std::move(r), ka]() mutable {
            r.keep_alive(ka);
            self->send(std::move(r), !ka, false);
          });
        });
        return;
      } else {
        res = server_.router.handle(req);
      }
      keep_alive = req.keep_alive() && !server_.stopping();
    } catch (...) {
      ErrorReply e = error_reply(std::current_exception());
      const ojson& msg = e.body.is_object() ? e.body["message"] : e.body;
      return reject(e.status, msg.is_string() ? msg.get<std::string>() : "Internal error");
    }
    res.keep_alive(keep_alive);
    send(std::move(res), !keep_alive, false);
  }

  // Answers with an error and closes the connection once the client stops sending.
  void reject(int status, const std::string& message) {
    ErrorReply e = error_reply(status, message);
    HttpResponse res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "application/json");
    res.body() = e.body.dump(-1, ' ', false, ojson::error_handler_t::replace);
    res.keep_alive(false);
    res.prepare_payload();
    send(std::move(res), true, true);
  }

  void send(HttpResponse&& res, bool close, bool linger) {
    res_ = std::move(res);
    lowest().expires_after(server_.options.read_timeout);
    http::async_write(stream_, res_,
                      [self = self(), close, linger](beast::error_code ec, std::size_t) {
                        if (ec) return self->do_close();
                        if (linger) return self->do_linger();
                        if (close) return self->do_shutdown();
                        self->do_read();
                      });
  }

  // After an early answer (413) the client may still be sending: closing now would reset the
  // connection and the client could lose our answer. Half-close and drain for a while instead.
  void do_linger() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return do_close();
    lowest().expires_after(kLingerTimeout);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(discard_),
                            [self = self()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerMaxBytes) return self->do_close();
                              self->drain();
                            });
  }

  void do_shutdown() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    do_close();
  }

  void do_close() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
  }

  Stream stream_;
  ServerImpl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpResponse res_;
  std::array<char, 16 * 1024> discard_{};
  std::size_t drained_ = 0;
};

void ServerImpl::do_accept(Listener& l) {
  l.acceptor.async_accept(
      net::make_strand(ioc), [this, &l](beast::error_code ec, tcp::socket socket) {
        if (ec) {
          if (ec == net::error::operation_aborted || !l.acceptor.is_open() || stopping()) return;
          // Out of descriptors and the like: retry shortly rather than spin.
          TLOG(Warn, kLogger, "REST accept failed: " << ec.message() << "; retrying in 100 ms");
          l.retry.expires_after(std::chrono::milliseconds(100));
          l.retry.async_wait([this, &l](beast::error_code wec) {
            if (!wec && l.acceptor.is_open() && !stopping()) do_accept(l);
          });
          return;
        }
        std::shared_ptr<SessionBase> session;
        std::function<void()> start;
        if (l.https) {
          auto ts = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
              std::move(socket), *this, *options.tls);
          start = [ts] { ts->start(); };
          session = ts;
        } else {
          auto ps = std::make_shared<Session<beast::tcp_stream>>(std::move(socket), *this);
          start = [ps] { ps->start(); };
          session = ps;
        }
        {
          std::lock_guard lock(mu);
          if (stopping_.load(std::memory_order_relaxed)) return;  // the socket closes here
          std::erase_if(sessions, [](const std::weak_ptr<SessionBase>& w) { return w.expired(); });
          sessions.push_back(session);
        }
        start();
        do_accept(l);
      });
}

}  // namespace detail

RestServer::RestServer(Herder& herder, Options options)
    : impl_(std::make_unique<detail::ServerImpl>(herder, std::move(options))) {}

RestServer::~RestServer() {
  stop();
}

void RestServer::start() {
  auto& s = *impl_;
  {
    std::lock_guard lock(s.mu);
    if (s.started || s.stopping_.load()) throw std::logic_error("RestServer::start() called twice");
  }
  std::vector<ListenerSpec> specs = parse_listeners(s.options.listeners);
  std::vector<std::unique_ptr<detail::Listener>> listeners;
  std::vector<std::uint16_t> ports;
  tcp::resolver resolver(s.ioc);
  for (const auto& spec : specs) {
    tcp::endpoint endpoint;
    if (spec.host.empty()) {
      endpoint = tcp::endpoint(tcp::v4(), spec.port);
    } else {
      beast::error_code ec;
      auto results = resolver.resolve(spec.host, std::to_string(spec.port),
                                      tcp::resolver::numeric_service | tcp::resolver::passive, ec);
      if (ec || results.empty()) {
        throw std::runtime_error("Failed to bind REST listener " + spec.text +
                                 ": cannot resolve '" + spec.host +
                                 "': " + (ec ? ec.message() : "no address"));
      }
      endpoint = results.begin()->endpoint();
      for (const auto& r : results) {  // prefer IPv4, as "localhost" users expect 127.0.0.1
        if (r.endpoint().address().is_v4()) {
          endpoint = r.endpoint();
          break;
        }
      }
    }
    if (spec.https && !s.options.tls)
      throw std::runtime_error("REST listener " + spec.text +
                               " is https but no TLS keystore is configured (ssl.keystore.* or "
                               "listeners.https.ssl.keystore.*)");
    auto l = std::make_unique<detail::Listener>(s.ioc, spec.https);
    beast::error_code ec;
    auto fail = [&](std::string_view step) {
      throw std::runtime_error("Failed to bind REST listener " + spec.text + " (" +
                               endpoint_text(endpoint) + "): " + std::string(step) + ": " +
                               ec.message());
    };
    l->acceptor.open(endpoint.protocol(), ec);
    if (ec) fail("open");
    l->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) fail("SO_REUSEADDR");
    l->acceptor.bind(endpoint, ec);
    if (ec) fail("bind");
    l->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) fail("listen");
    ports.push_back(l->acceptor.local_endpoint().port());
    TLOG(Info, kLogger,
         "REST server listening on " << spec.text << " ("
                                     << endpoint_text(l->acceptor.local_endpoint()) << ")");
    listeners.push_back(std::move(l));
  }

  s.listeners = std::move(listeners);
  s.ports = std::move(ports);
  s.guard.emplace(net::make_work_guard(s.ioc));
  for (auto& l : s.listeners) {
    net::dispatch(l->acceptor.get_executor(), [&s, lp = l.get()] { s.do_accept(*lp); });
  }
  {
    std::lock_guard lock(s.mu);
    s.started = true;
  }
  int n = std::max(1, s.options.threads);
  for (int i = 0; i < n; ++i) {
    s.threads.emplace_back([&s] {
      while (true) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          TLOG(Error, kLogger, "Uncaught exception on a REST thread: " << e.what());
        } catch (...) {
          TLOG(Error, kLogger, "Uncaught non-standard exception on a REST thread");
        }
      }
    });
  }
}

std::uint16_t RestServer::port() const {
  return impl_->ports.empty() ? 0 : impl_->ports.front();
}

std::vector<std::uint16_t> RestServer::ports() const {
  return impl_->ports;
}

void RestServer::stop() {
  auto& s = *impl_;
  std::vector<std::shared_ptr<detail::SessionBase>> live;
  {
    std::lock_guard lock(s.mu);
    if (!s.started || s.stopping_.load()) return;
    s.stopping_.store(true, std::memory_order_release);
    for (auto& w : s.sessions) {
      if (auto p = w.lock()) live.push_back(std::move(p));
    }
    s.sessions.clear();
  }
  for (auto& l : s.listeners) {
    net::post(l->acceptor.get_executor(), [lp = l.get()] {
      beast::error_code ec;
      lp->acceptor.close(ec);
      lp->retry.cancel();
    });
  }
  for (auto& p : live) p->close();
  live.clear();
  s.guard.reset();
  for (auto& t : s.threads) {
    if (t.joinable()) t.join();
  }
  s.threads.clear();
  // Requests still waiting on the herder end by its request timeout (at once once it stops);
  // their responses go nowhere now that the io threads are gone.
  s.blocking.join();
  TLOG(Info, kLogger, "REST server stopped");
}

}  // namespace tributary::api
