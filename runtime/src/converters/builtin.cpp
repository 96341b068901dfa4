// Built-in converter registration (see builtin.h).
//
// Threading: start-up only.
#include "converters/builtin.h"

#include <memory>
#include <utility>

#include "converters/json_converter.h"
#include "converters/string_converter.h"

namespace tributary {

namespace {

template <class T>
PluginDescriptor converter(std::string class_name, std::string alias, ConfigDef def) {
  PluginDescriptor d;
  d.class_name = std::move(class_name);
  d.aliases = {std::move(alias)};
  d.type = PluginType::Converter;
  d.version = kBuiltinConverterVersion;
  d.config_def = std::move(def);
  d.make_converter = [] { return std::make_unique<T>(); };
  return d;
}

template <class T>
PluginDescriptor header_converter(std::string class_name, std::string alias, ConfigDef def) {
  PluginDescriptor d;
  d.class_name = std::move(class_name);
  d.aliases = {std::move(alias)};
  d.type = PluginType::HeaderConverter;
  d.version = kBuiltinConverterVersion;
  d.config_def = std::move(def);
  d.make_header_converter = [] { return std::make_unique<T>(); };
  return d;
}

}  // namespace

void register_builtin_converters(PluginRegistrar& registrar) {
  registrar.add(converter<JsonConverter>("org.apache.kafka.connect.json.JsonConverter",
                                         "JsonConverter", json_converter_config_def()));
  registrar.add(converter<StringConverter>("org.apache.kafka.connect.storage.StringConverter",
                                           "StringConverter", string_converter_config_def()));
  registrar.add(
      converter<ByteArrayConverter>("org.apache.kafka.connect.converters.ByteArrayConverter",
                                    "ByteArrayConverter", byte_array_converter_config_def()));
  registrar.add(header_converter<SimpleHeaderConverter>(
      "org.apache.kafka.connect.storage.SimpleHeaderConverter", "SimpleHeaderConverter",
      simple_header_converter_config_def()));
  // As in Kafka, these three are header converters too (header.converter=...JsonConverter).
  registrar.add(header_converter<JsonConverter>("org.apache.kafka.connect.json.JsonConverter",
                                                "JsonConverter", json_converter_config_def()));
  registrar.add(
      header_converter<StringConverter>("org.apache.kafka.connect.storage.StringConverter",
                                        "StringConverter", string_converter_config_def()));
  registrar.add(header_converter<ByteArrayConverter>(
      "org.apache.kafka.connect.converters.ByteArrayConverter", "ByteArrayConverter",
      byte_array_converter_config_def()));
}

}  // namespace tributary
