// JsonConverter: hand-written serializer producing Kafka's JsonConverter bytes (see the header).
//
// Threading: a JsonConverter instance belongs to one thread; the free functions are pure.
#include "converters/json_converter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tributary {

// ---------------------------------------------------------------------------------------------
// Text primitives

namespace json {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

// Jackson's 7-bit output escapes: 0 = literal, 'u' = \u00XX, other = backslash + that char.
struct EscapeTable {
  char code[128] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) code[c] = 'u';
    code[static_cast<unsigned char>('\b')] = 'b';
    code[static_cast<unsigned char>('\t')] = 't';
    code[static_cast<unsigned char>('\n')] = 'n';
    code[static_cast<unsigned char>('\f')] = 'f';
    code[static_cast<unsigned char>('\r')] = 'r';
    code[static_cast<unsigned char>('"')] = '"';
    code[static_cast<unsigned char>('\\')] = '\\';
  }
};
constexpr EscapeTable kEscapes;

// "00" .. "99".
struct DigitPairs {
  char text[200] = {};
  constexpr DigitPairs() {
    for (int i = 0; i < 100; ++i) {
      text[2 * i] = static_cast<char>('0' + i / 10);
      text[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DigitPairs kDigitPairs;

inline char* two_digits(char* p, std::uint32_t v) {  // v < 100, exactly two digits
  std::memcpy(p, kDigitPairs.text + 2 * v, 2);
  return p + 2;
}
inline char* four_digits(char* p, std::uint32_t v) {  // v < 10^4, exactly four digits
  two_digits(p, v / 100);
  return two_digits(p + 2, v % 100);
}
inline char* eight_digits(char* p, std::uint32_t v) {  // v < 10^8, exactly eight digits
  four_digits(p, v / 10000);
  return four_digits(p + 4, v % 10000);
}
inline char* up_to_eight_digits(char* p, std::uint32_t v) {  // v < 10^8, no leading zeros
  if (v < 100) {
    if (v < 10) {
      *p = static_cast<char>('0' + v);
      return p + 1;
    }
    return two_digits(p, v);
  }
  if (v < 10000) {
    if (v < 1000) {
      *p = static_cast<char>('0' + v / 100);
      return two_digits(p + 1, v % 100);
    }
    return four_digits(p, v);
  }
  const std::uint32_t high = v / 10000;  // 1 .. 9999
  if (high < 10) {
    *p++ = static_cast<char>('0' + high);
  } else if (high < 100) {
    p = two_digits(p, high);
  } else if (high < 1000) {
    *p = static_cast<char>('0' + high / 100);
    p = two_digits(p + 1, high % 100);
  } else {
    p = four_digits(p, high);
  }
  return four_digits(p, v % 10000);
}

}  // namespace

char* write_int(char* p, std::int64_t v) {
  auto u = static_cast<std::uint64_t>(v);
  if (v < 0) {
    *p++ = '-';
    u = 0 - u;
  }
  constexpr std::uint64_t k8 = 100000000ULL, k16 = k8 * k8;
  if (u < k8) return up_to_eight_digits(p, static_cast<std::uint32_t>(u));
  if (u < k16) {
    p = up_to_eight_digits(p, static_cast<std::uint32_t>(u / k8));
    return eight_digits(p, static_cast<std::uint32_t>(u % k8));
  }
  p = up_to_eight_digits(p, static_cast<std::uint32_t>(u / k16));  // at most 1844
  const std::uint64_t low = u % k16;
  p = eight_digits(p, static_cast<std::uint32_t>(low / k8));
  return eight_digits(p, static_cast<std::uint32_t>(low % k8));
}

namespace {
// Whether any of the eight bytes in `x` needs a look: a control character (< 0x20), '"', '\\'
// or a non-ASCII byte. Exact for "any" (the classic has-zero / has-less-than word tricks).
inline bool needs_look(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t quote = x ^ (kOnes * '"');
  const std::uint64_t slash = x ^ (kOnes * '\\');
  const std::uint64_t control = (x - kOnes * 0x20) & ~x;
  const std::uint64_t is_quote = (quote - kOnes) & ~quote;
  const std::uint64_t is_slash = (slash - kOnes) & ~slash;
  return ((control | is_quote | is_slash | x) & kHigh) != 0;
}
// Whether `s` needs no escaping at all: checked a word at a time, the last word overlapping the
// one before it, so most strings are passed by a few word tests and copied in one append.
bool plain_text(std::string_view s) {
  const std::size_t n = s.size();
  if (n < 8) {
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 128 || kEscapes.code[c] != 0) return false;
    }
    return true;
  }
  std::uint64_t word;
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (needs_look(word)) return false;
  }
  std::memcpy(&word, s.data() + n - 8, 8);
  return !needs_look(word);
}

}  // namespace

void append_string(std::string_view s, std::string& out) {
  if (plain_text(s)) {
    out += '"';
    out.append(s);
    out += '"';
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the pending literal run
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Plain text (most of it) is skipped eight bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (needs_look(word)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 128) {
      const char code = kEscapes.code[c];
      if (code == 0) continue;
      out.append(s.data() + run, i - run);
      run = i + 1;
      if (code == 'u') {
        const char esc[6] = {'\\', 'u', '0', '0', kHexUpper[c >> 4], kHexUpper[c & 0xF]};
        out.append(esc, 6);
      } else {
        out += '\\';
        out += code;
      }
      continue;
    }
    // Jackson 2.16 writes a supplementary character (4-byte UTF-8) as its UTF-16 surrogate pair
    // escaped ("\uD83D\uDE00"); other non-ASCII text passes through as UTF-8.
    if (c < 0xF0 || c > 0xF4 || s.size() - i < 4) continue;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    const auto c3 = static_cast<unsigned char>(s[i + 3]);
    if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 || (c3 & 0xC0) != 0x80) continue;
    const std::uint32_t cp = (std::uint32_t{c & 0x07u} << 18) | (std::uint32_t{c1 & 0x3Fu} << 12) |
                             (std::uint32_t{c2 & 0x3Fu} << 6) | (c3 & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF) continue;
    out.append(s.data() + run, i - run);
    const std::uint32_t v = cp - 0x10000;
    for (const std::uint32_t unit : {0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)}) {
      const char esc[6] = {'\\',
                           'u',
                           kHexUpper[(unit >> 12) & 0xF],
                           kHexUpper[(unit >> 8) & 0xF],
                           kHexUpper[(unit >> 4) & 0xF],
                           kHexUpper[unit & 0xF]};
      out.append(esc, 6);
    }
    i += 3;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_json_double(double v, std::string& out, JavaFloatFormat format) {
  if (std::isfinite(v)) {
    append_java_double(v, out, format);
  } else {
    out += '"';
    append_java_double(v, out, format);
    out += '"';
  }
}

