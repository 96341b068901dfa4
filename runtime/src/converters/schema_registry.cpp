// Schema registry client (see schema_registry.h).
//
// Threading: one thread calls; interrupt() is an atomic flag seen by the I/O loop and the backoff
// waits.
#include "converters/schema_registry.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/tls.h"
#include "tributary/bounded_json.h"
#include "tributary/data.h"

namespace tributary::avro {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Answers larger than this are refused: a schema is a few KB; a hostile or broken endpoint must
// not make the worker buffer gigabytes.
constexpr std::size_t kMaxBody = 16u << 20;
constexpr auto kSlice = std::chrono::milliseconds(50);

std::string get(const ConfigMap& props, const std::string& key, const std::string& def = "") {
  auto it = props.find(key);
  return it == props.end() ? def : it->second;
}

long long get_long(const ConfigMap& props, const std::string& key, long long def, long long min) {
  auto text = get(props, key);
  if (text.empty()) return def;
  try {
    std::size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing characters");
    if (v < min) throw std::out_of_range("below minimum");
    return v;
  } catch (const std::exception&) {
    throw ConfigError(key, "Invalid value " + text + " for configuration " + key +
                               ": Value must be an integer of at least " + std::to_string(min));
  }
}

struct Url {
  bool https = false;
  std::string host;
  std::string port;
  std::string base_path;  // without a trailing '/'
  std::string user_info;  // percent-decoded "user:password"
  std::string display;    // scheme://host:port/path, no user info
};

// A URL for messages: the text unless it may hold credentials.
std::string shown(const std::string& text) {
  return text.find('@') == std::string::npos ? "'" + text + "'"
                                             : "a URL with user info (not shown)";
}

Url parse_url(const std::string& text) {
  auto r = boost::urls::parse_uri(text);
  if (!r)
    throw ConfigError("schema.registry.url",
                      "Invalid value for schema.registry.url: " + shown(text) + " is not a URL");
  Url u;
  std::string scheme = std::string(r->scheme());
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https")
    throw ConfigError("schema.registry.url",
                      "Invalid value for schema.registry.url: " + shown(text) +
                          " must start with http:// or https://");
  u.https = scheme == "https";
  u.host = r->host();
  if (u.host.empty())
    throw ConfigError(
        "schema.registry.url",
        "Invalid value for schema.registry.url: no host in a URL of scheme " + scheme);
  if (!u.host.empty() && u.host.front() == '[' && u.host.back() == ']')
    u.host = u.host.substr(1, u.host.size() - 2);
  u.port = r->has_port() ? std::string(r->port()) : (u.https ? "443" : "80");
  u.base_path = std::string(r->encoded_path());
  while (!u.base_path.empty() && u.base_path.back() == '/') u.base_path.pop_back();
  if (r->has_userinfo()) u.user_info = r->userinfo();
  u.display = scheme + "://" + std::string(r->encoded_host_and_port()) + u.base_path;
  return u;
}

std::string base64(const std::string& s) {
  std::string out;
  append_base64(reinterpret_cast<const std::uint8_t*>(s.data()), s.size(), out);
  return out;
}

std::string shorten(std::string s, std::size_t max = 1000) {
  if (s.size() > max) {
    s.resize(max);
    s += "...";
  }
  return s;
}

}  // namespace

