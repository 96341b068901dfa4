#include "expr.h"

#include <cmath>
#include <cstring>
#include <optional>

#include "common.h"

namespace tributary::transforms::expr {

// ---------------------------------------------------------------------------------------------
// Syntax tree

struct Node {
  enum class Kind { Literal, Name, Member, Index, Call, Unary, Binary, Ternary, Elvis, List };
  Kind kind = Kind::Literal;
  Result literal;
  std::string name;  // Name, Member (property), Call (method), Unary / Binary (operator)
  bool null_safe = false;
  std::size_t pos = 0;
  std::vector<std::shared_ptr<const Node>> kids;
  // A literal regex operand (=~, ==~, matches('..')) compiled once.
  std::shared_ptr<const JavaRegex> regex;
};
using NodePtr = std::shared_ptr<const Node>;

namespace {

// Debezium's docs name the headers binding `header`, its code binds `headers`: both work.
constexpr const char* kBoundNames[] = {"key",   "value",  "keySchema", "valueSchema",
                                       "topic", "header", "headers"};

// ---------------------------------------------------------------------------------------------
// Lexer

struct Token {
  enum class Kind { Ident, Int, Double, String, Op, End } kind = Kind::End;
  std::string text;
  std::int64_t i = 0;
  double d = 0;
  std::size_t pos = 0;
};

[[noreturn]] void syntax(std::size_t pos, const std::string& what) {
  throw ParseError(what + " at position " + std::to_string(pos + 1));
}

std::vector<Token> lex(std::string_view s) {
  static constexpr const char* kOps[] = {
      "===", "!==", "==~", "?.", "?:", "==", "!=", "<=", ">=", "&&", "||", "=~", "<", ">",
      "!",   "(",   ")",   "[",  "]",  ".",  ",",  "?",  ":",  "+",  "-",  "*",  "/", "%"};
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
      std::size_t j = i;
      while (j < s.size() &&
             (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '$'))
        ++j;
      t.kind = Token::Kind::Ident;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      bool real = false;
      if (j + 1 < s.size() && s[j] == '.' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
        real = true;
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      const std::string num(s.substr(i, j - i));
      // Groovy / Java suffixes: 10L, 1.5d, 2f, 3G.
      if (j < s.size() && std::strchr("lLdDfFgG", s[j]) != nullptr) {
        real = real || std::strchr("dDfF", s[j]) != nullptr;
        ++j;
      }
      if (j < s.size() && (std::isalpha(static_cast<unsigned char>(s[j])) || s[j] == '_'))
        syntax(i, "malformed number");
      if (real) {
        t.kind = Token::Kind::Double;
        t.d = std::stod(num);
      } else {
        t.kind = Token::Kind::Int;
        try {
          t.i = std::stoll(num);
        } catch (const std::out_of_range&) {
          syntax(i, "number out of range");
        }
      }
      i = j;
    } else if (c == '\'' || c == '"') {
      std::size_t j = i + 1;
      std::string text;
      while (true) {
        if (j >= s.size()) syntax(i, "unterminated string");
        const char d = s[j];
        if (d == c) break;
        if (d == '\\') {
          if (++j >= s.size()) syntax(i, "unterminated string");
          switch (s[j]) {
            case 'n': text += '\n'; break;
            case 't': text += '\t'; break;
            case 'r': text += '\r'; break;
            case 'b': text += '\b'; break;
            case 'f': text += '\f'; break;
            case '0': text += '\0'; break;
            default: text += s[j];
          }
        } else {
          if (c == '"' && d == '$' && j + 1 < s.size() && s[j + 1] == '{')
            syntax(j, "string interpolation (\"${...}\") is not supported; use '...' + ...");
          text += d;
        }
        ++j;
      }
      t.kind = Token::Kind::String;
      t.text = std::move(text);
      i = j + 1;
    } else {
      bool matched = false;
      for (const char* op : kOps) {
        const std::size_t n = std::strlen(op);
        if (s.substr(i, n) == op) {
          t.kind = Token::Kind::Op;
          t.text = op;
          i += n;
          matched = true;
          break;
        }
      }
      if (!matched) syntax(i, std::string("unexpected character '") + c + "'");
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.pos = s.size();
  out.push_back(end);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser (precedence climbing)

class Parser {
 public:
  Parser(std::vector<Token> tokens, Dialect d) : t_(std::move(tokens)), dialect_(d) {}

  NodePtr parse_all() {
    NodePtr n = ternary();
    if (peek().kind != Token::Kind::End) syntax(peek().pos, "unexpected '" + peek().text + "'");
    return n;
  }

 private:
  const Token& peek() const { return t_[at_]; }
  bool is_op(const char* op) const { return peek().kind == Token::Kind::Op && peek().text == op; }
  bool accept(const char* op) {
    if (!is_op(op)) return false;
    ++at_;
    return true;
  }
  void expect(const char* op) {
    if (!accept(op)) {
      const Token& t = peek();
      syntax(t.pos, std::string("expected '") + op + "' but found " +
                        (t.kind == Token::Kind::End ? "the end" : "'" + t.text + "'"));
    }
  }

  static std::shared_ptr<Node> make(Node::Kind k, std::size_t pos) {
    auto n = std::make_shared<Node>();
    n->kind = k;
    n->pos = pos;
    return n;
  }

  NodePtr ternary() {
    NodePtr c = binary(0);
    const std::size_t pos = peek().pos;
    if (accept("?:")) {
      auto n = make(Node::Kind::Elvis, pos);
      n->kids = {c, ternary()};
      return n;
    }
    if (accept("?")) {
      auto n = make(Node::Kind::Ternary, pos);
      NodePtr a = ternary();
      expect(":");
      n->kids = {c, a, ternary()};
      return n;
    }
    return c;
  }

  static int precedence(const Token& t) {
    if (t.kind == Token::Kind::Ident && t.text == "in") return 5;
    if (t.kind != Token::Kind::Op) return -1;
    const std::string& o = t.text;
    if (o == "||") return 1;
    if (o == "&&") return 2;
    if (o == "==" || o == "!=" || o == "===" || o == "!==" || o == "=~" || o == "==~") return 3;
    if (o == "<" || o == "<=" || o == ">" || o == ">=") return 4;
    if (o == "+" || o == "-") return 6;
    if (o == "*" || o == "/" || o == "%") return 7;
    return -1;
  }

  NodePtr binary(int min) {
    NodePtr left = unary();
    while (true) {
      const Token& t = peek();
      const int p = precedence(t);
      if (p < 0 || p < min) return left;
      ++at_;
      NodePtr right = binary(p + 1);
      auto n = make(Node::Kind::Binary, t.pos);
      n->name = t.text;
      if ((t.text == "=~" || t.text == "==~") && right->kind == Node::Kind::Literal)
        n->regex = literal_regex(*right);
      n->kids = {left, right};
      left = n;
    }
  }

  std::shared_ptr<const JavaRegex> literal_regex(const Node& lit) {
    const auto* s = std::get_if<std::string>(&lit.literal);
    if (s == nullptr) syntax(lit.pos, "a regular expression must be a string");
    try {
      return std::make_shared<const JavaRegex>(*s);
    } catch (const std::invalid_argument& e) {
      syntax(lit.pos, std::string("invalid regular expression: ") + e.what());
    }
  }

  NodePtr unary() {
    const std::size_t pos = peek().pos;
    if (accept("!") || accept("-")) {
      auto n = make(Node::Kind::Unary, pos);
      n->name = t_[at_ - 1].text;
      n->kids = {unary()};
      return n;
    }
    return postfix(primary());
  }

  NodePtr postfix(NodePtr n) {
    while (true) {
      const std::size_t pos = peek().pos;
      if (is_op(".") || is_op("?.")) {
        const bool safe = peek().text == "?.";
        ++at_;
        if (peek().kind != Token::Kind::Ident) syntax(peek().pos, "expected a name after '.'");
        const std::string name = peek().text;
        ++at_;
        if (accept("(")) {
          auto c = make(Node::Kind::Call, pos);
          c->name = name;
          c->null_safe = safe;
          c->kids.push_back(n);
          if (!accept(")")) {
            do {
              c->kids.push_back(ternary());
            } while (accept(","));
            expect(")");
          }
          if ((name == "matches") && c->kids.size() == 2 && c->kids[1]->kind == Node::Kind::Literal)
            c->regex = literal_regex(*c->kids[1]);
          n = c;
        } else {
          auto m = make(Node::Kind::Member, pos);
          m->name = name;
          m->null_safe = safe;
          m->kids.push_back(n);
          n = m;
        }
      } else if (accept("[")) {
        auto x = make(Node::Kind::Index, pos);
        x->kids = {n, ternary()};
        expect("]");
        n = x;
      } else {
        return n;
      }
    }
  }

  NodePtr primary() {
    const Token t = peek();
    ++at_;
    switch (t.kind) {
      case Token::Kind::Int: {
        auto n = make(Node::Kind::Literal, t.pos);
        n->literal = t.i;
        return n;
      }
      case Token::Kind::Double: {
        auto n = make(Node::Kind::Literal, t.pos);
        n->literal = t.d;
        return n;
      }
      case Token::Kind::String: {
        auto n = make(Node::Kind::Literal, t.pos);
        n->literal = t.text;
        return n;
      }
      case Token::Kind::Ident: {
        auto n = make(Node::Kind::Literal, t.pos);
        if (t.text == "true" || t.text == "false") {
          n->literal = t.text == "true";
          return n;
        }
        if (t.text == "null" || (dialect_ == Dialect::JavaScript && t.text == "undefined"))
          return n;
        bool bound = false;
        for (const char* b : kBoundNames) bound = bound || t.text == b;
        if (!bound) {
          std::string names;
          for (const char* b : kBoundNames) names += std::string(names.empty() ? "" : ", ") + b;
          syntax(t.pos, "unknown name '" + t.text + "' (the names bound are " + names + ")");
        }
        n->kind = Node::Kind::Name;
        n->name = t.text;
        return n;
      }
      case Token::Kind::Op:
        if (t.text == "(") {
          NodePtr n = ternary();
          expect(")");
          return n;
        }
        if (t.text == "[") {
          auto n = make(Node::Kind::List, t.pos);
          if (!accept("]")) {
            do {
              n->kids.push_back(ternary());
            } while (accept(","));
            expect("]");
          }
          return n;
        }
        syntax(t.pos, "unexpected '" + t.text + "'");
      case Token::Kind::End: syntax(t.pos, "unexpected end of the condition");
    }
    syntax(t.pos, "unexpected token");
  }

  std::vector<Token> t_;
  std::size_t at_ = 0;
  Dialect dialect_;
};

// ---------------------------------------------------------------------------------------------
// Evaluation

Result wrap(const Value& v, const Schema* s) {
  switch (v.storage().index()) {
    case 0: return std::monostate{};
    case 1: return v.as<bool>();
    case 2: return static_cast<std::int64_t>(v.as<std::int8_t>());
    case 3: return static_cast<std::int64_t>(v.as<std::int16_t>());
    case 4: return static_cast<std::int64_t>(v.as<std::int32_t>());
    case 5: return v.as<std::int64_t>();
    case 6: return static_cast<double>(v.as<float>());
    case 7: return v.as<double>();
    case 8: return v.as<std::string>();
    default: return DataRef{&v, s};
  }
}

bool is_number(const Result& r) {
  return std::holds_alternative<std::int64_t>(r) || std::holds_alternative<double>(r);
}
double as_double(const Result& r) {
  if (const auto* i = std::get_if<std::int64_t>(&r)) return static_cast<double>(*i);
  return std::get<double>(r);
}

const char* kind_name(const Result& r) {
  static constexpr const char* kNames[] = {"null",    "Boolean", "Long",   "Double",
                                           "String",  "Object",  "Schema", "Field",
                                           "Headers", "Header",  "List"};
  if (const auto* d = std::get_if<DataRef>(&r)) {
    if (d->value->is_struct()) return "Struct";
    if (d->value->is<Value::MapEntries>()) return "Map";
    if (d->value->is<Value::Array>()) return "List";
    if (d->value->is<Bytes>()) return "byte[]";
  }
  return kNames[r.index()];
}

bool equal(const Result& a, const Result& b) {
  if (is_number(a) && is_number(b)) {
    if (std::holds_alternative<std::int64_t>(a) && std::holds_alternative<std::int64_t>(b))
      return std::get<std::int64_t>(a) == std::get<std::int64_t>(b);
    return as_double(a) == as_double(b);
  }
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, std::monostate>) {
          return true;
        } else if constexpr (std::is_same_v<T, DataRef>) {
          return *x.value == *y.value;
        } else if constexpr (std::is_same_v<T, SchemaRef>) {
          return x.schema == y.schema || *x.schema == *y.schema;
        } else if constexpr (std::is_same_v<T, FieldRef> || std::is_same_v<T, HeadersRef> ||
                             std::is_same_v<T, HeaderRef>) {
          return std::memcmp(&x, &y, sizeof x) == 0;
        } else if constexpr (std::is_same_v<T, std::shared_ptr<const ListValue>>) {
          if (x->items.size() != y->items.size()) return false;
          for (std::size_t i = 0; i < x->items.size(); ++i)
            if (!equal(x->items[i], y->items[i])) return false;
          return true;
        } else {
          return x == y;
        }
      },
      a);
}

class Evaluator {
 public:
  Evaluator(const SourceRecord& r, Dialect d) : r_(r), dialect_(d) {}

