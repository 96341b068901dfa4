// RestServer + Router against an in-process fake Herder, spoken to over a real socket with a
// Beast HTTP client: routing, Kafka Connect status codes and shapes, 404/405/413, malformed
// input, URL decoding, keep-alive and the error mapping of api/errors.cpp.
//
// The test needs unit_tests to link tributary_api (which also brings the api/ include path).
// Without it this file compiles to a single skipped test instead of breaking the build.
#if __has_include("api/server.h")

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/errors.h"
#include "api/routes.h"
#include "api/server.h"

namespace tributary::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Keeps connectors in a map; special names make it throw so the error mapping can be checked.
class FakeHerder : public Herder {
 public:
  ServerInfo server_info() override { return {"0.0.0-test", "abc", "cluster"}; }
  HealthInfo health() override { return {HealthInfo::State::Healthy, "ok"}; }

  std::vector<std::string> connector_names() override {
    std::lock_guard lk(mu_);
    std::vector<std::string> out;
    for (auto& [n, _] : connectors_) out.push_back(n);
    return out;
  }
  ConnectorInfo connector_info(const std::string& name) override {
    return {name, connector_config(name), {{name, 0}}, "source"};
  }
  ConnectorStateInfo connector_status(const std::string& name) override {
    check(name);
    std::lock_guard lk(mu_);
    return {name, StateInfo{state_[name], "w:1", ""}, {}, "source"};
  }
  ConnectorInfo create_connector(const std::string& name, const ConfigMap& config,
                                 std::optional<TargetState> initial) override {
    if (config.count("connector.class") == 0 || config.at("connector.class") == "Nope") {
      throw HerderError(ErrorKind::BadRequest, "Unknown connector class Nope");
    }
    {
      std::lock_guard lk(mu_);
      if (connectors_.count(name) != 0) {
        throw HerderError(ErrorKind::Conflict, "Connector " + name + " already exists");
      }
      connectors_[name] = config;
      state_[name] = initial == TargetState::Paused ? RunState::Paused : RunState::Running;
      last_initial_ = initial;
    }
    return connector_info(name);
  }
  std::pair<ConnectorInfo, bool> put_connector_config(const std::string& name,
                                                      const ConfigMap& config) override {
    bool created;
    {
      std::lock_guard lk(mu_);
      created = connectors_.count(name) == 0;
      connectors_[name] = config;
      state_[name] = RunState::Running;
    }
    return {connector_info(name), created};
  }
  ConnectorInfo patch_connector_config(
      const std::string& name,
      const std::map<std::string, std::optional<std::string>>& patch) override {
    check(name);
    {
      std::lock_guard lk(mu_);
      for (auto& [k, v] : patch) {
        if (!v) {
          connectors_[name].erase(k);
        } else {
          connectors_[name][k] = *v;
        }
      }
    }
    return connector_info(name);
  }
  ConfigMap connector_config(const std::string& name) override {
    check(name);
    std::lock_guard lk(mu_);
    return connectors_.at(name);
  }
  void delete_connector(const std::string& name) override {
    check(name);
    std::lock_guard lk(mu_);
    connectors_.erase(name);
  }
  std::vector<TaskInfo> task_configs(const std::string& name) override {
    check(name);
    return {};
  }
  TaskStateInfo task_status(const std::string& name, int task) override {
    check(name);
    if (task != 0) throw HerderError(ErrorKind::NotFound, "Task " + std::to_string(task));
    return {0, StateInfo{RunState::Running, "w:1", ""}};
  }
  void restart_task(const std::string& name, int task) override { task_status(name, task); }
  std::optional<ConnectorStateInfo> restart_connector(const std::string& name, bool include_tasks,
                                                      bool only_failed) override {
    check(name);
    if (!include_tasks && !only_failed) return std::nullopt;
    return connector_status(name);
  }
  void pause_connector(const std::string& name) override { set_state(name, RunState::Paused); }
  void resume_connector(const std::string& name) override { set_state(name, RunState::Running); }
  void stop_connector(const std::string& name) override { set_state(name, RunState::Stopped); }
  std::vector<std::string> connector_topics(const std::string& name) override {
    check(name);
    return {};
  }
  void reset_connector_topics(const std::string& name) override { check(name); }
  std::vector<std::pair<OffsetMap, OffsetMap>> connector_offsets(const std::string& name) override {
    check(name);
    return {};
  }
  std::string alter_connector_offsets(
      const std::string& name,
      const std::vector<std::pair<OffsetMap, std::optional<OffsetMap>>>&) override {
    check(name);
    std::lock_guard lk(mu_);
    if (state_[name] != RunState::Stopped) {
      throw HerderError(ErrorKind::BadRequest, "Connectors must be in the STOPPED state");
    }
    return "altered";
  }
  std::string reset_connector_offsets(const std::string& name) override {
    return alter_connector_offsets(name, {});
  }
  std::vector<PluginInfo> plugins(bool connectors_only) override {
    std::vector<PluginInfo> out{
        {"io.tributary.connect.generator.GeneratorSourceConnector", "source", "1"}};
    if (!connectors_only) {
      out.push_back({"org.apache.kafka.connect.json.JsonConverter", "converter", "1"});
    }
    return out;
  }
  std::vector<ConfigKey> plugin_config(const std::string& plugin) override {
    if (plugin != "GeneratorSource") throw HerderError(ErrorKind::NotFound, "No plugin " + plugin);
    return {};
  }
  ConfigInfos validate_config(const std::string& plugin, const ConfigMap& config) override {
    ConfigInfos out;
    out.name = plugin;
    for (const auto& [k, v] : config) {
      ConfigValueInfo value;
      value.name = k;
      value.value = v;
      out.configs.push_back(value);
    }
    return out;
  }
  std::map<std::string, LoggerLevel> loggers() override {
    return {{"root", LoggerLevel{"INFO", std::nullopt}}};
  }
  LoggerLevel logger(const std::string& name) override {
    if (name != "root") throw HerderError(ErrorKind::NotFound, "Logger " + name + " not found.");
    return {"INFO", std::nullopt};
  }
  std::vector<std::string> set_logger_level(const std::string& name,
                                            const std::string& level) override {
    std::lock_guard lk(mu_);
    last_level_ = level;
    return {name};
  }
  std::string metrics_text() override { return "# TYPE tributary_up gauge\ntributary_up 1\n"; }