RegistrySettings RegistrySettings::from(const ConfigMap& props) {
  RegistrySettings s;
  for (const auto& u : split_list(get(props, "schema.registry.url"))) s.urls.push_back(u);
  if (s.urls.empty())
    throw ConfigError("schema.registry.url",
                      "Missing required configuration \"schema.registry.url\" which has no default "
                      "value.");
  const std::string source = get(props, "basic.auth.credentials.source", "URL");
  std::string user_info = get(props, "basic.auth.user.info");
  if (user_info.empty()) user_info = get(props, "schema.registry.basic.auth.user.info");
  if (source == "USER_INFO") {
    if (user_info.empty())
      throw ConfigError("basic.auth.user.info",
                        "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info "
                        "(user:password)");
    s.user_info = user_info;
  } else if (source == "SASL_INHERIT") {
    throw ConfigError("basic.auth.credentials.source",
                      "Invalid value SASL_INHERIT for configuration basic.auth.credentials.source: "
                      "Tributary has no SASL JAAS configuration to inherit; use USER_INFO");
  } else if (source != "URL") {
    throw ConfigError("basic.auth.credentials.source",
                      "Invalid value " + source +
                          " for configuration basic.auth.credentials.source: "
                          "supported: URL, USER_INFO");
  }
  s.ssl_props = props;
  s.verify_host_name =
      get(props, "schema.registry.ssl.endpoint.identification.algorithm", "https") == "https";
  s.connect_timeout =
      std::chrono::milliseconds(get_long(props, "http.connect.timeout.ms", 60000, 1));
  s.read_timeout = std::chrono::milliseconds(get_long(props, "http.read.timeout.ms", 60000, 1));
  s.max_retries = static_cast<int>(get_long(props, "max.retries", 3, 0));
  s.retry_wait = std::chrono::milliseconds(get_long(props, "retries.wait.ms", 1000, 0));
  s.retry_max_wait = std::chrono::milliseconds(get_long(props, "retries.max.wait.ms", 20000, 0));
  const std::string normalize = get(props, "normalize.schemas", "false");
  s.normalize = normalize == "true";
  // Validates every URL now, so a bad one is a configuration error and not a task failure.
  for (const auto& u : s.urls) parse_url(u);
  return s;
}

