// The condition language of Debezium's Filter and ContentBasedRouter SMTs: the expressions users
// write for `jsr223.groovy` and `jsr223.graal.js`, evaluated natively instead of by a JVM script
// engine.
//
// Covered: the bound names (`key`, `value`, `keySchema`, `valueSchema`, `topic`, and `headers`,
// also as `header`, a map of header name to its last {value, schema});
// property paths over structs and maps (`value.after.status`, `value['op']`, null-safe `?.`);
// calls users make on structs (`get`, `getString`, `getInt32`, ..., `schema`), on schemas
// (`name`, `version`, `type`, `doc`, `field`, `fields`) and on strings (`startsWith`, `endsWith`,
// `contains`, `equals`, `equalsIgnoreCase`, `matches`, `length`, `isEmpty`, `toLowerCase`,
// `toUpperCase`, `trim`, `substring`, `indexOf`); `== != < <= > >=` (and `=== !==`), Groovy's
// `=~` (find) and `==~` (whole match), `in [..]`, `&& || !`, `? :`, `+ - * / %`; string, number,
// boolean and null literals. Anything else is a parse error, reported when the connector is
// validated.
//
// Semantics follow Groovy (and JavaScript where they differ and the dialect is JavaScript):
// `==` compares numbers by value and anything else by equality; a missing struct field is an
// error naming it; a property of null is an error unless `?.` is used; `&&`, `||` and `!` use
// Groovy truth (null, false, 0, "" and empty collections are false).
//
// Threading: a parsed Expression is immutable; evaluate() may run on any thread.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tributary/record.h"

namespace tributary::transforms::expr {

enum class Dialect { Groovy, JavaScript };

/// A condition that does not parse; what() names the position and the problem.
class ParseError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// An evaluation failure (a missing field, a property of null, a bad call); what() names it.
class EvalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A Connect value during evaluation: the value and its schema (null when schemaless).
struct DataRef {
  const Value* value = nullptr;
  const Schema* schema = nullptr;
};
struct SchemaRef {
  const Schema* schema = nullptr;
};
struct FieldRef {
  const Field* field = nullptr;
};
/// The record's headers as the `header` / `headers` binding: headers.name.value, .schema.
struct HeadersRef {
  const std::vector<Header>* headers = nullptr;
};
struct HeaderRef {
  const Header* header = nullptr;
};
struct ListValue;

/// What an expression evaluates to.
using Result =
    std::variant<std::monostate, bool, std::int64_t, double, std::string, DataRef, SchemaRef,
                 FieldRef, HeadersRef, HeaderRef, std::shared_ptr<const ListValue>>;
struct ListValue {
  std::vector<Result> items;
};

struct Node;

class Expression {
 public:
  /// Throws ParseError.
  static Expression parse(std::string_view text, Dialect dialect);
  /// Evaluates against a record. Throws EvalError.
  Result evaluate(const SourceRecord& record) const;
  /// Groovy truth of a result (null, false, 0, "", empty list: false).
  static bool truth(const Result& r);
  /// "null", "true", "42", "'text'", "Struct{...}" — for messages.
  static std::string describe(const Result& r);

 private:
  std::shared_ptr<const Node> root_;
  Dialect dialect_ = Dialect::Groovy;
};

}  // namespace tributary::transforms::expr
