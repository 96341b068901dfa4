#include "pg_text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "tributary/civil.h"
#include "tributary/data.h"

namespace tributary::pg {
namespace {

[[noreturn]] void bad(const char* what, std::string_view text) {
  throw std::invalid_argument(std::string("not a PostgreSQL ") + what + ": '" + std::string(text) +
                              "'");
}

// Reads exactly `n` digits at `pos`.
int digits(std::string_view t, size_t& pos, size_t n, const char* what) {
  if (pos + n > t.size()) bad(what, t);
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = t[pos + i];
    if (c < '0' || c > '9') bad(what, t);
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

void expect(std::string_view t, size_t& pos, char c, const char* what) {
  if (pos >= t.size() || t[pos] != c) bad(what, t);
  ++pos;
}

// "YYYY-MM-DD" with 4 or more year digits; returns days and advances pos.
std::int64_t read_date(std::string_view t, size_t& pos, const char* what) {
  size_t start = pos;
  while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
  // PostgreSQL's years have at most 7 digits (5874897 AD); more would overflow (fuzz_copy_row).
  if (pos - start < 4 || pos - start > 7) bad(what, t);
  std::int64_t year = 0;
  for (size_t i = start; i < pos; ++i) year = year * 10 + (t[i] - '0');
  expect(t, pos, '-', what);
  const int month = digits(t, pos, 2, what);
  expect(t, pos, '-', what);
  const int day = digits(t, pos, 2, what);
  if (month < 1 || month > 12 || day < 1 || day > 31) bad(what, t);
  // " BC": year 1 BC is astronomical year 0.
  if (t.substr(pos).find(" BC") != std::string_view::npos) year = 1 - year;
  return civil::days_from_civil(year, month, day);
}

// "HH:MM:SS[.ffffff]" -> micros; advances pos.
std::int64_t read_time(std::string_view t, size_t& pos, const char* what) {
  const int h = digits(t, pos, 2, what);
  expect(t, pos, ':', what);
  const int m = digits(t, pos, 2, what);
  expect(t, pos, ':', what);
  const int s = digits(t, pos, 2, what);
  if (h > 24 || m > 59 || s > 60) bad(what, t);
  std::int64_t frac = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (n < 6) frac = frac * 10 + (t[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) bad(what, t);
    for (int i = n; i < 6; ++i) frac *= 10;
  }
  return ((static_cast<std::int64_t>(h) * 60 + m) * 60 + s) * 1000000 + frac;
}

// days * 86 400 000 000 + us, saturating as Java's TimeUnit.toMicros does in Debezium: the last
// ~30 years of PostgreSQL's timestamp range (to 294276 AD) do not fit int64 microseconds since
// 1970 (found by fuzz_copy_row).
std::int64_t micros_of(std::int64_t days, std::int64_t us) {
  std::int64_t day_us = 0;
  std::int64_t out = 0;
  if (__builtin_mul_overflow(days, 86400000000LL, &day_us) ||
      __builtin_add_overflow(day_us, us, &out))
    return days < 0 ? std::numeric_limits<std::int64_t>::min()
                    : std::numeric_limits<std::int64_t>::max();
  return out;
}

void skip_bc(std::string_view t, size_t& pos, const char* what) {
  if (t.substr(pos) == " BC") pos = t.size();
  if (pos != t.size()) bad(what, t);
}

}  // namespace

Infinity infinity_of(std::string_view text) {
  if (text == "infinity") return Infinity::Positive;
  if (text == "-infinity") return Infinity::Negative;
  return Infinity::None;
}

std::int64_t parse_date_days(std::string_view text) {
  size_t pos = 0;
  const auto days = read_date(text, pos, "date");
  skip_bc(text, pos, "date");
  return days;
}

std::int64_t parse_time_micros(std::string_view text) {
  size_t pos = 0;
  const auto us = read_time(text, pos, "time");
  if (pos != text.size()) bad("time", text);
  return us;
}

std::int64_t parse_timestamp_micros(std::string_view text) {
  size_t pos = 0;
  const auto days = read_date(text, pos, "timestamp");
  expect(text, pos, ' ', "timestamp");
  const auto us = read_time(text, pos, "timestamp");
  skip_bc(text, pos, "timestamp");
  return micros_of(days, us);
}

std::int64_t parse_timestamptz_micros(std::string_view text) {
  size_t pos = 0;
  const auto days = read_date(text, pos, "timestamptz");
  expect(text, pos, ' ', "timestamptz");
  const auto us = read_time(text, pos, "timestamptz");
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) bad("timestamptz", text);
  const int sign = text[pos++] == '-' ? -1 : 1;
  std::int64_t offset = digits(text, pos, 2, "timestamptz") * 3600LL;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    offset += digits(text, pos, 2, "timestamptz") * 60LL;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      offset += digits(text, pos, 2, "timestamptz");
    }
  }
  skip_bc(text, pos, "timestamptz");
  return micros_of(days, us - sign * offset * 1000000LL);
}