  Result eval(const Node& n) {
    switch (n.kind) {
      case Node::Kind::Literal: return n.literal;
      case Node::Kind::Name: return name(n.name);
      case Node::Kind::Member: {
        Result obj = eval(*n.kids[0]);
        if (std::holds_alternative<std::monostate>(obj)) {
          if (n.null_safe) return obj;
          fail(n, "Cannot get property '" + n.name + "' on null object");
        }
        return member(n, obj, n.name);
      }
      case Node::Kind::Index: {
        Result obj = eval(*n.kids[0]);
        Result idx = eval(*n.kids[1]);
        if (std::holds_alternative<std::monostate>(obj))
          fail(n, "Cannot get property '" + describe_result(idx) + "' on null object");
        return index(n, obj, idx);
      }
      case Node::Kind::Call: return call(n);
      case Node::Kind::Unary: {
        Result x = eval(*n.kids[0]);
        if (n.name == "!") return !Expression::truth(x);
        if (const auto* i = std::get_if<std::int64_t>(&x)) return -*i;
        if (const auto* d = std::get_if<double>(&x)) return -*d;
        fail(n, std::string("Cannot negate ") + kind_name(x));
      }
      case Node::Kind::Binary: return binary(n);
      case Node::Kind::Ternary:
        return Expression::truth(eval(*n.kids[0])) ? eval(*n.kids[1]) : eval(*n.kids[2]);
      case Node::Kind::Elvis: {
        Result a = eval(*n.kids[0]);
        return Expression::truth(a) ? a : eval(*n.kids[1]);
      }
      case Node::Kind::List: {
        auto list = std::make_shared<ListValue>();
        for (const auto& k : n.kids) list->items.push_back(eval(*k));
        return std::shared_ptr<const ListValue>(std::move(list));
      }
    }
    fail(n, "unknown expression");
  }

