// Unit tests of the built-in converters. The golden tests rebuild, in C++, the cases that
// tests/golden/jsonconverter/GenGolden.java feeds to Kafka's own JsonConverter,
// SimpleHeaderConverter and StringConverter, and compare our bytes with Kafka's byte for byte.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "converters/avro_converter.h"
#include "converters/builtin.h"
#include "converters/json_converter.h"
#include "converters/string_converter.h"
#include "tributary/data.h"
#include "tributary/plugin.h"

namespace tributary {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(TRIBUTARY_SOURCE_DIR) / "tests" / "golden";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "<missing file " + p.string() + ">";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The float text in the golden files depends on the JVM that wrote them
// (tests/golden/java.version): JDK <= 18 print as our Legacy format, JDK >= 19 as Shortest.
JavaFloatFormat golden_float_format() {
  static const JavaFloatFormat format = [] {
    const std::string version = read_file(kGoldenDir / "java.version");
    int major = std::atoi(version.c_str());
    if (major == 1) major = std::atoi(version.c_str() + 2);  // "1.8.0_x"
    return major >= 19 ? JavaFloatFormat::Shortest : JavaFloatFormat::Legacy;
  }();
  return format;
}

Value make_struct(const SchemaPtr& schema, std::vector<std::pair<std::string, Value>> fields) {
  Struct s(schema);
  for (auto& field : fields) s.put(field.first, std::move(field.second));
  return std::move(s).build();
}

Value dec(std::string_view unscaled) {
  return Value(decimal_unscaled_from_string(unscaled));
}

Value i8(int v) {
  return Value(static_cast<std::int8_t>(v));
}
Value i16(int v) {
  return Value(static_cast<std::int16_t>(v));
}
Value i32(std::int32_t v) {
  return Value(v);
}
Value i64(std::int64_t v) {
  return Value(v);
}
Value strs(std::initializer_list<const char*> items) {
  Value::Array a;
  for (const char* s : items) a.emplace_back(s == nullptr ? Value() : Value(s));
  return Value(std::move(a));
}

struct Case {
  SchemaPtr schema;
  Value value;
  ConfigMap config;
};

// ---------------------------------------------------------------------------------------------
// The cases of GenGolden.java, in the same order and with the same names.

std::map<std::string, Case> json_cases() {
  std::map<std::string, Case> cases;
  const auto add = [&cases](std::string name, SchemaPtr schema, Value value,
                            ConfigMap config = {}) {
    cases.emplace(std::move(name), Case{std::move(schema), std::move(value), std::move(config)});
  };
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
  constexpr float kInff = std::numeric_limits<float>::infinity();

  // Primitives.
  add("boolean", schemas::boolean(), Value(true));
  add("int8", schemas::int8(), i8(-128));
  add("int16", schemas::int16(), i16(32767));
  add("int32", schemas::int32(), i32(std::numeric_limits<std::int32_t>::min()));
  add("int64", schemas::int64(), i64(std::numeric_limits<std::int64_t>::max()));
  add("float32", schemas::float32(), Value(0.1f));
  add("float64", schemas::float64(), Value(123456789.0));
  add("float64_nan", schemas::float64(), Value(kNaN));
  add("string", schemas::string(), Value("hello"));
  add("bytes", schemas::bytes(), Value(Bytes{0xde, 0xad, 0xbe, 0xef}));

  // Floating point text.
  {
    const std::vector<float> f = {0.1f,
                                  1e10f,
                                  -0.0f,
                                  0.0f,
                                  kNaNf,
                                  kInff,
                                  -kInff,
                                  1e-5f,
                                  123456789.0f,
                                  1.0f,
                                  100.0f,
                                  1234567.0f,
                                  1.0e7f,
                                  0.001f,
                                  9.999e-4f,
                                  std::numeric_limits<float>::max(),
                                  std::numeric_limits<float>::denorm_min(),
                                  std::numeric_limits<float>::min(),
                                  3.14159f,
                                  1.0f / 3,
                                  16777216.0f,
                                  0.3f};
    Value::Array a(f.begin(), f.end());
    add("float32_array", SchemaBuilder::array(schemas::float32()).build(), Value(std::move(a)));
    const std::vector<double> d = {0.1,
                                   1e10,
                                   -0.0,
                                   0.0,
                                   kNaN,
                                   kInf,
                                   -kInf,
                                   1e-5,
                                   123456789.0,
                                   1.0,
                                   1e7,
                                   9999999.0,
                                   0.001,
                                   9.999e-4,
                                   1e21,
                                   1e22,
                                   1e23,
                                   std::numeric_limits<double>::max(),
                                   std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::min(),
                                   1.0 / 3,
                                   2.0 / 3,
                                   100.0,
                                   4.35,
                                   0.3,
                                   1e-7,
                                   -1.5e-300,
                                   9007199254740993.0,
                                   2.5e-5,
                                   123.456};
    Value::Array b(d.begin(), d.end());
    add("float64_array", SchemaBuilder::array(schemas::float64()).build(), Value(std::move(b)));
  }

  // Strings and names that need escaping.
  {
    auto weird = SchemaBuilder::struct_()
                     .name("weird.\"Name\"")
                     .field("we\"ird\\name\t", schemas::string())
                     .field("ctl", schemas::string())
                     .field("slash", schemas::string())
                     .field("unicode", schemas::string())
                     .build();
    std::string ctl;
    for (int c = 0; c < 0x20; ++c) ctl += static_cast<char>(c);
    ctl += '\x7f';
    const std::string unicode = std::string("h\xC3\xA9") +
                                "llo \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC" +
                                " \xF0\x9F\x98\x80 \xE2\x80\xA8\xE2\x80\xA9 \xC3\xBF";
    add("string_escapes", weird,
        make_struct(weird, {{"we\"ird\\name\t", "quote \" backslash \\ end"},
                            {"ctl", ctl},
                            {"slash", "a/b</script>"},
                            {"unicode", unicode}}));
  }
  add("bytes_array", SchemaBuilder::array(schemas::bytes()).build(),
      Value(Value::Array{Value(Bytes{}), Value(Bytes{0}), Value(Bytes{0xff, 0xfe}),
                         Value(Bytes{1, 2, 3}), Value(Bytes{0xfb, 0xff, 0xbf, 0x3e})}));

  // Optional, null and defaults.
  add("optional_null", schemas::string(true), Value());
  {
    auto optionals =
        SchemaBuilder::struct_()
            .name("opt.Nulls")
            .field("b", schemas::boolean(true))
            .field("i8", schemas::int8(true))
            .field("i16", schemas::int16(true))
            .field("i32", schemas::int32(true))
            .field("i64", schemas::int64(true))
            .field("f32", schemas::float32(true))
            .field("f64", schemas::float64(true))
            .field("s", schemas::string(true))
            .field("by", schemas::bytes(true))
            .field("arr", SchemaBuilder::array(schemas::int32()).optional().build())
            .field("m", SchemaBuilder::map(schemas::string(), schemas::int32()).optional().build())
            .field("st", SchemaBuilder::struct_().field("x", schemas::int32()).optional().build())
            .build();
    add("struct_optional_nulls", optionals, make_struct(optionals, {}));
  }
  {
    auto inner =
        SchemaBuilder::struct_()
            .name("dflt.Inner")
            .optional()
            .field("a", schemas::int32())
            .field("b", SchemaBuilder(Type::String).optional().default_value("bee").build())
            .build();
    auto opt_dec = SchemaBuilder(Type::Bytes)
                       .name(std::string(logical::kDecimal))
                       .parameter("scale", "2")
                       .version(1)
                       .optional()
                       .default_value(dec("100"))
                       .build();
    auto defaults =
        SchemaBuilder::struct_()
            .name("dflt.Record")
            .field("req_int", SchemaBuilder(Type::Int32).default_value(i32(42)).build())
            .field("opt_str", SchemaBuilder(Type::String).optional().default_value("dflt").build())
            .field("opt_bool", SchemaBuilder(Type::Boolean).optional().default_value(true).build())
            .field("set_str",
                   SchemaBuilder(Type::String).optional().default_value("unused").build())
            .field("opt_f64", SchemaBuilder(Type::Float64).optional().default_value(2.5).build())
            .field("opt_bytes",
                   SchemaBuilder(Type::Bytes).optional().default_value(Bytes{1, 2}).build())
            .field("opt_arr", SchemaBuilder::array(schemas::int32())
                                  .optional()
                                  .default_value(Value::Array{i32(1), i32(2)})
                                  .build())
            .field("opt_map", SchemaBuilder::map(schemas::string(), schemas::int64())
                                  .optional()
                                  .default_value(Value::MapEntries{{Value("k"), i64(1)}})
                                  .build())
            .field("opt_struct", inner)
            .field("opt_dec", opt_dec)
            .build();
    add("defaults", defaults, make_struct(defaults, {{"set_str", "given"}}));
    add("defaults_noreplace", defaults,
        make_struct(defaults, {{"req_int", i32(1)}, {"set_str", "given"}}),
        {{"replace.null.with.default", "false"}});
    auto top = SchemaBuilder(Type::Int32).optional().default_value(i32(5)).build();
    add("optional_default_top", top, Value());
    add("optional_default_top_noreplace", top, Value(), {{"replace.null.with.default", "false"}});
  }

  // Schema metadata.
  add("schema_meta",
      SchemaBuilder(Type::Int64)
          .name("x.Y")
          .version(3)
          .doc("a \"doc\"\n")
          .parameter("b", "2")
          .parameter("a", "1")
          .default_value(i64(7))
          .build(),
      i64(5));
  add("empty_struct", SchemaBuilder::struct_().name("x.Empty").build(),
      make_struct(SchemaBuilder::struct_().name("x.Empty").build(), {}));

  // Nested structs and arrays.
  {
    auto point = SchemaBuilder::struct_()
                     .name("geo.Point")
                     .field("x", schemas::float64())
                     .field("y", schemas::float64())
                     .build();
    auto opt_point = SchemaBuilder::struct_()
                         .name("geo.Point")
                         .optional()
                         .field("x", schemas::float64())
                         .field("y", schemas::float64())
                         .build();
    auto nested =
        SchemaBuilder::struct_()
            .name("geo.Shape")
            .version(1)
            .doc("A shape")
            .field("name", schemas::string())
            .field("center", point)
            .field("vertices", SchemaBuilder::array(point).build())
            .field("maybe", opt_point)
            .field("labels", SchemaBuilder::array(schemas::string(true)).build())
            .field("matrix",
                   SchemaBuilder::array(SchemaBuilder::array(schemas::int16()).build()).build())
            .build();
    add("nested_struct", nested,
        make_struct(nested,
                    {{"name", "tri"},
                     {"center", make_struct(point, {{"x", 0.5}, {"y", -1.25}})},
                     {"vertices", Value::Array{make_struct(point, {{"x", 0.0}, {"y", 1.0}}),
                                               make_struct(point, {{"x", 1e-9}, {"y", 1e9}})}},
                     {"maybe", Value()},
                     {"labels", strs({"a", nullptr, "c"})},
                     {"matrix", Value::Array{Value::Array{i16(1), i16(2)}, Value::Array{}}}}));
  }
  add("array_int32", SchemaBuilder::array(schemas::int32()).build(),
      Value::Array{i32(1), i32(-2), i32(3)});

  // Maps.
  add("map_string_keys", SchemaBuilder::map(schemas::string(), schemas::int32()).build(),
      Value::MapEntries{{"a", i32(1)}, {"b", i32(2)}, {"c\"q", i32(3)}});
  add("map_int_keys", SchemaBuilder::map(schemas::int32(), schemas::string()).build(),
      Value::MapEntries{{i32(1), "one"}, {i32(2), "two"}, {i32(-3), "minus three"}});
  add("map_optional_values", SchemaBuilder::map(schemas::string(), schemas::int32(true)).build(),
      Value::MapEntries{{"a", Value()}, {"b", i32(2)}});
  add("map_null_key", SchemaBuilder::map(schemas::string(true), schemas::int32()).build(),
      Value::MapEntries{{Value(), i32(1)}, {"x", i32(2)}});
  {
    auto key = SchemaBuilder::struct_().name("k.Key").field("id", schemas::int32()).build();
    add("map_struct_keys",
        SchemaBuilder::map(key, SchemaBuilder::array(schemas::int64()).build()).build(),
        Value::MapEntries{{make_struct(key, {{"id", i32(1)}}), Value::Array{i64(1), i64(2)}},
                          {make_struct(key, {{"id", i32(2)}}), Value::Array{}}});
  }
  add("map_empty_int_keys", SchemaBuilder::map(schemas::int64(), schemas::string()).build(),
      Value::MapEntries{});

  // Decimals and the other logical types.
  {
    auto decimals = SchemaBuilder::struct_()
                        .name("num.Decimals")
                        .field("d2", schemas::decimal(2))
                        .field("d2_neg", schemas::decimal(2))
                        .field("d2_zero", schemas::decimal(2))
                        .field("d2_m128", schemas::decimal(2))
                        .field("d2_p128", schemas::decimal(2))
                        .field("d2_big", schemas::decimal(2))
                        .field("d10_tiny", schemas::decimal(10))
                        .field("d8_small", schemas::decimal(8))
                        .field("d0", schemas::decimal(0))
                        .field("dneg_scale", schemas::decimal(-2))
                        .field("d2_opt", schemas::decimal(2, true))
                        .field("d3_precision", SchemaBuilder(Type::Bytes)
                                                   .name(std::string(logical::kDecimal))
                                                   .parameter("scale", "3")
                                                   .version(1)
                                                   .optional()
                                                   .parameter("connect.decimal.precision", "10")
                                                   .build())
                        .build();
    Value v = make_struct(decimals, {{"d2", dec("12345")},
                                     {"d2_neg", dec("-12345")},
                                     {"d2_zero", dec("0")},
                                     {"d2_m128", dec("-128")},
                                     {"d2_p128", dec("128")},
                                     {"d2_big", dec("-123456789012345678901234567890")},
                                     {"d10_tiny", dec("1")},
                                     {"d8_small", dec("-12")},
                                     {"d0", dec("1000")},
                                     {"dneg_scale", dec("123")},
                                     {"d3_precision", dec("9999999999")}});
    add("decimal_base64", decimals, v);
    add("decimal_numeric", decimals, v, {{"decimal.format", "NUMERIC"}});
    add("decimal_top_numeric", schemas::decimal(4), dec("-5"), {{"decimal.format", "numeric"}});
  }
  {
    auto times = SchemaBuilder::struct_()
                     .name("t.Times")
                     .field("date", schemas::date())
                     .field("time", schemas::time())
                     .field("ts", schemas::timestamp())
                     .field("date_before_epoch", schemas::date())
                     .field("ts_opt", schemas::timestamp(true))
                     .field("date_opt", schemas::date(true))
                     .build();
    add("logical_times", times,
        make_struct(times, {{"date", i32(19000)},
                            {"time", i32(3723004)},
                            {"ts", i64(1700000000123)},
                            {"date_before_epoch", i32(-1)}}));
  }

  // A Debezium-like change event.
  {
    auto key = SchemaBuilder::struct_()
                   .name("dbserver1.inventory.customers.Key")
                   .field("id", schemas::int32())
                   .build();
    add("debezium_key", key, make_struct(key, {{"id", i32(1001)}}));

    auto value =
        SchemaBuilder::struct_()
            .name("dbserver1.inventory.customers.Value")
            .optional()
            .field("id", schemas::int32())
            .field("first_name", schemas::string())
            .field("last_name", schemas::string(true))
            .field("email",
                   SchemaBuilder(Type::String).doc("The customer's e-mail, \"primary\"").build())
            .field("balance", SchemaBuilder(Type::Bytes)
                                  .name(std::string(logical::kDecimal))
                                  .parameter("scale", "2")
                                  .version(1)
                                  .optional()
                                  .parameter("connect.decimal.precision", "10")
                                  .build())
            .field("created_at", SchemaBuilder(Type::Int64)
                                     .name("io.debezium.time.MicroTimestamp")
                                     .version(1)
                                     .optional()
                                     .build())
            .field("status", SchemaBuilder(Type::String)
                                 .name("io.debezium.data.Enum")
                                 .version(1)
                                 .parameter("allowed", "active,inactive")
                                 .optional()
                                 .default_value("active")
                                 .build())
            .field("tags", SchemaBuilder::array(schemas::string()).optional().build())
            .build();
    auto source = SchemaBuilder::struct_()
                      .name("io.debezium.connector.postgresql.Source")
                      .field("version", schemas::string())
                      .field("connector", schemas::string())
                      .field("name", schemas::string())
                      .field("ts_ms", schemas::int64())
                      .field("snapshot", SchemaBuilder(Type::String)
                                             .name("io.debezium.data.Enum")
                                             .version(1)
                                             .parameter("allowed", "true,last,false,incremental")
                                             .optional()
                                             .default_value("false")
                                             .build())
                      .field("db", schemas::string())
                      .field("sequence", schemas::string(true))
                      .field("ts_us", schemas::int64(true))
                      .field("ts_ns", schemas::int64(true))
                      .field("schema", schemas::string())
                      .field("table", schemas::string())
                      .field("txId", schemas::int64(true))
                      .field("lsn", schemas::int64(true))
                      .field("xmin", schemas::int64(true))
                      .build();
    auto block = SchemaBuilder::struct_()
                     .name("event.block")
                     .version(1)
                     .optional()
                     .field("id", schemas::string())
                     .field("total_order", schemas::int64())
                     .field("data_collection_order", schemas::int64())
                     .build();
    auto envelope = SchemaBuilder::struct_()
                        .name("dbserver1.inventory.customers.Envelope")
                        .version(2)
                        .field("before", value)
                        .field("after", value)
                        .field("source", source)
                        .field("transaction", block)
                        .field("op", schemas::string())
                        .field("ts_ms", schemas::int64(true))
                        .field("ts_us", schemas::int64(true))
                        .field("ts_ns", schemas::int64(true))
                        .build();
    Value after = make_struct(value, {{"id", i32(1001)},
                                      {"first_name", "Sally"},
                                      {"last_name", "Thomas"},
                                      {"email", "sally.thomas@acme.com"},
                                      {"balance", dec("123456")},
                                      {"created_at", i64(1700000000123456)},
                                      {"tags", strs({"vip", "\xC3\xA9t\xC3\xA9"})}});
    Value src = make_struct(source, {{"version", "2.7.3.Final"},
                                     {"connector", "postgresql"},
                                     {"name", "dbserver1"},
                                     {"ts_ms", i64(1700000000000)},
                                     {"db", "postgres"},
                                     {"sequence", "[\"24023928\",\"24023928\"]"},
                                     {"ts_us", i64(1700000000000000)},
                                     {"ts_ns", i64(1700000000000000000)},
                                     {"schema", "inventory"},
                                     {"table", "customers"},
                                     {"txId", i64(555)},
                                     {"lsn", i64(24023928)}});
    add("debezium_envelope", envelope,
        make_struct(envelope, {{"after", after},
                               {"source", src},
                               {"op", "c"},
                               {"ts_ms", i64(1700000000456)},
                               {"ts_us", i64(1700000000456789)},
                               {"ts_ns", i64(1700000000456789012)}}));
  }

  // Schemaless values.
  add("schemaless_string", nullptr, Value("hello"));
  add("schemaless_int8", nullptr, i8(-5));
  add("schemaless_int16", nullptr, i16(300));
  add("schemaless_int32", nullptr, i32(42));
  add("schemaless_int64", nullptr, i64(1234567890123));
  add("schemaless_float", nullptr, Value(1.5f));
  add("schemaless_double", nullptr, Value(0.1));
  add("schemaless_nan", nullptr, Value(kNaN));
  add("schemaless_bool", nullptr, Value(false));
  add("schemaless_bytes", nullptr, Value(Bytes{1, 2, 3}));
  add("schemaless_list", nullptr,
      Value::Array{i32(1), "two", Value(), true, 2.5, Value::Array{i64(1), i64(2)}});
  add("schemaless_map", nullptr,
      Value::MapEntries{{"a", i32(1)},
                        {"b", strs({"x", "y"})},
                        {"c", Value()},
                        {"d", Value::MapEntries{{"x", "y"}}}});
  add("schemaless_map_mixed_keys", nullptr, Value::MapEntries{{i32(1), "one"}, {"two", i32(2)}});
  add("schemaless_empty_map", nullptr, Value::MapEntries{});
  add("schemaless_empty_list", nullptr, Value::Array{});
  return cases;
}

const std::map<std::string, Case>& all_json_cases() {
  static const std::map<std::string, Case> cases = json_cases();
  return cases;
}

std::string convert(const Case& c, bool schemas_enable) {
  JsonConverter conv;
  ConfigMap config = c.config;
  config["schemas.enable"] = schemas_enable ? "true" : "false";
  config["tributary.java.float.format"] =
      golden_float_format() == JavaFloatFormat::Shortest ? "shortest" : "legacy";
  conv.configure(config, false);
  std::string out = "<stale>";
  EXPECT_TRUE(conv.from_connect("topic", c.schema, c.value, out));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Golden: JsonConverter

class JsonGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonGolden, MatchesKafkaBytes) {
  const Case& c = all_json_cases().at(GetParam());
  for (const bool enable : {true, false}) {
    const fs::path file = kGoldenDir / "jsonconverter" /
                          (GetParam() + ".schemas_" + (enable ? "true" : "false") + ".json");
    SCOPED_TRACE(file.string());
    EXPECT_EQ(convert(c, enable), read_file(file));
  }
}

std::vector<std::string> json_case_names() {
  std::vector<std::string> names;
  for (const auto& [name, c] : all_json_cases()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Kafka, JsonGolden, ::testing::ValuesIn(json_case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// Every golden file has its C++ case, so a case added to GenGolden.java cannot be forgotten here.
TEST(JsonGoldenFiles, EveryFileHasACase) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(kGoldenDir / "jsonconverter")) {
    const std::string name = entry.path().filename().string();
    const auto pos = name.find(".schemas_");
    if (pos != std::string::npos) files.insert(name.substr(0, pos));
  }
  EXPECT_GE(files.size(), 50u);
  for (const auto& f : files) EXPECT_EQ(all_json_cases().count(f), 1u) << f;
  for (const auto& [name, c] : all_json_cases()) EXPECT_EQ(files.count(name), 1u) << name;
}

// ---------------------------------------------------------------------------------------------
// Golden: Java's Float/Double.toString over edge-heavy values

TEST(JavaFloatGolden, MatchesTheJdk) {
  std::istringstream in(read_file(kGoldenDir / "javafloat" / "values.txt"));
  const JavaFloatFormat format = golden_float_format();
  std::string kind;
  std::string hex;
  std::string expected;
  int doubles = 0;
  int floats = 0;
  while (in >> kind >> hex >> expected) {
    std::string got;
    if (kind == "d") {
      const std::uint64_t bits = std::stoull(hex, nullptr, 16);
      double v = 0;
      std::memcpy(&v, &bits, sizeof v);
      json::append_java_double(v, got, format);
      ++doubles;
    } else {
      const auto bits = static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
      float v = 0;
      std::memcpy(&v, &bits, sizeof v);
      json::append_java_float(v, got, format);
      ++floats;
    }
    EXPECT_EQ(got, expected) << kind << " " << hex;
  }
  EXPECT_GE(doubles, 1000);
  EXPECT_GE(floats, 1000);
}

// ---------------------------------------------------------------------------------------------
// Golden: SimpleHeaderConverter and StringConverter

std::map<std::string, std::pair<SchemaPtr, Value>> text_cases() {
  std::map<std::string, std::pair<SchemaPtr, Value>> cases;
  cases["string"] = {schemas::string(), Value("plain \"text\" \\ here")};
  cases["int32"] = {schemas::int32(), i32(-42)};
  cases["int64"] = {schemas::int64(), i64(1234567890123)};
  cases["float32"] = {schemas::float32(), Value(0.1f)};
  cases["float64"] = {schemas::float64(), Value(1e10)};
  cases["float64_nan"] = {schemas::float64(), Value(std::nan(""))};
  cases["boolean"] = {schemas::boolean(), Value(true)};
  cases["bytes"] = {schemas::bytes(), Value(Bytes{1, 2, 3, 0xff})};
  cases["decimal"] = {schemas::decimal(2), dec("-12345")};
  cases["decimal_tiny"] = {schemas::decimal(9), dec("5")};
  cases["date"] = {schemas::date(), i32(19000)};
  cases["time"] = {schemas::time(), i32(3723004)};
  cases["timestamp"] = {schemas::timestamp(), i64(1700000000123)};
  cases["array"] = {SchemaBuilder::array(schemas::string(true)).build(),
                    strs({"a", nullptr, "q\"uote"})};
  cases["map"] = {SchemaBuilder::map(schemas::string(), schemas::int32()).build(),
                  Value::MapEntries{{"a", i32(1)}, {"b", i32(2)}}};
  auto s = SchemaBuilder::struct_()
               .name("h.S")
               .field("id", schemas::int32())
               .field("name", schemas::string(true))
               .field("missing", schemas::string(true))
               .field("dflt", SchemaBuilder(Type::String).optional().default_value("d").build())
               .field("f", schemas::float64())
               .field("list", SchemaBuilder::array(schemas::int32()).build())
               .field("when", schemas::timestamp())
               .field("amount", schemas::decimal(2))
               .build();
  cases["struct"] = {s, make_struct(s, {{"id", i32(7)},
                                        {"name", "x\"y"},
                                        {"f", 2.5},
                                        {"list", Value::Array{i32(1), i32(2)}},
                                        {"when", i64(86400000 + 1)},
                                        {"amount", dec("150")}})};
  return cases;
}

TEST(SimpleHeaderGolden, MatchesKafkaBytes) {
  const auto cases = text_cases();
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kGoldenDir / "simpleheaderconverter")) {
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    ASSERT_EQ(cases.count(name), 1u) << "no C++ case for " << entry.path();
    const auto& [schema, value] = cases.at(name);
    SimpleHeaderConverter conv;
    conv.configure({});
    std::string out;
    ASSERT_TRUE(conv.from_connect_header("topic", "h", schema, value, out));
    EXPECT_EQ(out, read_file(entry.path()));
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(cases.size()));
}