bool utc_timestamptz_as_iso(std::string_view t, int digits, std::string& out) {
  // "YYYY-MM-DD HH:MM:SS" [".f" 1..6 digits] "+00"
  if (t.size() < 22 || t.size() > 29 || t.substr(t.size() - 3) != "+00") return false;
  static constexpr char kShape[] = "dddd-dd-dd dd:dd:dd";
  for (size_t i = 0; i < 19; ++i) {
    const char c = t[i];
    if (kShape[i] == 'd' ? (c < '0' || c > '9') : c != kShape[i]) return false;
  }
  // Between the seconds and the offset: nothing, or '.' and 1..6 digits.
  const size_t frac_len = t.size() == 22 ? 0 : t.size() - 23;
  if (t.size() != 22 && (t[19] != '.' || frac_len == 0)) return false;
  for (size_t i = 20; i < 20 + frac_len; ++i)
    if (t[i] < '0' || t[i] > '9') return false;
  auto two = [&](size_t i) { return (t[i] - '0') * 10 + (t[i + 1] - '0'); };
  const int year = two(0) * 100 + two(2), month = two(5), day = two(8);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || two(11) > 23 || two(14) > 59 ||
      two(17) > 59)
    return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
  char buf[32];
  std::memcpy(buf, t.data(), 19);
  buf[10] = 'T';
  char* p = buf + 19;
  if (digits > 0) {
    const auto n = static_cast<size_t>(std::min(digits, 6));
    *p++ = '.';
    for (size_t i = 0; i < n; ++i) *p++ = i < frac_len ? t[20 + i] : '0';
  }
  *p++ = 'Z';
  out.assign(buf, p);
  return true;
}

UnscaledDecimal parse_numeric(std::string_view text, std::optional<int> scale) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  std::string digits_only;
  int frac = 0;
  bool point = false, any = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      digits_only += c;
      any = true;
      if (point) ++frac;
    } else {
      bad("numeric", text);
    }
  }
  if (!any) bad("numeric", text);
  UnscaledDecimal out;
  out.scale = scale.value_or(frac);
  if (out.scale == frac && digits_only.size() <= 18) {
    std::int64_t v = 0;
    for (const char c : digits_only) v = v * 10 + (c - '0');
    out.bytes = tributary::decimal_unscaled_from_int64(negative ? -v : v);
    return out;
  }
  if (out.scale > frac) {
    digits_only.append(static_cast<size_t>(out.scale - frac), '0');
  } else if (out.scale < frac) {
    // Fewer digits wanted: PostgreSQL rounds half away from zero.
    const size_t keep = digits_only.size() - static_cast<size_t>(frac - out.scale);
    const bool round_up = digits_only[keep] >= '5';
    digits_only.resize(keep);
    if (round_up) {
      int i = static_cast<int>(keep) - 1;
      while (i >= 0 && digits_only[static_cast<size_t>(i)] == '9')
        digits_only[static_cast<size_t>(i--)] = '0';
      if (i < 0)
        digits_only.insert(digits_only.begin(), '1');
      else
        ++digits_only[static_cast<size_t>(i)];
    }
  }
  // Decimal digits -> little-endian base-256 magnitude.
  std::vector<std::uint8_t> mag;  // little-endian
  for (const char c : digits_only) {
    unsigned carry = static_cast<unsigned>(c - '0');
    for (auto& b : mag) {
      const unsigned v = b * 10u + carry;
      b = static_cast<std::uint8_t>(v & 0xFF);
      carry = v >> 8;
    }
    while (carry) {
      mag.push_back(static_cast<std::uint8_t>(carry & 0xFF));
      carry >>= 8;
    }
  }
  while (!mag.empty() && mag.back() == 0) mag.pop_back();
  if (mag.empty()) {
    out.bytes = {0};
    return out;
  }
  if (negative) {  // two's complement: invert and add one
    for (auto& b : mag) b = static_cast<std::uint8_t>(~b);
    for (auto& b : mag)
      if (++b != 0) break;
    if ((mag.back() & 0x80) == 0) mag.push_back(0xFF);
  } else if (mag.back() & 0x80) {
    mag.push_back(0);
  }
  // Minimal two's complement: drop redundant sign bytes.
  while (mag.size() > 1 && ((mag.back() == 0xFF && (mag[mag.size() - 2] & 0x80)) ||
                            (mag.back() == 0 && !(mag[mag.size() - 2] & 0x80))))
    mag.pop_back();
  out.bytes.assign(mag.rbegin(), mag.rend());
  return out;
}

