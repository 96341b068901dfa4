// Kafka's predicates (org.apache.kafka.connect.transforms.predicates): TopicNameMatches (the
// whole topic matches `pattern`), HasHeaderKey (a header named `name` exists), RecordIsTombstone
// (the value is null).
#include "transforms.h"

namespace tributary::transforms {
namespace {

class TopicNameMatches : public Predicate {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(topic_name_matches_config_def(), props);
    const std::string pattern = c.get_string("pattern");
    try {
      regex_.emplace(pattern);
    } catch (const std::invalid_argument& e) {
      invalid("pattern", pattern, std::string("entry must be a valid regex: ") + e.what());
    }
  }
  bool test(const SourceRecord& r) const override {
    auto it = seen_.find(r.topic);
    if (it != seen_.end()) return it->second;
    if (seen_.size() >= 4096) seen_.clear();
    return seen_.emplace(r.topic, regex_->matches(r.topic)).first->second;
  }

 private:
  std::optional<JavaRegex> regex_;
  mutable std::unordered_map<std::string, bool> seen_;  // topic -> outcome (one task thread)
};

class HasHeaderKey : public Predicate {
 public:
  void configure(const ConfigMap& props) override {
    name_ = checked_config(has_header_key_config_def(), props).get_string("name");
  }
  bool test(const SourceRecord& r) const override {
    for (const auto& h : r.headers)
      if (h.key == name_) return true;
    return false;
  }

 private:
  std::string name_;
};

class RecordIsTombstone : public Predicate {
 public:
  void configure(const ConfigMap&) override {}
  bool test(const SourceRecord& r) const override { return r.value.is_null(); }
};

}  // namespace

const ConfigDef& topic_name_matches_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("pattern", ConfigType::String, std::nullopt, Importance::Medium,
             "A Java regular expression for matching against the name of a topic.", "",
             validators::non_empty_string());
    return d;
  }();
  return def;
}

const ConfigDef& has_header_key_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("name", ConfigType::String, std::nullopt, Importance::Medium, "The header name.", "",
             validators::non_empty_string());
    return d;
  }();
  return def;
}

std::unique_ptr<Predicate> make_topic_name_matches() {
  return std::make_unique<TopicNameMatches>();
}
std::unique_ptr<Predicate> make_has_header_key() {
  return std::make_unique<HasHeaderKey>();
}
std::unique_ptr<Predicate> make_record_is_tombstone() {
  return std::make_unique<RecordIsTombstone>();
}

}  // namespace tributary::transforms
