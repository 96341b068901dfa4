// Worker-side parsing without servers: .properties files, config providers, worker config
// validation, offset key bytes, the file offset store, the plugin loader's failure reports and
// transform-chain validation.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/properties.h"
#include "converters/builtin.h"
#include "offsets/offset_store.h"
#include "plugins/registry.h"
#include "storage/connector_file.h"
#include "tributary/bounded_json.h"
#include "worker/transform_chain.h"
#include "worker/worker_config.h"

namespace tributary {
namespace {
namespace fs = std::filesystem;

fs::path temp_dir() {
  auto p =
      fs::temp_directory_path() / ("tributary-unit-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TEST(Properties, ParsesJavaPropertiesSyntax) {
  auto m = parse_properties(
      "# comment\n"
      "! also a comment\n"
      "bootstrap.servers=localhost:9092\n"
      "  key.converter : org.apache.kafka.connect.json.JsonConverter\n"
      "spaced value\n"
      "multi=one,\\\n"
      "      two\n"
      "escaped\\=key=a\\tb\n"
      "unicode=caf\\u00e9\n"
      "empty=\n"
      "crlf=yes\r\n");
  EXPECT_EQ(m.at("bootstrap.servers"), "localhost:9092");
  EXPECT_EQ(m.at("key.converter"), "org.apache.kafka.connect.json.JsonConverter");
  EXPECT_EQ(m.at("spaced"), "value");
  EXPECT_EQ(m.at("multi"), "one,two");
  EXPECT_EQ(m.at("escaped=key"), "a\tb");
  EXPECT_EQ(m.at("unicode"), "caf\xC3\xA9");
  EXPECT_EQ(m.at("empty"), "");
  EXPECT_EQ(m.at("crlf"), "yes");
  EXPECT_EQ(m.size(), 8u);
}

TEST(Properties, MissingFileNamesThePath) {
  try {
    load_properties_file("/nonexistent/worker.properties");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/worker.properties"), std::string::npos);
  }
}

TEST(ConfigProviders, ResolvesFileAndEnvReferences) {
  auto dir = temp_dir();
  std::ofstream(dir / "secrets.properties") << "password=s3cret\n";
  ::setenv("TRIBUTARY_UNIT_USER", "debezium", 1);
  ConfigProviders p({{"config.providers", "file,env"},
                     {"config.providers.file.class",
                      "org.apache.kafka.common.config.provider.FileConfigProvider"},
                     {"config.providers.env.class",
                      "org.apache.kafka.common.config.provider.EnvVarConfigProvider"}});
  auto out = p.resolve(
      {{"database.password", "${file:" + (dir / "secrets.properties").string() + ":password}"},
       {"database.user", "${env:TRIBUTARY_UNIT_USER}"},
       {"plain", "x${unknown:thing}y"}});
  EXPECT_EQ(out.at("database.password"), "s3cret");
  EXPECT_EQ(out.at("database.user"), "debezium");
  EXPECT_EQ(out.at("plain"), "x${unknown:thing}y");  // not a provider: kept verbatim, as Kafka
  try {
    p.resolve({{"database.password", "${env:TRIBUTARY_UNIT_NOT_SET}"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "database.password");
    EXPECT_NE(std::string(e.what()).find("TRIBUTARY_UNIT_NOT_SET"), std::string::npos);
  }
}

TEST(ConfigProviders, DirectoryAllowedPathsAndAllowlistAsKafka) {
  auto dir = temp_dir();
  fs::create_directories(dir / "secrets");
  std::ofstream(dir / "secrets" / "db-password") << "line1\nline2";  // content as it is
  std::ofstream(dir / "outside.properties") << "k=v\n";
  std::ofstream(dir / "secrets" / "in.properties") << "k=inside\n";
  ::setenv("TRIB_OK_USER", "u1", 1);
  ::setenv("TRIB_HIDDEN", "h1", 1);
  ConfigProviders p({{"config.providers", "dir,file,env"},
                     {"config.providers.dir.class",
                      "org.apache.kafka.common.config.provider.DirectoryConfigProvider"},
                     {"config.providers.file.class", "FileConfigProvider"},
                     {"config.providers.file.param.allowed.paths", (dir / "secrets").string()},
                     {"config.providers.env.class", "EnvVarConfigProvider"},
                     {"config.providers.env.param.allowlist.pattern", "TRIB_OK_.*"}});
  std::string d = (dir / "secrets").string();
  EXPECT_EQ(p.resolve_value("a", "${dir:" + d + ":db-password}"), "line1\nline2");
  EXPECT_EQ(p.resolve_value("a", "${file:" + d + "/in.properties:k}"), "inside");
  EXPECT_EQ(p.resolve_value("a", "${env:TRIB_OK_USER}"), "u1");
  auto error_of = [&](const std::string& v) {
    try {
      p.resolve_value("the.key", v);
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "the.key");
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // Kafka's allowlist is a full match: TRIB_HIDDEN does not match TRIB_OK_.*
  EXPECT_NE(error_of("${env:TRIB_HIDDEN}").find("allowlist.pattern"), std::string::npos);
  EXPECT_NE(
      error_of("${file:" + (dir / "outside.properties").string() + ":k}").find("allowed.paths"),
      std::string::npos);
  // ".." is normalized away before the allowed.paths check.
  EXPECT_NE(error_of("${file:" + d + "/../outside.properties:k}").find("allowed.paths"),
            std::string::npos);
  EXPECT_NE(error_of("${dir:" + d + ":../outside.properties}").find("not a file name"),
            std::string::npos);
  EXPECT_NE(error_of("${dir:" + d + ":missing}").find("cannot be read"), std::string::npos);
  EXPECT_NE(error_of("${dir:/dev:zero}").find("not a regular file"), std::string::npos);
  // The path ends at the second ':' as in Kafka's pattern; the key is the rest.
  EXPECT_NE(error_of("${file:" + d + "/in.properties:a:b}").find("key 'a:b'"), std::string::npos);
  // Reverse transform: task configs get the references back.
  ConfigMap raw{{"database.password", "${env:TRIB_OK_USER}"}, {"plain", "p"}};
  ConfigMap task{{"database.password", "u1"}, {"plain", "p"}, {"task.id", "0"}};
  p.reverse_transform(raw, task);
  EXPECT_EQ(task.at("database.password"), "${env:TRIB_OK_USER}");
  EXPECT_EQ(task.at("plain"), "p");
  EXPECT_TRUE(p.has_reference("x${env:A}y"));
  EXPECT_FALSE(p.has_reference("${vault:a:b}"));
  try {
    ConfigProviders bad({{"config.providers", "file"},
                         {"config.providers.file.param.allowed.paths", "relative/dir"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "config.providers.file.param.allowed.paths");
  }
}

TEST(BoundedJson, DepthIsCountedOutsideStrings) {
  EXPECT_EQ(json_nesting_depth("1"), 0);
  EXPECT_EQ(json_nesting_depth(R"({"a":[1,{"b":[]}]})"), 4);
  EXPECT_EQ(json_nesting_depth(R"({"a":"[[[[\"[[[["})"), 1);
  EXPECT_EQ(json_nesting_depth(R"(["\\",[[]]])"), 3);
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(json_nesting_depth(deep, 10), 11);  // stops counting past the limit
  EXPECT_THROW(parse_bounded_json(deep, "Body"), JsonTooDeep);
  try {
    parse_bounded_json(std::string(129, '[') + std::string(129, ']'), "Offsets file 'x'");
    FAIL();
  } catch (const JsonTooDeep& e) {
    EXPECT_STREQ(e.what(), "Offsets file 'x' is nested more than 128 levels deep");
  }
  auto ok = parse_bounded_json(std::string(128, '[') + std::string(128, ']'), "Body");
  EXPECT_TRUE(ok.is_array());
  EXPECT_THROW(parse_bounded_json("[1,", "Body"), nlohmann::ordered_json::parse_error);
}

TEST(FileOffsetStore, MalformedFileNamesTheFileAndEntry) {
  auto dir = temp_dir();
  auto path = (dir / "offsets").string();
  for (const char* text : {"{\"offsets\":[{\"key\":1}]}", "[1,2]", "{nope",
                           "{\"offsets\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]}"}) {
    std::ofstream(path, std::ios::trunc) << text;
    auto store = make_file_offset_store(path);
    try {
      store->start();
      ADD_FAILURE() << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

TEST(ConfigProviders, UnknownProviderClassNamesTheKey) {
  try {
    ConfigProviders p({{"config.providers", "vault"},
                       {"config.providers.vault.class", "com.example.VaultProvider"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "config.providers.vault.class");
  }
}

TEST(WorkerConfig, DefaultsAsKafkaConnect) {
  auto w = parse_worker_config({{"bootstrap.servers", "a:1, b:2"}});
  EXPECT_EQ(w.bootstrap_servers, "a:1,b:2");
  EXPECT_EQ(w.listeners, "http://:8083");
  EXPECT_EQ(w.offset_flush_interval.count(), 60000);
  EXPECT_EQ(w.offset_flush_timeout.count(), 5000);
  EXPECT_EQ(w.graceful_shutdown.count(), 5000);
  EXPECT_EQ(w.offset_topic, "connect-offsets");
  EXPECT_EQ(w.offset_topic_partitions, 25);
  EXPECT_TRUE(w.topic_creation_enable);
  EXPECT_EQ(w.producer_io_thread_nice, 10);
  EXPECT_EQ(w.config_file, "tributary-connectors.json");
  auto f = parse_worker_config({{"offset.storage.file.filename", "/tmp/x.offsets"}});
  EXPECT_EQ(f.config_file, "/tmp/x.offsets.connectors.json");
}

TEST(WorkerConfig, BadValueNamesTheKey) {
  try {
    parse_worker_config({{"offset.flush.interval.ms", "soon"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "offset.flush.interval.ms");
    EXPECT_NE(std::string(e.what()).find("offset.flush.interval.ms"), std::string::npos);
  }
  try {
    parse_worker_config({{"exactly.once.source.support", "sometimes"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "exactly.once.source.support");
  }
}

TEST(WorkerConfig, IoThreadNiceIsAnIntegerFrom0To19) {
  EXPECT_EQ(
      parse_worker_config({{"tributary.producer.io.thread.nice", "0"}}).producer_io_thread_nice, 0);
  for (const char* bad : {"20", "-1", "low"}) {
    try {
      parse_worker_config({{"tributary.producer.io.thread.nice", bad}});
      FAIL() << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "tributary.producer.io.thread.nice") << bad;
    }
  }
}

TEST(WorkerConfig, ProducerPropsKeepDeliveryGuarantees) {
  auto w = parse_worker_config(
      {{"bootstrap.servers", "k:9092"}, {"producer.linger.ms", "20"}, {"producer.acks", "1"}});
  auto p = w.producer_props({{"producer.override.compression.type", "lz4"},
                             {"producer.override.enable.idempotence", "false"}});
  EXPECT_EQ(p.at("bootstrap.servers"), "k:9092");
  EXPECT_EQ(p.at("linger.ms"), "20");
  EXPECT_EQ(p.at("compression.type"), "lz4");
  EXPECT_EQ(p.at("acks"), "all");  // delivery depends on these
  EXPECT_EQ(p.at("enable.idempotence"), "true");
  EXPECT_EQ(p.at("partitioner"), "murmur2_random");  // Java's key partitioning
}

TEST(WorkerConfig, ProducerBufferIsBoundedLikeJavasBufferMemory) {
  auto w = parse_worker_config({{"bootstrap.servers", "k:9092"}});
  // 16 MB (Java's buffer.memory default is 32 MB; librdkafka's own is 1 GB).
  EXPECT_EQ(w.producer_props({}).at("queue.buffering.max.kbytes"), "16384");
  // buffer.memory (bytes), as Java users write it, from the worker or a connector override.
  auto w2 =
      parse_worker_config({{"bootstrap.servers", "k:9092"}, {"producer.buffer.memory", "8388608"}});
  EXPECT_EQ(w2.producer_props({}).at("queue.buffering.max.kbytes"), "8192");
  EXPECT_EQ(w2.producer_props({{"producer.override.buffer.memory", "1048576"}})
                .at("queue.buffering.max.kbytes"),
            "1024");
}

TEST(OffsetKey, ByteIdenticalToKafkaConnect) {
  EXPECT_EQ(offset_key("inventory-connector", OffsetMap{{"server", "dbserver1"}}),
            R"(["inventory-connector",{"server":"dbserver1"}])");
  // Key order is the connector's insertion order, not sorted.
  EXPECT_EQ(offset_key("c", OffsetMap{{"z", 1}, {"a", "x"}}), R"(["c",{"z":1,"a":"x"}])");
  EXPECT_EQ(compact_json(OffsetMap{{"lsn", 123}, {"txId", 7}, {"snapshot", true}}),
            R"({"lsn":123,"txId":7,"snapshot":true})");
  EXPECT_EQ(offset_key("quote\"d", OffsetMap{{"k", "caf\xC3\xA9"}}),
            "[\"quote\\\"d\",{\"k\":\"caf\xC3\xA9\"}]");
}

TEST(FileOffsetStore, PersistsReloadsAndDeletes) {
  auto dir = temp_dir();
  auto path = (dir / "offsets").string();
  OffsetMap p1{{"server", "a"}}, p2{{"server", "b"}};
  {
    auto s = make_file_offset_store(path);
    s->start();
    EXPECT_FALSE(s->get("c", p1));
    s->put("c", {{p1, OffsetMap{{"lsn", 1}}}, {p2, OffsetMap{{"lsn", 2}}}},
           std::chrono::seconds(1));
    s->put("c", {{p1, OffsetMap{{"lsn", 10}}}}, std::chrono::seconds(1));
  }
  {
    auto s = make_file_offset_store(path);
    s->start();
    EXPECT_EQ((*s->get("c", p1))["lsn"], 10);
    EXPECT_EQ((*s->get("c", p2))["lsn"], 2);
    EXPECT_EQ(s->all("c").size(), 2u);
    EXPECT_TRUE(s->all("other").empty());
    s->put("c", {{p2, std::nullopt}}, std::chrono::seconds(1));
  }
  auto s = make_file_offset_store(path);
  s->start();
  EXPECT_FALSE(s->get("c", p2));
  EXPECT_TRUE(s->get("c", p1));
}

TEST(FileOffsetStore, CorruptFileIsAClearError) {
  auto dir = temp_dir();
  std::ofstream(dir / "offsets") << "{not json";
  auto s = make_file_offset_store((dir / "offsets").string());
  try {
    s->start();
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "offsets").string()), std::string::npos);
  }
}

TEST(FileOffsetStore, UnwritableDirectoryFailsPutAndKeepsOldOffsets) {
  auto s = make_file_offset_store("/nonexistent-dir/offsets");
  s->start();
  OffsetMap p{{"server", "a"}};
  EXPECT_THROW(s->put("c", {{p, OffsetMap{{"lsn", 1}}}}, std::chrono::seconds(1)),
               std::runtime_error);
  EXPECT_FALSE(s->get("c", p));  // rolled back
}

TEST(PluginLoader, BrokenFilesAreReportedAndSkipped) {
  auto dir = temp_dir();
  std::ofstream(dir / "libgarbage.so") << "this is not an ELF file";
  // A real shared object without the entry symbols.
  fs::copy_file(fs::path(TRIBUTARY_PLUGIN_DIR).parent_path() / "lib" / "libtributary_sdk.so",
                dir / "libnotaplugin.so");
  PluginRegistry reg;
  auto results = load_plugins({dir.string(), "/nonexistent/plugins"}, reg);
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find(r.path), std::string::npos) << r.error;  // names the file
  }
  auto by_name = [&](const std::string& n) {
    for (const auto& r : results)
      if (r.path.find(n) != std::string::npos) return r.error;
    return std::string();
  };
  EXPECT_NE(by_name("libnotaplugin.so").find("tributary_plugin_abi_version"), std::string::npos);
  EXPECT_NE(by_name("libgarbage.so").find("dlopen"), std::string::npos);
  EXPECT_TRUE(reg.all().empty());
}

TEST(PluginLoader, GeneratorRegistersByNameAndAliases) {
  PluginRegistry reg;
  auto results = load_plugins({TRIBUTARY_PLUGIN_DIR}, reg);
  const auto* d = reg.find("io.tributary.connect.generator.GeneratorSourceConnector");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(reg.find("GeneratorSource"), d);
  EXPECT_EQ(reg.find("GeneratorSource", PluginType::Source), d);
  EXPECT_EQ(reg.find("GeneratorSource", PluginType::Converter), nullptr);
  EXPECT_NE(d->config_def.find("topic"), nullptr);
}

TEST(PluginRegistry, ConvertersResolveByNameAndRole) {
  PluginRegistry reg;
  register_builtin_converters(reg);
  for (const char* n : {"org.apache.kafka.connect.json.JsonConverter", "JsonConverter",
                        "org.apache.kafka.connect.storage.StringConverter",
                        "org.apache.kafka.connect.converters.ByteArrayConverter"}) {
    EXPECT_NE(reg.find(n, PluginType::Converter), nullptr) << n;
    EXPECT_NE(reg.find(n, PluginType::HeaderConverter), nullptr) << n;  // as in Kafka
  }
  EXPECT_NE(reg.find("org.apache.kafka.connect.storage.SimpleHeaderConverter",
                     PluginType::HeaderConverter),
            nullptr);
  EXPECT_EQ(
      reg.find("org.apache.kafka.connect.storage.SimpleHeaderConverter", PluginType::Converter),
      nullptr);
  // Registering the same (name, type) again is skipped, not duplicated.
  auto before = reg.all().size();
  register_builtin_converters(reg);
  EXPECT_EQ(reg.all().size(), before);
}

TEST(TransformChain, UnknownTypeAndPredicateNameTheKey) {
  PluginRegistry reg;
  register_builtin_converters(reg);
  auto errors = TransformChain::validate(
      {{"transforms", "route"}, {"transforms.route.type", "com.example.Nope"}}, reg);
  ASSERT_TRUE(errors.count("transforms.route.type"));
  EXPECT_NE(errors["transforms.route.type"].front().find("com.example.Nope"), std::string::npos);
  errors = TransformChain::validate({{"transforms", "x"}}, reg);
  ASSERT_TRUE(errors.count("transforms.x.type"));
  errors = TransformChain::validate({}, reg);
  EXPECT_TRUE(errors.empty());
  TransformChain empty({}, reg);
  EXPECT_TRUE(empty.empty());
}

TEST(ConnectorFile, RoundTripsAndReportsEveryBadEntry) {
  std::vector<StoredConnector> in{
      {"a", {{"connector.class", "X"}, {"p", "${env:A}"}}, TargetState::Paused},
      {"b", {{"connector.class", "Y"}}, TargetState::Stopped}};
  auto text = render_connector_file(in);
  auto back = parse_connector_file(text, "/x/c.json");
  EXPECT_TRUE(back.problems.empty());
  ASSERT_EQ(back.connectors.size(), 2u);
  EXPECT_EQ(back.connectors[0].config.at("p"), "${env:A}");
  EXPECT_EQ(back.connectors[0].target, TargetState::Paused);
  EXPECT_EQ(back.connectors[1].target, TargetState::Stopped);

  auto bad = parse_connector_file(
      R"({"connectors":{"ok":{"config":{"k":"v"}},"n":{"config":{"k":1}},"s":{"config":{},)"
      R"("target_state":"BOGUS"},"c":{"x":1},"arr":[]}})",
      "/x/c.json");
  ASSERT_EQ(bad.connectors.size(), 1u);
  EXPECT_EQ(bad.connectors[0].name, "ok");
  EXPECT_EQ(bad.connectors[0].target, TargetState::Started);  // absent: STARTED
  ASSERT_EQ(bad.problems.size(), 4u);
  for (const auto& p : bad.problems) EXPECT_NE(p.find("/x/c.json"), std::string::npos) << p;
  EXPECT_NE(bad.problems[0].find("'n' has a non-string value for 'k'"), std::string::npos);
  for (const char* text : {"", "[]", "{\"connectors\":[]}", "{nope"}) {
    auto r = parse_connector_file(text, "/x/c.json");
    EXPECT_TRUE(r.connectors.empty());
    ASSERT_EQ(r.problems.size(), 1u) << text;
  }
  std::string deep = "{\"connectors\":" + std::string(200, '[') + std::string(200, ']') + "}";
  auto d = parse_connector_file(deep, "/x/c.json");
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_NE(d.problems[0].find("nested more than 128 levels"), std::string::npos);
}

}  // namespace
}  // namespace tributary
