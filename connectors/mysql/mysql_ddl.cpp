#include "mysql_ddl.h"

#include <algorithm>
#include <cctype>

namespace tributary::mysql {
namespace {

struct Token {
  enum Kind { Word, Ident, String, Number, Punct, End } kind = End;
  std::string text;                // word upper-cased; identifier / string unquoted; punct the char
  std::size_t begin = 0, end = 0;  // in the source
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) { advance(); }
  const Token& peek() const { return tok_; }
  Token next() {
    Token t = tok_;
    advance();
    return t;
  }
  bool at_word(std::string_view w) const { return tok_.kind == Token::Word && tok_.text == w; }
  bool at_punct(char c) const { return tok_.kind == Token::Punct && tok_.text[0] == c; }
  bool accept_word(std::string_view w) {
    if (!at_word(w)) return false;
    advance();
    return true;
  }
  bool accept_punct(char c) {
    if (!at_punct(c)) return false;
    advance();
    return true;
  }
  void expect_punct(char c) {
    if (!accept_punct(c))
      throw DdlError(std::string("expected '") + c + "' at offset " + std::to_string(tok_.begin) +
                     " of: " + std::string(s_.substr(0, 200)));
  }
  /// An identifier (backquoted or a bare word).
  std::string name() {
    if (tok_.kind == Token::Ident || tok_.kind == Token::Word || tok_.kind == Token::String) {
      // A bare word keeps its case: re-read it from the source.
      std::string n = tok_.kind == Token::Word
                          ? std::string(s_.substr(tok_.begin, tok_.end - tok_.begin))
                          : tok_.text;
      advance();
      return n;
    }
    throw DdlError("expected a name at offset " + std::to_string(tok_.begin) +
                   " of: " + std::string(s_.substr(0, 200)));
  }
  /// Skips a balanced ( ... ) group at the current '('.
  void skip_group() {
    int depth = 0;
    do {
      if (at_punct('(')) ++depth;
      if (at_punct(')')) --depth;
      if (tok_.kind == Token::End) throw DdlError("unbalanced parentheses");
      advance();
    } while (depth > 0);
  }
  /// Skips to the next ',' or ')' at this depth (not consumed).
  void skip_to_separator() {
    while (tok_.kind != Token::End && !at_punct(',') && !at_punct(')')) {
      if (at_punct('(')) {
        skip_group();
      } else {
        advance();
      }
    }
  }
  std::string_view source(std::size_t b, std::size_t e) const { return s_.substr(b, e - b); }
  std::size_t last_end() const { return last_end_; }

 private:
  void advance() {
    last_end_ = tok_.end;
    skip_space();
    tok_ = Token{};
    tok_.begin = pos_;
    if (pos_ >= s_.size()) {
      tok_.kind = Token::End;
      tok_.end = pos_;
      return;
    }
    const char c = s_[pos_];
    if (c == '`') {
      tok_.kind = Token::Ident;
      ++pos_;
      while (pos_ < s_.size()) {
        if (s_[pos_] == '`') {
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '`') {
            tok_.text += '`';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        tok_.text += s_[pos_++];
      }
    } else if (c == '\'' || c == '"') {
      tok_.kind = Token::String;
      ++pos_;
      while (pos_ < s_.size()) {
        const char ch = s_[pos_++];
        if (ch == '\\' && pos_ < s_.size()) {
          tok_.text += s_[pos_++];
        } else if (ch == c) {
          if (pos_ < s_.size() && s_[pos_] == c) {
            tok_.text += c;
            ++pos_;
          } else {
            break;
          }
        } else {
          tok_.text += ch;
        }
      }
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
               (c == '.' && pos_ + 1 < s_.size() &&
                std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])) != 0)) {
      tok_.kind = Token::Number;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) != 0 || s_[pos_] == '.'))
        tok_.text += s_[pos_++];
    } else if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
               static_cast<unsigned char>(c) >= 0x80) {
      tok_.kind = Token::Word;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) != 0 || s_[pos_] == '_' ||
              s_[pos_] == '$' || static_cast<unsigned char>(s_[pos_]) >= 0x80))
        tok_.text += static_cast<char>(std::toupper(static_cast<unsigned char>(s_[pos_++])));
    } else {
      tok_.kind = Token::Punct;
      tok_.text = std::string(1, c);
      ++pos_;
    }
    tok_.end = pos_;
  }
  void skip_space() {
    for (;;) {
      while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])) != 0) ++pos_;
      if (s_.substr(pos_, 3) == "/*!") {  // versioned comment: its content is code
        pos_ += 3;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])) != 0) ++pos_;
        continue;
      }
      if (s_.substr(pos_, 2) == "*/") {
        pos_ += 2;
        continue;
      }
      if (s_.substr(pos_, 2) == "/*") {
        const auto e = s_.find("*/", pos_ + 2);
        pos_ = e == std::string_view::npos ? s_.size() : e + 2;
        continue;
      }
      if (s_.substr(pos_, 3) == "-- " || s_.substr(pos_, 1) == "#") {
        const auto e = s_.find('\n', pos_);
        pos_ = e == std::string_view::npos ? s_.size() : e + 1;
        continue;
      }
      return;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t last_end_ = 0;
  Token tok_;
};