  std::optional<TargetState> last_initial() {
    std::lock_guard lk(mu_);
    return last_initial_;
  }
  std::string last_level() {
    std::lock_guard lk(mu_);
    return last_level_;
  }

 private:
  void check(const std::string& name) {
    if (name == "boom") throw std::runtime_error("kaboom");
    if (name == "busy") throw HerderError(ErrorKind::Unavailable, "worker is starting");
    if (name == "slow") throw HerderError(ErrorKind::Timeout, "Request timed out");
    if (name == "rebalance") throw HerderError(ErrorKind::Conflict, "rebalance in progress");
    std::lock_guard lk(mu_);
    if (connectors_.count(name) == 0) {
      throw HerderError(ErrorKind::NotFound, "Connector " + name + " not found");
    }
  }
  void set_state(const std::string& name, RunState s) {
    check(name);
    std::lock_guard lk(mu_);
    state_[name] = s;
  }

  std::mutex mu_;
  std::map<std::string, ConfigMap> connectors_;
  std::map<std::string, RunState> state_;
  std::optional<TargetState> last_initial_;
  std::string last_level_;
};

struct Reply {
  int status = 0;
  std::string body;
  http::response<http::string_body> raw;
  ojson json() const { return body.empty() ? ojson() : ojson::parse(body); }
  std::string header(http::field f) const { return std::string(raw[f]); }
};

class RestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RestServer::Options o;
    o.listeners = "http://127.0.0.1:0";
    o.body_limit = 4096;
    o.read_timeout = std::chrono::seconds(5);
    o.threads = 2;
    server_ = std::make_unique<RestServer>(herder_, o);
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override { server_->stop(); }

  // One request on a new connection.
  Reply call(http::verb method, const std::string& target, const std::string& body = "") {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    Reply r = call_on(stream, method, target, body);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return r;
  }

  static Reply call_on(beast::tcp_stream& stream, http::verb method, const std::string& target,
                       const std::string& body = "") {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "test.local:8083");
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    parser.skip(method == http::verb::head);
    http::read(stream, buffer, parser);
    Reply r;
    r.raw = parser.release();
    r.status = static_cast<int>(r.raw.result_int());
    r.body = r.raw.body();
    return r;
  }

  static void expect_error(const Reply& r, int status, const std::string& fragment = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header(http::field::content_type), "application/json");
    ojson j = ojson::parse(r.body);
    EXPECT_EQ(j["error_code"], status);
    ASSERT_TRUE(j["message"].is_string());
    if (!fragment.empty()) {
      EXPECT_NE(j["message"].get<std::string>().find(fragment), std::string::npos)
          << "message: " << j["message"] << " lacks: " << fragment;
    }
  }

  std::string create_body(const std::string& name) {
    return R"({"name":")" + name +
           R"(","config":{"connector.class":"GeneratorSource","topic":"t"}})";
  }

  FakeHerder herder_;
  std::unique_ptr<RestServer> server_;
};