void append_json_float(float v, std::string& out, JavaFloatFormat format) {
  if (std::isfinite(v)) {
    append_java_float(v, out, format);
  } else {
    out += '"';
    append_java_float(v, out, format);
    out += '"';
  }
}

int decimal_scale(const Schema& schema) {
  const auto p = schema.parameter(logical::kDecimalScaleParam);
  if (!p) throw std::invalid_argument("Invalid Decimal schema: scale parameter not found.");
  int scale = 0;
  const auto r = std::from_chars(p->data(), p->data() + p->size(), scale);
  if (r.ec != std::errc() || r.ptr != p->data() + p->size()) {
    throw std::invalid_argument("Invalid scale parameter found in Decimal schema: " + *p);
  }
  return scale;
}

}  // namespace json

// ---------------------------------------------------------------------------------------------
// Struct plans

// One field of a struct schema as from_connect writes it. The per-field work of the generic
// writer (the key's length and copy, the checks of the field schema's name, optionality and
// default, the type switch) was about 55 instructions a field, the larger part of a Debezium
// envelope's conversion (tests/bench/run_mysql.sh instr:5:off); a plan does it once per schema.
struct JsonConverter::StructPlan {
  // Bytes: base64; Decimal: a Connect Decimal in decimal.format=BASE64 (its minimal bytes).
  enum class Kind : std::uint8_t {
    Int8,
    Int16,
    Int32,
    Int64,
    Boolean,
    String,
    Bytes,
    Decimal,
    Struct,
    Other
  };
  static constexpr std::size_t kKeyCopy = 48;  // bytes copied for a key, whatever its length
  struct FieldPlan {
    // ',"name":' then zeros, so that a fixed kKeyCopy-byte copy from key (or key + 1 for the
    // first field, without the comma) writes it; used when inline_key.
    char key[kKeyCopy + 1] = {};
    std::uint8_t key_size = 0;  // with the comma
    bool inline_key = false;    // a plain name short enough for `key`
    Kind kind = Kind::Other;
    // The field's null is written as null with no further check: the schema is optional and no
    // default replaces it.
    bool null_inline = false;
    std::size_t index = 0;
    const Field* field = nullptr;
    std::unique_ptr<const StructPlan> child;  // Kind::Struct: the nested schema's plan
  };
  std::vector<FieldPlan> fields;

  // The values of the struct this plan wrote last, its JSON and where each field's text ends in
  // it: the next struct of the schema copies the text of every field whose value is the same (a
  // change event's Source block repeats all but `row` from one row of a binlog event to the
  // next, and its envelope the op and the timestamps). A field's text depends only on its schema,
  // its value and the converter's config, so the copy is the bytes a write would give. The
  // values are the memo's own copies (scalars, strings, bytes; never a struct, array or map), so
  // a struct changed in place after it was written cannot make a stale copy. The memo is
  // remembered again after a struct with more than one changed field (the next binlog event's
  // Source block); where more than half of the fields that can repeat do not (rows), it rests
  // for the next kMemoPause structs.
  struct Snap {
    std::uint8_t kind = 0xFF;  // the value's Storage index; 0xFF: not kept (never the same)
    std::uint64_t bits = 0;    // a scalar's bits
    std::string text;          // a string's or bytes' content
  };
  struct Memo {
    bool ready = false;    // vals, json and ends are those of one struct written
    bool refresh = false;  // the next struct is written whole and remembered instead
    std::vector<Snap> vals;
    std::string json;
    std::vector<std::uint32_t> ends;  // each field's end in json
    std::size_t unkept = 0;           // fields kept as never the same (structs, arrays, maps)
    std::uint32_t pause = 0;
  };
  static constexpr std::uint32_t kMemoPause = 64;
  // Bounds of what a memo keeps: a longer string or bytes value is never the same (not copied),
  // and a struct whose JSON is longer is not remembered (the memo rests).
  static constexpr std::size_t kMemoMaxText = 1024;
  static constexpr std::size_t kMemoMaxJson = 64 * 1024;
  mutable Memo memo;  // the converter's thread's, as the plan cache