std::vector<std::uint8_t> parse_bytea_hex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0)
    bad("bytea (hex format)", text);
  auto nibble = [&](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
    bad("bytea (hex format)", text);
  };
  std::vector<std::uint8_t> out;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>((nibble(text[i]) << 4) | nibble(text[i + 1])));
  return out;
}

void split_copy_row(std::string_view line, std::vector<std::optional<std::string_view>>& fields,
                    std::vector<std::string>& scratch) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  fields.clear();
  // Most rows hold no backslash at all (so no escapes and no NULLs): split on tabs only.
  if (std::memchr(line.data(), '\\', line.size()) == nullptr) {
    const char* p = line.data();
    const char* const end = p + line.size();
    for (;;) {
      const auto* tab =
          static_cast<const char*>(std::memchr(p, '\t', static_cast<size_t>(end - p)));
      const char* stop = tab ? tab : end;
      fields.emplace_back(std::string_view(p, static_cast<size_t>(stop - p)));
      if (!tab) return;
      p = tab + 1;
    }
  }
  // Sized once up front: views into scratch strings must not move with a later resize.
  const auto n_fields = static_cast<size_t>(std::count(line.begin(), line.end(), '\t')) + 1;
  if (scratch.size() < n_fields) scratch.resize(n_fields);
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    const std::string_view raw =
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
    const size_t i = fields.size();
    if (raw == "\\N") {
      fields.emplace_back(std::nullopt);
    } else if (raw.find('\\') == std::string_view::npos) {
      fields.emplace_back(raw);
    } else {
      std::string& out = scratch[i];
      out.clear();
      for (size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] != '\\' || k + 1 == raw.size()) {
          out += raw[k];
          continue;
        }
        const char c = raw[++k];
        switch (c) {
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'v': out += '\v'; break;
          case 'x': {
            int v = 0, n = 0;
            while (n < 2 && k + 1 < raw.size() &&
                   std::isxdigit(static_cast<unsigned char>(raw[k + 1]))) {
              const char h = raw[++k];
              v = v * 16 + (std::isdigit(static_cast<unsigned char>(h))
                                ? h - '0'
                                : (std::tolower(h) - 'a' + 10));
              ++n;
            }
            out += n ? static_cast<char>(v) : 'x';
            break;
          }
          default:
            if (c >= '0' && c <= '7') {
              int v = c - '0', n = 1;
              while (n < 3 && k + 1 < raw.size() && raw[k + 1] >= '0' && raw[k + 1] <= '7') {
                v = v * 8 + (raw[++k] - '0');
                ++n;
              }
              out += static_cast<char>(v);
            } else {
              out += c;  // \\ and an escaped delimiter
            }
        }
      }
      fields.emplace_back(std::string_view(out));
    }
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
}

}  // namespace tributary::pg