TEST_F(RestServerTest, RootAndHealthAndMetrics) {
  Reply r = call(http::verb::get, "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header(http::field::content_type), "application/json");
  EXPECT_EQ(r.json()["version"], "0.0.0-test");
  EXPECT_EQ(call(http::verb::get, "/health").json()["status"], "healthy");
  Reply m = call(http::verb::get, "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.header(http::field::content_type).rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(m.body.find("tributary_up 1"), std::string::npos);
}

TEST_F(RestServerTest, UnknownPathIs404AndWrongMethodIs405) {
  expect_error(call(http::verb::get, "/nope"), 404, "HTTP 404 Not Found");
  expect_error(call(http::verb::get, "/connectors/a/b/c/d/e"), 404);
  Reply r = call(http::verb::delete_, "/connectors");
  expect_error(r, 405, "HTTP 405 Method Not Allowed");
  EXPECT_NE(r.header(http::field::allow).find("POST"), std::string::npos);
  expect_error(call(http::verb::post, "/connectors/x/status"), 405);
  expect_error(call(http::verb::get, "/connectors/x/pause"), 405);
}

TEST_F(RestServerTest, CreateConnector) {
  Reply r = call(http::verb::post, "/connectors",
                 R"({"name":"gen","config":{"connector.class":"GeneratorSource","topic":"t",
                     "heartbeat.interval.ms":10000,"key.converter.schemas.enable":false,
                     "ratio":0.5}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header(http::field::location), "http://test.local:8083/connectors/gen");
  ojson info = r.json();
  EXPECT_EQ(info["name"], "gen");
  EXPECT_EQ(info["config"]["name"], "gen");
  EXPECT_EQ(info["config"]["heartbeat.interval.ms"], "10000");
  EXPECT_EQ(info["config"]["key.converter.schemas.enable"], "false");
  EXPECT_EQ(info["config"]["ratio"], "0.5");
  expect_error(call(http::verb::post, "/connectors", create_body("gen")), 409, "already exists");
  EXPECT_EQ(call(http::verb::get, "/connectors").json(), ojson::array({"gen"}));
  EXPECT_EQ(call(http::verb::get, "/connectors/").json(), ojson::array({"gen"}));
}

TEST_F(RestServerTest, CreateConnectorRejectsBadRequests) {
  expect_error(call(http::verb::post, "/connectors", "{\"name\": \"x\", "), 400, "Malformed JSON");
  expect_error(call(http::verb::post, "/connectors", "[1,2]"), 400, "must be a JSON object");
  expect_error(call(http::verb::post, "/connectors", "  "), 400, "empty");
  expect_error(call(http::verb::post, "/connectors", R"({"config":{}})"), 400, "\"name\"");
  expect_error(call(http::verb::post, "/connectors", R"({"name":"x"})"), 400, "\"config\"");
  expect_error(call(http::verb::post, "/connectors", R"({"name":5,"config":{}})"), 400, "string");
  expect_error(call(http::verb::post, "/connectors", R"({"name":"x","config":"y"})"), 400,
               "JSON object");
  expect_error(call(http::verb::post, "/connectors", R"({"name":"x","config":{"a":{"b":1}}})"), 400,
               "'a'");
  expect_error(call(http::verb::post, "/connectors", R"({"name":"x","config":{"arr":[1]}})"), 400,
               "'arr'");
  expect_error(call(http::verb::post, "/connectors", R"({"name":"x","config":{"n":null}})"), 400,
               "'n'");
  expect_error(call(http::verb::post, "/connectors", create_body("")), 400, "may not be empty");
  expect_error(call(http::verb::post, "/connectors", create_body("   ")), 400, "may not be empty");
  expect_error(call(http::verb::post, "/connectors", create_body("a/b")), 400, "'/'");
  expect_error(call(http::verb::post, "/connectors", create_body("a\\u0001b")), 400, "control");
  expect_error(call(http::verb::post, "/connectors",
                    R"({"name":"a","config":{"name":"b","connector.class":"X"}})"),
               400, "Connector name configuration (b) doesn't match connector name in the URL (a)");
  expect_error(
      call(http::verb::post, "/connectors", R"({"name":"a","config":{"connector.class":"Nope"}})"),
      400, "Nope");
  expect_error(call(http::verb::post, "/connectors",
                    R"({"name":"a","config":{"connector.class":"X"},"initial_state":"ASLEEP"})"),
               400, "initial_state");
  EXPECT_TRUE(call(http::verb::get, "/connectors").json().empty());
}

TEST_F(RestServerTest, CreateWithInitialStateAndTrimmedName) {
  Reply r = call(http::verb::post, "/connectors",
                 R"({"name":"  p  ","config":{"connector.class":"X"},"initial_state":"paused"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["name"], "p");
  EXPECT_EQ(herder_.last_initial(), TargetState::Paused);
}

TEST_F(RestServerTest, OversizedBodyIs413AndServerSurvives) {
  std::string big = R"({"name":"big","config":{"x":")" + std::string(8192, 'a') + "\"}}";
  expect_error(call(http::verb::post, "/connectors", big), 413, "4096");
  EXPECT_EQ(call(http::verb::get, "/").status, 200);
}

TEST_F(RestServerTest, GarbageAndHalfRequestsDoNotHurt) {
  for (const std::string& junk :
       {std::string("GARBAGE\r\n\r\n"), std::string("\x01\x02\x03\r\n\r\n"),
        std::string("GET / HTTP/9.9\r\n\r\n"), std::string("GET /")}) {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    net::write(s, net::buffer(junk));
    s.shutdown(tcp::socket::shutdown_send);
    std::string got;
    beast::error_code ec;
    std::array<char, 1024> buf;
    while (true) {
      std::size_t n = s.read_some(net::buffer(buf), ec);
      if (ec) break;
      got.append(buf.data(), n);
    }
    if (!got.empty()) {
      EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
    }
  }
  EXPECT_EQ(call(http::verb::get, "/").status, 200);
}

TEST_F(RestServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  for (int i = 0; i < 3; ++i) {
    Reply r = call_on(stream, http::verb::get, "/connectors");
    EXPECT_EQ(r.status, 200);
  }
  EXPECT_EQ(call_on(stream, http::verb::get, "/missing").status, 404);
  EXPECT_EQ(call_on(stream, http::verb::post, "/connectors", "{bad").status, 400);
  EXPECT_EQ(call_on(stream, http::verb::get, "/").status, 200);
}

TEST_F(RestServerTest, PathSegmentsAreUrlDecoded) {
  ASSERT_EQ(call(http::verb::post, "/connectors", create_body("my conn")).status, 201);
  Reply r = call(http::verb::get, "/connectors/my%20conn");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["name"], "my conn");
  expect_error(call(http::verb::get, "/connectors/my%2"), 400, "percent");
  Reply created = call(http::verb::put, "/connectors/x%20y/config", R"({"connector.class":"X"})");
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.header(http::field::location), "http://test.local:8083/connectors/x%20y");
}

