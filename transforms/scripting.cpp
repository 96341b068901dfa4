// Debezium's scripting transforms, io.debezium.transforms.Filter (keeps a record when its
// `condition` holds) and io.debezium.transforms.ContentBasedRouter (the topic becomes what
// `topic.expression` returns), with conditions written for `jsr223.groovy` or `jsr223.graal.js`
// evaluated by expr.h instead of a JVM script engine. Both skip records whose topic does not match
// `topic.regex` (as a whole) and treat null values per `null.handling.mode` (keep, drop, evaluate).
#include "expr.h"
#include "transforms.h"

namespace tributary::transforms {
namespace {

enum class NullHandling { Keep, Drop, Evaluate };

class Scripting : public Transformation {
 public:
  explicit Scripting(bool router) : router_(router) {}

  void configure(const ConfigMap& props) override {
    const Config c =
        checked_config(router_ ? content_based_router_config_def() : filter_config_def(), props);
    const std::string language = c.get_string("language");
    constexpr std::string_view kPrefix = "jsr223.";
    if (!language.starts_with(kPrefix))
      invalid("language", language,
              "Value for option 'language' must begin with 'jsr223.', e.g. "
              "'jsr223.groovy'");
    const std::string engine = language.substr(kPrefix.size());
    expr::Dialect dialect = expr::Dialect::Groovy;
    if (engine == "groovy") {
      dialect = expr::Dialect::Groovy;
    } else if (engine == "graal.js" || engine == "javascript" || engine == "js" ||
               engine == "nashorn" || engine == "ecmascript") {
      dialect = expr::Dialect::JavaScript;
    } else {
      invalid("language", language,
              "Implementation of language '" + engine +
                  "' not found (conditions are evaluated natively for jsr223.groovy and "
                  "jsr223.graal.js)");
    }
    key_ = router_ ? "topic.expression" : "condition";
    text_ = c.get_string(key_);
    try {
      expression_ = expr::Expression::parse(text_, dialect);
    } catch (const expr::ParseError& e) {
      invalid(key_, text_, "Failed to parse expression '" + text_ + "': " + e.what());
    }
    if (auto regex = c.raw("topic.regex"); regex && !regex->empty()) {
      try {
        topic_regex_.emplace(*regex);
      } catch (const std::invalid_argument& e) {
        invalid("topic.regex", *regex,
                std::string("must be a valid regular expression: ") + e.what());
      }
    }
    std::string mode = c.get_string("null.handling.mode");
    for (auto& ch : mode) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    nulls_ = mode == "drop" ? NullHandling::Drop
                            : (mode == "evaluate" ? NullHandling::Evaluate : NullHandling::Keep);
  }

  bool apply(SourceRecord& r) override {
    if (topic_regex_ && !topic_regex_->matches(r.topic)) return true;
    if (r.value.is_null()) {
      if (nulls_ == NullHandling::Keep) return true;
      if (nulls_ == NullHandling::Drop) return false;
    }
    expr::Result result;
    try {
      result = expression_.evaluate(r);
    } catch (const expr::EvalError& e) {
      fail(r, e.what());
    }
    if (router_) {
      if (std::holds_alternative<std::monostate>(result)) return true;
      const auto* topic = std::get_if<std::string>(&result);
      if (topic == nullptr)
        fail(r, "Value '" + expr::Expression::describe(result) +
                    "' returned by the expression is not a String");
      r.topic = *topic;
      return true;
    }
    const auto* keep = std::get_if<bool>(&result);
    if (keep == nullptr)
      fail(r, "Value '" + expr::Expression::describe(result) +
                  "' returned by the expression is not a Boolean");
    return *keep;
  }

 private:
  [[noreturn]] void fail(const SourceRecord& r, const std::string& why) const {
    throw DataException("Error while evaluating expression '" + text_ + "' for record on topic '" +
                        r.topic + "': " + why);
  }

  bool router_;
  std::string key_, text_;
  expr::Expression expression_;
  std::optional<JavaRegex> topic_regex_;
  NullHandling nulls_ = NullHandling::Keep;
};

ConfigDef scripting_config_def(bool router) {
  ConfigDef d;
  d.define("language", ConfigType::String, std::nullopt, Importance::High,
           "An expression language used to evaluate the expression. Must begin with 'jsr223.', "
           "e.g. 'jsr223.groovy' or 'jsr223.graal.js'.",
           "", validators::non_empty_string());
  if (router) {
    d.define("topic.expression", ConfigType::String, std::nullopt, Importance::High,
             "An expression determining the new name of the topic the record should use. When "
             "null the record is delivered to the original topic.",
             "", validators::non_empty_string());
  } else {
    d.define("condition", ConfigType::String, std::nullopt, Importance::High,
             "An expression determining whether the record should be filtered out. When "
             "evaluated to true the record is passed on, otherwise it is removed.",
             "", validators::non_empty_string());
  }
  d.define("topic.regex", ConfigType::String, "", Importance::Low,
           "A regex used for selecting the topic(s) to which this transformation should be "
           "applied.");
  d.define(choice("null.handling.mode", "keep", {"keep", "drop", "evaluate"}, Importance::Medium,
                  "How to handle records with null value. Options are: keep - records are passed "
                  "(the default), drop - records are removed, evaluate - the null records are "
                  "passed for evaluation."));
  return d;
}

}  // namespace

const ConfigDef& filter_config_def() {
  static const ConfigDef def = scripting_config_def(false);
  return def;
}

const ConfigDef& content_based_router_config_def() {
  static const ConfigDef def = scripting_config_def(true);
  return def;
}

std::unique_ptr<Transformation> make_debezium_filter() {
  return std::make_unique<Scripting>(false);
}
std::unique_ptr<Transformation> make_content_based_router() {
  return std::make_unique<Scripting>(true);
}

}  // namespace tributary::transforms
