#include "api/routes.h"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <functional>
#include <optional>
#include <utility>

#include "api/entities.h"
#include "api/errors.h"
#include "common/log.h"
#include "tributary/bounded_json.h"

namespace tributary::api {

namespace http = boost::beast::http;

// Types shared by the handlers. A named namespace (not an anonymous one) because Router::Route
// holds them and has external linkage.
namespace detail {

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type;  // empty: no body
  std::vector<std::pair<std::string, std::string>> headers;
};

using Query = std::multimap<std::string, std::string>;

struct Ctx {
  Herder& herder;
  const HttpRequest& req;
  std::vector<std::string> params;  // decoded path parameters, in pattern order
  Query query;
};

using Handler = std::function<Reply(Ctx&)>;

}  // namespace detail

struct Router::Route {
  std::vector<std::string> segments;  // literal segments; "{}" is a parameter
  std::vector<std::pair<http::verb, detail::Handler>> methods;
};

namespace {

using detail::Ctx;
using detail::Query;
using detail::Reply;

constexpr const char* kLogger = "io.tributary.api";
constexpr const char* kJson = "application/json";
constexpr const char* kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

std::string dump(const ojson& j) {
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

Reply json_reply(int status, const ojson& body) {
  Reply r;
  r.status = status;
  r.body = dump(body);
  r.content_type = kJson;
  return r;
}

Reply empty_reply(int status) {
  Reply r;
  r.status = status;
  return r;
}

[[noreturn]] void bad_request(const std::string& message) {
  throw RestError(400, message);
}

// ---- Request parsing -----------------------------------------------------------------------

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Java's String.trim(): strips every char <= ' ' from both ends.
std::string java_trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return std::string(s);
}

ojson parse_body(const HttpRequest& req) {
  const std::string& body = req.body();
  if (trim_view(body).empty()) bad_request("Request body is empty: expected a JSON object");
  try {
    return parse_bounded_json(body, "Request body");
  } catch (const JsonTooDeep& e) {
    bad_request(e.what());
  } catch (const ojson::parse_error& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix; keep position and cause.
    if (auto pos = what.find("] ");
        what.rfind("[json.exception.", 0) == 0 && pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    bad_request("Malformed JSON in request body: " + what);
  }
}

ojson parse_object_body(const HttpRequest& req, std::string_view what) {
  ojson body = parse_body(req);
  if (!body.is_object()) {
    bad_request(std::string(what) + " must be a JSON object, got " + body.type_name());
  }
  return body;
}

// Boolean query parameters read as Java's Boolean.valueOf: "true" in any case is true, anything
// else false; `absent` when the parameter is missing.
bool bool_param(const Query& q, const std::string& name, bool absent) {
  auto it = q.find(name);
  if (it == q.end()) return absent;
  std::string v = it->second;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "true";
}

int task_param(const std::string& s) {
  int id = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    // Jersey answers 404 when an Integer path parameter does not parse.
    throw RestError(404, "Task id must be an integer, got '" + s + "'");
  }
  return id;
}

// ---- Connector names and configs -------------------------------------------------------------

std::string invalid_config_message(const std::vector<std::string>& errors) {
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(errors.size()) + " error(s):";
  for (const auto& e : errors) msg += "\n" + e;
  msg +=
      "\nYou can also find the above list of errors at the endpoint "
      "`/connector-plugins/{connectorType}/config/validate`";
  return msg;
}

// Kafka validates the name with NonEmptyStringWithoutControlChars. Kafka 1.1+ accepts '/', but a
// name with '/' cannot be addressed in a URL path, so Tributary rejects it as Kafka 0.10.2 did.
void check_connector_name(const std::string& name) {
  if (name.empty()) {
    bad_request(
        invalid_config_message({"Invalid value  for configuration name: String may not be empty"}));
  }
  std::vector<int> control;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) {
      control.push_back(c);
    } else if (c == 0xc2 && i + 1 < name.size()) {  // U+0080..U+009F (C1 controls) in UTF-8
      auto c2 = static_cast<unsigned char>(name[i + 1]);
      if (c2 >= 0x80 && c2 <= 0x9f) control.push_back(c2);
    }
  }
  if (!control.empty()) {
    std::string list;
    for (int c : control) list += (list.empty() ? "" : ", ") + std::to_string(c);
    bad_request(invalid_config_message({"Invalid value " + name +
                                        " for configuration name: String may not contain control "
                                        "sequences but had the following ASCII chars: " +
                                        list}));
  }
  if (name.find('/') != std::string::npos) {
    bad_request("connector name should not contain '/': " + name);
  }
}