TEST_F(RestServerTest, ErrorKindsMapToStatuses) {
  expect_error(call(http::verb::get, "/connectors/missing"), 404, "missing");
  expect_error(call(http::verb::get, "/connectors/busy/status"), 503, "starting");
  expect_error(call(http::verb::get, "/connectors/slow/status"), 500, "timed out");
  expect_error(call(http::verb::get, "/connectors/rebalance/status"), 409, "rebalance");
  expect_error(call(http::verb::get, "/connectors/boom/status"), 500, "kaboom");
  EXPECT_EQ(http_status(ErrorKind::BadRequest), 400);
  EXPECT_EQ(http_status(ErrorKind::Unavailable), 503);
  ErrorReply e = error_reply(std::make_exception_ptr(ConfigError("k", "bad k")));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.body, (ojson{{"error_code", 400}, {"message", "bad k"}}));
  EXPECT_EQ(error_reply(std::make_exception_ptr(42)).status, 500);
}

TEST_F(RestServerTest, PutAndPatchConfig) {
  Reply r = call(http::verb::put, "/connectors/c/config", R"({"connector.class":"X","n":1})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.json()["config"]["name"], "c");
  r = call(http::verb::put, "/connectors/c/config", R"({"connector.class":"X","n":2})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header(http::field::location), "");
  expect_error(call(http::verb::put, "/connectors/c/config", R"({"name":"d"})"), 400, "(d)");
  expect_error(call(http::verb::put, "/connectors/c/config", R"({"a":[]})"), 400, "'a'");
  r = call(http::verb::patch, "/connectors/c/config", R"({"n":null,"m":true})");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.json()["config"].contains("n"));
  EXPECT_EQ(r.json()["config"]["m"], "true");
  EXPECT_EQ(call(http::verb::get, "/connectors/c/config").json()["m"], "true");
}

TEST_F(RestServerTest, LifecycleEndpoints) {
  ASSERT_EQ(call(http::verb::post, "/connectors", create_body("c")).status, 201);
  EXPECT_EQ(call(http::verb::post, "/connectors/c/restart").status, 204);
  Reply r = call(http::verb::post, "/connectors/c/restart?includeTasks=true&onlyFailed=false");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.json()["name"], "c");
  EXPECT_EQ(call(http::verb::post, "/connectors/c/restart?onlyFailed=TRUE").status, 202);
  EXPECT_EQ(call(http::verb::post, "/connectors/c/tasks/0/restart").status, 204);
  expect_error(call(http::verb::post, "/connectors/c/tasks/7/restart"), 404);
  expect_error(call(http::verb::get, "/connectors/c/tasks/x/status"), 404, "integer");
  EXPECT_EQ(call(http::verb::get, "/connectors/c/tasks/0/status").json()["state"], "RUNNING");
  Reply paused = call(http::verb::put, "/connectors/c/pause");
  EXPECT_EQ(paused.status, 202);
  EXPECT_TRUE(paused.body.empty());
  EXPECT_EQ(call(http::verb::get, "/connectors/c/status").json()["connector"]["state"], "PAUSED");
  EXPECT_EQ(call(http::verb::put, "/connectors/c/resume").status, 202);
  expect_error(call(http::verb::patch, "/connectors/c/offsets",
                    R"({"offsets":[{"partition":{"p":1},"offset":{"o":2}}]})"),
               400, "STOPPED");
  Reply stopped = call(http::verb::put, "/connectors/c/stop");
  EXPECT_EQ(stopped.status, 204);
  EXPECT_EQ(stopped.header(http::field::content_length), "");
  EXPECT_EQ(call(http::verb::get, "/connectors/c/offsets").json(),
            (ojson{{"offsets", ojson::array()}}));
  EXPECT_EQ(call(http::verb::patch, "/connectors/c/offsets",
                 R"({"offsets":[{"partition":{"p":1},"offset":null}]})")
                .status,
            200);
  expect_error(call(http::verb::patch, "/connectors/c/offsets", R"({"offsets":[]})"), 400,
               "Partitions / offsets need to be provided");
  expect_error(call(http::verb::patch, "/connectors/c/offsets", R"({"offsets":[{"offset":{}}]})"),
               400, "offsets[0].partition");
  EXPECT_EQ(call(http::verb::delete_, "/connectors/c/offsets").json()["message"], "altered");
  EXPECT_EQ(call(http::verb::get, "/connectors/c/topics").status, 200);
  EXPECT_EQ(call(http::verb::put, "/connectors/c/topics/reset").status, 202);
  EXPECT_EQ(call(http::verb::delete_, "/connectors/c").status, 204);
  expect_error(call(http::verb::delete_, "/connectors/c"), 404);
}