TEST(StringConverterGolden, MatchesKafkaBytes) {
  const auto cases = text_cases();
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kGoldenDir / "stringconverter")) {
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    ASSERT_EQ(cases.count(name), 1u) << "no C++ case for " << entry.path();
    const auto& [schema, value] = cases.at(name);
    StringConverter conv;
    conv.configure({}, false);
    std::string out;
    ASSERT_TRUE(conv.from_connect("topic", schema, value, out));
    EXPECT_EQ(out, read_file(entry.path()));
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(cases.size()) - 1);  // bytes: Java prints an identity hash
}

// ---------------------------------------------------------------------------------------------
// JsonConverter behaviour

TEST(JsonConverterTest, NullSchemaAndValueIsKafkaNull) {
  JsonConverter conv;
  conv.configure({}, false);
  std::string out = "previous";
  EXPECT_FALSE(conv.from_connect("t", nullptr, Value(), out));
  EXPECT_TRUE(out.empty());
  // A null value with a schema is the JSON null (or an envelope), not a Kafka null.
  EXPECT_TRUE(conv.from_connect("t", schemas::int32(true), Value(), out));
  EXPECT_EQ(out, R"({"schema":{"type":"int32","optional":true},"payload":null})");
}

TEST(JsonConverterTest, DefaultsAndConfigAccessors) {
  JsonConverter conv;
  conv.configure({}, true);
  EXPECT_TRUE(conv.schemas_enabled());
  EXPECT_EQ(conv.decimal_format(), DecimalFormat::Base64);
  EXPECT_TRUE(conv.replace_null_with_default());
  EXPECT_EQ(conv.float_format(), JavaFloatFormat::Legacy);
  conv.configure({{"schemas.enable", "FALSE"},
                  {"decimal.format", "Numeric"},
                  {"replace.null.with.default", "false"},
                  {"tributary.java.float.format", "SHORTEST"},
                  {"converter.type", "value"},
                  {"some.unknown.key", "ignored"}},
                 false);
  EXPECT_FALSE(conv.schemas_enabled());
  EXPECT_EQ(conv.decimal_format(), DecimalFormat::Numeric);
  EXPECT_FALSE(conv.replace_null_with_default());
  EXPECT_EQ(conv.float_format(), JavaFloatFormat::Shortest);
}