  StructPlan(const Schema& schema, bool replace_null, bool decimal_base64) {
    fields.resize(schema.fields().size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const Field& f = schema.fields()[i];
      FieldPlan& fp = fields[i];
      fp.field = &f;
      fp.index = static_cast<std::size_t>(f.index);
      if (f.plain_name && f.name.size() + 4 <= kKeyCopy) {
        fp.inline_key = true;
        char* k = fp.key;
        *k++ = ',';
        *k++ = '"';
        std::memcpy(k, f.name.data(), f.name.size());
        k += f.name.size();
        *k++ = '"';
        *k++ = ':';
        fp.key_size = static_cast<std::uint8_t>(k - fp.key);
      }
      const Schema* fs = f.schema.get();
      if (fs == nullptr) continue;  // schemaless field: Kind::Other, the generic writer
      const bool has_def = fs->default_value().has_value() && !fs->default_value()->is_null();
      fp.null_inline = fs->optional() && !(replace_null && has_def);
      if (fs->name() && *fs->name() == logical::kDecimal) {
        if (decimal_base64) fp.kind = Kind::Decimal;
        continue;
      }
      switch (fs->type()) {
        case Type::Int8: fp.kind = Kind::Int8; break;
        case Type::Int16: fp.kind = Kind::Int16; break;
        case Type::Int32: fp.kind = Kind::Int32; break;
        case Type::Int64: fp.kind = Kind::Int64; break;
        case Type::Boolean: fp.kind = Kind::Boolean; break;
        case Type::String: fp.kind = Kind::String; break;
        case Type::Bytes: fp.kind = Kind::Bytes; break;
        case Type::Struct:
          fp.kind = Kind::Struct;
          fp.child = std::make_unique<const StructPlan>(*fs, replace_null, decimal_base64);
          break;
        default: break;
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Payload writer (Kafka's convertToJson)

namespace {

using StructPlan = JsonConverter::StructPlan;

// Thrown inside the writer; the path is collected while unwinding (innermost first) and turned
// into a std::invalid_argument at the public boundary, so the happy path never builds a path.
struct ConversionError {
  std::string message;
  std::vector<std::string> path;
};

[[noreturn]] void rethrow_with_path(const ConversionError& e) {
  std::string path;
  for (auto it = e.path.rbegin(); it != e.path.rend(); ++it) {
    if (!path.empty() && (it->empty() || it->front() != '[')) path += '.';
    path += *it;
  }
  if (path.empty()) throw std::invalid_argument(e.message);
  throw std::invalid_argument("Field \"" + path + "\": " + e.message);
}

std::string_view value_kind(const Value& v) {
  static constexpr std::string_view kKinds[] = {"null",  "boolean", "int8",   "int16",  "int32",
                                                "int64", "float",   "double", "string", "bytes",
                                                "array", "map",     "struct"};
  return kKinds[v.storage().index()];
}

bool has_default(const Schema& s) {
  return s.default_value().has_value() && !s.default_value()->is_null();
}

const Value& null_value() {
  static const Value kNull;
  return kNull;
}

// Whether `v` is the value `snap` kept (same type, same bits or content).
bool same_as(const StructPlan::Snap& snap, const Value& v) {
  const auto& st = v.storage();
  if (st.index() != snap.kind) return false;
  switch (st.index()) {
    case 0: return true;
    case 1: return *std::get_if<bool>(&st) == (snap.bits != 0);
    case 2: return static_cast<std::uint64_t>(*std::get_if<std::int8_t>(&st)) == snap.bits;
    case 3: return static_cast<std::uint64_t>(*std::get_if<std::int16_t>(&st)) == snap.bits;
    case 4: return static_cast<std::uint64_t>(*std::get_if<std::int32_t>(&st)) == snap.bits;
    case 5: return static_cast<std::uint64_t>(*std::get_if<std::int64_t>(&st)) == snap.bits;
    case 6: {
      std::uint32_t b;
      std::memcpy(&b, std::get_if<float>(&st), 4);
      return b == snap.bits;
    }
    case 7: {
      std::uint64_t b;
      std::memcpy(&b, std::get_if<double>(&st), 8);
      return b == snap.bits;
    }
    case 8: return *std::get_if<std::string>(&st) == snap.text;
    case 9: {
      const Bytes& b = *std::get_if<Bytes>(&st);
      return b.size() == snap.text.size() &&
             (b.empty() || std::memcmp(b.data(), snap.text.data(), b.size()) == 0);
    }
    default: return false;
  }
}

// Keeps `v` in `snap` (a struct, array or map, or a string or bytes longer than kMemoMaxText, as
// never the same).
void keep(StructPlan::Snap& snap, const Value& v) {
  const auto& st = v.storage();
  snap.kind = static_cast<std::uint8_t>(st.index());
  switch (st.index()) {
    case 0: return;
    case 1: snap.bits = *std::get_if<bool>(&st) ? 1 : 0; return;
    case 2: snap.bits = static_cast<std::uint64_t>(*std::get_if<std::int8_t>(&st)); return;
    case 3: snap.bits = static_cast<std::uint64_t>(*std::get_if<std::int16_t>(&st)); return;
    case 4: snap.bits = static_cast<std::uint64_t>(*std::get_if<std::int32_t>(&st)); return;
    case 5: snap.bits = static_cast<std::uint64_t>(*std::get_if<std::int64_t>(&st)); return;
    case 6: {
      std::uint32_t b;
      std::memcpy(&b, std::get_if<float>(&st), 4);
      snap.bits = b;
      return;
    }
    case 7: std::memcpy(&snap.bits, std::get_if<double>(&st), 8); return;
    case 8: {
      const std::string& t = *std::get_if<std::string>(&st);
      if (t.size() > StructPlan::kMemoMaxText) break;
      snap.text = t;
      return;
    }
    case 9: {
      const Bytes& b = *std::get_if<Bytes>(&st);
      if (b.size() > StructPlan::kMemoMaxText) break;
      snap.text.assign(reinterpret_cast<const char*>(b.data()), b.size());
      return;
    }
    default: break;
  }
  snap.kind = 0xFF;
}

class PayloadWriter {
 public:
  PayloadWriter(DecimalFormat format, bool replace_null, JavaFloatFormat floats, std::string& out)
      : format_(format), replace_null_(replace_null), floats_(floats), out_(out) {}

  void write(const Schema* schema, const Value& v) {
    if (v.is_null()) {
      // Schemaless or optional: JSON null; with a default (and replace.null.with.default): it.
      if (schema != nullptr && replace_null_ && has_default(*schema)) {
        write(schema, *schema->default_value());
      } else if (schema == nullptr || schema->optional()) {
        out_ += "null";
      } else {
        throw ConversionError{
            "Conversion error: null value for field that is required and has no default value", {}};
      }
      return;
    }
    if (schema == nullptr) {
      write_schemaless(v);
      return;
    }
    if (schema->name() && *schema->name() == logical::kDecimal) {
      write_decimal(*schema, v);
      return;
    }
    switch (schema->type()) {
      case Type::Int8: append_int(expect<std::int8_t>(*schema, v)); return;
      case Type::Int16: append_int(expect<std::int16_t>(*schema, v)); return;
      case Type::Int32: append_int(expect<std::int32_t>(*schema, v)); return;
      case Type::Int64: append_int(expect<std::int64_t>(*schema, v)); return;
      case Type::Float32: json::append_json_float(expect<float>(*schema, v), out_, floats_); return;
      case Type::Float64:
        json::append_json_double(expect<double>(*schema, v), out_, floats_);
        return;
      case Type::Boolean: out_ += expect<bool>(*schema, v) ? "true" : "false"; return;
      case Type::String: json::append_string(expect<std::string>(*schema, v), out_); return;
      case Type::Bytes: {
        const Bytes& b = expect<Bytes>(*schema, v);
        out_ += '"';
        json::append_base64(b.data(), b.size(), out_);
        out_ += '"';
        return;
      }
      case Type::Array:
        write_array(schema->value_schema().get(), expect<Value::Array>(*schema, v));
        return;
      case Type::Map: write_map(schema, expect<Value::MapEntries>(*schema, v)); return;
      case Type::Struct: write_struct(*schema, v); return;
    }
  }

  // write() of a struct value of `schema` by its plan: the same bytes and errors as
  // write_struct(), with the per-field decisions taken from the plan, and the text of the fields
  // whose values repeat those of the plan's memo copied from it (StructPlan::Memo).
  void write_planned(const StructPlan& plan, const Schema& schema, const Value& v) {
    if (v.is_null()) {
      write(&schema, v);
      return;
    }
    const Value::StructData& data = struct_data(schema, v);
    StructPlan::Memo& memo = plan.memo;
    const std::size_t count = plan.fields.size();
    // (the sizes and data once: a vector's size() in the loop was 12 instructions a field)
    const StructPlan::FieldPlan* fields = plan.fields.data();
    const Value* values = data.fields.data();
    const std::size_t present = data.fields.size();
    auto field = [&](std::size_t k) -> const Value& {
      const std::size_t i = fields[k].index;
      return i < present ? values[i] : null_value();
    };
    char buf[512];
    std::size_t len = 0;
    buf[len++] = '{';
    if (memo.pause > 0 || !memo.ready || memo.refresh) {
      const bool remember = memo.pause == 0;
      if (remember) {
        memo.ready = false;  // until this struct is written whole
        memo.vals.resize(count);
        memo.ends.resize(count);
        memo.unkept = 0;
      } else {
        --memo.pause;
      }
      const std::size_t start = out_.size();
      for (std::size_t k = 0; k < count; ++k) {
        const Value& fv = field(k);
        write_field(fields[k], fv, k == 0, buf, len);
        if (!remember) continue;
        keep(memo.vals[k], fv);
        memo.unkept += memo.vals[k].kind == 0xFF ? 1 : 0;
        memo.ends[k] = static_cast<std::uint32_t>(out_.size() + len - start);
      }
      buf[len++] = '}';
      out_.append(buf, len);
      if (remember) {
        if (out_.size() - start > StructPlan::kMemoMaxJson) {
          memo.pause = StructPlan::kMemoPause;
          return;
        }
        memo.json.assign(out_, start, std::string::npos);
        memo.ready = true;
        memo.refresh = false;
      }
      return;
    }
    // Runs of repeated fields are copied from the memo, the others written.
    std::size_t changed = 0;
    for (std::size_t k = 0; k < count;) {
      std::size_t j = k;
      while (j < count && same_as(memo.vals[j], field(j))) ++j;
      if (j == k) {
        write_field(fields[k], field(k), k == 0, buf, len);
        ++changed;
        ++k;
        continue;
      }
      const std::size_t from = k == 0 ? 1 : memo.ends[k - 1];
      const std::size_t n = memo.ends[j - 1] - from;
      if (sizeof buf - 1 - len < n) {
        out_.append(buf, len);
        len = 0;
      }
      if (n < sizeof buf) {
        std::memcpy(buf + len, memo.json.data() + from, n);
        len += n;
      } else {
        out_.append(memo.json, from, n);
      }
      k = j;
    }
    buf[len++] = '}';
    out_.append(buf, len);
    const std::size_t comparable = count - memo.unkept;
    const std::size_t differ = changed - std::min(changed, memo.unkept);
    if (differ * 2 > comparable) {
      memo.pause = StructPlan::kMemoPause;
      memo.ready = false;
    } else if (differ > 1) {
      memo.refresh = true;
    }
  }

  // One field of write_planned(): its key and value, inline in `buf` (`len` bytes pending)
  // when they fit, else through the generic writer.
  [[gnu::always_inline]] void write_field(const StructPlan::FieldPlan& fp, const Value& fv,
                                          bool first, char (&buf)[512], std::size_t& len) {
    // Room for a key and an integer (the last byte stays free for the closing brace): else the
    // run goes out first.
    if (sizeof buf - len < StructPlan::kKeyCopy + 32) {
      out_.append(buf, len);
      len = 0;
    }
    char* p = buf + len;
    if (fp.inline_key) {
      std::memcpy(p, fp.key + (first ? 1 : 0), StructPlan::kKeyCopy);
      p += fp.key_size - (first ? 1 : 0);
    } else {
      out_.append(buf, len);
      p = buf;
      if (!first) out_ += ',';
      json::append_string(fp.field->name, out_);
      out_ += ':';
    }
    if (char* end = planned_scalar(fp, fv, p, buf + sizeof buf - 1)) {
      len = static_cast<std::size_t>(end - buf);
      return;
    }
    out_.append(buf, static_cast<std::size_t>(p - buf));
    len = 0;
    try {
      if (fp.kind == StructPlan::Kind::Struct && !fv.is_null()) {
        write_planned(*fp.child, *fp.field->schema, fv);
      } else {
        write(fp.field->schema.get(), fv);
      }
    } catch (ConversionError& e) {
      e.path.push_back(fp.field->name);
      throw;
    }
  }

 private:
  // scalar() by the plan: writes `v` at `p` when its field's kind and the value's type let it go
  // inline, else nullptr (write() or write_planned() then writes it, and raises the errors).
  [[gnu::always_inline]] char* planned_scalar(const StructPlan::FieldPlan& fp, const Value& v,
                                              char* p, char* end) const {
    const auto& st = v.storage();
    if (v.is_null()) {
      if (!fp.null_inline) return nullptr;
      std::memcpy(p, "null", 4);
      return p + 4;
    }
    switch (fp.kind) {
      case StructPlan::Kind::Int8: return int_at(std::get_if<std::int8_t>(&st), p);
      case StructPlan::Kind::Int16: return int_at(std::get_if<std::int16_t>(&st), p);
      case StructPlan::Kind::Int32: return int_at(std::get_if<std::int32_t>(&st), p);
      case StructPlan::Kind::Int64: return int_at(std::get_if<std::int64_t>(&st), p);
      case StructPlan::Kind::Boolean: return bool_at(std::get_if<bool>(&st), p);
      case StructPlan::Kind::String: return string_at(std::get_if<std::string>(&st), p, end);
      case StructPlan::Kind::Bytes: return bytes_at(std::get_if<Bytes>(&st), false, p, end);
      case StructPlan::Kind::Decimal: return bytes_at(std::get_if<Bytes>(&st), true, p, end);
      default: return nullptr;
    }
  }

  // A Decimal's unscaled value as BigInteger.toByteArray() gives it: minimal (redundant sign
  // bytes dropped), and zero as one byte.
  static std::pair<const std::uint8_t*, std::size_t> minimal_unscaled(const Bytes& b) {
    static constexpr std::uint8_t kZero = 0;
    if (b.empty()) return {&kZero, 1};
    const std::uint8_t* d = b.data();
    std::size_t n = b.size();
    while (n > 1 &&
           ((d[0] == 0x00 && (d[1] & 0x80) == 0) || (d[0] == 0xFF && (d[1] & 0x80) != 0))) {
      ++d;
      --n;
    }
    return {d, n};
  }

  // Bytes in base64, quoted, when they fit before `end` (a Decimal's minimal_unscaled(), as
  // write_decimal() writes it in BASE64); else nullptr.
  static char* bytes_at(const Bytes* b, bool decimal, char* p, char* end) {
    if (b == nullptr) return nullptr;
    const auto [d, n] = decimal ? minimal_unscaled(*b) : std::pair{b->data(), b->size()};
    if (n > static_cast<std::size_t>(end - p) ||
        base64_size(n) + 2 > static_cast<std::size_t>(end - p))
      return nullptr;
    *p++ = '"';
    p = write_base64(d, n, p);
    *p++ = '"';
    return p;
  }

  // The struct of `v` for `schema`, or the ConversionError write_struct raises.
  static const Value::StructData& struct_data(const Schema& schema, const Value& v) {
    const auto* sp = std::get_if<std::shared_ptr<Value::StructData>>(&v.storage());
    if (sp == nullptr || !*sp) {
      throw ConversionError{"Invalid type for STRUCT: " + std::string(value_kind(v)), {}};
    }
    const Value::StructData& data = **sp;
    if (data.schema.get() != &schema && (!data.schema || !(*data.schema == schema))) {
      throw ConversionError{"Mismatching schema.", {}};
    }
    return data;
  }

  template <class T>
  const T& expect(const Schema& schema, const Value& v) {
    if (const T* p = std::get_if<T>(&v.storage())) return *p;
    throw ConversionError{"Invalid type for " +
                              std::string(json::connect_type_enum_name(schema.type())) + ": " +
                              std::string(value_kind(v)),
                          {}};
  }

  template <class T>
  void append_int(T v) {
    char buf[24];
    out_.append(buf, json::write_int(buf, static_cast<std::int64_t>(v)));
  }

  void write_schemaless(const Value& v) {
    std::visit(
        [this](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            out_ += "null";
          } else if constexpr (std::is_same_v<T, bool>) {
            out_ += x ? "true" : "false";
          } else if constexpr (std::is_same_v<T, float>) {
            json::append_json_float(x, out_, floats_);
          } else if constexpr (std::is_same_v<T, double>) {
            json::append_json_double(x, out_, floats_);
          } else if constexpr (std::is_integral_v<T>) {
            append_int(x);
          } else if constexpr (std::is_same_v<T, std::string>) {
            json::append_string(x, out_);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            out_ += '"';
            json::append_base64(x.data(), x.size(), out_);
            out_ += '"';
          } else if constexpr (std::is_same_v<T, Value::Array>) {
            write_array(nullptr, x);
          } else if constexpr (std::is_same_v<T, Value::MapEntries>) {
            write_map(nullptr, x);
          } else {
            // Kafka compares the struct's schema with the (null) schema and fails.
            throw ConversionError{"Mismatching schema.", {}};
          }
        },
        v.storage());
  }

  void write_decimal(const Schema& schema, const Value& v) {
    const Bytes* b = std::get_if<Bytes>(&v.storage());
    if (b == nullptr) {
      throw ConversionError{
          "Invalid type for Decimal, expected bytes (the unscaled value) but was " +
              std::string(value_kind(v)),
          {}};
    }
    if (format_ == DecimalFormat::Numeric) {
      out_ += json::big_decimal_to_string(*b, scale_of(schema));
      return;
    }
    const auto [p, n] = minimal_unscaled(*b);
    out_ += '"';
    json::append_base64(p, n, out_);
    out_ += '"';
  }

  int scale_of(const Schema& schema) {
    try {
      return json::decimal_scale(schema);
    } catch (const std::invalid_argument& e) {
      throw ConversionError{e.what(), {}};
    }
  }

  void write_array(const Schema* items, const Value::Array& a) {
    out_ += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i != 0) out_ += ',';
      try {
        write(items, a[i]);
      } catch (ConversionError& e) {
        e.path.push_back("[" + std::to_string(i) + "]");
        throw;
      }
    }
    out_ += ']';
  }

  // The object key Kafka derives for a map entry in object mode (JsonNode.asText()).
  std::string_view key_text(const Schema* key_schema, const Value& key) {
    if (const auto* s = std::get_if<std::string>(&key.storage())) return *s;
    if (key.is_null() && key_schema != nullptr) {
      if (replace_null_ && has_default(*key_schema) &&
          key_schema->default_value()->is<std::string>()) {
        return key_schema->default_value()->as<std::string>();
      }
      if (key_schema->optional()) return "null";  // NullNode.asText()
      throw ConversionError{
          "Conversion error: null value for field that is required and has no default value", {}};
    }
    throw ConversionError{"Invalid type for STRING: " + std::string(value_kind(key)), {}};
  }

  void write_map(const Schema* schema, const Value::MapEntries& m) {
    const Schema* ks = schema != nullptr ? schema->key_schema().get() : nullptr;
    const Schema* vs = schema != nullptr ? schema->value_schema().get() : nullptr;
    bool object_mode = true;
    if (schema != nullptr) {
      object_mode = ks->type() == Type::String;
    } else {
      for (const auto& e : m) {
        if (!e.first.is<std::string>()) {
          object_mode = false;
          break;
        }
      }
    }
    if (!object_mode) {
      out_ += '[';
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (i != 0) out_ += ',';
        out_ += '[';
        try {
          write(ks, m[i].first);
          out_ += ',';
          write(vs, m[i].second);
        } catch (ConversionError& e) {
          e.path.push_back("[" + std::to_string(i) + "]");
          throw;
        }
        out_ += ']';
      }
      out_ += ']';
      return;
    }
    // Object mode. A JSON object keeps one value per key: a repeated key keeps its first position
    // and takes the last value (ObjectNode.set on a LinkedHashMap).
    std::vector<std::string_view> keys;
    keys.reserve(m.size());
    for (std::size_t i = 0; i < m.size(); ++i) {
      try {
        keys.push_back(key_text(ks, m[i].first));
      } catch (ConversionError& e) {
        e.path.push_back("[" + std::to_string(i) + "]");
        throw;
      }
    }
    std::vector<std::size_t> order;  // entry index per distinct key, empty when no repeats
    if (keys.size() > 1) {
      const std::unordered_set<std::string_view> seen(keys.begin(), keys.end());
      if (seen.size() != keys.size()) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
          bool replaced = false;
          for (auto& j : order) {
            if (keys[j] == keys[i]) {
              j = i;
              replaced = true;
              break;
            }
          }
          if (!replaced) order.push_back(i);
        }
      }
    }
    const std::size_t count = order.empty() ? m.size() : order.size();
    out_ += '{';
    for (std::size_t n = 0; n < count; ++n) {
      const std::size_t i = order.empty() ? n : order[n];
      if (n != 0) out_ += ',';
      json::append_string(keys[i], out_);
      out_ += ':';
      try {
        write(vs, m[i].second);
      } catch (ConversionError& e) {
        e.path.push_back(std::string(keys[i]));
        throw;
      }
    }
    out_ += '}';
  }

