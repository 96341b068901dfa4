// Class names and aliases: Kafka's transforms under
// org.apache.kafka.connect.transforms(.predicates), Debezium's under io.debezium.transforms, each
// also by its simple name.
#include "transforms.h"

namespace tributary::transforms {
namespace {

constexpr const char* kKafkaVersion = "3.9.0-tributary";
constexpr const char* kDebeziumVersion = "2.7.4.Final";

PluginDescriptor describe(std::string cls, std::vector<std::string> aliases, PluginType type,
                          const ConfigDef& def) {
  const bool debezium = cls.starts_with("io.debezium.");
  PluginDescriptor d;
  d.class_name = std::move(cls);
  d.aliases = std::move(aliases);
  d.type = type;
  d.version = debezium ? kDebeziumVersion : kKafkaVersion;
  d.config_def = def;
  return d;
}

void add_transform(PluginRegistrar& r, std::string cls, std::vector<std::string> aliases,
                   const ConfigDef& def, std::function<std::unique_ptr<Transformation>()> make) {
  PluginDescriptor d =
      describe(std::move(cls), std::move(aliases), PluginType::Transformation, def);
  d.make_transformation = std::move(make);
  r.add(std::move(d));
}

void add_predicate(PluginRegistrar& r, std::string cls, std::vector<std::string> aliases,
                   const ConfigDef& def, std::function<std::unique_ptr<Predicate>()> make) {
  PluginDescriptor d = describe(std::move(cls), std::move(aliases), PluginType::Predicate, def);
  d.make_predicate = std::move(make);
  r.add(std::move(d));
}

}  // namespace

void register_transforms(PluginRegistrar& r) {
  const std::string kafka = "org.apache.kafka.connect.transforms.";
  add_transform(r, kafka + "RegexRouter", {"RegexRouter"}, regex_router_config_def(),
                make_regex_router);
  add_transform(r, kafka + "InsertField$Value", {"InsertField$Value"}, insert_field_config_def(),
                [] { return make_insert_field(Side::Value); });
  add_transform(r, kafka + "InsertField$Key", {"InsertField$Key"}, insert_field_config_def(),
                [] { return make_insert_field(Side::Key); });

  // The $Key / $Value pairs.
  struct Sided {
    const char* name;
    const ConfigDef& (*def)();
    std::unique_ptr<Transformation> (*make)(Side);
  };
  for (const Sided& t :
       {Sided{"ReplaceField", replace_field_config_def, make_replace_field},
        Sided{"MaskField", mask_field_config_def, make_mask_field},
        Sided{"ExtractField", extract_field_config_def, make_extract_field},
        Sided{"HoistField", hoist_field_config_def, make_hoist_field},
        Sided{"SetSchemaMetadata", set_schema_metadata_config_def, make_set_schema_metadata},
        Sided{"Flatten", flatten_config_def, make_flatten},
        Sided{"HeaderFrom", header_from_config_def, make_header_from},
        Sided{"Cast", cast_config_def, make_cast},
        Sided{"TimestampConverter", timestamp_converter_config_def, make_timestamp_converter}}) {
    for (const Side side : {Side::Key, Side::Value}) {
      const std::string n = std::string(t.name) + (side == Side::Key ? "$Key" : "$Value");
      auto make = t.make;
      add_transform(r, kafka + n, {n}, t.def(), [make, side] { return make(side); });
    }
  }
  add_transform(r, kafka + "ValueToKey", {"ValueToKey"}, value_to_key_config_def(),
                make_value_to_key);
  add_transform(r, kafka + "InsertHeader", {"InsertHeader"}, insert_header_config_def(),
                make_insert_header);
  add_transform(r, kafka + "DropHeaders", {"DropHeaders"}, drop_headers_config_def(),
                make_drop_headers);
  add_transform(r, kafka + "Filter", {}, ConfigDef{}, make_kafka_filter);
  add_transform(r, kafka + "TimestampRouter", {"TimestampRouter"}, timestamp_router_config_def(),
                make_timestamp_router);

  const std::string dbz = "io.debezium.transforms.";
  add_transform(r, dbz + "ExtractNewRecordState", {"ExtractNewRecordState"},
                extract_new_record_state_config_def(), make_extract_new_record_state);
  add_transform(r, dbz + "Filter", {}, filter_config_def(), make_debezium_filter);
  add_transform(r, dbz + "outbox.EventRouter", {"EventRouter"}, event_router_config_def(),
                make_event_router);
  add_transform(r, dbz + "ContentBasedRouter", {"ContentBasedRouter"},
                content_based_router_config_def(), make_content_based_router);

  const std::string pred = kafka + "predicates.";
  add_predicate(r, pred + "TopicNameMatches", {"TopicNameMatches"}, topic_name_matches_config_def(),
                make_topic_name_matches);
  add_predicate(r, pred + "HasHeaderKey", {"HasHeaderKey"}, has_header_key_config_def(),
                make_has_header_key);
  add_predicate(r, pred + "RecordIsTombstone", {"RecordIsTombstone"}, ConfigDef{},
                make_record_is_tombstone);
}

}  // namespace tributary::transforms