// Kafka's checkAndPutConnectorConfigName: a "name" in the config must equal the name in the URL
// (or the request body); a missing one is filled in.
void check_and_put_name(const std::string& name, ConfigMap& config) {
  auto it = config.find("name");
  if (it == config.end()) {
    config["name"] = name;
  } else if (it->second != name) {
    bad_request("Connector name configuration (" + it->second +
                ") doesn't match connector name in the URL (" + name + ")");
  }
}

std::string scalar_text(const ojson& v) {
  switch (v.type()) {
    case ojson::value_t::string: return v.get<std::string>();
    case ojson::value_t::boolean: return v.get<bool>() ? "true" : "false";
    default: return dump(v);  // numbers: their JSON text
  }
}

bool is_scalar(const ojson& v) {
  return v.is_string() || v.is_boolean() || v.is_number();
}

std::string location(const HttpRequest& req, const std::string& name) {
  std::string path = "/connectors/" + percent_encode_segment(name);
  auto host = req.find(http::field::host);
  if (host == req.end() || host->value().empty()) return path;
  return "http://" + std::string(host->value()) + path;
}

std::optional<TargetState> parse_initial_state(const ojson& v) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_string())
    bad_request("'initial_state' must be a string, got " + std::string(v.type_name()));
  std::string s = v.get<std::string>();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  if (s == "RUNNING") return TargetState::Started;
  if (s == "PAUSED") return TargetState::Paused;
  if (s == "STOPPED") return TargetState::Stopped;
  bad_request("Invalid initial_state '" + v.get<std::string>() +
              "': expected one of RUNNING, PAUSED, STOPPED");
}

// ---- Handlers ------------------------------------------------------------------------------

Reply server_info(Ctx& c) {
  return json_reply(200, to_json(c.herder.server_info()));
}

Reply health(Ctx& c) {
  HealthInfo h = c.herder.health();
  return json_reply(http_status(h), to_json(h));
}

Reply metrics(Ctx& c) {
  Reply r;
  r.status = 200;
  r.body = c.herder.metrics_text();
  r.content_type = kPrometheusText;
  return r;
}

Reply list_connectors(Ctx& c) {
  std::vector<std::string> names = c.herder.connector_names();
  auto [first, last] = c.query.equal_range("expand");
  if (first == last) {
    ojson out = ojson::array();
    for (const auto& n : names) out.push_back(n);
    return json_reply(200, out);
  }
  ojson out = ojson::object();
  for (const auto& name : names) {
    try {
      ojson entry = ojson::object();
      for (auto it = first; it != last; ++it) {
        if (it->second == "status") {
          entry["status"] = to_json(c.herder.connector_status(name));
        } else if (it->second == "info") {
          entry["info"] = to_json(c.herder.connector_info(name));
        } else {
          TLOG(Debug, kLogger, "Ignoring unknown expansion type " << it->second);
        }
      }
      out[name] = std::move(entry);
    } catch (const HerderError& e) {
      // Deleted while we looked it up: leave it out, as Kafka Connect does.
      if (e.kind() != ErrorKind::NotFound) throw;
    }
  }
  return json_reply(200, out);
}

Reply create_connector(Ctx& c) {
  ojson body = parse_object_body(c.req, "Create connector request");
  auto name_it = body.find("name");
  if (name_it == body.end() || name_it->is_null()) {
    bad_request("Create connector request is missing \"name\"");
  }
  if (!name_it->is_string()) {
    bad_request("\"name\" must be a string, got " + std::string(name_it->type_name()));
  }
  auto config_it = body.find("config");
  if (config_it == body.end() || config_it->is_null()) {
    bad_request("Create connector request is missing \"config\"");
  }
  std::optional<TargetState> initial;
  if (auto it = body.find("initial_state"); it != body.end()) initial = parse_initial_state(*it);

  // Kafka trims the name in POST /connectors (not in PUT .../config).
  std::string name = java_trim(name_it->get<std::string>());
  ConfigMap config = config_from_json(*config_it, "connector config");
  check_and_put_name(name, config);
  check_connector_name(name);

  ConnectorInfo info = c.herder.create_connector(name, config, initial);
  Reply r = json_reply(201, to_json(info));
  r.headers.emplace_back("Location", location(c.req, name));
  return r;
}