 private:
  [[noreturn]] void fail(const Node& n, const std::string& what) const {
    throw EvalError(what + " (at position " + std::to_string(n.pos + 1) + ")");
  }

  static std::string describe_result(const Result& r) { return Expression::describe(r); }

  Result name(const std::string& n) const {
    if (n == "value") return r_.value.is_null() ? Result{} : wrap(r_.value, r_.value_schema.get());
    if (n == "key") return r_.key.is_null() ? Result{} : wrap(r_.key, r_.key_schema.get());
    if (n == "topic") return r_.topic;
    if (n == "valueSchema")
      return r_.value_schema ? Result{SchemaRef{r_.value_schema.get()}} : Result{};
    if (n == "keySchema") return r_.key_schema ? Result{SchemaRef{r_.key_schema.get()}} : Result{};
    return HeadersRef{&r_.headers};  // headers, header
  }

  Result field_of(const Node& n, const DataRef& d, const std::string& field) {
    const Value::StructData& s = d.value->as_struct();
    const Schema* schema = s.schema.get();
    const Field* f = schema != nullptr ? schema->field(field) : nullptr;
    if (f == nullptr) {
      // Groovy calls Struct.get, which throws; graal.js's proxy reads a missing member as
      // undefined.
      if (dialect_ == Dialect::JavaScript) return std::monostate{};
      fail(n, field + " is not a valid field name");
    }
    const auto i = static_cast<std::size_t>(f->index);
    if (i >= s.fields.size() || s.fields[i].is_null()) {
      // Struct.get gives the field's default for a null.
      const auto& def = f->schema->default_value();
      if (def && !def->is_null()) return wrap(*def, f->schema.get());
      return std::monostate{};
    }
    return wrap(s.fields[i], f->schema.get());
  }