std::pair<std::string, std::string> table_name(Lexer& lx, const std::string& default_db) {
  std::string first = lx.name();
  if (lx.accept_punct('.')) return {first, lx.name()};
  return {default_db, first};
}

std::vector<std::string> column_list(Lexer& lx) {
  std::vector<std::string> out;
  lx.expect_punct('(');
  while (!lx.at_punct(')')) {
    out.push_back(lx.name());
    if (lx.at_punct('(')) lx.skip_group();  // prefix length
    lx.accept_word("ASC") || lx.accept_word("DESC");
    if (!lx.accept_punct(',')) break;
  }
  lx.expect_punct(')');
  return out;
}

std::string sql_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

/// The DEFAULT expression's text, in the form information_schema gives it.
std::string default_expression(Lexer& lx) {
  const Token t = lx.peek();
  if (t.kind == Token::String) {
    lx.next();
    return sql_quote(t.text);
  }
  if (t.kind == Token::Punct && (t.text == "-" || t.text == "+")) {
    lx.next();
    const Token n = lx.next();
    return (t.text == "-" ? "-" : "") + n.text;
  }
  if (t.kind == Token::Punct && t.text == "(") {
    const std::size_t b = t.begin;
    lx.skip_group();
    return std::string(lx.source(b, lx.last_end()));
  }
  if (t.kind == Token::Word) {
    lx.next();
    if (t.text == "TRUE" || t.text == "FALSE") return t.text;
    if (t.text == "NULL") return "NULL";
    if ((t.text == "B" || t.text == "X") && lx.peek().kind == Token::String) {
      const Token s = lx.next();
      return (t.text == "B" ? "b'" : "x'") + s.text + "'";
    }
    if (!t.text.empty() && t.text[0] == '_' && lx.peek().kind == Token::String)
      return sql_quote(lx.next().text);  // a charset introducer: _utf8mb4'x'
    std::string out = t.text == "CURRENT_TIMESTAMP" || t.text == "NOW" || t.text == "LOCALTIMESTAMP"
                          ? "current_timestamp"
                          : std::string(lx.source(t.begin, t.end));
    if (lx.at_punct('(')) {
      const std::size_t b = lx.peek().begin;
      lx.skip_group();
      out += lx.source(b, lx.last_end());
    } else if (out == "current_timestamp") {
      out += "()";
    }
    return out;
  }
  lx.next();
  return t.text;
}

