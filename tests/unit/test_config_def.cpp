// Unit tests of tributary/config.h: ConfigDef (define, merge, find, validate with Kafka's error
// texts), validators, Config getters, and the parsing helpers.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tributary/config.h"

namespace tributary {
namespace {

ConfigDef sample_def() {
  ConfigDef def;
  def.define("host", ConfigType::String, std::nullopt, Importance::High, "The host.", "Conn");
  def.define("port", ConfigType::Int, "5432", Importance::High, "The port.", "Conn",
             validators::between(1, 65535));
  def.define("ssl", ConfigType::Boolean, "false", Importance::Medium, "Use TLS.");
  def.define("max.bytes", ConfigType::Long, "1048576", Importance::Low, "Max bytes.", "",
             validators::at_least(0));
  def.define("ratio", ConfigType::Double, "0.5", Importance::Low, "A ratio.");
  def.define("tables", ConfigType::List, "", Importance::Medium, "Tables.");
  def.define("mode", ConfigType::String, "initial", Importance::Medium, "Snapshot mode.", "",
             validators::one_of({"initial", "never", "always"}));
  def.define("password", ConfigType::Password, "", Importance::High, "Secret.");
  def.define("short", ConfigType::Short, "1", Importance::Low, "A short.");
  def.define("name", ConfigType::String, "x", Importance::Low, "A name.", "",
             validators::non_empty_string());
  return def;
}

TEST(ConfigNames, TypesAndImportance) {
  EXPECT_EQ(config_type_name(ConfigType::Boolean), "BOOLEAN");
  EXPECT_EQ(config_type_name(ConfigType::String), "STRING");
  EXPECT_EQ(config_type_name(ConfigType::Int), "INT");
  EXPECT_EQ(config_type_name(ConfigType::Short), "SHORT");
  EXPECT_EQ(config_type_name(ConfigType::Long), "LONG");
  EXPECT_EQ(config_type_name(ConfigType::Double), "DOUBLE");
  EXPECT_EQ(config_type_name(ConfigType::List), "LIST");
  EXPECT_EQ(config_type_name(ConfigType::Class), "CLASS");
  EXPECT_EQ(config_type_name(ConfigType::Password), "PASSWORD");
  EXPECT_EQ(importance_name(Importance::High), "HIGH");
  EXPECT_EQ(importance_name(Importance::Medium), "MEDIUM");
  EXPECT_EQ(importance_name(Importance::Low), "LOW");
}

TEST(ConfigDefTest, DefineFindMerge) {
  ConfigDef def = sample_def();
  ASSERT_NE(def.find("port"), nullptr);
  EXPECT_EQ(def.find("port")->type, ConfigType::Int);
  EXPECT_EQ(def.find("port")->default_value, "5432");
  EXPECT_EQ(def.find("port")->group, "Conn");
  EXPECT_EQ(def.find("port")->display_name, "port");  // Kafka: the name when none is given
  EXPECT_FALSE(def.find("host")->default_value.has_value());
  EXPECT_EQ(def.find("nope"), nullptr);
  EXPECT_EQ(def.keys().front().name, "host");  // definition order is kept

  ConfigDef other;
  other.define("port", ConfigType::Long, "1", Importance::Low, "other port");
  other.define("extra", ConfigType::String, "e", Importance::Low, "extra");
  def.merge(other);
  EXPECT_EQ(def.find("port")->type, ConfigType::Int);  // existing key wins
  ASSERT_NE(def.find("extra"), nullptr);
  EXPECT_EQ(def.keys().back().name, "extra");
}

TEST(ConfigDefTest, DefineRejectsDuplicatesAndBadDefaults) {
  ConfigDef def;
  def.define("a", ConfigType::String, "x", Importance::Low, "");
  try {
    def.define("a", ConfigType::String, "y", Importance::Low, "");
    FAIL() << "expected a duplicate error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "Configuration a is defined twice.");
  }
  EXPECT_THROW(def.define("b", ConfigType::Int, "ten", Importance::Low, ""), std::invalid_argument);
  EXPECT_THROW(def.define("c", ConfigType::Boolean, "yes", Importance::Low, ""),
               std::invalid_argument);
  EXPECT_NO_THROW(def.define("d", ConfigType::Int, "", Importance::Low, ""));  // "" = null default
}

TEST(ConfigDefTest, ValidateWithKafkasMessages) {
  const ConfigDef def = sample_def();
  auto errors = def.validate({{"port", "abc"},
                              {"ssl", "yes"},
                              {"max.bytes", "-1"},
                              {"ratio", "half"},
                              {"mode", "sometimes"},
                              {"short", "40000"},
                              {"name", "  "},
                              {"unknown.key", "whatever"}});
  // Every defined key has an entry; undefined keys pass through unchecked.
  EXPECT_EQ(errors.size(), def.keys().size());
  EXPECT_EQ(errors.count("unknown.key"), 0u);
  const std::vector<std::string> host = {
      "Missing required configuration \"host\" which has no default value."};
  EXPECT_EQ(errors["host"], host);
  EXPECT_EQ(errors["port"],
            std::vector<std::string>{
                "Invalid value abc for configuration port: Not a number of type INT"});
  EXPECT_EQ(errors["ssl"], std::vector<std::string>{
                               "Invalid value yes for configuration ssl: Expected value to be "
                               "either true or false"});
  EXPECT_EQ(errors["max.bytes"],
            std::vector<std::string>{"Invalid value -1 for configuration max.bytes: Value must be "
                                     "at least 0"});
  EXPECT_EQ(errors["ratio"],
            std::vector<std::string>{"Invalid value half for configuration ratio: Not a number of "
                                     "type DOUBLE"});
  EXPECT_EQ(errors["mode"], std::vector<std::string>{
                                "Invalid value sometimes for configuration mode: String must be "
                                "one of (case insensitive): INITIAL, NEVER, ALWAYS"});
  EXPECT_EQ(errors["short"],
            std::vector<std::string>{"Invalid value 40000 for configuration short: Not a number of "
                                     "type SHORT"});
  EXPECT_EQ(errors["name"],
            std::vector<std::string>{"Invalid value    for configuration name: String must be "
                                     "non-empty"});
  EXPECT_TRUE(errors["tables"].empty());
  EXPECT_TRUE(errors["password"].empty());
}

TEST(ConfigDefTest, ValidConfigHasNoErrors) {
  const ConfigDef def = sample_def();
  const auto errors = def.validate({{"host", "db"},
                                    {"port", " 6543 "},
                                    {"ssl", "TRUE"},
                                    {"ratio", "1e-3"},
                                    {"mode", "Never"},
                                    {"max.bytes", "9223372036854775807"}});
  for (const auto& [key, list] : errors) EXPECT_TRUE(list.empty()) << key << ": " << list[0];
}

TEST(ConfigDefTest, IntRange) {
  ConfigDef def;
  def.define("i", ConfigType::Int, "0", Importance::Low, "");
  EXPECT_TRUE(def.validate({{"i", "2147483647"}})["i"].empty());
  EXPECT_TRUE(def.validate({{"i", "-2147483648"}})["i"].empty());
  EXPECT_EQ(def.validate({{"i", "2147483648"}})["i"].size(), 1u);
  EXPECT_EQ(def.validate({{"i", "1.5"}})["i"].size(), 1u);
  EXPECT_EQ(def.validate({{"i", ""}})["i"].size(), 1u);
}

TEST(Validators, Texts) {
  const auto between = validators::between(1, 10);
  EXPECT_FALSE(between("k", "1").has_value());
  EXPECT_FALSE(between("k", "10").has_value());
  EXPECT_EQ(between("k", "0"), "Invalid value 0 for configuration k: Value must be at least 1");
  EXPECT_EQ(between("k", "11"),
            "Invalid value 11 for configuration k: Value must be no more than 10");
  const auto at_least = validators::at_least(-5);
  EXPECT_FALSE(at_least("k", "-5").has_value());
  EXPECT_TRUE(at_least("k", "-6").has_value());
  const auto cs = validators::one_of({"key", "value"}, false);
  EXPECT_FALSE(cs("t", "key").has_value());
  EXPECT_EQ(cs("t", "KEY"),
            "Invalid value KEY for configuration t: String must be one of: key, value");
  const auto ci = validators::one_of({"base64", "numeric"});
  EXPECT_FALSE(ci("d", "Numeric").has_value());
  EXPECT_EQ(ci("d", "hex"),
            "Invalid value hex for configuration d: String must be one of (case insensitive): "
            "BASE64, NUMERIC");
  const auto ne = validators::non_empty_string();
  EXPECT_FALSE(ne("n", "a").has_value());
  EXPECT_TRUE(ne("n", "").has_value());
}

TEST(ConfigGetters, TypedReadsAndDefaults) {
  const ConfigDef def = sample_def();
  const Config c(def, {{"host", " db.local "},
                       {"port", "6543"},
                       {"ssl", "True"},
                       {"tables", " a , b,,c "},
                       {"password", " secret "},
                       {"ratio", "2.5"},
                       {"extra", "pass-through"}});
  EXPECT_EQ(c.get_string("host"), "db.local");  // STRING values are trimmed, as Kafka
  EXPECT_EQ(c.get_int("port"), 6543);
  EXPECT_TRUE(c.get_bool("ssl"));
  EXPECT_EQ(c.get_long("max.bytes"), 1048576);  // default
  EXPECT_DOUBLE_EQ(c.get_double("ratio"), 2.5);
  EXPECT_EQ(c.get_list("tables"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c.get_string("password"), " secret ");  // passwords are not trimmed
  EXPECT_EQ(c.get_string("mode"), "initial");
  EXPECT_EQ(c.get_string("extra"), "pass-through");  // not defined, but present
  EXPECT_EQ(c.raw("port"), "6543");
  EXPECT_EQ(c.raw("mode"), "initial");
  EXPECT_FALSE(c.raw("undefined").has_value());
  EXPECT_EQ(c.props().size(), 7u);
}

TEST(ConfigGetters, ErrorsNameTheKey) {
  const ConfigDef def = sample_def();
  const Config c(def, {{"port", "http"}, {"ssl", "maybe"}, {"ratio", "x"}, {"mode", "bogus"}});
  try {
    c.get_string("host");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "host");
    EXPECT_STREQ(e.what(), "Missing required configuration \"host\" which has no default value.");
  }
  try {
    c.get_int("port");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "port");
    EXPECT_STREQ(e.what(), "Invalid value http for configuration port: Not a number of type INT");
  }
  try {
    c.get_bool("ssl");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "ssl");
  }
  EXPECT_THROW(c.get_double("ratio"), ConfigError);
  try {
    c.get_string("mode");  // the validator runs on read too
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "mode");
    EXPECT_NE(std::string(e.what()).find("String must be one of"), std::string::npos);
  }
  try {
    c.get_string("never.defined");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "never.defined");
    EXPECT_STREQ(e.what(), "Unknown configuration 'never.defined'");
  }
}