  Result map_entry(const DataRef& d, const Result& key) {
    const Schema* vs = d.schema != nullptr ? d.schema->value_schema().get() : nullptr;
    for (const auto& [k, v] : d.value->as<Value::MapEntries>())
      if (equal(wrap(k, nullptr), key)) return wrap(v, vs);
    return std::monostate{};
  }

  Result member(const Node& n, const Result& obj, const std::string& prop) {
    if (const auto* d = std::get_if<DataRef>(&obj)) {
      if (d->value->is_struct()) return field_of(n, *d, prop);
      if (d->value->is<Value::MapEntries>()) return map_entry(*d, prop);
    }
    if (const auto* h = std::get_if<HeadersRef>(&obj)) {
      // The last header of that name, as Connect's Headers.lastWithName.
      for (auto it = h->headers->rbegin(); it != h->headers->rend(); ++it)
        if (it->key == prop) return HeaderRef{&*it};
      return std::monostate{};
    }
    if (const auto* h = std::get_if<HeaderRef>(&obj)) {
      if (prop == "value") return wrap(h->header->value, h->header->schema.get());
      if (prop == "schema")
        return h->header->schema ? Result{SchemaRef{h->header->schema.get()}} : Result{};
      if (prop == "key") return h->header->key;
    }
    if (std::holds_alternative<SchemaRef>(obj) || std::holds_alternative<FieldRef>(obj))
      return schema_call(n, obj, prop, {});
    if (const auto* s = std::get_if<std::string>(&obj); s && prop == "length")
      return static_cast<std::int64_t>(s->size());
    fail(n, "No such property: " + prop + " for " + kind_name(obj));
  }