Reply connector_info(Ctx& c) {
  return json_reply(200, to_json(c.herder.connector_info(c.params[0])));
}

Reply delete_connector(Ctx& c) {
  c.herder.delete_connector(c.params[0]);
  return empty_reply(204);
}

Reply get_config(Ctx& c) {
  return json_reply(200, to_json(c.herder.connector_config(c.params[0])));
}

Reply put_config(Ctx& c) {
  const std::string& name = c.params[0];
  ojson body = parse_object_body(c.req, "Connector config");
  ConfigMap config = config_from_json(body, "connector config");
  check_and_put_name(name, config);
  check_connector_name(name);
  auto [info, created] = c.herder.put_connector_config(name, config);
  Reply r = json_reply(created ? 201 : 200, to_json(info));
  if (created) r.headers.emplace_back("Location", location(c.req, name));
  return r;
}

Reply patch_config(Ctx& c) {
  ojson body = parse_object_body(c.req, "Connector config patch");
  std::map<std::string, std::optional<std::string>> patch;
  for (const auto& [k, v] : body.items()) {
    if (v.is_null()) {
      patch[k] = std::nullopt;  // removes the key
    } else if (is_scalar(v)) {
      patch[k] = scalar_text(v);
    } else {
      bad_request("Invalid value for key '" + k +
                  "' in connector config patch: expected a "
                  "string, number, boolean or null, got " +
                  std::string(v.type_name()));
    }
  }
  return json_reply(200, to_json(c.herder.patch_connector_config(c.params[0], patch)));
}

Reply connector_status(Ctx& c) {
  return json_reply(200, to_json(c.herder.connector_status(c.params[0])));
}

Reply task_configs(Ctx& c) {
  ojson out = ojson::array();
  for (const auto& t : c.herder.task_configs(c.params[0])) out.push_back(to_json(t));
  return json_reply(200, out);
}

Reply task_status(Ctx& c) {
  return json_reply(200, to_json(c.herder.task_status(c.params[0], task_param(c.params[1]))));
}

Reply restart_task(Ctx& c) {
  c.herder.restart_task(c.params[0], task_param(c.params[1]));
  return empty_reply(204);
}

Reply restart_connector(Ctx& c) {
  const std::string& name = c.params[0];
  bool include_tasks = bool_param(c.query, "includeTasks", false);
  bool only_failed = bool_param(c.query, "onlyFailed", false);
  std::optional<ConnectorStateInfo> plan =
      c.herder.restart_connector(name, include_tasks, only_failed);
  // Kafka: restarting only the connector answers 204 with no body; anything else 202 + status.
  if (!include_tasks && !only_failed) return empty_reply(204);
  return json_reply(202, to_json(plan ? *plan : c.herder.connector_status(name)));
}

Reply pause_connector(Ctx& c) {
  c.herder.pause_connector(c.params[0]);
  return empty_reply(202);
}

Reply resume_connector(Ctx& c) {
  c.herder.resume_connector(c.params[0]);
  return empty_reply(202);
}

Reply stop_connector(Ctx& c) {
  c.herder.stop_connector(c.params[0]);
  return empty_reply(204);
}

Reply connector_topics(Ctx& c) {
  ojson out;
  out[c.params[0]] = {{"topics", c.herder.connector_topics(c.params[0])}};
  return json_reply(200, out);
}

Reply reset_topics(Ctx& c) {
  c.herder.reset_connector_topics(c.params[0]);
  return empty_reply(202);
}

Reply get_offsets(Ctx& c) {
  ojson list = ojson::array();
  for (auto& [p, o] : c.herder.connector_offsets(c.params[0]))
    list.push_back({{"partition", p}, {"offset", o}});
  return json_reply(200, {{"offsets", list}});
}