TEST(JsonConverterTest, ConfigErrorsNameTheKey) {
  JsonConverter conv;
  try {
    conv.configure({{"decimal.format", "HEX"}}, false);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "decimal.format");
    EXPECT_NE(std::string(e.what()).find("HEX"), std::string::npos);
  }
  try {
    conv.configure({{"schemas.enable", "maybe"}}, false);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "schemas.enable");
  }
  try {
    conv.configure({{"schemas.cache.size", "many"}}, false);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "schemas.cache.size");
    EXPECT_STREQ(
        e.what(),
        "Invalid value many for configuration schemas.cache.size: Not a number of type INT");
  }
}

TEST(JsonConverterTest, ConfigDefHasKafkasKeys) {
  const ConfigDef def = json_converter_config_def();
  const std::vector<std::string> expected = {"converter.type",
                                             "schemas.enable",
                                             "schemas.cache.size",
                                             "decimal.format",
                                             "replace.null.with.default",
                                             "tributary.java.float.format"};
  ASSERT_EQ(def.keys().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(def.keys()[i].name, expected[i]);
  const ConfigKey* enable = def.find("schemas.enable");
  EXPECT_EQ(enable->type, ConfigType::Boolean);
  EXPECT_EQ(enable->default_value, "true");
  EXPECT_EQ(enable->importance, Importance::High);
  EXPECT_EQ(enable->documentation,
            "Include schemas within each of the serialized values and keys.");
  EXPECT_EQ(enable->group, "Schemas");
  EXPECT_EQ(enable->display_name, "Enable Schemas");
  EXPECT_EQ(def.find("schemas.cache.size")->default_value, "1000");
  EXPECT_EQ(def.find("schemas.cache.size")->type, ConfigType::Int);
  EXPECT_EQ(def.find("decimal.format")->default_value, "BASE64");
  EXPECT_EQ(def.find("replace.null.with.default")->default_value, "true");
  EXPECT_FALSE(def.find("converter.type")->default_value.has_value());
  // converter.type is set by the worker; validation of a user's config reports it missing.
  const auto errors = def.validate({{"decimal.format", "octal"}});
  EXPECT_EQ(errors.at("converter.type").size(), 1u);
  EXPECT_EQ(errors.at("decimal.format").size(), 1u);
  EXPECT_TRUE(errors.at("schemas.enable").empty());
}

TEST(JsonConverterTest, SchemaCacheIsPerSchemaAndBounded) {
  JsonConverter conv;
  conv.configure({{"schemas.cache.size", "2"}}, false);
  std::vector<SchemaPtr> schemas_in_use;
  for (int i = 0; i < 3; ++i) {
    schemas_in_use.push_back(SchemaBuilder(Type::Int32).name("s" + std::to_string(i)).build());
  }
  std::string out;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(conv.from_connect("t", schemas_in_use[static_cast<std::size_t>(i)], i32(i), out));
      EXPECT_EQ(out, "{\"schema\":{\"type\":\"int32\",\"optional\":false,\"name\":\"s" +
                         std::to_string(i) + "\"},\"payload\":" + std::to_string(i) + "}");
      EXPECT_LE(conv.schema_cache_entries(), 2u);
    }
  }
  EXPECT_EQ(conv.schema_cache_entries(), 2u);
  // The cache keeps the schema alive: a freed-and-reused address cannot alias a cached one.
  std::weak_ptr<const Schema> weak = schemas_in_use[2];
  schemas_in_use.clear();
  EXPECT_FALSE(weak.expired());

  JsonConverter uncached;
  uncached.configure({{"schemas.cache.size", "0"}}, false);
  ASSERT_TRUE(uncached.from_connect("t", schemas::int8(), i8(1), out));
  EXPECT_EQ(out, R"({"schema":{"type":"int8","optional":false},"payload":1})");
  EXPECT_EQ(uncached.schema_cache_entries(), 0u);
}