  Result index(const Node& n, const Result& obj, const Result& idx) {
    if (const auto* d = std::get_if<DataRef>(&obj)) {
      if (d->value->is_struct()) {
        if (const auto* s = std::get_if<std::string>(&idx)) return field_of(n, *d, *s);
      } else if (d->value->is<Value::MapEntries>()) {
        return map_entry(*d, idx);
      } else if (d->value->is<Value::Array>()) {
        const auto& a = d->value->as<Value::Array>();
        if (const auto* i = std::get_if<std::int64_t>(&idx)) {
          if (*i < 0 || static_cast<std::size_t>(*i) >= a.size()) return std::monostate{};
          const Schema* es = d->schema != nullptr ? d->schema->value_schema().get() : nullptr;
          return wrap(a[static_cast<std::size_t>(*i)], es);
        }
      }
    }
    if (const auto* l = std::get_if<std::shared_ptr<const ListValue>>(&obj)) {
      if (const auto* i = std::get_if<std::int64_t>(&idx)) {
        if (*i < 0 || static_cast<std::size_t>(*i) >= (*l)->items.size()) return std::monostate{};
        return (*l)->items[static_cast<std::size_t>(*i)];
      }
    }
    if (std::holds_alternative<HeadersRef>(obj) || std::holds_alternative<HeaderRef>(obj)) {
      if (const auto* s = std::get_if<std::string>(&idx)) return member(n, obj, *s);
    }
    fail(n, std::string("Cannot index ") + kind_name(obj) + " with " + kind_name(idx));
  }