TEST_F(RestServerTest, ExpandQuery) {
  ASSERT_EQ(call(http::verb::post, "/connectors", create_body("a")).status, 201);
  ojson s = call(http::verb::get, "/connectors?expand=status").json();
  EXPECT_TRUE(s["a"].contains("status"));
  EXPECT_FALSE(s["a"].contains("info"));
  ojson both = call(http::verb::get, "/connectors?expand=status&expand=info").json();
  EXPECT_TRUE(both["a"].contains("status"));
  EXPECT_EQ(both["a"]["info"]["name"], "a");
  EXPECT_EQ(call(http::verb::get, "/connectors?expand=bogus").json(),
            (ojson{{"a", ojson::object()}}));
}

TEST_F(RestServerTest, PluginsAndValidate) {
  EXPECT_EQ(call(http::verb::get, "/connector-plugins").json().size(), 1u);
  EXPECT_EQ(call(http::verb::get, "/connector-plugins?connectorsOnly=false").json().size(), 2u);
  EXPECT_EQ(call(http::verb::get, "/connector-plugins/GeneratorSource/config").status, 200);
  expect_error(call(http::verb::get, "/connector-plugins/Nope/config"), 404, "Nope");
  Reply v = call(http::verb::put, "/connector-plugins/GeneratorSourceConnector/config/validate",
                 R"({"connector.class":"io.tributary.connect.generator.GeneratorSourceConnector",
                     "topic":"t","count":5})");
  EXPECT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.json()["configs"].size(), 3u);
  EXPECT_EQ(v.json()["configs"][2]["value"]["name"], "topic");
  expect_error(call(http::verb::put, "/connector-plugins/GeneratorSource/config/validate",
                    R"({"connector.class":"io.debezium.connector.postgresql.PostgresConnector"})"),
               400, "does not match request type GeneratorSource");
}