  void write_struct(const Schema& schema, const Value& v) {
    const Value::StructData& data = struct_data(schema, v);
    // Keys and plain scalar values gather in `buf` and go out in one append per run of them
    // (std::string's per-append cost was the larger part of small fields' cost, measured with
    // tests/bench/run_mysql.sh instr:5:off); a nested or escaped value flushes the run first.
    char buf[512];
    std::size_t len = 0;
    buf[len++] = '{';
    bool first = true;
    for (const Field& f : schema.fields()) {
      const auto idx = static_cast<std::size_t>(f.index);
      const Value& fv = idx < data.fields.size() ? data.fields[idx] : null_value();
      const bool comma = !first;
      first = false;
      if (f.plain_name && f.name.size() <= kMaxInlineName) {
        // Room for the key and an integer: else the run goes out first.
        if (sizeof buf - len < kMaxInlineName + 32) {
          out_.append(buf, len);
          len = 0;
        }
        char* p = buf + len;
        if (comma) *p++ = ',';
        *p++ = '"';
        std::memcpy(p, f.name.data(), f.name.size());
        p += f.name.size();
        *p++ = '"';
        *p++ = ':';
        // (the last byte stays free for the closing brace)
        if (const char* end = scalar(f.schema.get(), fv, p, buf + sizeof buf - 1)) {
          len = static_cast<std::size_t>(end - buf);
          continue;
        }
        out_.append(buf, static_cast<std::size_t>(p - buf));
      } else {
        out_.append(buf, len);
        if (comma) out_ += ',';
        json::append_string(f.name, out_);
        out_ += ':';
      }
      len = 0;
      try {
        write(f.schema.get(), fv);
      } catch (ConversionError& e) {
        e.path.push_back(f.name);
        throw;
      }
    }
    buf[len++] = '}';
    out_.append(buf, len);
  }