std::string url_path_segment(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

struct RegistryClient::Impl {
  RegistrySettings settings;
  std::vector<Url> urls;
  std::shared_ptr<net::ssl::context> tls;  // when a URL is https
  std::size_t current = 0;                 // the URL that answered last
  std::atomic<bool> interrupted{false};
  std::mt19937_64 rng{std::random_device{}()};

  struct Answer {
    int status = 0;
    std::string body;
  };

  [[noreturn]] void fail_interrupted() {
    throw RegistryError("schema registry call interrupted (the task is stopping)", 0, 0, true);
  }

  // Runs `ioc` until `done`, the deadline or an interrupt; on the last two, `cancel` closes the
  // socket and the handlers are drained before throwing.
  template <class Cancel>
  void wait(net::io_context& ioc, const bool& done, Clock::time_point deadline, Cancel&& cancel,
            const std::string& step, const Url& u) {
    while (!done) {
      const auto now = Clock::now();
      const bool stop = interrupted.load();
      if (stop || now >= deadline) {
        cancel();
        ioc.restart();
        ioc.run();
        if (stop) fail_interrupted();
        throw RegistryError(step + " to schema registry " + u.display + " timed out", 0, 0);
      }
      ioc.restart();
      ioc.run_for(std::min<Clock::duration>(kSlice, deadline - now));
    }
  }

  template <class Stream>
  Answer send(Stream& stream, net::io_context& ioc, http::request<http::string_body>& req,
              const Url& u, beast::tcp_stream& socket) {
    const auto deadline = Clock::now() + settings.read_timeout;
    beast::error_code ec;
    bool done = false;
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    wait(
        ioc, done, deadline, [&] { socket.socket().close(ec); }, "Sending a request", u);
    if (ec)
      throw RegistryError(
          "Cannot send a request to schema registry " + u.display + ": " + ec.message(), 0, 0);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    done = false;
    http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    wait(
        ioc, done, deadline, [&] { socket.socket().close(ec); }, "Waiting for an answer", u);
    if (ec)
      throw RegistryError("No answer from schema registry " + u.display + ": " + ec.message(), 0,
                          0);
    Answer a;
    a.status = static_cast<int>(parser.get().result_int());
    a.body = std::move(parser.get().body());
    return a;
  }

  Answer exchange(const Url& u, http::verb verb, const std::string& target,
                  const std::string& body) {
    if (interrupted.load()) fail_interrupted();
    net::io_context ioc(1);
    const auto connect_deadline = Clock::now() + settings.connect_timeout;
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    bool done = false;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(u.host, u.port, [&](beast::error_code e, tcp::resolver::results_type r) {
      ec = e;
      endpoints = std::move(r);
      done = true;
    });
    wait(
        ioc, done, connect_deadline, [&] { resolver.cancel(); }, "Resolving the host", u);
    if (ec)
      throw RegistryError("Cannot resolve schema registry host '" + u.host + "': " + ec.message(),
                          0, 0);

    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, u.host + ":" + u.port);
    req.set(http::field::user_agent, "tributary");
    req.set(http::field::accept,
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; "
            "qs=0.9, application/json; qs=0.5");
    req.set(http::field::connection, "close");
    const std::string& user_info = settings.user_info.empty() ? u.user_info : settings.user_info;
    if (!user_info.empty()) req.set(http::field::authorization, "Basic " + base64(user_info));
    if (verb != http::verb::get) {
      req.set(http::field::content_type, "application/vnd.schemaregistry.v1+json");
      req.body() = body;
      req.prepare_payload();
    }

    auto connect = [&](beast::tcp_stream& socket) {
      done = false;
      socket.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
        ec = e;
        done = true;
      });
      wait(
          ioc, done, connect_deadline, [&] { socket.socket().close(ec); }, "Connecting", u);
      if (ec)
        throw RegistryError("Cannot connect to schema registry " + u.display + ": " + ec.message(),
                            0, 0);
    };

    if (!u.https) {
      beast::tcp_stream socket(ioc);
      connect(socket);
      return send(socket, ioc, req, u, socket);
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
      throw RegistryError("Cannot set the TLS server name '" + u.host + "'", 0, 0);
    if (settings.verify_host_name)
      stream.set_verify_callback(net::ssl::host_name_verification(u.host));
    connect(beast::get_lowest_layer(stream));
    done = false;
    stream.async_handshake(net::ssl::stream_base::client, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    wait(
        ioc, done, connect_deadline, [&] { beast::get_lowest_layer(stream).socket().close(ec); },
        "The TLS handshake", u);
    if (ec)
      throw RegistryError(
          "TLS handshake with schema registry " + u.display + " failed: " + ec.message(), 0, 0);
    return send(stream, ioc, req, u, beast::get_lowest_layer(stream));
  }

  // One call: every URL in turn (from the one that answered last) until one answers; the whole
  // round retried with backoff on no answer or a retriable status. Returns the parsed body.
  nlohmann::json call(http::verb verb, const std::string& path, const std::string& body) {
    const auto started = Clock::now();
    for (int attempt = 0;; ++attempt) {
      std::optional<RegistryError> last;
      for (std::size_t i = 0; i < urls.size(); ++i) {
        const std::size_t idx = (current + i) % urls.size();
        const Url& u = urls[idx];
        try {
          Answer a = exchange(u, verb, u.base_path + path, body);
          if (a.status >= 200 && a.status < 300) {
            current = idx;
            try {
              return parse_bounded_json<nlohmann::json>(a.body, "The schema registry's answer");
            } catch (const std::exception& e) {
              throw RegistryError("Schema registry " + u.display + " answered " +
                                      std::string(http::to_string(verb)) + " " + path +
                                      " with invalid JSON: " + e.what(),
                                  a.status, 0);
            }
          }
          std::string message = shorten(a.body);
          int code = 0;
          try {
            auto j = parse_bounded_json<nlohmann::json>(a.body, "The schema registry's answer");
            if (j.is_object()) {
              if (j.contains("message") && j["message"].is_string())
                message = shorten(j["message"].get<std::string>());
              if (j.contains("error_code") && j["error_code"].is_number_integer())
                code = j["error_code"].get<int>();
            }
          } catch (const std::exception&) {
          }
          RegistryError e(
              "Schema registry " + u.display + " answered " + std::to_string(a.status) + " to " +
                  std::string(http::to_string(verb)) + " " + path + ": " + message +
                  (code != 0 ? " (error code " + std::to_string(code) + ")" : std::string()),
              a.status, code);
          if (!e.retriable()) {
            current = idx;
            throw e;
          }
          last = e;
        } catch (const RegistryError& e) {
          if (!e.retriable()) throw;
          last = e;
        }
      }
      if (attempt >= settings.max_retries) {
        const double secs = std::chrono::duration<double>(Clock::now() - started).count();
        char took[32];
        std::snprintf(took, sizeof took, "%.1f", secs);
        throw RegistryError(std::string(last->what()) + " (" + std::to_string(attempt + 1) +
                                (attempt == 0 ? " try" : " tries") + " in " + took + " s)",
                            last->status, last->error_code);
      }
      backoff(attempt);
    }
  }

  // Exponential backoff with full jitter: uniform in [0, min(max, wait * 2^attempt)].
  void backoff(int attempt) {
    auto cap = settings.retry_wait.count() << std::min(attempt, 20);
    cap = std::min<long long>(cap, settings.retry_max_wait.count());
    std::uniform_int_distribution<long long> pick(0, std::max<long long>(cap, 0));
    const auto until = Clock::now() + std::chrono::milliseconds(pick(rng));
    while (Clock::now() < until) {
      if (interrupted.load()) fail_interrupted();
      std::this_thread::sleep_for(std::min<Clock::duration>(kSlice, until - Clock::now()));
    }
    if (interrupted.load()) fail_interrupted();
  }

  std::string query() const { return settings.normalize ? "?normalize=true" : ""; }
};

