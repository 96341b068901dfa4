#include "binlog_rows.h"

#include <bit>
#include <cstring>

namespace tributary::mysql {
namespace {

// Bytes of a binary DECIMAL group of 0..9 digits.
constexpr int kDigitBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr std::uint64_t kPow10[10] = {1,      10,      100,      1000,      10000,
                                      100000, 1000000, 10000000, 100000000, 1000000000};

// The columns the SIGNEDNESS bitmap of the optional metadata has a bit for: MariaDB 10.11 counts
// BIT and YEAR too (both always unsigned; checked against the server: `mariadb-binlog
// --print-table-metadata`, which counts only the integer types, misreports the columns after
// them).
bool numeric(std::uint8_t t) {
  return t == kTypeDecimal || t == kTypeTiny || t == kTypeShort || t == kTypeLong ||
         t == kTypeFloat || t == kTypeDouble || t == kTypeLongLong || t == kTypeInt24 ||
         t == kTypeNewDecimal || t == kTypeBit || t == kTypeYear;
}

class Reader {
 public:
  // `what` names what is being read in errors: a literal, with the 1-based column when set
  // (the message is built only when there is an error).
  Reader(std::string_view data, const char* what, std::size_t at = 0)
      : data_(data), at_(at), what_(what) {}
  bool done() const { return at_ == data_.size(); }
  std::size_t at() const { return at_; }
  std::string_view take(std::size_t n) {
    if (n > data_.size() - at_) short_of(n);
    std::string_view out(data_.data() + at_, n);
    at_ += n;
    return out;
  }
  // An n-byte (n <= 8) little- or big-endian integer: one 8-byte load when 8 bytes are left
  // (the common case inside a rows event), byte by byte at the end of the data.
  std::uint64_t le(std::size_t n) { return integer<false>(n); }
  std::uint64_t be(std::size_t n) { return integer<true>(n); }
  void set_what(const char* what, std::size_t column = 0) {
    what_ = what;
    column_ = column;
  }

 private:
  template <bool kBig>
  std::uint64_t integer(std::size_t n) {
    const std::size_t left = data_.size() - at_;
    if (n > left) short_of(n);
    const char* b = data_.data() + at_;
    at_ += n;
    std::uint64_t v = 0;
    if (n == 0) return 0;
    if (left >= 8) {
      std::memcpy(&v, b, 8);
      if constexpr (kBig == (std::endian::native == std::endian::little)) v = __builtin_bswap64(v);
      if constexpr (kBig) return v >> (8 * (8 - n));
      return n < 8 ? v & ((std::uint64_t{1} << (8 * n)) - 1) : v;
    }
    for (std::size_t i = 0; i < n; ++i)
      v = v << 8 | static_cast<std::uint8_t>(b[kBig ? i : n - 1 - i]);
    return v;
  }

  // The error for a read past the end, out of line (take() and le() stay small enough to inline).
  [[noreturn]] __attribute__((noinline, cold)) void short_of(std::size_t n) const {
    throw BinlogFormatError(
        (column_ ? std::string(what_) + " " + std::to_string(column_) : std::string(what_)) + ": " +
        std::to_string(n) + " bytes wanted, " + std::to_string(data_.size() - at_) + " left");
  }