TEST(JsonConverterTest, RepeatedRecordsReuseTheSchema) {
  const Case& c = all_json_cases().at("debezium_envelope");
  JsonConverter conv;
  conv.configure({}, false);
  std::string first;
  std::string second;
  ASSERT_TRUE(conv.from_connect("t", c.schema, c.value, first));
  ASSERT_TRUE(conv.from_connect("t", c.schema, c.value, second));
  EXPECT_EQ(first, second);
  EXPECT_EQ(conv.schema_cache_entries(), 1u);
}

std::string error_of(JsonConverter& conv, const SchemaPtr& schema, const Value& value) {
  std::string out;
  try {
    conv.from_connect("t", schema, value, out);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST(JsonConverterTest, ErrorsNameTheFieldPath) {
  JsonConverter conv;
  conv.configure({}, false);
  auto inner = SchemaBuilder::struct_().name("in").field("id", schemas::int32()).build();
  auto outer = SchemaBuilder::struct_()
                   .name("out")
                   .field("after", inner)
                   .field("list", SchemaBuilder::array(schemas::string()).build())
                   .build();
  // Required field left null.
  EXPECT_EQ(
      error_of(conv, outer,
               make_struct(outer, {{"after", make_struct(inner, {})}, {"list", Value::Array{}}})),
      "Field \"after.id\": Conversion error: null value for field that is required and has "
      "no default value");
  // Wrong value type.
  EXPECT_EQ(error_of(conv, outer,
                     make_struct(outer, {{"after", make_struct(inner, {{"id", i64(1)}})},
                                         {"list", Value::Array{}}})),
            "Field \"after.id\": Invalid type for INT32: int64");
  // Array element.
  EXPECT_EQ(error_of(conv, outer,
                     make_struct(outer, {{"after", make_struct(inner, {{"id", i32(1)}})},
                                         {"list", Value::Array{"a", i32(2)}}})),
            "Field \"list[1]\": Invalid type for STRING: int32");
  // A struct of another schema.
  auto other = SchemaBuilder::struct_().name("other").field("id", schemas::int32()).build();
  EXPECT_EQ(error_of(conv, outer,
                     make_struct(outer, {{"after", make_struct(other, {{"id", i32(1)}})},
                                         {"list", Value::Array{}}})),
            "Field \"after\": Mismatching schema.");
  // Top level.
  EXPECT_EQ(error_of(conv, schemas::string(), Value()),
            "Conversion error: null value for field that is required and has no default value");
  EXPECT_EQ(error_of(conv, schemas::string(), i32(1)), "Invalid type for STRING: int32");
  // Schemaless structs fail in Kafka too (their schema never equals the null schema).
  EXPECT_EQ(error_of(conv, nullptr, make_struct(inner, {{"id", i32(1)}})), "Mismatching schema.");
  // Decimal value must be the unscaled bytes.
  EXPECT_EQ(error_of(conv, schemas::decimal(2), Value("1.00")),
            "Invalid type for Decimal, expected bytes (the unscaled value) but was string");
}

TEST(JsonConverterTest, DecimalBytesAreWrittenMinimal) {
  // Kafka writes BigInteger.toByteArray(): redundant sign bytes never reach the wire.
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}}, false);
  std::string out;
  ASSERT_TRUE(
      conv.from_connect("t", schemas::decimal(2), Value(Bytes{0x00, 0x00, 0x30, 0x39}), out));
  EXPECT_EQ(out, "\"MDk=\"");  // 12345
  ASSERT_TRUE(conv.from_connect("t", schemas::decimal(2), Value(Bytes{0xFF, 0xFF, 0x80}), out));
  EXPECT_EQ(out, "\"gA==\"");  // -128
  ASSERT_TRUE(conv.from_connect("t", schemas::decimal(2), Value(Bytes{}), out));
  EXPECT_EQ(out, "\"AA==\"");  // zero
  conv.configure({{"schemas.enable", "false"}, {"decimal.format", "NUMERIC"}}, false);
  ASSERT_TRUE(conv.from_connect("t", schemas::decimal(2), Value(Bytes{0xFF, 0xFF, 0x80}), out));
  EXPECT_EQ(out, "-1.28");
}