  Result schema_call(const Node& n, const Result& obj, const std::string& m,
                     const std::vector<Result>& args) {
    if (const auto* f = std::get_if<FieldRef>(&obj)) {
      if (m == "name") return f->field->name;
      if (m == "index") return static_cast<std::int64_t>(f->field->index);
      if (m == "schema") return SchemaRef{f->field->schema.get()};
      fail(n, "No such property or method: " + m + " for Field");
    }
    const Schema& s = *std::get<SchemaRef>(obj).schema;
    if (m == "name") return s.name() ? Result{*s.name()} : Result{};
    if (m == "version") return s.version() ? Result{std::int64_t{*s.version()}} : Result{};
    if (m == "doc") return s.doc() ? Result{*s.doc()} : Result{};
    if (m == "type") {
      std::string t(type_name(s.type()));
      for (auto& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (t == "FLOAT") t = "FLOAT32";
      if (t == "DOUBLE") t = "FLOAT64";
      return t;  // Schema.Type's name, which Groovy compares with a string via toString()
    }
    if (m == "isOptional" || m == "optional") return s.optional();
    if (m == "field" && args.size() == 1) {
      const auto* name = std::get_if<std::string>(&args[0]);
      if (name == nullptr) fail(n, "field() takes a field name");
      const Field* f = s.type() == Type::Struct ? s.field(*name) : nullptr;
      return f ? Result{FieldRef{f}} : Result{};
    }
    if (m == "fields") {
      auto list = std::make_shared<ListValue>();
      for (const Field& f : s.fields()) list->items.emplace_back(FieldRef{&f});
      return std::shared_ptr<const ListValue>(std::move(list));
    }
    if (m == "valueSchema" && s.value_schema()) return SchemaRef{s.value_schema().get()};
    if (m == "keySchema" && s.key_schema()) return SchemaRef{s.key_schema().get()};
    fail(n, "No such property or method: " + m + " for Schema");
  }

  Result call(const Node& n) {
    Result obj = eval(*n.kids[0]);
    if (std::holds_alternative<std::monostate>(obj)) {
      if (n.null_safe) return obj;
      fail(n, "Cannot invoke method " + n.name + "() on null object");
    }
    std::vector<Result> args;
    for (std::size_t i = 1; i < n.kids.size(); ++i) args.push_back(eval(*n.kids[i]));
    const std::string& m = n.name;
    auto arg_string = [&](std::size_t i) -> const std::string& {
      if (i >= args.size() || !std::holds_alternative<std::string>(args[i]))
        fail(n, m + "() takes a string argument");
      return std::get<std::string>(args[i]);
    };
    if (const auto* s = std::get_if<std::string>(&obj)) {
      if (m == "startsWith") return s->starts_with(arg_string(0));
      if (m == "endsWith") return s->ends_with(arg_string(0));
      if (m == "contains" || m == "includes") return s->find(arg_string(0)) != std::string::npos;
      if (m == "equals") return args.size() == 1 && equal(obj, args[0]);
      if (m == "equalsIgnoreCase") return lower(*s) == lower(arg_string(0));
      if (m == "matches") {
        if (n.regex) return n.regex->matches(*s);
        return compile(n, arg_string(0)).matches(*s);
      }
      if (m == "length" || m == "size") return static_cast<std::int64_t>(s->size());
      if (m == "isEmpty") return s->empty();
      if (m == "toLowerCase") return lower(*s);
      if (m == "toUpperCase") return upper(*s);
      if (m == "trim") return trim(*s);
      if (m == "toString") return *s;
      if (m == "indexOf") {
        const auto at = s->find(arg_string(0));
        return at == std::string::npos ? std::int64_t{-1} : static_cast<std::int64_t>(at);
      }
      if (m == "substring") {
        auto arg_int = [&](std::size_t i) {
          if (i >= args.size() || !std::holds_alternative<std::int64_t>(args[i]))
            fail(n, "substring() takes numbers");
          return std::get<std::int64_t>(args[i]);
        };
        const std::int64_t from = arg_int(0);
        const std::int64_t to = args.size() > 1 ? arg_int(1) : static_cast<std::int64_t>(s->size());
        if (from < 0 || to > static_cast<std::int64_t>(s->size()) || from > to)
          fail(n, "String index out of range: " + std::to_string(from));
        return s->substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
      }
    }
    if (const auto* d = std::get_if<DataRef>(&obj); d && d->value->is_struct()) {
      if (m == "get" || m == "getString" || m == "getStruct" || m == "getInt8" || m == "getInt16" ||
          m == "getInt32" || m == "getInt64" || m == "getFloat32" || m == "getFloat64" ||
          m == "getBoolean" || m == "getBytes" || m == "getArray" || m == "getMap" ||
          m == "getWithoutDefault")
        return field_of(n, *d, arg_string(0));
      if (m == "schema") {
        const auto& schema = d->value->as_struct().schema;
        return schema ? Result{SchemaRef{schema.get()}} : Result{};
      }
    }
    if (const auto* d = std::get_if<DataRef>(&obj); d && d->value->is<Value::MapEntries>()) {
      if (m == "get" && args.size() == 1) return map_entry(*d, args[0]);
      if (m == "containsKey" && args.size() == 1)
        return !std::holds_alternative<std::monostate>(map_entry(*d, args[0]));
    }
    if (std::holds_alternative<SchemaRef>(obj) || std::holds_alternative<FieldRef>(obj))
      return schema_call(n, obj, m, args);
    if (std::holds_alternative<HeadersRef>(obj) && m == "get" && args.size() == 1)
      return member(n, obj, arg_string(0));
    if ((is_number(obj) || std::holds_alternative<bool>(obj)) && m == "equals")
      return args.size() == 1 && equal(obj, args[0]);
    if (m == "toString") return Expression::describe(obj);
    fail(n, "No signature of method: " + m + "() for " + kind_name(obj));
  }

  Result binary(const Node& n) {
    const std::string& op = n.name;
    if (op == "&&")
      return Expression::truth(eval(*n.kids[0])) && Expression::truth(eval(*n.kids[1]));
    if (op == "||")
      return Expression::truth(eval(*n.kids[0])) || Expression::truth(eval(*n.kids[1]));
    Result a = eval(*n.kids[0]);
    Result b = eval(*n.kids[1]);
    if (op == "==" || op == "===") return equal(a, b);
    if (op == "!=" || op == "!==") return !equal(a, b);
    if (op == "=~" || op == "==~") {
      const auto* s = std::get_if<std::string>(&a);
      if (s == nullptr) return false;
      const JavaRegex& re = n.regex ? *n.regex : compile(n, expect_string(n, b));
      if (op == "==~") return re.matches(*s);
      boost::match_results<std::string_view::const_iterator> m;
      return re.find(*s, m);
    }
    if (op == "in") {
      if (const auto* l = std::get_if<std::shared_ptr<const ListValue>>(&b)) {
        for (const auto& x : (*l)->items)
          if (equal(a, x)) return true;
        return false;
      }
      if (const auto* d = std::get_if<DataRef>(&b)) {
        if (d->value->is<Value::Array>()) {
          const Schema* es = d->schema != nullptr ? d->schema->value_schema().get() : nullptr;
          for (const auto& x : d->value->as<Value::Array>())
            if (equal(a, wrap(x, es))) return true;
          return false;
        }
        if (d->value->is<Value::MapEntries>())
          return !std::holds_alternative<std::monostate>(map_entry(*d, a));
      }
      if (const auto* s = std::get_if<std::string>(&b); s && std::holds_alternative<std::string>(a))
        return s->find(std::get<std::string>(a)) != std::string::npos;
      fail(n, std::string("Cannot look for a value in ") + kind_name(b));
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      int c = 0;
      if (is_number(a) && is_number(b)) {
        const double x = as_double(a), y = as_double(b);
        c = x < y ? -1 : (x > y ? 1 : 0);
      } else if (std::holds_alternative<std::string>(a) && std::holds_alternative<std::string>(b)) {
        c = std::get<std::string>(a).compare(std::get<std::string>(b));
      } else {
        fail(n, std::string("Cannot compare ") + kind_name(a) + " with " + kind_name(b));
      }
      if (op == "<") return c < 0;
      if (op == "<=") return c <= 0;
      if (op == ">") return c > 0;
      return c >= 0;
    }
    if (op == "+" &&
        (std::holds_alternative<std::string>(a) || std::holds_alternative<std::string>(b)))
      return text_of(a) + text_of(b);
    if (!is_number(a) || !is_number(b))
      fail(n, std::string("Cannot apply '") + op + "' to " + kind_name(a) + " and " + kind_name(b));
    const bool ints =
        std::holds_alternative<std::int64_t>(a) && std::holds_alternative<std::int64_t>(b);
    if (ints) {
      const std::int64_t x = std::get<std::int64_t>(a), y = std::get<std::int64_t>(b);
      if (op == "+") return x + y;
      if (op == "-") return x - y;
      if (op == "*") return x * y;
      if (y == 0 && (op == "/" || op == "%")) fail(n, "Division by zero");
      if (op == "%") return x % y;
      if (x % y == 0) return x / y;
      return static_cast<double>(x) / static_cast<double>(y);
    }
    const double x = as_double(a), y = as_double(b);
    if (op == "+") return x + y;
    if (op == "-") return x - y;
    if (op == "*") return x * y;
    if (op == "/") return x / y;
    return std::fmod(x, y);
  }

  const std::string& expect_string(const Node& n, const Result& r) {
    if (const auto* s = std::get_if<std::string>(&r)) return *s;
    fail(n, "a regular expression must be a string");
  }

  const JavaRegex& compile(const Node& n, const std::string& pattern) {
    try {
      scratch_.emplace(pattern);
    } catch (const std::invalid_argument& e) {
      fail(n, std::string("invalid regular expression: ") + e.what());
    }
    return *scratch_;
  }

  static std::string text_of(const Result& r) {
    if (const auto* s = std::get_if<std::string>(&r)) return *s;
    return Expression::describe(r);
  }
  static std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  static std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }
  static std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
  }