/// A column definition after its name.
ColumnDef column_definition(Lexer& lx, std::string name, const std::string& table_charset,
                            bool& primary, bool& unique) {
  ColumnDef c;
  c.name = std::move(name);
  const Token type = lx.next();
  if (type.kind != Token::Word) throw DdlError("expected the type of column " + c.name);
  std::size_t type_end = type.end;
  if (lx.at_punct('(')) {
    lx.skip_group();
    type_end = lx.last_end();
  }
  std::string type_text(lx.source(type.begin, type_end));
  // "DOUBLE PRECISION", "CHARACTER VARYING", "NATIONAL CHAR", "LONG VARCHAR": the second word.
  if ((type.text == "DOUBLE" && lx.accept_word("PRECISION"))) type_text = "double";
  parse_column_type(type_text, c);
  primary = unique = false;
  bool charset_given = false;
  for (;;) {
    const Token& t = lx.peek();
    if (t.kind == Token::End || (t.kind == Token::Punct && (t.text == "," || t.text == ")"))) break;
    if (t.kind == Token::Word && (t.text == "FIRST" || t.text == "AFTER")) break;  // ALTER's
    if (t.kind == Token::Punct && t.text == "(") {
      lx.skip_group();
      continue;
    }
    const std::string w = t.text;
    lx.next();
    if (w == "UNSIGNED" || w == "ZEROFILL") {
      c.is_unsigned = true;
      if (w == "ZEROFILL") c.zerofill = true;
    } else if (w == "SIGNED") {
    } else if (w == "NOT") {
      if (lx.accept_word("NULL")) c.optional = false;
    } else if (w == "NULL") {
      c.optional = true;
    } else if (w == "DEFAULT") {
      c.has_default = true;
      c.default_expr = default_expression(lx);
      if (*c.default_expr == "NULL") c.default_expr.reset();
    } else if (w == "AUTO_INCREMENT") {
      c.auto_increment = true;
      c.generated = true;
    } else if (w == "PRIMARY") {
      lx.accept_word("KEY");
      primary = true;
    } else if (w == "KEY") {
      primary = true;
    } else if (w == "UNIQUE") {
      lx.accept_word("KEY");
      unique = true;
    } else if (w == "CHARACTER" || w == "CHARSET") {
      if (w == "CHARACTER") lx.accept_word("SET");
      lx.accept_punct('=');
      c.charset = lx.name();
      std::transform(c.charset.begin(), c.charset.end(), c.charset.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      charset_given = true;
    } else if (w == "COMMENT") {
      lx.accept_punct('=');
      c.comment = lx.next().text;
    } else if (w == "COLLATE" || w == "COLUMN_FORMAT" || w == "STORAGE" || w == "SRID") {
      lx.accept_punct('=');
      lx.next();
    } else if (w == "ON") {  // ON UPDATE expr
      lx.accept_word("UPDATE");
      default_expression(lx);
    } else if (w == "GENERATED" || w == "AS") {
      if (w == "GENERATED") lx.accept_word("ALWAYS") && lx.accept_word("AS");
      if (lx.at_punct('(')) lx.skip_group();
      c.generated = true;
    } else if (w == "REFERENCES") {
      lx.skip_to_separator();
    } else if (w == "CHECK") {
      if (lx.at_punct('(')) lx.skip_group();
    }
    // Anything else (VIRTUAL, STORED, PERSISTENT, INVISIBLE, BINARY, ...) changes nothing here.
  }
  if (primary) c.optional = false;
  const bool textual = c.type == "CHAR" || c.type == "VARCHAR" ||
                       c.type.find("TEXT") != std::string::npos || c.type == "ENUM" ||
                       c.type == "SET" || c.type == "JSON";
  const bool binary =
      c.type == "BINARY" || c.type == "VARBINARY" || c.type.find("BLOB") != std::string::npos;
  if (binary) c.charset = "binary";
  if (textual && !charset_given) c.charset = table_charset;
  if (c.type == "JSON") c.charset = "utf8mb4";
  return c;
}

void renumber(TableDef& def) {
  int i = 1;
  for (auto& c : def.columns) c.position = i++;
}

/// The key Debezium takes when the definition names no primary key: the first UNIQUE index
/// whose columns are all NOT NULL.
void pick_key(TableDef& def, const std::vector<std::string>& primary,
              const std::vector<std::vector<std::string>>& uniques) {
  auto col = [&](const std::string& n) {
    return std::find_if(def.columns.begin(), def.columns.end(),
                        [&](const ColumnDef& c) { return c.name == n; });
  };
  if (!primary.empty()) {
    def.key_columns = primary;
    for (const auto& n : primary)
      if (auto it = col(n); it != def.columns.end()) it->optional = false;
    return;
  }
  def.key_columns.clear();
  for (const auto& u : uniques) {
    if (std::all_of(u.begin(), u.end(), [&](const std::string& n) {
          auto it = col(n);
          return it != def.columns.end() && !it->optional;
        })) {
      def.key_columns = u;
      return;
    }
  }
}

std::string table_charset_option(Lexer& lx) {
  std::string charset;
  while (lx.peek().kind != Token::End) {
    const Token t = lx.next();
    if (t.kind != Token::Word) continue;
    if (t.text == "CHARSET" || (t.text == "CHARACTER" && lx.accept_word("SET"))) {
      lx.accept_punct('=');
      charset = lx.name();
      std::transform(charset.begin(), charset.end(), charset.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    }
  }
  return charset;
}

TableDef create_table(Lexer& lx, std::pair<std::string, std::string> name) {
  TableDef def;
  def.database = name.first;
  def.table = name.second;
  // The table's charset comes after the columns: scan ahead for it first.
  Lexer ahead = lx;
  ahead.skip_group();
  std::string charset = table_charset_option(ahead);
  if (charset.empty()) charset = "utf8mb4";
  def.charset = charset;
  std::vector<std::string> primary;
  std::vector<std::vector<std::string>> uniques;
  lx.expect_punct('(');
  while (!lx.at_punct(')') && lx.peek().kind != Token::End) {
    const Token& t = lx.peek();
    if (t.kind == Token::Word &&
        (t.text == "CONSTRAINT" || t.text == "PRIMARY" || t.text == "UNIQUE" || t.text == "KEY" ||
         t.text == "INDEX" || t.text == "FULLTEXT" || t.text == "SPATIAL" || t.text == "FOREIGN" ||
         t.text == "CHECK" || t.text == "PERIOD")) {
      if (lx.accept_word("CONSTRAINT") && !lx.at_word("PRIMARY") && !lx.at_word("UNIQUE") &&
          !lx.at_word("FOREIGN") && !lx.at_word("CHECK"))
        lx.name();
      if (lx.accept_word("PRIMARY")) {
        lx.accept_word("KEY");
        while (!lx.at_punct('(') && lx.peek().kind != Token::End) lx.next();  // USING
        primary = column_list(lx);
      } else if (lx.accept_word("UNIQUE")) {
        lx.accept_word("KEY") || lx.accept_word("INDEX");
        while (!lx.at_punct('(') && lx.peek().kind != Token::End) lx.next();  // name, USING
        uniques.push_back(column_list(lx));
      }
      lx.skip_to_separator();
    } else {
      bool pk = false, uq = false;
      ColumnDef c = column_definition(lx, lx.name(), charset, pk, uq);
      if (pk) primary = {c.name};
      if (uq) uniques.push_back({c.name});
      def.columns.push_back(std::move(c));
    }
    if (!lx.accept_punct(',')) break;
  }
  lx.expect_punct(')');
  renumber(def);
  pick_key(def, primary, uniques);
  return def;
}

}  // namespace

DdlStatement parse_ddl(std::string_view sql, const std::string& default_db) {
  DdlStatement st;
  st.text.assign(sql);
  Lexer lx(sql);
  if (lx.accept_word("CREATE")) {
    lx.accept_word("OR") && lx.accept_word("REPLACE");
    lx.accept_word("TEMPORARY");
    if (lx.accept_word("TABLE")) {
      if (lx.accept_word("IF")) {
        lx.accept_word("NOT");
        lx.accept_word("EXISTS");
        st.if_not_exists = true;
      }
      st.name = table_name(lx, default_db);
      // CREATE TABLE t LIKE s, or CREATE TABLE t (LIKE s): a copy of s's definition. (A CREATE
      // TABLE ... SELECT reaches a ROW binlog with its column list written out by the server.)
      const Lexer before_list = lx;  // a value: the lexer holds a view and a position
      const bool paren = lx.accept_punct('(');
      if (lx.accept_word("LIKE")) {
        st.kind = DdlStatement::Kind::CreateTableLike;
        st.like = table_name(lx, default_db);
        if (paren) lx.expect_punct(')');
        return st;
      }
      lx = before_list;
      if (!lx.at_punct('('))
        throw DdlError("CREATE TABLE " + st.name.second +
                       " without a column list (AS SELECT) is not supported");
      st.kind = DdlStatement::Kind::CreateTable;
      st.table = create_table(lx, st.name);
      return st;
    }
    if (lx.accept_word("DATABASE") || lx.accept_word("SCHEMA")) {
      if (lx.accept_word("IF")) {
        lx.accept_word("NOT");
        lx.accept_word("EXISTS");
      }
      st.kind = DdlStatement::Kind::CreateDatabase;
      st.database = lx.name();
    }
    return st;
  }
  if (lx.accept_word("ALTER")) {
    lx.accept_word("ONLINE") || lx.accept_word("IGNORE");
    if (!lx.accept_word("TABLE")) return st;
    if (lx.accept_word("IF")) lx.accept_word("EXISTS");
    st.kind = DdlStatement::Kind::AlterTable;
    st.name = table_name(lx, default_db);
    return st;
  }
  if (lx.accept_word("DROP")) {
    lx.accept_word("TEMPORARY");
    if (lx.accept_word("TABLE") || lx.accept_word("TABLES")) {
      if (lx.accept_word("IF")) lx.accept_word("EXISTS");
      st.kind = DdlStatement::Kind::DropTables;
      do {
        st.names.push_back(table_name(lx, default_db));
      } while (lx.accept_punct(','));
      return st;
    }
    if (lx.accept_word("DATABASE") || lx.accept_word("SCHEMA")) {
      if (lx.accept_word("IF")) lx.accept_word("EXISTS");
      st.kind = DdlStatement::Kind::DropDatabase;
      st.database = lx.name();
    }
    return st;
  }
  if (lx.accept_word("RENAME")) {
    if (!(lx.accept_word("TABLE") || lx.accept_word("TABLES"))) return st;
    st.kind = DdlStatement::Kind::RenameTables;
    do {
      const std::size_t begin = lx.peek().begin;
      auto from = table_name(lx, default_db);
      if (!lx.accept_word("TO")) throw DdlError("expected TO in RENAME TABLE");
      auto to = table_name(lx, default_db);
      st.renames.emplace_back(from, to);
      st.rename_texts.emplace_back(lx.source(begin, lx.last_end()));
    } while (lx.accept_punct(','));
    return st;
  }
  if (lx.accept_word("TRUNCATE")) {
    lx.accept_word("TABLE");
    st.kind = DdlStatement::Kind::TruncateTable;
    st.name = table_name(lx, default_db);
    return st;
  }
  if (lx.accept_word("USE")) {
    st.kind = DdlStatement::Kind::Use;
    st.database = lx.name();
  }
  return st;
}

void apply_alter(const DdlStatement& st, TableDef& def) {
  Lexer lx(st.text);
  lx.accept_word("ALTER");
  lx.accept_word("ONLINE") || lx.accept_word("IGNORE");
  lx.accept_word("TABLE");
  if (lx.accept_word("IF")) lx.accept_word("EXISTS");
  table_name(lx, def.database);
  const std::string charset = def.charset.empty() ? "utf8mb4" : def.charset;
  std::vector<std::string> primary = def.key_columns;
  bool primary_is_pk = true;  // unknown for loaded definitions: keep the key unless dropped
  std::vector<std::vector<std::string>> uniques;
  auto find = [&](const std::string& n) {
    return std::find_if(def.columns.begin(), def.columns.end(), [&](const ColumnDef& c) {
      return std::equal(c.name.begin(), c.name.end(), n.begin(), n.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      });
    });
  };
  auto place = [&](ColumnDef c, std::vector<ColumnDef>::iterator at_old) {
    // FIRST / AFTER x, else where it was (MODIFY / CHANGE) or at the end (ADD).
    std::optional<std::size_t> index;
    if (at_old != def.columns.end()) {
      index = static_cast<std::size_t>(at_old - def.columns.begin());
      def.columns.erase(at_old);
    }
    if (lx.accept_word("FIRST")) {
      index = 0;
    } else if (lx.accept_word("AFTER")) {
      const std::string after = lx.name();
      auto it = find(after);
      if (it == def.columns.end())
        throw DdlError("ALTER TABLE " + def.id() + ": no column " + after);
      index = static_cast<std::size_t>(it - def.columns.begin()) + 1;
    }
    const std::size_t i = index ? std::min(*index, def.columns.size()) : def.columns.size();
    def.columns.insert(def.columns.begin() + static_cast<std::ptrdiff_t>(i), std::move(c));
  };
  auto rename_key = [&](const std::string& from, const std::string& to) {
    for (auto& k : primary)
      if (k == from) k = to;
  };
  while (lx.peek().kind != Token::End) {
    if (lx.accept_word("ADD")) {
      if (lx.accept_word("CONSTRAINT") && !lx.at_word("PRIMARY") && !lx.at_word("UNIQUE") &&
          !lx.at_word("FOREIGN") && !lx.at_word("CHECK"))
        lx.name();
      if (lx.accept_word("PRIMARY")) {
        lx.accept_word("KEY");
        while (!lx.at_punct('(') && lx.peek().kind != Token::End) lx.next();
        primary = column_list(lx);
        primary_is_pk = true;
      } else if (lx.accept_word("UNIQUE")) {
        lx.accept_word("KEY") || lx.accept_word("INDEX");
        while (!lx.at_punct('(') && lx.peek().kind != Token::End) lx.next();
        uniques.push_back(column_list(lx));
      } else if (lx.at_word("INDEX") || lx.at_word("KEY") || lx.at_word("FULLTEXT") ||
                 lx.at_word("SPATIAL") || lx.at_word("FOREIGN") || lx.at_word("CHECK") ||
                 lx.at_word("PERIOD") || lx.at_word("PARTITION")) {
        lx.skip_to_separator();
      } else {
        lx.accept_word("COLUMN");
        if (lx.accept_word("IF")) {
          lx.accept_word("NOT");
          lx.accept_word("EXISTS");
        }
        auto add_one = [&]() {
          bool pk = false, uq = false;
          const std::string n = lx.name();
          if (find(n) != def.columns.end()) {  // IF NOT EXISTS, or the server refused it
            lx.skip_to_separator();
            return;
          }
          ColumnDef c = column_definition(lx, n, charset, pk, uq);
          if (pk) primary = {c.name};
          if (uq) uniques.push_back({c.name});
          place(std::move(c), def.columns.end());
        };
        if (lx.accept_punct('(')) {
          do {
            add_one();
          } while (lx.accept_punct(','));
          lx.expect_punct(')');
        } else {
          add_one();
        }
      }
    } else if (lx.accept_word("DROP")) {
      if (lx.accept_word("PRIMARY")) {
        lx.accept_word("KEY");
        primary.clear();
      } else if (lx.at_word("INDEX") || lx.at_word("KEY") || lx.at_word("FOREIGN") ||
                 lx.at_word("CONSTRAINT") || lx.at_word("CHECK") || lx.at_word("PARTITION")) {
        lx.skip_to_separator();
      } else {
        lx.accept_word("COLUMN");
        bool if_exists = false;
        if (lx.accept_word("IF")) {
          lx.accept_word("EXISTS");
          if_exists = true;
        }
        const std::string n = lx.name();
        auto it = find(n);
        if (it == def.columns.end()) {
          if (!if_exists) throw DdlError("ALTER TABLE " + def.id() + ": no column " + n);
        } else {
          def.columns.erase(it);
          primary.erase(std::remove(primary.begin(), primary.end(), n), primary.end());
        }
        lx.accept_word("RESTRICT") || lx.accept_word("CASCADE");
      }
    } else if (lx.accept_word("MODIFY") || lx.at_word("CHANGE")) {
      const bool change = lx.accept_word("CHANGE");
      lx.accept_word("COLUMN");
      if (lx.accept_word("IF")) lx.accept_word("EXISTS");
      const std::string old = lx.name();
      const std::string n = change ? lx.name() : old;
      auto it = find(old);
      if (it == def.columns.end()) throw DdlError("ALTER TABLE " + def.id() + ": no column " + old);
      bool pk = false, uq = false;
      ColumnDef c = column_definition(lx, n, charset, pk, uq);
      if (pk) primary = {c.name};
      if (uq) uniques.push_back({c.name});
      rename_key(it->name, c.name);
      place(std::move(c), it);
    } else if (lx.accept_word("RENAME")) {
      if (lx.accept_word("COLUMN")) {
        const std::string from = lx.name();
        lx.accept_word("TO");
        const std::string to = lx.name();
        auto it = find(from);
        if (it == def.columns.end())
          throw DdlError("ALTER TABLE " + def.id() + ": no column " + from);
        rename_key(it->name, to);
        it->name = to;
      } else if (lx.at_word("INDEX") || lx.at_word("KEY")) {
        lx.skip_to_separator();
      } else {
        lx.accept_word("TO") || lx.accept_word("AS");
        auto to = table_name(lx, def.database);
        def.database = to.first;
        def.table = to.second;
      }
    } else if (lx.accept_word("ALTER")) {
      lx.accept_word("COLUMN");
      const std::string n = lx.name();
      auto it = find(n);
      if (it == def.columns.end()) throw DdlError("ALTER TABLE " + def.id() + ": no column " + n);
      if (lx.accept_word("SET")) {
        if (lx.accept_word("DEFAULT")) {
          it->has_default = true;
          it->default_expr = default_expression(lx);
          if (*it->default_expr == "NULL") it->default_expr.reset();
        }
      } else if (lx.accept_word("DROP")) {
        lx.accept_word("DEFAULT");
        it->default_expr.reset();
        it->has_default = false;
      }
      lx.skip_to_separator();
    } else if (lx.accept_word("CONVERT")) {
      lx.accept_word("TO");
      lx.accept_word("CHARACTER") && lx.accept_word("SET");
      lx.accept_word("CHARSET");
      std::string cs = lx.name();
      std::transform(cs.begin(), cs.end(), cs.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      for (auto& c : def.columns)
        if (!c.charset.empty() && c.charset != "binary") c.charset = cs;
      def.charset = cs;
      lx.skip_to_separator();
    } else {
      lx.skip_to_separator();
    }
    if (!lx.accept_punct(',')) {
      if (lx.peek().kind != Token::End) lx.next();  // tolerate what we do not read
    }
  }
  renumber(def);
  (void)primary_is_pk;
  pick_key(def, primary, uniques);
}

bool binlog_type_matches(const ColumnDef& c, std::uint8_t b) {
  const std::string& t = c.type;
  if (t == "TINYINT" || t == "BOOLEAN") return b == kTypeTiny;
  if (t == "SMALLINT") return b == kTypeShort;
  if (t == "MEDIUMINT") return b == kTypeInt24;
  if (t == "INT") return b == kTypeLong;
  if (t == "BIGINT") return b == kTypeLongLong;
  if (t == "DECIMAL") return b == kTypeNewDecimal || b == kTypeDecimal;
  if (t == "FLOAT") return b == kTypeFloat;
  if (t == "DOUBLE") return b == kTypeDouble;
  if (t == "BIT") return b == kTypeBit;
  if (t == "CHAR" || t == "BINARY")
    return b == kTypeString || b == kTypeVarString || b == kTypeVarchar;
  if (t == "VARCHAR" || t == "VARBINARY") return b == kTypeVarchar || b == kTypeVarString;
  if (t == "ENUM") return b == kTypeEnum || b == kTypeString;
  if (t == "SET") return b == kTypeSet || b == kTypeString;
  if (t.find("TEXT") != std::string::npos || t.find("BLOB") != std::string::npos || t == "JSON")
    return b == kTypeBlob || b == kTypeTinyBlob || b == kTypeMediumBlob || b == kTypeLongBlob ||
           b == kTypeJson;
  if (t == "DATE") return b == kTypeDate || b == kTypeNewDate;
  if (t == "TIME") return b == kTypeTime || b == kTypeTime2;
  if (t == "DATETIME") return b == kTypeDateTime || b == kTypeDateTime2;
  if (t == "TIMESTAMP") return b == kTypeTimestamp || b == kTypeTimestamp2;
  if (t == "YEAR") return b == kTypeYear;
  return b == kTypeGeometry || b == kTypeBlob;  // spatial types
}

}  // namespace tributary::mysql
