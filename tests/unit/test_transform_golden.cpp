// Golden tests of the transforms against the real Kafka 3.9.0 and Debezium 2.7.4 classes: each
// case of tests/golden/transforms/cases.json (a transform, its config and a record) was run
// through the real transform by GenTransforms.java (gen.sh) and what came out written to
// out/<case>.out. Here the same record goes through our transform and our JsonConverter, and the
// text must match: topic, key, value and headers byte for byte (schemaless maps, which Kafka
// keeps in a HashMap, compare as JSON objects), the error message when the record fails, and
// that a config Kafka refuses is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "connect_json.h"
#include "converters/json_converter.h"
#include "transforms_test_util.h"

namespace tributary::transforms {
namespace {

namespace fs = std::filesystem;
using ::tributary::test::OrderedJson;

const fs::path kDir = fs::path(TRIBUTARY_SOURCE_DIR) / "tests" / "golden" / "transforms";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "<missing file " + p.string() + ">";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const OrderedJson& cases() {
  static const OrderedJson all = OrderedJson::parse(read_file(kDir / "cases.json"));
  return all;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& c : cases()) names.push_back(c.at("name").get<std::string>());
  return names;
}

const OrderedJson& find_case(const std::string& name) {
  for (const auto& c : cases())
    if (c.at("name") == name) return c;
  throw std::invalid_argument("no case " + name);
}

void read_envelope(const OrderedJson& c, const char* part, SchemaPtr& schema, Value& value) {
  if (!c.contains(part) || c[part].is_null()) return;
  schema = ::tributary::test::schema_from_json(c[part]["schema"]);
  value = ::tributary::test::value_from_json(schema, c[part]["payload"]);
}

// What GenTransforms.java writes for the case, from our classes.
std::string run(const OrderedJson& c) {
  SourceRecord r;
  r.topic = c.value("topic", std::string("t"));
  read_envelope(c, "key", r.key_schema, r.key);
  read_envelope(c, "value", r.value_schema, r.value);
  if (c.contains("timestamp")) r.timestamp = c["timestamp"].get<std::int64_t>();
  if (c.contains("headers")) {
    for (const auto& h : c["headers"]) {
      Header header;
      header.key = h.at("key").get<std::string>();
      header.schema = ::tributary::test::schema_from_json(h["schema"]);
      header.value = ::tributary::test::value_from_json(header.schema, h["payload"]);
      r.headers.push_back(std::move(header));
    }
  }
  ConfigMap props;
  for (const auto& [k, v] : c.at("config").items()) props[k] = v.get<std::string>();

  const auto* d =
      test::registry().find(c.at("class").get<std::string>(), PluginType::Transformation);
  if (d == nullptr) return "<no class " + c.at("class").get<std::string>() + ">";
  auto t = d->make_transformation();
  try {
    t->configure(props);
  } catch (const std::exception&) {
    return "config error\n";
  }
  try {
    if (!t->apply(r)) return "dropped\n";
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what() + "\n";
  }

  ConfigMap conv{{"schemas.enable", "true"}};
  if (c.contains("converter"))
    for (const auto& [k, v] : c["converter"].items()) conv[k] = v.get<std::string>();
  JsonConverter out;
  out.configure(conv, false);
  std::string text = "topic: " + r.topic + "\n";
  auto part = [&](const std::string& label, const SchemaPtr& s, const Value& v) {
    std::string bytes;
    text += label + ": " + (out.from_connect(r.topic, s, v, bytes) ? bytes : "null") + "\n";
  };
  try {
    part("key", r.key_schema, r.key);
    part("value", r.value_schema, r.value);
    for (const Header& h : r.headers) part("header " + h.key, h.schema, h.value);
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what() + "\n";
  }
  return text;
}

// Line by line; the JSON after "label: " compared as parsed JSON (object keys in any order).
void expect_same_unordered(const std::string& want, const std::string& got) {
  std::istringstream w(want), g(got);
  std::string wl, gl;
  while (std::getline(w, wl)) {
    ASSERT_TRUE(static_cast<bool>(std::getline(g, gl))) << "missing line: " << wl;
    const auto wc = wl.find(": {"), gc = gl.find(": {");
    if (wc == std::string::npos || gc == std::string::npos) {
      EXPECT_EQ(wl, gl);
      continue;
    }
    EXPECT_EQ(wl.substr(0, wc), gl.substr(0, gc));
    EXPECT_EQ(nlohmann::json::parse(wl.substr(wc + 2)), nlohmann::json::parse(gl.substr(gc + 2)))
        << "want: " << wl << "\ngot:  " << gl;
  }
  EXPECT_FALSE(static_cast<bool>(std::getline(g, gl))) << "extra line: " << gl;
}

class TransformGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(TransformGolden, MatchesKafka) {
  const OrderedJson& c = find_case(GetParam());
  const std::string want = read_file(kDir / "out" / (GetParam() + ".out"));
  const std::string got = run(c);
  if (c.value("unordered", false)) {
    expect_same_unordered(want, got);
  } else {
    EXPECT_EQ(want, got);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, TransformGolden, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

TEST(TransformGoldenFiles, EveryOutputHasACaseAndEveryCaseAnOutput) {
  std::set<std::string> outs;
  for (const auto& e : fs::directory_iterator(kDir / "out"))
    if (e.path().extension() == ".out") outs.insert(e.path().stem().string());
  std::set<std::string> names;
  for (const auto& n : case_names()) {
    EXPECT_TRUE(names.insert(n).second) << "two cases named " << n;
    EXPECT_TRUE(outs.count(n)) << "no output for case " << n << " (run gen.sh)";
  }
  for (const auto& o : outs) EXPECT_TRUE(names.count(o)) << "output without a case: " << o;
}

}  // namespace
}  // namespace tributary::transforms
