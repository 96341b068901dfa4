// What the transform tests share: a registry with every transform and predicate, a configured
// transform by class name or alias, and the JsonConverter text of a schema and value.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "converters/json_converter.h"
#include "plugins/registry.h"
#include "transforms.h"

namespace tributary::transforms::test {

inline PluginRegistry& registry() {
  static PluginRegistry* reg = [] {
    auto* r = new PluginRegistry;
    register_transforms(*r);
    return r;
  }();
  return *reg;
}

inline std::unique_ptr<Transformation> make(const std::string& cls, const ConfigMap& props) {
  const auto* d = registry().find(cls, PluginType::Transformation);
  EXPECT_NE(d, nullptr) << cls;
  auto t = d->make_transformation();
  t->configure(props);
  return t;
}

/// What Kafka's JsonConverter writes; "<null>" for a tombstone.
inline std::string json(const SchemaPtr& schema, const Value& value, bool schemas = false) {
  JsonConverter c;
  c.configure({{"schemas.enable", schemas ? "true" : "false"}}, false);
  std::string out;
  if (!c.from_connect("t", schema, value, out)) return "<null>";
  return out;
}

}  // namespace tributary::transforms::test
