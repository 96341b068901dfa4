// org.apache.kafka.connect.transforms.RegexRouter: when the whole topic matches `regex`, the
// topic becomes Matcher.replaceFirst(`replacement`) (Java replacement syntax, `$1`, `${name}`).
// Topics are few, so each topic's outcome is remembered.
#include "transforms.h"

namespace tributary::transforms {
namespace {

class RegexRouter : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(regex_router_config_def(), props);
    const std::string regex = c.get_string("regex");
    try {
      regex_.emplace(regex);
    } catch (const std::invalid_argument& e) {
      invalid("regex", regex, std::string("must be a valid Java regular expression: ") + e.what());
    }
    const std::string replacement = c.get_string("replacement");
    try {
      replacement_.emplace(replacement, *regex_);
    } catch (const std::invalid_argument& e) {
      invalid("replacement", replacement, e.what());
    }
  }

  bool apply(SourceRecord& r) override {
    auto it = routed_.find(r.topic);
    if (it == routed_.end()) {
      if (routed_.size() >= 4096) routed_.clear();
      std::optional<std::string> to;
      if (regex_->matches(r.topic)) to = replacement_->replace_first(*regex_, r.topic);
      it = routed_.emplace(r.topic, std::move(to)).first;
    }
    if (it->second) r.topic = *it->second;
    return true;
  }

 private:
  std::optional<JavaRegex> regex_;
  std::optional<JavaReplacement> replacement_;
  std::unordered_map<std::string, std::optional<std::string>> routed_;  // topic -> new topic
};

}  // namespace

const ConfigDef& regex_router_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("regex", ConfigType::String, std::nullopt, Importance::High,
             "Regular expression to use for matching.");
    d.define("replacement", ConfigType::String, std::nullopt, Importance::High,
             "Replacement string.");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_regex_router() {
  return std::make_unique<RegexRouter>();
}

}  // namespace tributary::transforms
