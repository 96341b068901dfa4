// Unit tests of the Connect data model (tributary/data.h): type names, shared schemas, logical
// types, SchemaBuilder, Struct, Value equality, decimal helpers and validate_value.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tributary/data.h"

namespace tributary {
namespace {

// Builds a struct value. (Struct::put returns Struct&, and build() needs an rvalue.)
Value make_struct(const SchemaPtr& schema, std::vector<std::pair<std::string, Value>> fields) {
  Struct s(schema);
  for (auto& field : fields) s.put(field.first, std::move(field.second));
  return std::move(s).build();
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST(DataTypes, NamesRoundTrip) {
  const std::vector<std::pair<Type, std::string>> names = {
      {Type::Int8, "int8"},       {Type::Int16, "int16"},   {Type::Int32, "int32"},
      {Type::Int64, "int64"},     {Type::Float32, "float"}, {Type::Float64, "double"},
      {Type::Boolean, "boolean"}, {Type::String, "string"}, {Type::Bytes, "bytes"},
      {Type::Array, "array"},     {Type::Map, "map"},       {Type::Struct, "struct"}};
  for (const auto& [t, n] : names) {
    EXPECT_EQ(type_name(t), n);
    ASSERT_TRUE(type_from_name(n).has_value()) << n;
    EXPECT_EQ(*type_from_name(n), t);
  }
  EXPECT_EQ(type_from_name("float32"), Type::Float32);
  EXPECT_EQ(type_from_name("float64"), Type::Float64);
  EXPECT_FALSE(type_from_name("INT32").has_value());
  EXPECT_FALSE(type_from_name("").has_value());
}

TEST(DataTypes, Primitive) {
  EXPECT_TRUE(is_primitive(Type::Int8));
  EXPECT_TRUE(is_primitive(Type::Bytes));
  EXPECT_TRUE(is_primitive(Type::String));
  EXPECT_FALSE(is_primitive(Type::Array));
  EXPECT_FALSE(is_primitive(Type::Map));
  EXPECT_FALSE(is_primitive(Type::Struct));
}

TEST(SharedSchemas, SameInstanceEachCall) {
  EXPECT_EQ(schemas::int32().get(), schemas::int32().get());
  EXPECT_EQ(schemas::string(true).get(), schemas::string(true).get());
  EXPECT_NE(schemas::string(true).get(), schemas::string(false).get());
  EXPECT_EQ(schemas::decimal(2).get(), schemas::decimal(2).get());
  EXPECT_NE(schemas::decimal(2).get(), schemas::decimal(3).get());
  EXPECT_NE(schemas::decimal(2).get(), schemas::decimal(2, true).get());
  EXPECT_EQ(schemas::date().get(), schemas::date().get());
  EXPECT_TRUE(schemas::int64(true)->optional());
  EXPECT_FALSE(schemas::int64()->optional());
  EXPECT_EQ(schemas::float32()->type(), Type::Float32);
  EXPECT_EQ(schemas::float64()->type(), Type::Float64);
  EXPECT_EQ(schemas::boolean()->type(), Type::Boolean);
  EXPECT_EQ(schemas::bytes()->type(), Type::Bytes);
  EXPECT_EQ(schemas::int8()->type(), Type::Int8);
  EXPECT_EQ(schemas::int16()->type(), Type::Int16);
  EXPECT_FALSE(schemas::int32()->name().has_value());
}

TEST(SharedSchemas, DecimalCacheIsThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<const Schema*> seen(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &seen] {
      for (int i = 0; i < 200; ++i) schemas::decimal(i % 20);
      seen[static_cast<std::size_t>(t)] = schemas::decimal(7).get();
    });
  }
  for (auto& th : threads) th.join();
  for (const Schema* s : seen) EXPECT_EQ(s, seen[0]);
}

TEST(LogicalTypes, AsConnectDefinesThem) {
  const auto d = schemas::decimal(2);
  EXPECT_EQ(d->type(), Type::Bytes);
  EXPECT_EQ(d->name(), std::string(logical::kDecimal));
  EXPECT_EQ(d->name(), "org.apache.kafka.connect.data.Decimal");
  EXPECT_EQ(d->version(), 1);
  ASSERT_EQ(d->parameters().size(), 1u);
  EXPECT_EQ(d->parameters()[0].first, "scale");
  EXPECT_EQ(d->parameters()[0].second, "2");
  EXPECT_EQ(d->parameter("scale"), "2");
  EXPECT_FALSE(d->parameter("precision").has_value());
  EXPECT_EQ(schemas::decimal(-3)->parameter("scale"), "-3");

  EXPECT_EQ(schemas::date()->type(), Type::Int32);
  EXPECT_EQ(schemas::date()->name(), "org.apache.kafka.connect.data.Date");
  EXPECT_EQ(schemas::date()->version(), 1);
  EXPECT_EQ(schemas::time()->type(), Type::Int32);
  EXPECT_EQ(schemas::time()->name(), "org.apache.kafka.connect.data.Time");
  EXPECT_EQ(schemas::time()->version(), 1);
  EXPECT_EQ(schemas::timestamp()->type(), Type::Int64);
  EXPECT_EQ(schemas::timestamp()->name(), "org.apache.kafka.connect.data.Timestamp");
  EXPECT_EQ(schemas::timestamp()->version(), 1);
  EXPECT_TRUE(schemas::timestamp(true)->optional());
}

TEST(SchemaBuilder, BuildsEveryAttribute) {
  auto s = SchemaBuilder(Type::Int64)
               .name("x.Y")
               .version(3)
               .doc("the doc")
               .parameter("b", "2")
               .parameter("a", "1")
               .parameter("b", "3")  // replaces in place, as a LinkedHashMap
               .default_value(Value(std::int64_t{7}))
               .optional()
               .build();
  EXPECT_EQ(s->type(), Type::Int64);
  EXPECT_TRUE(s->optional());
  EXPECT_EQ(s->name(), "x.Y");
  EXPECT_EQ(s->version(), 3);
  EXPECT_EQ(s->doc(), "the doc");
  const std::vector<std::pair<std::string, std::string>> params = {{"b", "3"}, {"a", "1"}};
  EXPECT_EQ(s->parameters(), params);
  ASSERT_TRUE(s->default_value().has_value());
  EXPECT_EQ(*s->default_value(), Value(std::int64_t{7}));
}

TEST(SchemaBuilder, StructFields) {
  auto s = SchemaBuilder::struct_()
               .name("r")
               .field("id", schemas::int32())
               .field("name", schemas::string(true))
               .build();
  ASSERT_EQ(s->fields().size(), 2u);
  EXPECT_EQ(s->fields()[0].name, "id");
  EXPECT_EQ(s->fields()[0].index, 0);
  EXPECT_EQ(s->fields()[1].index, 1);
  ASSERT_NE(s->field("name"), nullptr);
  EXPECT_EQ(s->field("name")->schema, schemas::string(true));
  EXPECT_EQ(s->field("nope"), nullptr);
}

TEST(SchemaBuilder, Errors) {
  EXPECT_EQ(error_of([] {
              SchemaBuilder::struct_().field("id", schemas::int32()).field("id", schemas::int64());
            }),
            "Cannot create field because of field name duplication id");
  EXPECT_THROW(SchemaBuilder(Type::Int32).field("a", schemas::int32()), std::invalid_argument);
  EXPECT_THROW(SchemaBuilder::struct_().field("a", nullptr), std::invalid_argument);
  EXPECT_THROW(SchemaBuilder::array(nullptr), std::invalid_argument);
  EXPECT_THROW(SchemaBuilder::map(schemas::string(), nullptr), std::invalid_argument);
  // A default must fit the schema.
  EXPECT_THROW(SchemaBuilder(Type::Int32).default_value(Value("x")).build(), std::invalid_argument);
  EXPECT_NO_THROW(SchemaBuilder(Type::Int32).default_value(Value(std::int32_t{1})).build());
}

TEST(SchemaBuilder, ContainersAndEquality) {
  auto a1 = SchemaBuilder::array(schemas::int32()).build();
  auto a2 = SchemaBuilder::array(SchemaBuilder(Type::Int32).build()).build();
  EXPECT_EQ(a1->value_schema(), schemas::int32());
  EXPECT_TRUE(*a1 == *a2);  // deep equality
  auto m = SchemaBuilder::map(schemas::string(), schemas::int64()).build();
  EXPECT_EQ(m->key_schema(), schemas::string());
  EXPECT_EQ(m->value_schema(), schemas::int64());
  EXPECT_FALSE(*a1 == *m);
  auto s1 = SchemaBuilder::struct_().name("n").field("a", schemas::int32()).build();
  auto s2 = SchemaBuilder::struct_().name("n").field("a", schemas::int32()).build();
  auto s3 = SchemaBuilder::struct_().name("n").field("a", schemas::int32(true)).build();
  auto s4 = SchemaBuilder::struct_().name("m").field("a", schemas::int32()).build();
  EXPECT_TRUE(*s1 == *s2);
  EXPECT_FALSE(*s1 == *s3);
  EXPECT_FALSE(*s1 == *s4);
  EXPECT_FALSE(*schemas::decimal(2) == *schemas::decimal(3));
}

TEST(ValueEquality, JavaSemantics) {
  EXPECT_EQ(Value(), Value(nullptr));
  EXPECT_EQ(Value(std::int32_t{1}), Value(std::int32_t{1}));
  EXPECT_FALSE(Value(std::int32_t{1}) == Value(std::int64_t{1}));  // different types
  EXPECT_FALSE(Value(std::int32_t{1}) == Value(std::int32_t{2}));
  EXPECT_EQ(Value("a"), Value(std::string("a")));
  // Float.equals / Double.equals: NaN equals NaN, 0.0 differs from -0.0.
  EXPECT_EQ(Value(std::nan("")), Value(std::nan("")));
  EXPECT_FALSE(Value(0.0) == Value(-0.0));
  EXPECT_EQ(Value(0.5f), Value(0.5f));
  EXPECT_EQ(Value(Bytes{1, 2}), Value(Bytes{1, 2}));
  EXPECT_EQ(Value(Value::Array{Value(true), Value()}), Value(Value::Array{Value(true), Value()}));
  // Maps compare as maps, whatever the entry order.
  Value::MapEntries m1 = {{Value("a"), Value(std::int32_t{1})},
                          {Value("b"), Value(std::int32_t{2})}};
  Value::MapEntries m2 = {{Value("b"), Value(std::int32_t{2})},
                          {Value("a"), Value(std::int32_t{1})}};
  Value::MapEntries m3 = {{Value("b"), Value(std::int32_t{3})},
                          {Value("a"), Value(std::int32_t{1})}};
  EXPECT_EQ(Value(m1), Value(m2));
  EXPECT_FALSE(Value(m1) == Value(m3));
}

TEST(ValueEquality, Structs) {
  auto s = SchemaBuilder::struct_().field("a", schemas::int32()).build();
  auto same_shape = SchemaBuilder::struct_().field("a", schemas::int32()).build();
  Value v1 = make_struct(s, {{"a", std::int32_t{1}}});
  Value v2 = make_struct(same_shape, {{"a", std::int32_t{1}}});
  Value v3 = make_struct(s, {{"a", std::int32_t{2}}});
  EXPECT_EQ(v1, v2);
  EXPECT_FALSE(v1 == v3);
}

TEST(StructTest, PutGetByNameAndIndex) {
  auto inner = SchemaBuilder::struct_().name("in").field("x", schemas::int32()).build();
  auto s = SchemaBuilder::struct_()
               .field("id", schemas::int64())
               .field("name", SchemaBuilder(Type::String).optional().default_value("anon").build())
               .field("inner", inner)
               .build();
  Struct st(s);
  st.put("id", std::int64_t{5}).put(2, make_struct(inner, {{"x", std::int32_t{9}}}));
  EXPECT_EQ(st.get("id"), Value(std::int64_t{5}));
  EXPECT_EQ(st.get("name"), Value("anon"));  // null reads as the default, as Connect's Struct.get
  EXPECT_EQ(st.get("inner").as_struct().fields[0], Value(std::int32_t{9}));
  EXPECT_NO_THROW(st.validate());
  Value v = std::move(st).build();
  ASSERT_TRUE(v.is_struct());
  EXPECT_EQ(v.as_struct().schema, s);
  EXPECT_TRUE(v.as_struct().fields[1].is_null());  // the stored value stays null
}

TEST(StructTest, Errors) {
  auto s = SchemaBuilder::struct_().field("id", schemas::int64()).build();
  Struct st(s);
  EXPECT_NE(error_of([&] { st.put("idd", std::int64_t{1}); }).find("idd"), std::string::npos);
  EXPECT_THROW(st.put(1, Value()), std::invalid_argument);
  EXPECT_THROW(st.put(-1, Value()), std::invalid_argument);
  EXPECT_THROW(st.get("nope"), std::invalid_argument);
  EXPECT_THROW(Struct{schemas::int32()}, std::invalid_argument);
  EXPECT_THROW(Struct{nullptr}, std::invalid_argument);
  // Missing required field.
  const std::string missing = error_of([&] { st.validate(); });
  EXPECT_NE(missing.find("\"id\""), std::string::npos) << missing;
  EXPECT_NE(missing.find("null"), std::string::npos) << missing;
  // Wrong type.
  st.put("id", std::int32_t{1});
  const std::string wrong = error_of([&] { st.validate(); });
  EXPECT_NE(wrong.find("\"id\""), std::string::npos) << wrong;
  EXPECT_NE(wrong.find("int64"), std::string::npos) << wrong;
  EXPECT_NE(wrong.find("int32"), std::string::npos) << wrong;
}

TEST(ValidateValue, NamesTheFieldPath) {
  auto address = SchemaBuilder::struct_()
                     .name("Address")
                     .field("city", schemas::string())
                     .field("zip", schemas::int32(true))
                     .build();
  auto person = SchemaBuilder::struct_()
                    .name("Person")
                    .field("name", schemas::string())
                    .field("address", address)
                    .field("tags", SchemaBuilder::array(schemas::string()).build())
                    .build();
  Value good = make_struct(person, {{"name", "ann"},
                                    {"address", make_struct(address, {{"city", "Oslo"}})},
                                    {"tags", Value::Array{Value("a")}}});
  EXPECT_NO_THROW(validate_value(person, good));

  Value bad_city =
      make_struct(person, {{"name", "ann"},
                           {"address", make_struct(address, {{"city", std::int32_t{3}}})},
                           {"tags", Value::Array{}}});
  const std::string e1 = error_of([&] { validate_value(person, bad_city); });
  EXPECT_NE(e1.find("address.city"), std::string::npos) << e1;

  Value bad_tag = make_struct(person, {{"name", "ann"},
                                       {"address", make_struct(address, {{"city", "x"}})},
                                       {"tags", Value::Array{Value("a"), Value()}}});
  const std::string e2 = error_of([&] { validate_value(person, bad_tag); });
  EXPECT_NE(e2.find("tags[1]"), std::string::npos) << e2;

  const std::string e3 = error_of([&] { validate_value(person, Value(), "after"); });
  EXPECT_NE(e3.find("after"), std::string::npos) << e3;

  // A struct of a different schema.
  auto other = SchemaBuilder::struct_().name("Other").field("city", schemas::string()).build();
  Value wrong_schema = make_struct(person, {{"name", "ann"},
                                            {"address", make_struct(other, {{"city", "x"}})},
                                            {"tags", Value::Array{}}});
  EXPECT_THROW(validate_value(person, wrong_schema), std::invalid_argument);

  // Schemaless accepts anything; optional accepts null; a default makes null acceptable.
  EXPECT_NO_THROW(validate_value(nullptr, Value(1.5)));
  EXPECT_NO_THROW(validate_value(schemas::int32(true), Value()));
  EXPECT_NO_THROW(
      validate_value(SchemaBuilder(Type::Int32).default_value(std::int32_t{1}).build(), Value()));
  EXPECT_THROW(validate_value(schemas::int32(), Value()), std::invalid_argument);
}

TEST(ValidateValue, Maps) {
  auto m = SchemaBuilder::map(schemas::string(), schemas::int32()).build();
  EXPECT_NO_THROW(
      validate_value(m, Value(Value::MapEntries{{Value("a"), Value(std::int32_t{1})}})));
  EXPECT_THROW(
      validate_value(m, Value(Value::MapEntries{{Value(std::int32_t{1}), Value(std::int32_t{1})}})),
      std::invalid_argument);
  EXPECT_THROW(validate_value(m, Value(Value::MapEntries{{Value("a"), Value("b")}})),
               std::invalid_argument);
}

// BigInteger.toByteArray() of the unscaled value, as Connect's Decimal.fromLogical writes it.
TEST(DecimalHelpers, UnscaledBytesAreMinimalTwosComplement) {
  EXPECT_EQ(decimal_unscaled_from_string("0"), (Bytes{0x00}));
  EXPECT_EQ(decimal_unscaled_from_string("-0"), (Bytes{0x00}));
  EXPECT_EQ(decimal_unscaled_from_string("1"), (Bytes{0x01}));
  EXPECT_EQ(decimal_unscaled_from_string("-1"), (Bytes{0xFF}));
  EXPECT_EQ(decimal_unscaled_from_string("127"), (Bytes{0x7F}));
  EXPECT_EQ(decimal_unscaled_from_string("128"), (Bytes{0x00, 0x80}));
  EXPECT_EQ(decimal_unscaled_from_string("-128"), (Bytes{0x80}));
  EXPECT_EQ(decimal_unscaled_from_string("-129"), (Bytes{0xFF, 0x7F}));
  EXPECT_EQ(decimal_unscaled_from_string("255"), (Bytes{0x00, 0xFF}));
  EXPECT_EQ(decimal_unscaled_from_string("-256"), (Bytes{0xFF, 0x00}));
  EXPECT_EQ(decimal_unscaled_from_string("12345"), (Bytes{0x30, 0x39}));
  EXPECT_EQ(decimal_unscaled_from_string("-12345"), (Bytes{0xCF, 0xC7}));
  EXPECT_EQ(decimal_unscaled_from_string("+65536"), (Bytes{0x01, 0x00, 0x00}));
  EXPECT_EQ(decimal_unscaled_from_string("000042"), (Bytes{0x2A}));
  // 2^64 and -(2^63): beyond and at the edge of 64 bits.
  EXPECT_EQ(decimal_unscaled_from_string("18446744073709551616"),
            (Bytes{0x01, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(decimal_unscaled_from_string("-9223372036854775808"),
            (Bytes{0x80, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_THROW(decimal_unscaled_from_string(""), std::invalid_argument);
  EXPECT_THROW(decimal_unscaled_from_string("-"), std::invalid_argument);
  EXPECT_THROW(decimal_unscaled_from_string("12.5"), std::invalid_argument);
  EXPECT_THROW(decimal_unscaled_from_string("1e5"), std::invalid_argument);
  // Up to 18 digits take the 64-bit path; its edges, by hand.
  EXPECT_EQ(decimal_unscaled_from_string("32767"), (Bytes{0x7F, 0xFF}));
  EXPECT_EQ(decimal_unscaled_from_string("32768"), (Bytes{0x00, 0x80, 0x00}));
  EXPECT_EQ(decimal_unscaled_from_string("-32768"), (Bytes{0x80, 0x00}));
  EXPECT_EQ(decimal_unscaled_from_string("-32769"), (Bytes{0xFF, 0x7F, 0xFF}));
  EXPECT_EQ(decimal_unscaled_from_string("999999999999999999"),
            (Bytes{0x0D, 0xE0, 0xB6, 0xB3, 0xA7, 0x63, 0xFF, 0xFF}));
  EXPECT_EQ(decimal_unscaled_from_string("-999999999999999999"),
            (Bytes{0xF2, 0x1F, 0x49, 0x4C, 0x58, 0x9C, 0x00, 0x01}));
  EXPECT_THROW(decimal_unscaled_from_string("12a"), std::invalid_argument);
  EXPECT_THROW(decimal_unscaled_from_string("--1"), std::invalid_argument);
}

// From a 64-bit value: at every byte boundary (±2^(8k-1), one each side) and the ends of int64,
// the bytes of the general digit-string path (19 leading zeros take it).
TEST(DecimalHelpers, FromInt64AtEveryByteBoundary) {
  std::vector<std::int64_t> values = {0, -1, 1, std::numeric_limits<std::int64_t>::min(),
                                      std::numeric_limits<std::int64_t>::max()};
  for (int k = 1; k < 8; ++k) {
    const std::int64_t edge = std::int64_t{1} << (8 * k - 1);
    for (const std::int64_t d : {-1, 0, 1}) {
      values.push_back(edge + d);
      values.push_back(-edge + d);
    }
  }
  for (const std::int64_t v : values) {
    const std::string text = std::to_string(v);
    const std::string general =
        v < 0 ? "-" + std::string(19, '0') + text.substr(1) : std::string(19, '0') + text;
    Bytes into{9, 9, 9, 9, 9, 9, 9, 9, 9, 9};  // (a longer buffer from an earlier value)
    decimal_unscaled_from_int64(v, into);
    EXPECT_EQ(into, decimal_unscaled_from_string(general)) << v;
    EXPECT_EQ(decimal_unscaled_from_int64(v), into) << v;
  }
}

// The 64-bit path and the general one agree: the same value with 19 leading zeros takes the
// general path.
TEST(DecimalHelpers, ShortAndLongDigitStringsGiveTheSameBytes) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const int digits = 1 + static_cast<int>(rng() % 18);
    std::string d;
    for (int k = 0; k < digits; ++k) d += static_cast<char>('0' + rng() % 10);
    const std::string sign = rng() % 2 != 0 ? "-" : "";
    EXPECT_EQ(decimal_unscaled_from_string(sign + d),
              decimal_unscaled_from_string(sign + std::string(19, '0') + d))
        << sign << d;
  }
}

TEST(DecimalHelpers, PlainString) {
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("-12345"), 2), "-123.45");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("12345"), 0), "12345");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("5"), 3), "0.005");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("-5"), 1), "-0.5");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("0"), 2), "0.00");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("123"), -2), "12300");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("0"), -2), "0");
  EXPECT_EQ(decimal_to_plain_string(Bytes{}, 0), "0");
  EXPECT_EQ(decimal_to_plain_string(Bytes{0x80}, 0), "-128");
  // Wider than 64 bits, both signs (round trip through the parser).
  const std::string big = "-123456789012345678901234567890";
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string(big), 2),
            "-1234567890123456789012345678.90");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string(big.substr(1)), 0), big.substr(1));
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("-9223372036854775808"), 0),
            "-9223372036854775808");
  EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string("18446744073709551616"), 0),
            "18446744073709551616");
}

TEST(DecimalHelpers, RoundTripManyValues) {
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::string digits = std::to_string(x) + std::to_string(x % 1000003);
    digits.erase(0, digits.find_first_not_of('0'));
    if (digits.empty()) digits = "0";
    const std::string signed_digits = (i % 2 != 0 && digits != "0") ? "-" + digits : digits;
    EXPECT_EQ(decimal_to_plain_string(decimal_unscaled_from_string(signed_digits), 0),
              signed_digits);
  }
}

}  // namespace
}  // namespace tributary