Reply alter_offsets(Ctx& c) {
  ojson body = parse_object_body(c.req, "Alter offsets request");
  auto it = body.find("offsets");
  if (it == body.end() || it->is_null() || (it->is_array() && it->empty())) {
    bad_request("Partitions / offsets need to be provided for an alter offsets request");
  }
  if (!it->is_array()) {
    bad_request("\"offsets\" must be a JSON array, got " + std::string(it->type_name()));
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const ojson& entry = (*it)[i];
    std::string where = "offsets[" + std::to_string(i) + "]";
    if (!entry.is_object())
      bad_request(where + " must be a JSON object with \"partition\" and \"offset\"");
    auto p = entry.find("partition");
    if (p == entry.end() || !p->is_object()) {
      bad_request(where + ".partition must be a JSON object");
    }
    auto o = entry.find("offset");
    if (o != entry.end() && !o->is_object() && !o->is_null()) {
      bad_request(where + ".offset must be a JSON object or null");
    }
  }
  std::vector<std::pair<OffsetMap, std::optional<OffsetMap>>> offsets;
  for (const auto& entry : *it) {
    auto o = entry.find("offset");
    offsets.emplace_back(entry["partition"], o == entry.end() || o->is_null()
                                                 ? std::nullopt
                                                 : std::optional<OffsetMap>(*o));
  }
  return json_reply(200, {{"message", c.herder.alter_connector_offsets(c.params[0], offsets)}});
}

Reply reset_offsets(Ctx& c) {
  return json_reply(200, {{"message", c.herder.reset_connector_offsets(c.params[0])}});
}

Reply list_plugins(Ctx& c) {
  ojson out = ojson::array();
  for (const auto& p : c.herder.plugins(bool_param(c.query, "connectorsOnly", true)))
    out.push_back(to_json(p));
  return json_reply(200, out);
}

Reply plugin_config(Ctx& c) {
  ojson out = ojson::array();
  for (const auto& k : c.herder.plugin_config(c.params[0])) out.push_back(to_json(k));
  return json_reply(200, out);
}

// Kafka's normalizedPluginName: "FooConnector" -> "Foo", so aliases and full names compare.
std::string normalized_plugin_name(const std::string& name) {
  constexpr std::string_view kSuffix = "Connector";
  if (name.size() > kSuffix.size() && name.ends_with(kSuffix)) {
    return name.substr(0, name.size() - kSuffix.size());
  }
  return name;
}

Reply validate_config(Ctx& c) {
  const std::string& plugin = c.params[0];
  ojson body = parse_object_body(c.req, "Connector config");
  ConfigMap config = config_from_json(body, "connector config");
  if (auto it = config.find("connector.class"); it != config.end()) {
    if (!normalized_plugin_name(it->second).ends_with(normalized_plugin_name(plugin))) {
      bad_request("Included connector type " + it->second + " does not match request type " +
                  plugin);
    }
  }
  return json_reply(200, to_json(c.herder.validate_config(plugin, config)));
}

Reply list_loggers(Ctx& c) {
  ojson out = ojson::object();
  for (const auto& [name, level] : c.herder.loggers()) out[name] = to_json(level);
  return json_reply(200, out);
}

Reply get_logger(Ctx& c) {
  return json_reply(200, to_json(c.herder.logger(c.params[0])));
}

Reply set_logger(Ctx& c) {
  ojson body = parse_object_body(c.req, "Logger level request");
  auto it = body.find("level");
  if (it == body.end() || it->is_null()) {
    bad_request("Desired 'level' parameter was not specified in request.");
  }
  if (!is_scalar(*it)) {
    bad_request("'level' must be a string, got " + std::string(it->type_name()));
  }
  std::string level = scalar_text(*it);
  if (!log::parse_level(level)) {
    throw RestError(404, "invalid log level '" + level + "'.");  // Kafka answers 404 here
  }
  std::transform(level.begin(), level.end(), level.begin(),
                 [](unsigned char ch) { return std::toupper(ch); });
  ojson affected = c.herder.set_logger_level(c.params[0], level);  // the names, as a list
  auto scope = c.query.find("scope");
  if (scope != c.query.end()) {
    std::string s = scope->second;
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    // A standalone worker is the whole cluster: apply it here and answer as Kafka does.
    if (s == "cluster") return empty_reply(204);
  }
  return json_reply(200, affected);
}