  std::string_view data_;
  std::size_t at_ = 0;
  const char* what_;
  std::size_t column_ = 0;
};

bool bit(std::string_view bitmap, std::size_t i) {
  return i / 8 < bitmap.size() && (static_cast<std::uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
}

// The fraction of TIME2 / DATETIME2 / TIMESTAMP2: (fsp + 1) / 2 bytes, big-endian, scaled to
// microseconds; `negative_int` applies TIME2's borrow (the integer part was rounded down).
std::int64_t fraction(Reader& r, std::uint32_t fsp) {
  switch (fsp) {
    case 0: return 0;
    case 1:
    case 2: return static_cast<std::int64_t>(r.be(1)) * 10000;
    case 3:
    case 4: return static_cast<std::int64_t>(r.be(2)) * 100;
    case 5:
    case 6: return static_cast<std::int64_t>(r.be(3));
    default: throw BinlogFormatError("fractional precision " + std::to_string(fsp) + " > 6");
  }
}

// A binlog DECIMAL into `value`: with up to 18 digits its unscaled value (`i`, `decimal_scale`,
// `negative`) and no text, the common case, which the Connect Decimal takes as is; with more, its
// text ("-1234.50", all `scale` digits kept). decimal_text(value) gives the text of either.
void read_decimal(Reader& r, int precision, int scale, BinlogValue& value) {
  if (precision <= 0 || precision > 65 || scale < 0 || scale > 38 || scale > precision)
    throw BinlogFormatError("DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) +
                            ") is not a binlog decimal");
  const int intg = precision - scale;
  const int intg0 = intg / 9, intg0x = intg % 9, frac0 = scale / 9, frac0x = scale % 9;
  const std::size_t size =
      static_cast<std::size_t>(intg0 * 4 + kDigitBytes[intg0x] + frac0 * 4 + kDigitBytes[frac0x]);
  const std::string_view raw = r.take(size);
  // The bytes with the sign bit flipped and, when negative, every byte inverted: then groups of
  // big-endian digits (at most 30 bytes for 65 digits).
  std::uint8_t bin[40] = {};  // (room for a 4-byte load at the last group)
  std::memcpy(bin, raw.data(), size);
  const bool negative = (bin[0] & 0x80) == 0;
  bin[0] ^= 0x80;
  if (negative)
    for (std::size_t i = 0; i < size; ++i) bin[i] = static_cast<std::uint8_t>(~bin[i]);
  // The digits, group by group, into one buffer: at most 65 digits, a sign and a point.
  char digits[72];
  int n = 0;
  std::size_t at = 0;
  std::uint64_t unscaled = 0;  // up to 18 digits: the value, and no digits written
  auto group = [&](int count) {
    const int bytes = kDigitBytes[count];
    std::uint32_t w;  // the group's 1 to 4 bytes, big-endian, in one load
    std::memcpy(&w, bin + at, 4);
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap32(w);
    std::uint64_t v = bytes == 0 ? 0 : w >> (8 * (4 - bytes));
    at += static_cast<std::size_t>(bytes);
    if (v >= kPow10[count]) throw BinlogFormatError("a decimal group overflows");
    if (precision <= 18) {
      unscaled = unscaled * kPow10[count] + v;
    } else {
      for (int d = count - 1; d >= 0; --d) {
        digits[n + d] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
    }
    n += count;
  };
  if (intg0x > 0) group(intg0x);
  for (int i = 0; i < intg0; ++i) group(9);
  const int int_digits = n;
  for (int i = 0; i < frac0; ++i) group(9);
  if (frac0x > 0) group(frac0x);
  value.negative = negative;
  if (precision <= 18) {
    const auto magnitude = static_cast<std::int64_t>(unscaled);
    value.i = negative ? -magnitude : magnitude;
    value.decimal_scale = static_cast<std::int8_t>(scale);
    return;
  }
  value.decimal_scale = -1;
  int first = 0;
  while (first < int_digits && digits[first] == '0') ++first;
  std::string out;
  out.reserve(static_cast<std::size_t>(n + 3));
  if (negative) out += '-';
  if (first == int_digits)
    out += '0';
  else
    out.append(digits + first, digits + int_digits);
  if (scale > 0) {
    out += '.';
    out.append(digits + int_digits, digits + n);
  }
  value.text = std::move(out);
}

// Decodes one column's value into `v` (a fresh BinlogValue: the row's own slot, so no temporary
// is moved for every column). Inline in read_image(): a call per column (saving and restoring
// registers) was a quarter of its instructions.
[[gnu::always_inline]] inline void decode(Reader& r, const BinlogColumn& c, BinlogValue& v) {
  auto integer = [&](std::size_t n) {
    const std::uint64_t raw = r.le(n);
    if (c.is_unsigned) {
      v.kind = BinlogValue::Kind::UInt;
      v.u = raw;
    } else {
      v.kind = BinlogValue::Kind::Int;
      const unsigned shift = static_cast<unsigned>(64 - 8 * n);
      v.i = static_cast<std::int64_t>(raw << shift) >> shift;  // sign-extend
    }
  };
  switch (c.type) {
    case kTypeTiny: integer(1); break;
    case kTypeShort: integer(2); break;
    case kTypeInt24: integer(3); break;
    case kTypeLong: integer(4); break;
    case kTypeLongLong: integer(8); break;
    case kTypeFloat: {
      const auto raw = static_cast<std::uint32_t>(r.le(4));
      float f;
      std::memcpy(&f, &raw, 4);
      v.kind = BinlogValue::Kind::Float;
      v.d = f;
      break;
    }
    case kTypeDouble: {
      const std::uint64_t raw = r.le(8);
      std::memcpy(&v.d, &raw, 8);
      v.kind = BinlogValue::Kind::Double;
      break;
    }
    case kTypeYear: {
      const auto y = r.le(1);
      v.kind = BinlogValue::Kind::Int;
      v.i = y == 0 ? 0 : static_cast<std::int64_t>(1900 + y);
      break;
    }
    case kTypeDate:
    case kTypeNewDate: {
      const auto d = r.le(3);
      v.kind = BinlogValue::Kind::Date;
      v.day = static_cast<int>(d & 31);
      v.month = static_cast<int>((d >> 5) & 15);
      v.year = static_cast<int>(d >> 9);
      break;
    }
    case kTypeTime2: {
      // 3 bytes of packed hours/minutes/seconds with an offset, then the fraction: the packed
      // value is intpart * 2^24 + microseconds (the server's my_time_packed_from_binary, where a
      // negative value with a 1- or 2-byte fraction borrows one second from the integer part).
      std::int64_t packed = 0;
      if (c.meta >= 5 && c.meta <= 6) {
        packed = static_cast<std::int64_t>(r.be(6)) - (std::int64_t{0x800000} << 24);
      } else {
        std::int64_t intpart = static_cast<std::int64_t>(r.be(3)) - 0x800000;
        std::int64_t frac = 0;
        if (c.meta == 1 || c.meta == 2) {
          frac = static_cast<std::int64_t>(r.be(1));
          if (intpart < 0 && frac) {
            ++intpart;
            frac -= 0x100;
          }
          frac *= 10000;
        } else if (c.meta == 3 || c.meta == 4) {
          frac = static_cast<std::int64_t>(r.be(2));
          if (intpart < 0 && frac) {
            ++intpart;
            frac -= 0x10000;
          }
          frac *= 100;
        } else if (c.meta != 0) {
          throw BinlogFormatError("TIME precision " + std::to_string(c.meta) + " > 6");
        }
        packed = intpart * (std::int64_t{1} << 24) + frac;
      }
      v.kind = BinlogValue::Kind::Time;
      v.negative = packed < 0;
      if (packed < 0) packed = -packed;
      const std::int64_t hms = packed >> 24;
      v.micros = static_cast<std::int32_t>(packed % (1 << 24));
      v.hour = static_cast<int>((hms >> 12) % (1 << 10));
      v.minute = static_cast<int>((hms >> 6) % (1 << 6));
      v.second = static_cast<int>(hms % (1 << 6));
      break;
    }
    case kTypeDateTime2: {
      const std::int64_t intpart = static_cast<std::int64_t>(r.be(5)) - 0x8000000000;
      v.micros = static_cast<std::int32_t>(fraction(r, c.meta));
      v.kind = BinlogValue::Kind::DateTime;
      const std::int64_t ymd = intpart >> 17, hms = intpart % (1 << 17);
      const std::int64_t ym = ymd >> 5;
      v.day = static_cast<int>(ymd % (1 << 5));
      v.month = static_cast<int>(ym % 13);
      v.year = static_cast<int>(ym / 13);
      v.second = static_cast<int>(hms % (1 << 6));
      v.minute = static_cast<int>((hms >> 6) % (1 << 6));
      v.hour = static_cast<int>(hms >> 12);
      break;
    }
    case kTypeTimestamp2: {
      v.kind = BinlogValue::Kind::Timestamp;
      v.i = static_cast<std::int64_t>(r.be(4));
      v.micros = static_cast<std::int32_t>(fraction(r, c.meta));
      break;
    }
    case kTypeTimestamp: {  // the pre-5.6 format: seconds, little-endian
      v.kind = BinlogValue::Kind::Timestamp;
      v.i = static_cast<std::int64_t>(r.le(4));
      v.micros = 0;
      break;
    }
    case kTypeNewDecimal:
      v.kind = BinlogValue::Kind::Decimal;
      read_decimal(r, static_cast<int>(c.meta >> 8), static_cast<int>(c.meta & 0xFF), v);
      break;
    case kTypeVarchar:
    case kTypeVarString:
      v.kind = BinlogValue::Kind::Bytes;
      v.bytes = r.take(r.le(c.meta < 256 ? 1 : 2));
      break;
    case kTypeString:
      v.kind = BinlogValue::Kind::Bytes;
      v.bytes = r.take(r.le(c.meta < 256 ? 1 : 2));
      break;
    case kTypeEnum:
      v.kind = BinlogValue::Kind::Enum;
      if (c.meta != 1 && c.meta != 2)
        throw BinlogFormatError("ENUM of " + std::to_string(c.meta) + " bytes");
      v.u = r.le(c.meta);
      break;
    case kTypeSet:
      v.kind = BinlogValue::Kind::Set;
      if (c.meta < 1 || c.meta > 8)
        throw BinlogFormatError("SET of " + std::to_string(c.meta) + " bytes");
      v.u = r.le(c.meta);
      break;
    case kTypeBit: {
      v.kind = BinlogValue::Kind::Bits;
      const std::uint32_t bits = c.meta & 0xFF, bytes = c.meta >> 8;
      v.bytes = r.take(bytes + (bits > 0 ? 1 : 0));
      break;
    }
    case kTypeBlob:
    case kTypeTinyBlob:
    case kTypeMediumBlob:
    case kTypeLongBlob:
    case kTypeGeometry:
    case kTypeJson:
      if (c.meta < 1 || c.meta > 4)
        throw BinlogFormatError("a BLOB length of " + std::to_string(c.meta) + " bytes");
      v.kind = BinlogValue::Kind::Bytes;
      v.bytes = r.take(r.le(c.meta));
      break;
    default:
      throw BinlogFormatError("column type " + std::to_string(c.type) +
                              " is not supported in row events");
  }
}

// One row image into `out` (a fresh or an earlier row's); `n` is the number of columns
// `present` marks (counted once per event): all of them in a full row image, whose columns are
// then not looked up in `present` one by one.
void read_image(Reader& r, const std::vector<BinlogColumn>& columns, std::string_view present,
                std::size_t n, std::vector<BinlogValue>& out) {
  r.set_what("the null bitmap");
  // (n bits, all there: take() checked the length)
  const auto* nulls = reinterpret_cast<const std::uint8_t*>(r.take((n + 7) / 8).data());
  const std::size_t count = columns.size();
  out.resize(count);
  const bool all = n == count;
  // No NULL in the image (the common case): no column's bit is looked up.
  bool any_null = false;
  for (std::size_t b = 0; b < (n + 7) / 8; ++b) any_null = any_null || nulls[b] != 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < count; ++i) {
    // A value of an earlier row is reused: decode() sets its kind and every field the kind
    // reads (a TIME's sign, an old TIMESTAMP's fraction, a long DECIMAL's missing scale
    // included), so no field of the earlier value shows through.
    BinlogValue& v = out[i];
    if (!all && !bit(present, i)) {
      v.kind = BinlogValue::Kind::Null;
      continue;
    }
    const bool null = any_null && (nulls[k / 8] >> (k % 8)) & 1;
    ++k;
    if (null) {
      v.kind = BinlogValue::Kind::Null;
      continue;
    }
    r.set_what("column", i + 1);
    decode(r, columns[i], v);
  }
}

}  // namespace

std::string decimal_text(const BinlogValue& v) {
  if (v.decimal_scale < 0) return v.text;
  // The magnitude's digits, at least scale + 1 of them (a zero before the point).
  const auto magnitude = static_cast<std::uint64_t>(v.i < 0 ? -v.i : v.i);  // |i| < 10^18
  const auto scale = static_cast<std::size_t>(v.decimal_scale);
  std::string digits = std::to_string(magnitude);
  if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  std::string out;
  out.reserve(digits.size() + 2);
  if (v.negative) out += '-';
  out.append(digits, 0, digits.size() - scale);
  if (scale > 0) {
    out += '.';
    out.append(digits, digits.size() - scale, scale);
  }
  return out;
}

std::size_t signedness_columns(std::string_view types) {
  std::size_t n = 0;
  for (const char t : types) n += numeric(static_cast<std::uint8_t>(t)) ? 1 : 0;
  return n;
}

std::vector<BinlogColumn> parse_table_columns(std::string_view types, std::string_view metadata,
                                              std::string_view null_bits,
                                              std::string_view signedness) {
  std::vector<BinlogColumn> out(types.size());
  Reader m(metadata, "the TABLE_MAP metadata");
  std::size_t numeric_index = 0;
  for (std::size_t i = 0; i < types.size(); ++i) {
    BinlogColumn& c = out[i];
    c.type = static_cast<std::uint8_t>(types[i]);
    c.nullable = bit(null_bits, i);
    switch (c.type) {
      case kTypeFloat:
      case kTypeDouble:
      case kTypeBlob:
      case kTypeTinyBlob:
      case kTypeMediumBlob:
      case kTypeLongBlob:
      case kTypeGeometry:
      case kTypeJson:
      case kTypeTimestamp2:
      case kTypeDateTime2:
      case kTypeTime2: c.meta = static_cast<std::uint32_t>(m.le(1)); break;
      case kTypeVarchar:
      case kTypeVarString: c.meta = static_cast<std::uint32_t>(m.le(2)); break;
      case kTypeBit: {
        const auto bits = m.le(1), bytes = m.le(1);
        c.meta = static_cast<std::uint32_t>(bytes << 8 | bits);
        break;
      }
      case kTypeNewDecimal: {
        const auto precision = m.le(1), scale = m.le(1);
        c.meta = static_cast<std::uint32_t>(precision << 8 | scale);
        break;
      }
      case kTypeString:
      case kTypeEnum:
      case kTypeSet: {
        const auto b0 = static_cast<std::uint32_t>(m.le(1)),
                   b1 = static_cast<std::uint32_t>(m.le(1));
        // CHAR keeps its real type (CHAR, ENUM, SET) in the first byte, and the two high bits of
        // a length over 255 inverted in its 0x30 bits.
        if ((b0 & 0x30) != 0x30) {
          c.type = static_cast<std::uint8_t>(b0 | 0x30);
          c.meta = b1 | (((b0 & 0x30) ^ 0x30) << 4);
        } else {
          c.type = static_cast<std::uint8_t>(b0);
          c.meta = b1;
        }
        break;
      }
      default: break;
    }
    if (numeric(c.type)) {
      if (!signedness.empty()) {
        const std::size_t byte = numeric_index / 8;
        c.is_unsigned =
            byte < signedness.size() &&
            (static_cast<std::uint8_t>(signedness[byte]) >> (7 - numeric_index % 8)) & 1;
      }
      ++numeric_index;
    }
  }
  if (!m.done()) throw BinlogFormatError("the TABLE_MAP metadata is longer than its columns");
  return out;
}

std::vector<std::vector<BinlogValue>> decode_rows(const std::vector<BinlogColumn>& columns,
                                                  std::string_view present, std::string_view data,
                                                  std::string_view present_after) {
  std::vector<std::vector<BinlogValue>> out;
  out.resize(decode_rows(columns, present, data, present_after, out));
  return out;
}

std::size_t decode_rows(const std::vector<BinlogColumn>& columns, std::string_view present,
                        std::string_view data, std::string_view present_after,
                        std::vector<std::vector<BinlogValue>>& out) {
  RowImages rows(columns, present, data, present_after);
  const std::size_t per_row = present_after.empty() ? 1 : 2;
  std::size_t used = 0;
  while (!rows.done()) {
    if (out.size() < used + per_row) out.resize(used + per_row);  // (references stay valid below)
    rows.next(out[used], per_row == 2 ? &out[used + 1] : nullptr);
    used += per_row;
  }
  return used;
}

RowImages::RowImages(const std::vector<BinlogColumn>& columns, std::string_view present,
                     std::string_view data, std::string_view present_after)
    : columns_(columns), present_(present), present_after_(present_after), data_(data) {
  auto count = [&columns](std::string_view bitmap) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) n += bit(bitmap, i) ? 1 : 0;
    return n;
  };
  n_ = count(present);
  n_after_ = count(present_after);
  // An image of no columns takes no bytes: rows of it could not end.
  if (n_ == 0 && !data.empty()) throw BinlogFormatError("row images with no column present");
}

void RowImages::next(std::vector<BinlogValue>& image, std::vector<BinlogValue>* after) {
  Reader r(data_, "a row image", at_);
  read_image(r, columns_, present_, n_, image);
  if (!present_after_.empty()) {
    std::vector<BinlogValue> unused;
    read_image(r, columns_, present_after_, n_after_, after != nullptr ? *after : unused);
  }
  at_ = r.at();
}

}  // namespace tributary::mysql
