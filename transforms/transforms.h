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

const ConfigDef& topic_name_matches_config_def();
const ConfigDef& has_header_key_config_def();
std::unique_ptr<Predicate> make_topic_name_matches();
std::unique_ptr<Predicate> make_has_header_key();
std::unique_ptr<Predicate> make_record_is_tombstone();

/// Registers every class above (the plugin entry calls it; tests call it on a registry).
void register_transforms(PluginRegistrar& r);

}  // namespace tributary::transforms