// ---- Target parsing ----------------------------------------------------------------------

struct Target {
  std::vector<std::string> segments;
  Query query;
};

Target parse_target(std::string_view target) {
  // Absolute-form ("http://host:port/path") is legal in HTTP/1.1 requests.
  if (auto scheme = target.find("://"); scheme != std::string_view::npos && target.front() != '/') {
    auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target.front() != '/') {
    throw RestError(400,
                    "Request target must be an absolute path, got '" + std::string(target) + "'");
  }
  std::string_view path = target;
  std::string_view query;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  if (auto f = query.find('#'); f != std::string_view::npos) query = query.substr(0, f);

  Target t;
  path.remove_prefix(1);
  // "/connectors/" is "/connectors", as in Jersey; "/" has no segments.
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!path.empty()) {
    std::size_t start = 0;
    while (true) {
      auto end = path.find('/', start);
      std::string_view raw =
          path.substr(start, end == std::string_view::npos ? path.npos : end - start);
      std::string decoded;
      if (!percent_decode(raw, decoded, false)) {
        throw RestError(400,
                        "Malformed percent-encoding in path segment '" + std::string(raw) + "'");
      }
      t.segments.push_back(std::move(decoded));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key;
    std::string value;
    if (!percent_decode(pair.substr(0, eq), key, true) ||
        (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true))) {
      throw RestError(400,
                      "Malformed percent-encoding in query parameter '" + std::string(pair) + "'");
    }
    t.query.emplace(std::move(key), std::move(value));
  }
  return t;
}

std::string allow_header(const Router::Route& route) {
  std::string allow;
  bool get = false;
  for (const auto& [verb, handler] : route.methods) {
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(verb));
    get = get || verb == http::verb::get;
  }
  if (get) allow += ", HEAD";
  allow += ", OPTIONS";
  return allow;
}

}  // namespace

// ---- Public helpers ----------------------------------------------------------------------

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex(in[i + 1]);
      int lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