RegistryClient::RegistryClient(RegistrySettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  bool https = false;
  for (const auto& u : impl_->settings.urls) {
    impl_->urls.push_back(parse_url(u));
    https = https || impl_->urls.back().https;
  }
  if (impl_->urls.empty())
    throw ConfigError("schema.registry.url", "schema.registry.url names no registry");
  // Built now, so an unreadable truststore or keystore is a configuration error (naming the key)
  // when the converter is configured, not a failure of the first record.
  if (https)
    impl_->tls = tls::make_client_tls_context(impl_->settings.ssl_props, "schema.registry.");
}

RegistryClient::~RegistryClient() = default;

void RegistryClient::interrupt() noexcept {
  impl_->interrupted.store(true);
}

std::string RegistryClient::describe() const {
  std::string out;
  for (const auto& u : impl_->urls) out += (out.empty() ? "" : ",") + u.display;
  return out;
}

namespace {

int int_field(const nlohmann::json& j, const char* key, const std::string& what) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number_integer())
    throw RegistryError("The schema registry's answer to " + what + " has no integer '" + key +
                            "': " + shorten(j.dump()),
                        200, 0);
  return j[key].get<int>();
}

std::string string_field(const nlohmann::json& j, const char* key, const std::string& what) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string())
    throw RegistryError("The schema registry's answer to " + what + " has no string '" + key +
                            "': " + shorten(j.dump()),
                        200, 0);
  return j[key].get<std::string>();
}

}  // namespace

int RegistryClient::register_schema(const std::string& subject, const std::string& avro_schema) {
  const std::string path = "/subjects/" + url_path_segment(subject) + "/versions";
  const std::string body = nlohmann::json{{"schema", avro_schema}}.dump();
  for (int attempt = 0;; ++attempt) {
    try {
      auto j = impl_->call(http::verb::post, path + impl_->query(), body);
      return int_field(j, "id", "POST " + path);
    } catch (const RegistryError& e) {
      // Apicurio Registry (2.4.2, seen with its H2 storage) answers two concurrent registrations
      // of the same schema text, under different subjects, with 409 "An artifact with ID '...'
      // already exists" for one of them although the subject does not exist: a lost race in its
      // content table. A new try succeeds. Confluent's registry never answers this.
      if (e.status != 409 || attempt >= 3 ||
          std::string_view(e.what()).find("already exists") == std::string_view::npos)
        throw;
      impl_->backoff(0);
    }
  }
}

RegisteredSchema RegistryClient::lookup(const std::string& subject,
                                        const std::string& avro_schema) {
  const std::string path = "/subjects/" + url_path_segment(subject);
  auto j = impl_->call(http::verb::post, path + impl_->query(),
                       nlohmann::json{{"schema", avro_schema}}.dump());
  RegisteredSchema r;
  r.id = int_field(j, "id", "POST " + path);
  r.version = int_field(j, "version", "POST " + path);
  r.schema = j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>()
                                                             : avro_schema;
  return r;
}

RegisteredSchema RegistryClient::latest(const std::string& subject) {
  const std::string path = "/subjects/" + url_path_segment(subject) + "/versions/latest";
  auto j = impl_->call(http::verb::get, path, "");
  RegisteredSchema r;
  r.id = int_field(j, "id", "GET " + path);
  r.version = int_field(j, "version", "GET " + path);
  r.schema = string_field(j, "schema", "GET " + path);
  return r;
}

std::string RegistryClient::schema_by_id(int id) {
  const std::string path = "/schemas/ids/" + std::to_string(id);
  auto j = impl_->call(http::verb::get, path, "");
  return string_field(j, "schema", "GET " + path);
}

}  // namespace tributary::avro
