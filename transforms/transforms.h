// The transforms and predicates of this folder: each class's config definition and factory, and
// the plugin entry that registers them under Kafka's and Debezium's class names.
//
// Threading: factories and config definitions may be called from any thread; each instance they
// make belongs to one task thread.
#pragma once

#include <memory>

#include "common.h"
#include "tributary/plugin.h"
#include "tributary/transform.h"

namespace tributary::transforms {

const ConfigDef& regex_router_config_def();
std::unique_ptr<Transformation> make_regex_router();

const ConfigDef& insert_field_config_def();
std::unique_ptr<Transformation> make_insert_field(Side side);

const ConfigDef& extract_new_record_state_config_def();
std::unique_ptr<Transformation> make_extract_new_record_state();

const ConfigDef& event_router_config_def();
std::unique_ptr<Transformation> make_event_router();

const ConfigDef& filter_config_def();
const ConfigDef& content_based_router_config_def();
std::unique_ptr<Transformation> make_debezium_filter();
std::unique_ptr<Transformation> make_content_based_router();

const ConfigDef& replace_field_config_def();
const ConfigDef& mask_field_config_def();
const ConfigDef& value_to_key_config_def();
const ConfigDef& extract_field_config_def();
const ConfigDef& hoist_field_config_def();
const ConfigDef& set_schema_metadata_config_def();
const ConfigDef& flatten_config_def();
std::unique_ptr<Transformation> make_replace_field(Side side);
std::unique_ptr<Transformation> make_mask_field(Side side);
std::unique_ptr<Transformation> make_value_to_key();
std::unique_ptr<Transformation> make_extract_field(Side side);
std::unique_ptr<Transformation> make_hoist_field(Side side);
std::unique_ptr<Transformation> make_set_schema_metadata(Side side);
std::unique_ptr<Transformation> make_flatten(Side side);

const ConfigDef& cast_config_def();
const ConfigDef& timestamp_converter_config_def();
std::unique_ptr<Transformation> make_cast(Side side);
std::unique_ptr<Transformation> make_timestamp_converter(Side side);

const ConfigDef& timestamp_router_config_def();
std::unique_ptr<Transformation> make_timestamp_router();

const ConfigDef& header_from_config_def();
const ConfigDef& insert_header_config_def();
const ConfigDef& drop_headers_config_def();
std::unique_ptr<Transformation> make_header_from(Side side);
std::unique_ptr<Transformation> make_insert_header();
std::unique_ptr<Transformation> make_drop_headers();
/// Kafka's Filter: drops every record it is applied to (used with a predicate).
std::unique_ptr<Transformation> make_kafka_filter();

const ConfigDef& topic_name_matches_config_def();
const ConfigDef& has_header_key_config_def();
std::unique_ptr<Predicate> make_topic_name_matches();
std::unique_ptr<Predicate> make_has_header_key();
std::unique_ptr<Predicate> make_record_is_tombstone();

/// Registers every class above (the plugin entry calls it; tests call it on a registry).
void register_transforms(PluginRegistrar& r);

}  // namespace tributary::transforms