TEST(ConfigGetters, IntOverflowIsAnError) {
  ConfigDef def;
  def.define("i", ConfigType::Int, "0", Importance::Low, "");
  const Config c(def, {{"i", "3000000000"}});
  EXPECT_THROW(c.get_int("i"), ConfigError);
  const Config ok(def, {{"i", "-7"}});
  EXPECT_EQ(ok.get_int("i"), -7);
}

TEST(ParseHelpers, Bool) {
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool(" FALSE "), false);
  EXPECT_EQ(parse_bool("TrUe"), true);
  EXPECT_FALSE(parse_bool("1").has_value());
  EXPECT_FALSE(parse_bool("yes").has_value());
  EXPECT_FALSE(parse_bool("").has_value());
}

TEST(ParseHelpers, Long) {
  EXPECT_EQ(parse_long("0"), 0);
  EXPECT_EQ(parse_long(" -42 "), -42);
  EXPECT_EQ(parse_long("+7"), 7);
  EXPECT_EQ(parse_long("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_long("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(parse_long("9223372036854775808").has_value());
  EXPECT_FALSE(parse_long("-9223372036854775809").has_value());
  EXPECT_FALSE(parse_long("12a").has_value());
  EXPECT_FALSE(parse_long("1.0").has_value());
  EXPECT_FALSE(parse_long("").has_value());
  EXPECT_FALSE(parse_long("-").has_value());
  EXPECT_FALSE(parse_long("0x10").has_value());
}

TEST(ParseHelpers, Double) {
  EXPECT_EQ(parse_double("1.5"), 1.5);
  EXPECT_EQ(parse_double(" -2e3 "), -2000.0);
  EXPECT_EQ(parse_double(".5"), 0.5);
  EXPECT_EQ(parse_double("+3"), 3.0);
  EXPECT_EQ(parse_double("2.5f"), 2.5);
  EXPECT_EQ(parse_double("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_double("-Infinity"), -std::numeric_limits<double>::infinity());
  ASSERT_TRUE(parse_double("NaN").has_value());
  EXPECT_TRUE(std::isnan(*parse_double("NaN")));
  EXPECT_EQ(parse_double("1e400"), std::numeric_limits<double>::infinity());
  EXPECT_FALSE(parse_double("inf").has_value());
  EXPECT_FALSE(parse_double("abc").has_value());
  EXPECT_FALSE(parse_double("").has_value());
  EXPECT_FALSE(parse_double("1.2.3").has_value());
}

TEST(ParseHelpers, SplitList) {
  EXPECT_EQ(split_list("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_list("  a , b  ,, ,c,"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("").empty());
  EXPECT_TRUE(split_list(" , ").empty());
  EXPECT_EQ(split_list("public.t1"), (std::vector<std::string>{"public.t1"}));
}

TEST(ParseHelpers, WithPrefixStripped) {
  const ConfigMap props = {{"value.converter", "x"},
                           {"value.converter.schemas.enable", "false"},
                           {"value.converter.decimal.format", "NUMERIC"},
                           {"value.converterX", "no"},
                           {"key.converter.schemas.enable", "true"},
                           {"a", "b"}};
  const ConfigMap stripped = with_prefix_stripped(props, "value.converter.");
  const ConfigMap expected = {{"schemas.enable", "false"}, {"decimal.format", "NUMERIC"}};
  EXPECT_EQ(stripped, expected);
  EXPECT_TRUE(with_prefix_stripped(props, "nothing.").empty());
  EXPECT_EQ(with_prefix_stripped(props, "").size(), props.size());
}

}  // namespace
}  // namespace tributary