TEST(JsonConverterTest, MapValueErrorsNameTheKey) {
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}}, false);
  auto m = SchemaBuilder::map(schemas::string(), schemas::int32()).build();
  auto s = SchemaBuilder::struct_().field("m", m).build();
  EXPECT_EQ(error_of(conv, s, make_struct(s, {{"m", Value::MapEntries{{"", Value("x")}}}})),
            "Field \"m.\": Invalid type for INT32: string");
  EXPECT_EQ(error_of(conv, s, make_struct(s, {{"m", Value::MapEntries{{"k", Value()}}}})),
            "Field \"m.k\": Conversion error: null value for field that is required and has no "
            "default value");
}

TEST(JsonConverterTest, DefaultsAreReplacedOrNot) {
  auto s = SchemaBuilder::struct_()
               .field("req", SchemaBuilder(Type::Int32).default_value(i32(9)).build())
               .build();
  JsonConverter replace;
  replace.configure({{"schemas.enable", "false"}}, false);
  std::string out;
  ASSERT_TRUE(replace.from_connect("t", s, make_struct(s, {}), out));
  EXPECT_EQ(out, R"({"req":9})");
  // Kafka: without replacement a required field with a default but null value fails.
  JsonConverter keep;
  keep.configure({{"schemas.enable", "false"}, {"replace.null.with.default", "false"}}, false);
  EXPECT_NE(error_of(keep, s, make_struct(s, {})).find("Field \"req\""), std::string::npos);
}

TEST(JsonConverterTest, MapWithRepeatedKeysKeepsFirstPositionLastValue) {
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}}, false);
  auto m = SchemaBuilder::map(schemas::string(), schemas::int32()).build();
  std::string out;
  ASSERT_TRUE(conv.from_connect(
      "t", m, Value::MapEntries{{"a", i32(1)}, {"b", i32(2)}, {"a", i32(3)}}, out));
  EXPECT_EQ(out, R"({"a":3,"b":2})");
}

TEST(JsonConverterTest, HeaderConverterIsTheSameSerializer) {
  JsonConverter conv;
  conv.configure(ConfigMap{{"schemas.enable", "false"}});
  std::string out;
  ASSERT_TRUE(conv.from_connect_header("t", "h", schemas::string(), Value("v"), out));
  EXPECT_EQ(out, "\"v\"");
  EXPECT_FALSE(conv.from_connect_header("t", "h", nullptr, Value(), out));
}

TEST(JsonConverterTest, ShortestFloatFormatIsJdk19) {
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}, {"tributary.java.float.format", "shortest"}}, false);
  std::string out;
  ASSERT_TRUE(conv.from_connect(
      "t", SchemaBuilder::array(schemas::float64()).build(),
      Value::Array{1e23, 2.0e-3, std::numeric_limits<double>::denorm_min(), 1.0}, out));
  EXPECT_EQ(out, "[1.0E23,0.002,4.9E-324,1.0]");
  ASSERT_TRUE(conv.from_connect("t", schemas::float32(), Value(123456789.0f), out));
  EXPECT_EQ(out, "1.2345679E8");
  ASSERT_TRUE(
      conv.from_connect("t", schemas::float32(), Value(std::numeric_limits<float>::min()), out));
  EXPECT_EQ(out, "1.1754944E-38");
}

// ---------------------------------------------------------------------------------------------
// Text primitives

std::string jd(double v, JavaFloatFormat f = JavaFloatFormat::Legacy) {
  std::string s;
  json::append_java_double(v, s, f);
  return s;
}
std::string jf(float v, JavaFloatFormat f = JavaFloatFormat::Legacy) {
  std::string s;
  json::append_java_float(v, s, f);
  return s;
}