  const SourceRecord& r_;
  Dialect dialect_;
  std::optional<JavaRegex> scratch_;
};

}  // namespace

Expression Expression::parse(std::string_view text, Dialect dialect) {
  Expression e;
  e.root_ = Parser(lex(text), dialect).parse_all();
  e.dialect_ = dialect;
  return e;
}

Result Expression::evaluate(const SourceRecord& record) const {
  return Evaluator(record, dialect_).eval(*root_);
}

bool Expression::truth(const Result& r) {
  return std::visit(
      [](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return false;
        } else if constexpr (std::is_same_v<T, bool>) {
          return x;
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          return x != 0;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return !x.empty();
        } else if constexpr (std::is_same_v<T, DataRef>) {
          if (x.value->template is<Value::Array>())
            return !x.value->template as<Value::Array>().empty();
          if (x.value->template is<Value::MapEntries>())
            return !x.value->template as<Value::MapEntries>().empty();
          return true;
        } else if constexpr (std::is_same_v<T, std::shared_ptr<const ListValue>>) {
          return !x->items.empty();
        } else {
          return true;
        }
      },
      r);
}

std::string Expression::describe(const Result& r) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) {
          std::string s = std::to_string(x);
          return s;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, DataRef>) {
          return x.value->is_struct() ? "Struct{...}" : "[...]";
        } else if constexpr (std::is_same_v<T, SchemaRef>) {
          return "Schema{" +
                 (x.schema->name() ? *x.schema->name() : std::string(type_name(x.schema->type()))) +
                 "}";
        } else if constexpr (std::is_same_v<T, FieldRef>) {
          return "Field{name=" + x.field->name + "}";
        } else if constexpr (std::is_same_v<T, HeadersRef>) {
          return "Headers";
        } else if constexpr (std::is_same_v<T, HeaderRef>) {
          return "Header{" + x.header->key + "}";
        } else {
          return "[...]";
        }
      },
      r);
}

}  // namespace tributary::transforms::expr
