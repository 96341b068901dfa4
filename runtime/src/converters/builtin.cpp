// Built-in converter registration (see builtin.h).
//
// Threading: start-up only.
#include "converters/builtin.h"

#include <memory>
#include <utility>

#include "converters/avro_converter.h"
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

// Kafka's JsonConverter, StringConverter and ByteArrayConverter are converters and header
// converters both (header.converter=...JsonConverter works); each is registered once per role.
template <class T>
void converter_and_header_converter(PluginRegistrar& registrar, const std::string& class_name,
                                    const std::string& alias, const ConfigDef& def) {
  registrar.add(converter<T>(class_name, alias, def));
  registrar.add(header_converter<T>(class_name, alias, def));
}

}  // namespace

void register_builtin_converters(PluginRegistrar& registrar) {
  converter_and_header_converter<JsonConverter>(registrar,
                                                "org.apache.kafka.connect.json.JsonConverter",
                                                "JsonConverter", json_converter_config_def());
  converter_and_header_converter<StringConverter>(
      registrar, "org.apache.kafka.connect.storage.StringConverter", "StringConverter",
      string_converter_config_def());
  converter_and_header_converter<ByteArrayConverter>(
      registrar, "org.apache.kafka.connect.converters.ByteArrayConverter", "ByteArrayConverter",
      byte_array_converter_config_def());
  // Confluent's AvroConverter is a Converter only (not a HeaderConverter).
  registrar.add(converter<avro::AvroConverter>("io.confluent.connect.avro.AvroConverter",
                                               "AvroConverter", avro::avro_converter_config_def()));
  registrar.add(header_converter<SimpleHeaderConverter>(
      "org.apache.kafka.connect.storage.SimpleHeaderConverter", "SimpleHeaderConverter",
      simple_header_converter_config_def()));
}

}  // namespace tributary