TEST(JavaText, DoubleToString) {
  EXPECT_EQ(jd(1.0), "1.0");
  EXPECT_EQ(jd(-1.0), "-1.0");
  EXPECT_EQ(jd(0.0), "0.0");
  EXPECT_EQ(jd(-0.0), "-0.0");
  EXPECT_EQ(jd(1e10), "1.0E10");
  EXPECT_EQ(jd(1e-5), "1.0E-5");
  EXPECT_EQ(jd(0.001), "0.001");
  EXPECT_EQ(jd(1234567.0), "1234567.0");
  EXPECT_EQ(jd(1e7), "1.0E7");
  EXPECT_EQ(jd(123456789.0), "1.23456789E8");
  EXPECT_EQ(jd(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(jd(std::nan("")), "NaN");
  EXPECT_EQ(jd(-std::numeric_limits<double>::infinity()), "-Infinity");
  // JDK <= 18 quirks (checked against JDK 17).
  EXPECT_EQ(jd(1e23), "9.999999999999999E22");
  EXPECT_EQ(jd(2.82879384806159E17), "2.82879384806159008E17");
  EXPECT_EQ(jd(1e23, JavaFloatFormat::Shortest), "1.0E23");
  EXPECT_EQ(jd(2.82879384806159E17, JavaFloatFormat::Shortest), "2.82879384806159E17");
}

TEST(JavaText, FloatToString) {
  EXPECT_EQ(jf(0.1f), "0.1");
  EXPECT_EQ(jf(1e10f), "1.0E10");
  EXPECT_EQ(jf(1.0f / 3), "0.33333334");
  EXPECT_EQ(jf(123456789.0f), "1.23456792E8");
  EXPECT_EQ(jf(std::numeric_limits<float>::denorm_min()), "1.4E-45");
  EXPECT_EQ(jf(123456789.0f, JavaFloatFormat::Shortest), "1.2345679E8");
}

TEST(JavaText, JsonNumbersQuoteNonFinite) {
  std::string s;
  json::append_json_double(std::numeric_limits<double>::infinity(), s);
  json::append_json_float(std::numeric_limits<float>::quiet_NaN(), s);
  json::append_json_double(2.5, s);
  EXPECT_EQ(s, "\"Infinity\"\"NaN\"2.5");
}

TEST(JavaText, StringEscapesAsJackson) {
  std::string s;
  json::append_string(std::string("a\"b\\c/d\x01\x1f\x7f\b\t\n\f\r", 15), s);
  EXPECT_EQ(s, "\"a\\\"b\\\\c/d\\u0001\\u001F\x7f\\b\\t\\n\\f\\r\"");
  s.clear();
  json::append_string("\xC3\xA9\xF0\x9F\x98\x80x", s);  // é stays UTF-8; 😀 is a surrogate pair
  EXPECT_EQ(s, "\"\xC3\xA9\\uD83D\\uDE00x\"");
  s.clear();
  json::append_string(std::string("\0", 1), s);
  EXPECT_EQ(s, "\"\\u0000\"");
  s.clear();
  json::append_string("\xF0\x9F", s);  // truncated sequence: passed through
  EXPECT_EQ(s, "\"\xF0\x9F\"");
}

TEST(JavaText, Base64) {
  const auto b64 = [](Bytes b) {
    std::string s;
    json::append_base64(b.data(), b.size(), s);
    return s;
  };
  EXPECT_EQ(b64({}), "");
  EXPECT_EQ(b64({'f'}), "Zg==");
  EXPECT_EQ(b64({'f', 'o'}), "Zm8=");
  EXPECT_EQ(b64({'f', 'o', 'o'}), "Zm9v");
  EXPECT_EQ(b64({'f', 'o', 'o', 'b', 'a', 'r'}), "Zm9vYmFy");
  EXPECT_EQ(b64({0xfb, 0xff, 0xbf}), "+/+/");
}

TEST(JavaText, BigDecimalToString) {
  const auto bd = [](std::string_view unscaled, int scale) {
    return json::big_decimal_to_string(decimal_unscaled_from_string(unscaled), scale);
  };
  EXPECT_EQ(bd("12345", 2), "123.45");
  EXPECT_EQ(bd("-12345", 2), "-123.45");
  EXPECT_EQ(bd("0", 2), "0.00");
  EXPECT_EQ(bd("1", 6), "0.000001");
  EXPECT_EQ(bd("1", 7), "1E-7");
  EXPECT_EQ(bd("-12", 8), "-1.2E-7");
  EXPECT_EQ(bd("123", -2), "1.23E+4");
  EXPECT_EQ(bd("1", -1), "1E+1");
  EXPECT_EQ(bd("0", -2), "0E+2");
  EXPECT_EQ(bd("0", 10), "0E-10");
  EXPECT_EQ(bd("1000", 0), "1000");
}

TEST(JavaText, DecimalScale) {
  EXPECT_EQ(json::decimal_scale(*schemas::decimal(5)), 5);
  EXPECT_EQ(json::decimal_scale(*schemas::decimal(-1)), -1);
  EXPECT_THROW(json::decimal_scale(*schemas::bytes()), std::invalid_argument);
  EXPECT_THROW(json::decimal_scale(*SchemaBuilder(Type::Bytes).parameter("scale", "x").build()),
               std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// StringConverter, ByteArrayConverter, SimpleHeaderConverter

TEST(StringConverterTest, NullAndEncoding) {
  StringConverter conv;
  conv.configure({{"converter.encoding", "utf8"}}, false);
  std::string out = "x";
  EXPECT_FALSE(conv.from_connect("t", schemas::string(true), Value(), out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(conv.from_connect("t", nullptr, Value("caf\xC3\xA9"), out));
  EXPECT_EQ(out, "caf\xC3\xA9");
  ASSERT_TRUE(conv.from_connect("t", nullptr, Value(Bytes{'r', 'a', 'w'}), out));
  EXPECT_EQ(out, "raw");
  try {
    conv.configure({{"converter.encoding", "UTF-16"}}, false);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "converter.encoding");
  }
}

TEST(ByteArrayConverterTest, PassesBytesOnly) {
  ByteArrayConverter conv;
  conv.configure({}, false);
  std::string out = "x";
  ASSERT_TRUE(conv.from_connect("t", schemas::bytes(), Value(Bytes{0, 1, 0xff}), out));
  EXPECT_EQ(out, std::string("\x00\x01\xff", 3));
  ASSERT_TRUE(conv.from_connect("t", nullptr, Value(Bytes{}), out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(conv.from_connect("t", schemas::bytes(true), Value(), out));
  try {
    conv.from_connect("t", schemas::string(), Value("s"), out);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "Invalid schema type for ByteArrayConverter: STRING");
  }
  try {
    conv.from_connect("t", nullptr, Value("s"), out);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "ByteArrayConverter is not compatible with objects of type string");
  }
}

TEST(SimpleHeaderConverterTest, NullAndNesting) {
  SimpleHeaderConverter conv;
  conv.configure({});
  std::string out = "x";
  EXPECT_FALSE(conv.from_connect_header("t", "h", schemas::string(true), Value(), out));
  ASSERT_TRUE(conv.from_connect_header(
      "t", "h", nullptr,
      Value::MapEntries{{"k", Value::Array{i32(1), Value(), "s\\"}}, {"b", Value(Bytes{1})}}, out));
  EXPECT_EQ(out, R"({"k":[1,null,"s\\"],"b":"AQ=="})");
  // A timestamp at midnight prints as a date, below one day as a time (Connect's Values).
  ASSERT_TRUE(conv.from_connect_header("t", "h", schemas::timestamp(), i64(0), out));
  EXPECT_EQ(out, "00:00:00.000Z");
  ASSERT_TRUE(conv.from_connect_header("t", "h", schemas::timestamp(), i64(86400000), out));
  EXPECT_EQ(out, "1970-01-02");
}

// ---------------------------------------------------------------------------------------------
// Registration

class CollectingRegistrar : public PluginRegistrar {
 public:
  void add(PluginDescriptor d) override { added.push_back(std::move(d)); }
  std::vector<PluginDescriptor> added;
};

TEST(BuiltinConverters, RegisteredUnderKafkaNames) {
  CollectingRegistrar r;
  register_builtin_converters(r);
  // Five converters, and the three that Kafka also uses as header converters once more
  // (Confluent's AvroConverter is not a header converter).
  ASSERT_EQ(r.added.size(), 8u);
  std::map<std::string, const PluginDescriptor*> by_name;
  std::set<std::pair<std::string, PluginType>> names;
  for (const auto& d : r.added) {
    if (d.type == PluginType::Converter ||
        d.class_name == "org.apache.kafka.connect.storage.SimpleHeaderConverter")
      by_name[d.class_name] = &d;
    EXPECT_TRUE(names.insert({d.class_name, d.type}).second) << d.class_name;
    for (const auto& a : d.aliases) EXPECT_TRUE(names.insert({a, d.type}).second) << a;
    EXPECT_EQ(d.version, kBuiltinConverterVersion);
    EXPECT_FALSE(d.make_source || d.make_transformation || d.make_predicate);
    EXPECT_EQ(static_cast<bool>(d.make_converter), d.type == PluginType::Converter);
    EXPECT_EQ(static_cast<bool>(d.make_header_converter), d.type == PluginType::HeaderConverter);
  }
  const auto* json = by_name.at("org.apache.kafka.connect.json.JsonConverter");
  EXPECT_EQ(json->type, PluginType::Converter);
  EXPECT_EQ(json->aliases, std::vector<std::string>{"JsonConverter"});
  ASSERT_TRUE(json->make_converter);
  EXPECT_NE(dynamic_cast<JsonConverter*>(json->make_converter().get()), nullptr);
  EXPECT_NE(json->config_def.find("schemas.enable"), nullptr);

  const auto* str = by_name.at("org.apache.kafka.connect.storage.StringConverter");
  EXPECT_EQ(str->aliases, std::vector<std::string>{"StringConverter"});
  EXPECT_NE(str->config_def.find("converter.encoding"), nullptr);
  EXPECT_NE(dynamic_cast<StringConverter*>(str->make_converter().get()), nullptr);

  const auto* bytes = by_name.at("org.apache.kafka.connect.converters.ByteArrayConverter");
  EXPECT_EQ(bytes->aliases, std::vector<std::string>{"ByteArrayConverter"});
  EXPECT_NE(dynamic_cast<ByteArrayConverter*>(bytes->make_converter().get()), nullptr);

  const auto* avro = by_name.at("io.confluent.connect.avro.AvroConverter");
  EXPECT_EQ(avro->aliases, std::vector<std::string>{"AvroConverter"});
  EXPECT_NE(avro->config_def.find("schema.registry.url"), nullptr);
  EXPECT_NE(dynamic_cast<avro::AvroConverter*>(avro->make_converter().get()), nullptr);

  const auto* header = by_name.at("org.apache.kafka.connect.storage.SimpleHeaderConverter");
  EXPECT_EQ(header->type, PluginType::HeaderConverter);
  EXPECT_EQ(header->aliases, std::vector<std::string>{"SimpleHeaderConverter"});
  ASSERT_TRUE(header->make_header_converter);
  EXPECT_FALSE(header->make_converter);
  EXPECT_NE(dynamic_cast<SimpleHeaderConverter*>(header->make_header_converter().get()), nullptr);
  EXPECT_TRUE(header->config_def.keys().empty());
}

TEST(PluginTypeName, AllTypes) {
  EXPECT_STREQ(plugin_type_name(PluginType::Source), "source");
  EXPECT_STREQ(plugin_type_name(PluginType::Sink), "sink");
  EXPECT_STREQ(plugin_type_name(PluginType::Converter), "converter");
  EXPECT_STREQ(plugin_type_name(PluginType::HeaderConverter), "header_converter");
  EXPECT_STREQ(plugin_type_name(PluginType::Transformation), "transformation");
  EXPECT_STREQ(plugin_type_name(PluginType::Predicate), "predicate");
}

}  // namespace
}  // namespace tributary

namespace tributary {
namespace {

// append_string skips plain text eight bytes at a time: a character that needs escaping (or is
// non-ASCII) must be found at every position and alignment, and escaped exactly as on its own
// (strings shorter than eight bytes never take the fast path).
TEST(JsonAppendString, EscapesAtEveryPositionAsOnItsOwn) {
  const std::vector<std::string> specials = {
      "\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "é", "✓", "\xF0\x9F\x98\x80", "/", " "};
  for (const auto& special : specials) {
    std::string alone;
    json::append_string(special, alone);
    const std::string inner = alone.substr(1, alone.size() - 2);
    for (std::size_t len = 0; len <= 40; ++len) {
      for (std::size_t at = 0; at <= len; ++at) {
        const std::string text = std::string(at, 'a') + special + std::string(len - at, 'b');
        std::string got;
        json::append_string(text, got);
        // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for
        // "literal" + std::string&& (GCC bug 105329), even under -Wno-restrict.
        std::string want(1, '"');
        want.append(at, 'a').append(inner).append(len - at, 'b').push_back('"');
        EXPECT_EQ(got, want) << "special " << alone << " at " << at << " of " << len;
      }
    }
  }
}

// json::write_int replaces std::to_chars on the hot path: the same text for every value from 0
// to 10^6 (both signs), around every power of ten, the int64 limits and a million values of
// every magnitude.
TEST(JsonWriteInt, SameTextAsToChars) {
  auto check = [](std::int64_t v) {
    char want[24], got[24];
    const auto r = std::to_chars(want, want + sizeof want, v);
    char* end = json::write_int(got, v);
    ASSERT_EQ(std::string(got, end), std::string(want, r.ptr)) << v;
  };
  for (std::int64_t v = -1000000; v <= 1000000; ++v) check(v);
  std::int64_t power = 1;
  for (int e = 0; e <= 18; ++e) {
    if (e > 0) power *= 10;  // 10^18 is the last power an int64 holds
    for (std::int64_t d = -2; d <= 2; ++d) {
      check(power + d);
      check(-(power + d));
      check(power * 9 + d);
      check(-(power * 9) + d);
    }
  }
  check(std::numeric_limits<std::int64_t>::max());
  check(std::numeric_limits<std::int64_t>::min());
  check(std::numeric_limits<std::int64_t>::min() + 1);
  std::uint64_t seed = 7;
  for (int i = 0; i < 1000000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    check(static_cast<std::int64_t>(seed) >> (seed % 64));
  }
}

// A struct writes a plain scalar field together with its key (JsonConverter's write_struct):
// that path must give the bytes the general one gives. Strings: every special character at
// every position and length, as a field and as a top-level value; integers: every width's
// limits; a field name that needs escaping, and a long one, take the general path.
TEST(JsonStructFields, InlineScalarsMatchTheGeneralPath) {
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}}, false);
  const auto schema = SchemaBuilder::struct_()
                          .field("s", schemas::string())
                          .field("we\"ird", schemas::string(true))
                          .field(std::string(80, 'k'), schemas::int64())
                          .build();
  const std::vector<std::string> specials = {
      "\"", "\\", "\n", "\x01", "\x7f", "\xc3\xa9", "\xF0\x9F\x98\x80", "/", " "};
  std::string out, alone;
  for (const auto& special : specials) {
    for (std::size_t len = 0; len <= 200; len += (len < 24 ? 1 : 59)) {
      for (std::size_t at = 0; at <= len; at += (len < 24 ? 1 : 7)) {
        const std::string text = std::string(at, 'a') + special + std::string(len - at, 'b');
        ASSERT_TRUE(conv.from_connect(
            "t", schema,
            make_struct(schema, {{"s", text}, {"we\"ird", text}, {std::string(80, 'k'), i64(-1)}}),
            out));
        alone.clear();
        json::append_string(text, alone);
        EXPECT_EQ(out, "{\"s\":" + alone + ",\"we\\\"ird\":" + alone + ",\"" +
                           std::string(80, 'k') + "\":-1}")
            << "special at " << at << " of " << len;
      }
    }
  }
  // A last string that exactly fills write_struct's 512-byte run ('{', the key, the quotes):
  // the closing brace must still fit (ASan).
  {
    const auto one = SchemaBuilder::struct_().field("k", schemas::string()).build();
    for (std::size_t size = 495; size <= 512; ++size) {
      const std::string text(size, 'x');
      ASSERT_TRUE(conv.from_connect("t", one, make_struct(one, {{"k", text}}), out));
      EXPECT_EQ(out, "{\"k\":\"" + text + "\"}");
    }
  }
  // Many fields of every length: the run of keys and values fills write_struct's buffer and
  // goes out in several appends, at every offset.
  {
    SchemaBuilder wide = SchemaBuilder::struct_();
    for (int i = 0; i < 60; ++i) {
      wide.field("f" + std::to_string(i), schemas::string());
      wide.field(std::string(static_cast<std::size_t>(i % 65), 'n') + "i" + std::to_string(i),
                 schemas::int64(true));
    }
    const auto schema_wide = wide.build();
    Struct st(schema_wide);
    std::string want = "{";
    for (int i = 0; i < 60; ++i) {
      const std::string text(static_cast<std::size_t>(i * 7 % 300),
                             static_cast<char>('a' + i % 26));
      const std::string iname =
          std::string(static_cast<std::size_t>(i % 65), 'n') + "i" + std::to_string(i);
      st.put("f" + std::to_string(i), text);
      if (i % 3 != 0) st.put(iname, i64(std::int64_t{-1} << i));
      if (i != 0) want += ',';
      want += "\"f" + std::to_string(i) + "\":";
      json::append_string(text, want);
      want += ",\"" + iname + "\":" + (i % 3 != 0 ? std::to_string(std::int64_t{-1} << i) : "null");
    }
    want += "}";
    ASSERT_TRUE(conv.from_connect("t", schema_wide, std::move(st).build(), out));
    EXPECT_EQ(out, want);
  }
  const auto ints = SchemaBuilder::struct_()
                        .field("a", schemas::int8())
                        .field("b", schemas::int16())
                        .field("c", schemas::int32())
                        .field("d", schemas::int64())
                        .field("e", schemas::boolean())
                        .field("f", schemas::int64(true))
                        .build();
  ASSERT_TRUE(
      conv.from_connect("t", ints,
                        make_struct(ints, {{"a", i8(-128)},
                                           {"b", i16(-32768)},
                                           {"c", i32(std::numeric_limits<std::int32_t>::min())},
                                           {"d", i64(std::numeric_limits<std::int64_t>::min())},
                                           {"e", Value(false)}}),
                        out));
  EXPECT_EQ(out,
            R"({"a":-128,"b":-32768,"c":-2147483648,"d":-9223372036854775808,"e":false,"f":null})");
  ASSERT_TRUE(
      conv.from_connect("t", ints,
                        make_struct(ints, {{"a", i8(127)},
                                           {"b", i16(32767)},
                                           {"c", i32(std::numeric_limits<std::int32_t>::max())},
                                           {"d", i64(std::numeric_limits<std::int64_t>::max())},
                                           {"e", Value(true)},
                                           {"f", i64(0)}}),
                        out));
  EXPECT_EQ(out, R"({"a":127,"b":32767,"c":2147483647,"d":9223372036854775807,"e":true,"f":0})");
}

// from_connect writes a struct by its schema's plan, append_payload by the generic writer: the
// same bytes for every golden case, with defaults replaced or not and either decimal format.
TEST(JsonStructPlans, SameBytesAsTheGenericWriter) {
  std::size_t structs = 0;
  for (const auto& [name, c] : all_json_cases()) {
    for (const char* replace : {"true", "false"}) {
      for (const char* decimals : {"BASE64", "NUMERIC"}) {
        SCOPED_TRACE(name + " replace.null.with.default=" + replace +
                     " decimal.format=" + decimals);
        ConfigMap config = c.config;
        config["schemas.enable"] = "false";
        config["replace.null.with.default"] = replace;
        config["decimal.format"] = decimals;
        JsonConverter conv;
        conv.configure(config, false);
        std::string planned, generic, planned_error, generic_error;
        bool kafka_null = false;
        try {
          kafka_null = !conv.from_connect("t", c.schema, c.value, planned);
        } catch (const std::invalid_argument& e) {
          planned_error = e.what();
        }
        if (kafka_null) continue;
        try {
          conv.append_payload(c.schema, c.value, generic);
        } catch (const std::invalid_argument& e) {
          generic_error = e.what();
        }
        EXPECT_EQ(planned, generic);
        EXPECT_EQ(planned_error, generic_error);
        if (c.schema && c.schema->type() == Type::Struct && !c.value.is_null()) {
          EXPECT_EQ(conv.plan_cache_entries(), 1u);
          ++structs;
        }
      }
    }
  }
  EXPECT_GT(structs, 20u);  // the plans were exercised, not only the scalar cases
}

// The key of a field goes out by a fixed-size copy when its name is plain and short enough:
// names around that limit, first and later in the struct, nested, and at every offset of the
// writer's 512-byte run; a non-plain name between inline ones.
TEST(JsonStructPlans, KeysAroundTheInlineLimit) {
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}}, false);
  std::string out, generic;
  for (std::size_t size = 38; size <= 50; ++size) {
    for (std::size_t pad = 0; pad < 40; pad += 3) {
      const std::string long_name(size, 'k');
      const auto inner = SchemaBuilder::struct_()
                             .field(long_name, schemas::int64())
                             .field("q\"uote" + long_name, schemas::int32(true))
                             .field(long_name + "s", schemas::string())
                             .build();
      SchemaBuilder b = SchemaBuilder::struct_();
      b.field(long_name + "0", schemas::string());
      for (int i = 0; i < 12; ++i) b.field(long_name + "_" + std::to_string(i), inner);
      const auto outer = b.build();
      Struct st(outer);
      st.put(long_name + "0", std::string(pad, 'p'));
      for (int i = 0; i < 12; ++i) {
        st.put(
            long_name + "_" + std::to_string(i),
            make_struct(inner, {{long_name, i64(-i)}, {long_name + "s", std::string(pad, 'v')}}));
      }
      const Value v = std::move(st).build();
      ASSERT_TRUE(conv.from_connect("t", outer, v, out));
      generic.clear();
      conv.append_payload(outer, v, generic);
      EXPECT_EQ(out, generic) << "name size " << size << " pad " << pad;
      EXPECT_EQ(out.substr(0, size + 5), "{\"" + long_name + "0\":");
      EXPECT_NE(out.find(",\"q\\\"uote" + long_name + "\":null,"), std::string::npos);
    }
  }
}