  static constexpr std::size_t kMaxInlineName = 64;

  // Writes `v` at `p` when write() would write it without any further check: the null of an
  // optional field (no default in play), an integer or boolean of its schema's own type, a
  // string that needs no escaping and fits before `end`. Returns the end of what it wrote, or
  // nullptr to leave the value to write() (which also raises the errors).
  char* scalar(const Schema* schema, const Value& v, char* p, char* end) const {
    if (schema == nullptr) return nullptr;
    if (v.is_null()) {
      if (!schema->optional() || (replace_null_ && has_default(*schema))) return nullptr;
      std::memcpy(p, "null", 4);
      return p + 4;
    }
    if (schema->name() && *schema->name() == logical::kDecimal) return nullptr;
    const auto& st = v.storage();
    switch (schema->type()) {
      case Type::Int8: return int_at(std::get_if<std::int8_t>(&st), p);
      case Type::Int16: return int_at(std::get_if<std::int16_t>(&st), p);
      case Type::Int32: return int_at(std::get_if<std::int32_t>(&st), p);
      case Type::Int64: return int_at(std::get_if<std::int64_t>(&st), p);
      case Type::Boolean: return bool_at(std::get_if<bool>(&st), p);
      case Type::String: return string_at(std::get_if<std::string>(&st), p, end);
      default: return nullptr;
    }
  }