std::string percent_encode_segment(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

ConfigMap config_from_json(const ojson& value, std::string_view what) {
  if (!value.is_object()) {
    bad_request(std::string(what) + " must be a JSON object of string values, got " +
                value.type_name());
  }
  ConfigMap out;
  for (const auto& [key, v] : value.items()) {
    if (is_scalar(v)) {
      out[key] = scalar_text(v);
    } else {
      bad_request("Invalid value for key '" + key + "' in " + std::string(what) +
                  ": expected a string, number or boolean, got " + v.type_name());
    }
  }
  return out;
}

// ---- Router ------------------------------------------------------------------------------

Router::Router(Herder& herder) : herder_(herder) {
  using V = http::verb;
  auto add = [this](std::string_view pattern,
                    std::vector<std::pair<http::verb, detail::Handler>> methods) {
    Route r;
    std::string_view p = pattern.substr(1);
    while (!p.empty()) {
      auto slash = p.find('/');
      r.segments.emplace_back(p.substr(0, slash));
      p = slash == std::string_view::npos ? std::string_view() : p.substr(slash + 1);
    }
    r.methods = std::move(methods);
    routes_.push_back(std::move(r));
  };
  add("/", {{V::get, server_info}});
  add("/health", {{V::get, health}});
  add("/metrics", {{V::get, metrics}});
  add("/connectors", {{V::get, list_connectors}, {V::post, create_connector}});
  add("/connectors/{}", {{V::get, connector_info}, {V::delete_, delete_connector}});
  add("/connectors/{}/config",
      {{V::get, get_config}, {V::put, put_config}, {V::patch, patch_config}});
  add("/connectors/{}/status", {{V::get, connector_status}});
  add("/connectors/{}/tasks", {{V::get, task_configs}});
  add("/connectors/{}/tasks/{}/status", {{V::get, task_status}});
  add("/connectors/{}/tasks/{}/restart", {{V::post, restart_task}});
  add("/connectors/{}/restart", {{V::post, restart_connector}});
  add("/connectors/{}/pause", {{V::put, pause_connector}});
  add("/connectors/{}/resume", {{V::put, resume_connector}});
  add("/connectors/{}/stop", {{V::put, stop_connector}});
  add("/connectors/{}/topics", {{V::get, connector_topics}});
  add("/connectors/{}/topics/reset", {{V::put, reset_topics}});
  add("/connectors/{}/offsets",
      {{V::get, get_offsets}, {V::patch, alter_offsets}, {V::delete_, reset_offsets}});
  add("/connector-plugins", {{V::get, list_plugins}});
  add("/connector-plugins/{}/config", {{V::get, plugin_config}});
  add("/connector-plugins/{}/config/validate", {{V::put, validate_config}});
  add("/admin/loggers", {{V::get, list_loggers}});
  add("/admin/loggers/{}", {{V::get, get_logger}, {V::put, set_logger}});
}

Router::~Router() = default;

std::vector<std::string> Router::patterns() const {
  std::vector<std::string> out;
  for (const auto& r : routes_) {
    std::string p;
    for (const auto& s : r.segments) p += "/" + s;
    out.push_back(p.empty() ? "/" : p);
  }
  return out;
}

bool Router::may_block(const HttpRequest& req) {
  const auto m = req.method();
  return m != http::verb::get && m != http::verb::head && m != http::verb::options;
}

HttpResponse Router::handle(const HttpRequest& req) const {
  auto started = std::chrono::steady_clock::now();
  Reply reply;
  const bool head = req.method() == http::verb::head;
  try {
    Target target = parse_target(req.target());
    const Route* route = nullptr;
    std::vector<std::string> params;
    for (const auto& r : routes_) {
      if (r.segments.size() != target.segments.size()) continue;
      std::vector<std::string> p;
      bool match = true;
      for (std::size_t i = 0; i < r.segments.size() && match; ++i) {
        if (r.segments[i] == "{}") {
          match = !target.segments[i].empty();  // Jersey never binds an empty parameter
          p.push_back(target.segments[i]);
        } else {
          match = r.segments[i] == target.segments[i];
        }
      }
      if (match) {
        route = &r;
        params = std::move(p);
        break;
      }
    }
    if (route == nullptr) {
      throw RestError(404, "HTTP 404 Not Found: no endpoint " + std::string(req.method_string()) +
                               " " + std::string(req.target()));
    }
    http::verb verb = head ? http::verb::get : req.method();
    const detail::Handler* handler = nullptr;
    for (const auto& [v, h] : route->methods) {
      if (v == verb) handler = &h;
    }
    if (req.method() == http::verb::options) {
      reply = empty_reply(200);
      reply.headers.emplace_back("Allow", allow_header(*route));
    } else if (handler == nullptr) {
      std::string allow = allow_header(*route);
      ErrorReply e =
          error_reply(405, "HTTP 405 Method Not Allowed: " + std::string(req.method_string()) +
                               " is not allowed here; "
                               "allowed: " +
                               allow);
      reply = json_reply(405, e.body);
      reply.headers.emplace_back("Allow", allow);
    } else {
      Ctx ctx{herder_, req, std::move(params), std::move(target.query)};
      reply = (*handler)(ctx);
    }
  } catch (...) {
    ErrorReply e = error_reply(std::current_exception());
    if (e.status == 500) {
      TLOG(Error, kLogger,
           req.method_string() << " " << req.target() << " failed with " << e.status << ": "
                               << dump(e.body));
    }
    reply = json_reply(e.status, e.body);
  }

  HttpResponse res;
  res.version(req.version());
  res.result(static_cast<unsigned>(reply.status));
  for (auto& [k, v] : reply.headers) res.set(k, v);
  if (!reply.content_type.empty()) {
    res.set(http::field::content_type, reply.content_type);
    res.body() = std::move(reply.body);
  }
  if (reply.status != 204 && reply.status != 304) res.prepare_payload();  // no length on 204
  if (head) {
    auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
  if (log::enabled(kLogger, log::Level::Debug)) {
    using Millis = std::chrono::duration<double, std::milli>;
    double ms = Millis(std::chrono::steady_clock::now() - started).count();
    TLOG(Debug, kLogger,
         req.method_string() << " " << req.target() << " -> " << reply.status << " (" << ms
                             << " ms)");
  }
  return res;
}

}  // namespace tributary::api