// Errors by the plan name the same field path as the generic writer's.
TEST(JsonStructPlans, ErrorsNameTheSamePath) {
  JsonConverter conv;
  conv.configure({{"schemas.enable", "false"}}, false);
  const auto inner = SchemaBuilder::struct_().field("id", schemas::int32()).build();
  const auto outer =
      SchemaBuilder::struct_()
          .field("a", schemas::int64(true))
          .field("after", inner)
          .field("opt", SchemaBuilder::struct_().field("x", schemas::int32()).optional().build())
          .build();
  const std::vector<Value> values = {
      make_struct(outer, {{"after", make_struct(inner, {})}}),
      make_struct(outer, {{"after", make_struct(inner, {{"id", i64(1)}})}}),
      make_struct(outer, {{"a", i32(1)}, {"after", make_struct(inner, {{"id", i32(1)}})}}),
      make_struct(outer, {{"after", i32(3)}}),
      make_struct(outer, {{"after", make_struct(outer, {})}}),
      make_struct(outer, {}),
      make_struct(inner, {{"id", i32(1)}}),
      Value(i32(1)),
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::string generic_error = "<no exception>";
    std::string generic;
    try {
      conv.append_payload(outer, values[i], generic);
    } catch (const std::invalid_argument& e) {
      generic_error = e.what();
    }
    EXPECT_EQ(error_of(conv, outer, values[i]), generic_error) << "value " << i;
    EXPECT_NE(generic_error, "<no exception>") << "value " << i;
  }
  // A struct whose own schema is an equal copy of the field's goes by the field's plan.
  const auto inner_copy = SchemaBuilder::struct_().field("id", schemas::int32()).build();
  std::string out;
  ASSERT_TRUE(conv.from_connect(
      "t", outer, make_struct(outer, {{"after", make_struct(inner_copy, {{"id", i32(7)}})}}), out));
  EXPECT_EQ(out, R"({"a":null,"after":{"id":7},"opt":null})");
}