  static char* bool_at(const bool* b, char* p) {
    if (b == nullptr) return nullptr;
    if (*b) {
      std::memcpy(p, "true", 4);
      return p + 4;
    }
    std::memcpy(p, "false", 5);
    return p + 5;
  }

  // A string that needs no escaping and fits before `end`, quoted; else nullptr.
  static char* string_at(const std::string* s, char* p, char* end) {
    if (s == nullptr || s->size() + 2 > static_cast<std::size_t>(end - p) ||
        !json::plain_text(*s)) {
      return nullptr;
    }
    *p++ = '"';
    std::memcpy(p, s->data(), s->size());
    p += s->size();
    *p++ = '"';
    return p;
  }

  // `p` has room for 20 characters (write_struct's buffer after a key of at most 64).
  template <class T>
  static char* int_at(const T* v, char* p) {
    if (v == nullptr) return nullptr;
    return json::write_int(p, static_cast<std::int64_t>(*v));
  }

  DecimalFormat format_;
  bool replace_null_;
  JavaFloatFormat floats_;
  std::string& out_;
};

// Kafka's asJsonSchema: type, items | keys,values | fields, optional, name, version, doc,
// parameters, default; a struct field's schema gets "field" last.
void write_schema(const Schema& s, const std::string* field_name, PayloadWriter& payload,
                  std::string& out) {
  out += "{\"type\":\"";
  out += type_name(s.type());
  out += '"';
  switch (s.type()) {
    case Type::Array:
      out += ",\"items\":";
      write_schema(*s.value_schema(), nullptr, payload, out);
      break;
    case Type::Map:
      out += ",\"keys\":";
      write_schema(*s.key_schema(), nullptr, payload, out);
      out += ",\"values\":";
      write_schema(*s.value_schema(), nullptr, payload, out);
      break;
    case Type::Struct: {
      out += ",\"fields\":[";
      bool first = true;
      for (const Field& f : s.fields()) {
        if (!first) out += ',';
        first = false;
        try {
          write_schema(*f.schema, &f.name, payload, out);
        } catch (ConversionError& e) {
          e.path.push_back(f.name);
          throw;
        }
      }
      out += ']';
      break;
    }
    default: break;
  }
  out += s.optional() ? ",\"optional\":true" : ",\"optional\":false";
  if (s.name()) {
    out += ",\"name\":";
    json::append_string(*s.name(), out);
  }
  if (s.version()) {
    out += ",\"version\":";
    char buf[16];
    const auto r = std::to_chars(buf, buf + sizeof buf, *s.version());
    out.append(buf, r.ptr);
  }
  if (s.doc()) {
    out += ",\"doc\":";
    json::append_string(*s.doc(), out);
  }
  if (!s.parameters().empty()) {
    out += ",\"parameters\":{";
    bool first = true;
    for (const auto& [k, v] : s.parameters()) {
      if (!first) out += ',';
      first = false;
      json::append_string(k, out);
      out += ':';
      json::append_string(v, out);
    }
    out += '}';
  }
  if (has_default(s)) {
    out += ",\"default\":";
    try {
      payload.write(&s, *s.default_value());
    } catch (ConversionError& e) {
      e.message = "Invalid default value: " + e.message;
      throw;
    }
  }
  if (field_name != nullptr) {
    out += ",\"field\":";
    json::append_string(*field_name, out);
  }
  out += '}';
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Config

ConfigDef json_converter_config_def() {
  ConfigDef def;
  ConfigKey type;
  type.name = "converter.type";
  type.type = ConfigType::String;
  type.default_value = std::nullopt;  // Kafka's NO_DEFAULT_VALUE; the worker sets it
  type.importance = Importance::Low;
  type.documentation = "How this converter will be used.";
  type.validator = validators::one_of({"key", "value", "header"}, false);
  type.recommended_values = {"key", "value", "header"};
  type.valid_values_doc = "[key, value, header]";
  def.define(std::move(type));

  ConfigKey schemas_enable;
  schemas_enable.name = "schemas.enable";
  schemas_enable.type = ConfigType::Boolean;
  schemas_enable.default_value = "true";
  schemas_enable.importance = Importance::High;
  schemas_enable.documentation = "Include schemas within each of the serialized values and keys.";
  schemas_enable.group = "Schemas";
  schemas_enable.order_in_group = 1;
  schemas_enable.width = "MEDIUM";
  schemas_enable.display_name = "Enable Schemas";
  def.define(std::move(schemas_enable));

  ConfigKey cache_size;
  cache_size.name = "schemas.cache.size";
  cache_size.type = ConfigType::Int;
  cache_size.default_value = "1000";
  cache_size.importance = Importance::High;
  cache_size.documentation =
      "The maximum number of schemas that can be cached in this converter instance.";
  cache_size.group = "Schemas";
  cache_size.order_in_group = 2;
  cache_size.width = "MEDIUM";
  cache_size.display_name = "Schema Cache Size";
  def.define(std::move(cache_size));

  ConfigKey decimal_format;
  decimal_format.name = "decimal.format";
  decimal_format.type = ConfigType::String;
  decimal_format.default_value = "BASE64";
  decimal_format.importance = Importance::Low;
  decimal_format.documentation =
      "Controls which format this converter will serialize decimals in. This value is case "
      "insensitive and can be either 'BASE64' (default) or 'NUMERIC'";
  decimal_format.group = "Serialization";
  decimal_format.order_in_group = 1;
  decimal_format.width = "MEDIUM";
  decimal_format.display_name = "Decimal Format";
  decimal_format.validator = validators::one_of({"BASE64", "NUMERIC"}, true);
  decimal_format.recommended_values = {"BASE64", "NUMERIC"};
  decimal_format.valid_values_doc = "(case insensitive) [BASE64, NUMERIC]";
  def.define(std::move(decimal_format));

  ConfigKey replace_null;
  replace_null.name = "replace.null.with.default";
  replace_null.type = ConfigType::Boolean;
  replace_null.default_value = "true";
  replace_null.importance = Importance::Low;
  replace_null.documentation =
      "Whether to replace fields that have a default value and that are null to the default "
      "value. When set to true, the default value is used, otherwise null is used.";
  replace_null.group = "Serialization";
  replace_null.order_in_group = 2;
  replace_null.width = "MEDIUM";
  replace_null.display_name = "Replace null with default";
  def.define(std::move(replace_null));

  // Tributary extension (not a Kafka key): which JVM's float text to reproduce.
  ConfigKey floats;
  floats.name = "tributary.java.float.format";
  floats.type = ConfigType::String;
  floats.default_value = "legacy";
  floats.importance = Importance::Low;
  floats.documentation =
      "Tributary extension. How float and double values are written: 'legacy' reproduces "
      "Float/Double.toString of Java 8 to 18 (Kafka Connect on Java 17, the default), 'shortest' "
      "reproduces Java 19 and later (Kafka Connect on Java 21).";
  floats.group = "Serialization";
  floats.order_in_group = 3;
  floats.width = "SHORT";
  floats.display_name = "Java float format";
  floats.validator = validators::one_of({"legacy", "shortest"}, true);
  floats.recommended_values = {"legacy", "shortest"};
  floats.valid_values_doc = "(case insensitive) [LEGACY, SHORTEST]";
  def.define(std::move(floats));
  return def;
}

// ---------------------------------------------------------------------------------------------
// JsonConverter

JsonConverter::JsonConverter() = default;
JsonConverter::~JsonConverter() = default;

void JsonConverter::configure(const ConfigMap& props, bool is_key) {
  (void)is_key;  // JSON output does not depend on the role
  configure_impl(props);
}

void JsonConverter::configure(const ConfigMap& props) {
  configure_impl(props);
}

void JsonConverter::configure_impl(const ConfigMap& props) {
  static const ConfigDef def = json_converter_config_def();
  const Config config(def, props);
  schemas_enable_ = config.get_bool("schemas.enable");
  const std::int64_t size = config.get_int("schemas.cache.size");
  cache_capacity_ = size > 0 ? static_cast<std::size_t>(size) : 0;
  std::string format = config.get_string("decimal.format");
  for (auto& c : format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  decimal_format_ = format == "NUMERIC" ? DecimalFormat::Numeric : DecimalFormat::Base64;
  replace_null_with_default_ = config.get_bool("replace.null.with.default");
  std::string floats = config.get_string("tributary.java.float.format");
  for (auto& c : floats) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  float_format_ = floats == "shortest" ? JavaFloatFormat::Shortest : JavaFloatFormat::Legacy;
  lru_.clear();
  index_.clear();
  plans_.clear();
  last_schema_ = nullptr;
  last_plan_ = nullptr;
}

const JsonConverter::StructPlan* JsonConverter::plan_for(const SchemaPtr& schema) {
  // The last schema first: a task's records mostly repeat it (the hash lookup was 90
  // instructions of a record, tests/bench/run_mysql.sh instr:5:off).
  if (schema.get() == last_schema_) return last_plan_;
  const StructPlan* p = nullptr;
  if (const auto it = plans_.find(schema.get()); it != plans_.end()) {
    p = it->second.plan.get();
  } else {
    if (cache_capacity_ == 0) return nullptr;
    if (plans_.size() >= cache_capacity_) plans_.clear();  // rare: more live schemas than that
    auto plan = std::make_unique<const StructPlan>(*schema, replace_null_with_default_,
                                                   decimal_format_ == DecimalFormat::Base64);
    p = plan.get();
    plans_.emplace(schema.get(), PlanEntry{schema, std::move(plan)});
  }
  last_schema_ = schema.get();  // held by plans_ while it is the last one
  last_plan_ = p;
  return p;
}

const std::string& JsonConverter::cached_schema_json(const SchemaPtr& schema) {
  if (!lru_.empty() && lru_.front().schema.get() == schema.get()) return lru_.front().json;
  const auto it = index_.find(schema.get());
  if (it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return lru_.front().json;
  }
  std::string json;
  append_schema(schema, json);
  if (cache_capacity_ == 0) {
    scratch_ = std::move(json);
    return scratch_;
  }
  lru_.push_front(CacheEntry{schema, std::move(json)});
  index_.emplace(schema.get(), lru_.begin());
  while (lru_.size() > cache_capacity_) {
    index_.erase(lru_.back().schema.get());
    lru_.pop_back();
  }
  return lru_.front().json;
}

void JsonConverter::append_schema(const SchemaPtr& schema, std::string& out) const {
  if (!schema) {
    out += "null";
    return;
  }
  PayloadWriter payload(decimal_format_, replace_null_with_default_, float_format_, out);
  try {
    write_schema(*schema, nullptr, payload, out);
  } catch (const ConversionError& e) {
    rethrow_with_path(e);
  }
}

void JsonConverter::append_payload(const SchemaPtr& schema, const Value& value,
                                   std::string& out) const {
  PayloadWriter payload(decimal_format_, replace_null_with_default_, float_format_, out);
  try {
    payload.write(schema.get(), value);
  } catch (const ConversionError& e) {
    rethrow_with_path(e);
  }
}

bool JsonConverter::from_connect(std::string_view topic, const SchemaPtr& schema,
                                 const Value& value, std::string& out) {
  (void)topic;
  out.clear();
  if (!schema && value.is_null()) return false;  // Kafka null (tombstone)
  if (schemas_enable_) {
    out += "{\"schema\":";
    if (schema) {
      out += cached_schema_json(schema);
    } else {
      out += "null";
    }
    out += ",\"payload\":";
  }
  // A struct by its schema's plan (the same bytes as append_payload, fewer decisions per field).
  const StructPlan* plan =
      schema && schema->type() == Type::Struct && !value.is_null() ? plan_for(schema) : nullptr;
  if (plan != nullptr) {
    PayloadWriter payload(decimal_format_, replace_null_with_default_, float_format_, out);
    try {
      payload.write_planned(*plan, *schema, value);
    } catch (const ConversionError& e) {
      rethrow_with_path(e);
    }
  } else {
    append_payload(schema, value, out);
  }
  if (schemas_enable_) out += '}';
  return true;
}

bool JsonConverter::from_connect_header(std::string_view topic, std::string_view header_key,
                                        const SchemaPtr& schema, const Value& value,
                                        std::string& out) {
  (void)header_key;
  return from_connect(topic, schema, value, out);
}

}  // namespace tributary