TEST_F(RestServerTest, Loggers) {
  EXPECT_EQ(call(http::verb::get, "/admin/loggers").json()["root"]["level"], "INFO");
  EXPECT_EQ(call(http::verb::get, "/admin/loggers/root").status, 200);
  expect_error(call(http::verb::get, "/admin/loggers/nope"), 404, "nope");
  Reply r = call(http::verb::put, "/admin/loggers/io.tributary", R"({"level":"debug"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), ojson::array({"io.tributary"}));
  EXPECT_EQ(herder_.last_level(), "DEBUG");
  EXPECT_EQ(call(http::verb::put, "/admin/loggers/x?scope=cluster", R"({"level":"WARN"})").status,
            204);
  expect_error(call(http::verb::put, "/admin/loggers/x", R"({})"), 400, "'level'");
  expect_error(call(http::verb::put, "/admin/loggers/x", R"({"level":"LOUD"})"), 404, "LOUD");
}

TEST_F(RestServerTest, HeadAndOptions) {
  Reply h = call(http::verb::head, "/connectors");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.header(http::field::content_length), "2");
  Reply o = call(http::verb::options, "/connectors");
  EXPECT_EQ(o.status, 200);
  EXPECT_NE(o.header(http::field::allow).find("GET"), std::string::npos);
}

TEST_F(RestServerTest, ConcurrentClients) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string name = "c" + std::to_string(t);
        int c = call(http::verb::post, "/connectors", create_body(name)).status;
        int d = call(http::verb::delete_, "/connectors/" + name).status;
        if ((c == 201 || c == 409) && (d == 204 || d == 404)) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST(RestServerStartTest, BindFailureNamesTheAddress) {
  FakeHerder herder;
  RestServer::Options o;
  o.listeners = "http://127.0.0.1:0";
  RestServer first(herder, o);
  first.start();
  o.listeners = "http://127.0.0.1:" + std::to_string(first.port());
  RestServer second(herder, o);
  try {
    second.start();
    FAIL() << "second bind to the same port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())),
              std::string::npos)
        << e.what();
  }
  first.stop();
  first.stop();  // idempotent
}

TEST(RestServerStartTest, RejectsMalformedListeners) {
  FakeHerder herder;
  for (const char* bad : {"", "8083", "https://:8443", "http://:99999", "http://localhost"}) {
    RestServer::Options o;
    o.listeners = bad;
    RestServer s(herder, o);
    EXPECT_THROW(s.start(), std::runtime_error) << bad;
  }
  RestServer::Options o;
  o.listeners = "http://localhost:0, http://127.0.0.1:0";
  RestServer s(herder, o);
  s.start();
  EXPECT_EQ(s.ports().size(), 2u);
  s.stop();
}

TEST(RoutesHelpersTest, PercentDecodeAndConfigFromJson) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%20b+c", out, false));
  EXPECT_EQ(out, "a b+c");
  EXPECT_TRUE(percent_decode("a%20b+c", out, true));
  EXPECT_EQ(out, "a b c");
  EXPECT_FALSE(percent_decode("%4", out, false));
  EXPECT_FALSE(percent_decode("%zz", out, false));
  EXPECT_EQ(percent_encode_segment("a b/c"), "a%20b%2Fc");
  ConfigMap m = config_from_json(ojson::parse(R"({"a":"x","b":1,"c":false,"d":-2})"), "cfg");
  EXPECT_EQ(m, (ConfigMap{{"a", "x"}, {"b", "1"}, {"c", "false"}, {"d", "-2"}}));
  EXPECT_THROW(config_from_json(ojson::parse(R"({"a":{}})"), "cfg"), RestError);
  EXPECT_THROW(config_from_json(ojson::parse("[]"), "cfg"), RestError);
}

}  // namespace
}  // namespace tributary::api

#else  // unit_tests is not linked with tributary_api

#include <gtest/gtest.h>

TEST(RestServerTest, NeedsTributaryApi) {
  GTEST_SKIP() << "tests/CMakeLists.txt must link unit_tests with tributary_api";
}

#endif