// A plan copies the text of the fields whose values repeat those of the struct it remembers
// (StructPlan::Memo). Long runs of structs in which random fields change among few values (so
// that they often repeat, and also -0.0 against 0.0, NaN, null against a default, same-length
// strings and bytes, nested structs and arrays) give, one after another through one converter,
// the bytes the generic writer gives each alone; so does a struct changed in place between two
// conversions.
TEST(JsonStructPlans, RepeatedFieldsAreCopiedOnlyWhenTheSame) {
  const auto nested = SchemaBuilder::struct_().field("x", schemas::int32()).optional().build();
  const auto src =
      SchemaBuilder::struct_()
          .name("src")
          .field("i8", schemas::int8())
          .field("i16", schemas::int16(true))
          .field("i32", schemas::int32(true))
          .field("i64", schemas::int64())
          .field("f32", schemas::float32(true))
          .field("f64", schemas::float64(true))
          .field("b", schemas::boolean(true))
          .field("s", schemas::string(true))
          .field("bytes", schemas::bytes(true))
          .field("dec", schemas::decimal(2, true))
          .field("def", SchemaBuilder(Type::Int64).optional().default_value(i64(42)).build())
          .field("nested", nested)
          .field("arr", SchemaBuilder::array(schemas::int32()).optional().build())
          .field("row", schemas::int32())
          .optional()
          .build();
  const auto env = SchemaBuilder::struct_()
                       .name("env")
                       .field("before", src)
                       .field("source", src)
                       .field("op", schemas::string())
                       .field("ts", schemas::int64())
                       .build();
  // The values each field takes, drawn at random.
  const std::vector<std::vector<Value>> pools = {
      {i8(0), i8(-1), i8(127)},
      {i16(0), i16(1), Value()},
      {i32(0), i32(-7), Value()},
      {i64(0), i64(1700000000000), i64(-1)},
      {Value(0.0f), Value(-0.0f), Value(1.5f), Value()},
      {Value(0.0), Value(-0.0), Value(std::nan("")), Value(1e300), Value()},
      {Value(true), Value(false), Value()},
      // (beyond the memo's bounds: a string it does not keep, a struct it does not remember)
      {Value("aaaa"), Value("aaab"), Value(""), Value("qu\"ote"), Value(std::string(600, 'l')),
       Value(std::string(1500, 'm')), Value(std::string(70000, 'h')), Value()},
      // (bytes written inline by the plan, and some too long for its buffer)
      {Value(Bytes{1, 2}), Value(Bytes{1, 3}), Value(Bytes{}), Value(Bytes(400, 7)), Value()},
      // (unscaled values with redundant sign bytes, none, and too long to go inline)
      {dec("12345"), dec("-12345"), dec("0"), Value(Bytes{0x00, 0x05}),
       Value(Bytes{0xFF, 0xFF, 0x85}), Value(Bytes{0x00, 0x80}), Value(Bytes{}),
       Value(Bytes(400, 0x11)), Value()},
      {i64(42), i64(7), Value()},
      {make_struct(nested, {{"x", i32(1)}}), make_struct(nested, {{"x", i32(2)}}), Value()},
      {strs({}), Value(Value::Array{i32(1)}), Value()},
      {i32(0), i32(1), i32(2), i32(3)},
  };
  std::uint64_t seed = 12345;
  auto next = [&seed](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  std::size_t checked = 0;
  for (const char* replace : {"true", "false"}) {
    for (const char* schemas_enable : {"false", "true"}) {
      for (const char* decimals : {"BASE64", "NUMERIC"}) {
        SCOPED_TRACE(std::string("replace.null.with.default=") + replace +
                     " schemas.enable=" + schemas_enable + " decimal.format=" + decimals);
        const ConfigMap config = {{"replace.null.with.default", replace},
                                  {"schemas.enable", schemas_enable},
                                  {"decimal.format", decimals}};
        JsonConverter conv;
        conv.configure(config, false);
        std::vector<Value> fields(pools.size());
        for (std::size_t f = 0; f < pools.size(); ++f) fields[f] = pools[f][0];
        for (int step = 0; step < 600; ++step) {
          // Mostly one field changes (the row of a Source block), at times many (a new event), or
          // none.
          const std::size_t changes = step % 50 == 0 ? pools.size() : next(3);
          for (std::size_t c = 0; c < changes; ++c) {
            const std::size_t f = next(pools.size());
            fields[f] = pools[f][next(pools[f].size())];
          }
          auto data = std::make_shared<Value::StructData>();
          data->schema = src;
          data->fields = fields;
          const Value source(data);
          const Value before = step % 3 == 0 ? Value() : source;
          const Value v = make_struct(
              env,
              {{"before", before}, {"source", source}, {"op", Value("c")}, {"ts", i64(step / 7)}});
          std::string out, generic;
          ASSERT_TRUE(conv.from_connect("t", env, v, out));
          conv.append_payload(env, v, generic);
          const std::string payload = std::string(schemas_enable) == "true"
                                          ? out.substr(out.find(",\"payload\":") + 11,
                                                       out.size() - out.find(",\"payload\":") - 12)
                                          : out;
          ASSERT_EQ(payload, generic) << "step " << step;
          ++checked;
          // The same struct changed in place, then written again.
          if (step % 17 == 0) {
            data->fields[13] = i32(99);
            data->fields[7] = Value("changed");
            std::string again, again_generic;
            ASSERT_TRUE(conv.from_connect("t", env, v, again));
            conv.append_payload(env, v, again_generic);
            EXPECT_NE(again, out);
            const std::string again_payload =
                std::string(schemas_enable) == "true"
                    ? again.substr(again.find(",\"payload\":") + 11,
                                   again.size() - again.find(",\"payload\":") - 12)
                    : again;
            ASSERT_EQ(again_payload, again_generic) << "step " << step << " changed in place";
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 8u * 600u);
}

// The plan cache holds as many schemas as schemas.cache.size (then starts over), keeps them alive
// while it holds them, and is off with the schema cache (size 0).
TEST(JsonStructPlans, CacheIsBoundedAndKeepsItsSchemas) {
  JsonConverter conv;
  conv.configure({{"schemas.cache.size", "3"}, {"schemas.enable", "false"}}, false);
  std::string out;
  std::weak_ptr<const Schema> last;
  for (int i = 0; i < 10; ++i) {
    auto s = SchemaBuilder::struct_().field("f" + std::to_string(i), schemas::int32()).build();
    ASSERT_TRUE(
        conv.from_connect("t", s, make_struct(s, {{"f" + std::to_string(i), i32(i)}}), out));
    EXPECT_EQ(out, "{\"f" + std::to_string(i) + "\":" + std::to_string(i) + "}");
    EXPECT_LE(conv.plan_cache_entries(), 3u);
    last = s;
  }
  EXPECT_FALSE(last.expired());
  // Two schemas in turn, with the same field name and other types: each record by its own plan.
  auto ints = SchemaBuilder::struct_().field("f", schemas::int32()).build();
  auto texts = SchemaBuilder::struct_().field("f", schemas::string()).build();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(conv.from_connect("t", ints, make_struct(ints, {{"f", i32(i)}}), out));
    EXPECT_EQ(out, "{\"f\":" + std::to_string(i) + "}");
    ASSERT_TRUE(conv.from_connect("t", texts, make_struct(texts, {{"f", "x"}}), out));
    EXPECT_EQ(out, R"({"f":"x"})");
    EXPECT_EQ(error_of(conv, texts, make_struct(ints, {{"f", i32(1)}})), "Mismatching schema.");
  }
  JsonConverter uncached;
  uncached.configure({{"schemas.cache.size", "0"}, {"schemas.enable", "false"}}, false);
  auto s = SchemaBuilder::struct_().field("f", schemas::int32()).build();
  ASSERT_TRUE(uncached.from_connect("t", s, make_struct(s, {{"f", i32(5)}}), out));
  EXPECT_EQ(out, R"({"f":5})");
  EXPECT_EQ(uncached.plan_cache_entries(), 0u);
}

}  // namespace
}  // namespace tributary
