// Single message transforms and predicates.
//
// Mirrors org.apache.kafka.connect.transforms.Transformation and .predicates.Predicate.
// A transform edits a record in place and returns false to drop it.
//
// Threading: one instance per task; called only from that task's thread.
#pragma once

#include "tributary/config.h"
#include "tributary/record.h"

namespace tributary {

class Transformation {
 public:
  virtual ~Transformation() = default;
  /// Throws ConfigError naming the key on a bad config.
  virtual void configure(const ConfigMap& props) = 0;
  /// Returns false to drop the record.
  virtual bool apply(SourceRecord& record) = 0;
};

class Predicate {
 public:
  virtual ~Predicate() = default;
  virtual void configure(const ConfigMap& props) = 0;
  virtual bool test(const SourceRecord& record) const = 0;
};

}  // namespace tributary
