#include "java_date.h"

#include <cctype>
#include <chrono>
#include <cstring>

#include "tributary/civil.h"

namespace tributary::transforms {
namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

std::string padded(std::int64_t v, int width) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (static_cast<int>(s.size()) < width)
    s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return v < 0 ? "-" + s : s;
}

// Case-insensitive: the longest of `names` (or of their first three letters when `abbreviated`)
// at text[at]; its index, and `at` moved past it. -1 when none matches.
int match_name(std::string_view text, std::size_t& at, const char* const* names, int n,
               bool abbreviated) {
  int best = -1;
  std::size_t best_len = 0;
  for (int i = 0; i < n; ++i) {
    std::string_view name(names[i]);
    if (abbreviated) name = name.substr(0, 3);
    if (name.size() <= best_len || text.size() - at < name.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < name.size() && same; ++k)
      same = std::tolower(static_cast<unsigned char>(text[at + k])) ==
             std::tolower(static_cast<unsigned char>(name[k]));
    if (same) {
      best = i;
      best_len = name.size();
    }
  }
  if (best >= 0) at += best_len;
  return best;
}

// Month and day names: Java tries the long forms, then the short ones.
int match_long_or_short(std::string_view text, std::size_t& at, const char* const* names, int n) {
  const int i = match_name(text, at, names, n, false);
  return i >= 0 ? i : match_name(text, at, names, n, true);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// SimpleDateFormat.subParseNumericZone: "hh[[:]mm]" after the sign. count 1 (X) takes hours
// only; `colon` requires hh:mm. Returns false when it does not match.
bool numeric_zone(std::string_view t, std::size_t& at, int sign, int count, bool colon,
                  std::int64_t& offset_ms) {
  std::size_t i = at;
  auto next = [&](char& c) {
    if (i >= t.size()) return false;
    c = t[i++];
    return true;
  };
  char c;
  if (!next(c) || !is_digit(c)) return false;
  int hours = c - '0';
  if (!next(c)) return false;
  if (is_digit(c)) {
    hours = hours * 10 + (c - '0');
  } else {
    if (count > 0 || !colon) return false;  // RFC 822 and ISO need two digits
    --i;
  }
  if (hours > 23) return false;
  int minutes = 0;
  if (count != 1) {
    if (!next(c)) return false;
    if (colon) {
      if (c != ':' || !next(c)) return false;
    }
    if (!is_digit(c)) return false;
    minutes = c - '0';
    if (!next(c) || !is_digit(c)) return false;
    minutes = minutes * 10 + (c - '0');
    if (minutes > 59) return false;
  }
  offset_ms = static_cast<std::int64_t>(sign) * (hours * 60 + minutes) * 60000;
  at = i;
  return true;
}

bool numeric_letter(char c, int count) {
  switch (c) {
    case 'M':
    case 'L': return count <= 2;
    case 'y':
    case 'd':
    case 'k':
    case 'H':
    case 'm':
    case 's':
    case 'S':
    case 'D':
    case 'F':
    case 'h':
    case 'K':
    case 'u': return true;
    default: return false;
  }
}

}  // namespace

JavaDateFormat::JavaDateFormat(const std::string& p) : pattern_(p) {
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\'') {
      std::string text;
      if (i + 1 < p.size() && p[i + 1] == '\'') {  // '' is a quote
        parts_.push_back(Part{0, 0, "'"});
        i += 2;
        continue;
      }
      ++i;
      while (true) {
        if (i >= p.size()) throw std::invalid_argument("Unterminated quote");
        if (p[i] == '\'') {
          if (i + 1 < p.size() && p[i + 1] == '\'') {
            text += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text += p[i++];
      }
      parts_.push_back(Part{0, 0, text});
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (c == 'Y' || c == 'w' || c == 'W')
        throw std::invalid_argument(std::string("pattern letter '") + c +
                                    "' (week-based, locale-dependent) is not supported");
      if (std::strchr("GyMLdDEuFaHkKhmsSzZX", c) == nullptr)
        throw std::invalid_argument(std::string("Illegal pattern character '") + c + "'");
      std::size_t j = i;
      while (j < p.size() && p[j] == c) ++j;
      parts_.push_back(Part{c, static_cast<int>(j - i), ""});
      i = j;
    } else {
      parts_.push_back(Part{0, 0, std::string(1, c)});
      ++i;
    }
  }
}

std::string JavaDateFormat::format(std::int64_t ms) const {
  const std::int64_t days = civil::floor_div(ms, 86400000);
  const std::int64_t in_day = ms - days * 86400000;
  std::int64_t y;
  int mo, d;
  civil::civil_from_days(days, y, mo, d);
  const int hour = static_cast<int>(in_day / 3600000),
            minute = static_cast<int>(in_day / 60000 % 60),
            second = static_cast<int>(in_day / 1000 % 60), milli = static_cast<int>(in_day % 1000);
  const int dow =
      static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday: 0 = Monday
  static constexpr int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  const int doy = kCum[mo - 1] + d + (mo > 2 && leap(y) ? 1 : 0);
  std::string out;
  for (const Part& part : parts_) {
    const int n = part.count;
    switch (part.letter) {
      case 0: out += part.text; break;
      case 'G': out += y > 0 ? "AD" : "BC"; break;
      case 'y': {
        const std::int64_t year = y > 0 ? y : 1 - y;  // era-based year, as Java's
        out += n == 2 ? padded(year % 100, 2) : padded(year, n);
        break;
      }
      case 'M':
      case 'L':
        if (n >= 4)
          out += kMonths[mo - 1];
        else if (n == 3)
          out += std::string(kMonths[mo - 1]).substr(0, 3);
        else
          out += padded(mo, n);
        break;
      case 'd': out += padded(d, n); break;
      case 'D': out += padded(doy, n); break;
      case 'E':
        out += n >= 4 ? std::string(kDays[dow]) : std::string(kDays[dow]).substr(0, 3);
        break;
      case 'u': out += padded(dow + 1, n); break;
      case 'F': out += padded((d - 1) / 7 + 1, n); break;
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'H': out += padded(hour, n); break;
      case 'k': out += padded(hour == 0 ? 24 : hour, n); break;
      case 'K': out += padded(hour % 12, n); break;
      case 'h': out += padded(hour % 12 == 0 ? 12 : hour % 12, n); break;
      case 'm': out += padded(minute, n); break;
      case 's': out += padded(second, n); break;
      case 'S': out += padded(milli, n); break;
      case 'z': out += n >= 4 ? "Coordinated Universal Time" : "UTC"; break;
      case 'Z': out += "+0000"; break;
      case 'X': out += "Z"; break;
      default: break;
    }
  }
  return out;
}

std::optional<std::int64_t> JavaDateFormat::parse(std::string_view t) const {
  // The calendar fields the text sets; unset ones keep the epoch's (1970-01-01 00:00:00 UTC).
  std::int64_t year = 1970, month = 0, day = 1, day_of_year = 0, hour_of_day = 0, hour12 = 0,
               minute = 0, second = 0, millis = 0, offset_ms = 0;
  bool bc = false, pm = false, has_doy = false, has_hour12 = false, has_day = false;
  std::size_t at = 0;
  for (std::size_t pi = 0; pi < parts_.size(); ++pi) {
    const Part& part = parts_[pi];
    if (part.letter == 0) {
      if (t.substr(at, part.text.size()) != part.text) return std::nullopt;
      at += part.text.size();
      continue;
    }
    while (at < t.size() && (t[at] == ' ' || t[at] == '\t')) ++at;
    if (at >= t.size()) return std::nullopt;
    const char L = part.letter;
    const int n = part.count;
    if (numeric_letter(L, n)) {
      // The letter count limits the digits only when the next field abuts this one.
      const bool obey = pi + 1 < parts_.size() && parts_[pi + 1].letter != 0 &&
                        numeric_letter(parts_[pi + 1].letter, parts_[pi + 1].count);
      const std::size_t start = at;
      const std::size_t limit =
          obey ? std::min(t.size(), at + static_cast<std::size_t>(n)) : t.size();
      std::int64_t v = 0;
      while (at < limit && is_digit(t[at]) && v < 100000000000000LL) v = v * 10 + (t[at++] - '0');
      if (at == start) return std::nullopt;
      switch (L) {
        case 'y':
          year = v;
          if (n <= 2 && at - start == 2) {  // two digits: the century starting 80 years ago
            const auto now = std::chrono::system_clock::now();
            const std::int64_t days =
                std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
            std::int64_t cy;
            int cm, cd;
            civil::civil_from_days(days, cy, cm, cd);
            const std::int64_t start_year = cy - 80;
            year = v + (start_year / 100) * 100 + (v < start_year % 100 ? 100 : 0);
          }
          break;
        case 'M':
        case 'L':
          month = v - 1;
          has_day = true;
          break;
        case 'd':
          day = v;
          has_day = true;
          break;
        case 'D':
          day_of_year = v;
          has_doy = true;
          has_day = false;
          break;
        case 'H':
          hour_of_day = v;
          has_hour12 = false;
          break;
        case 'k':
          hour_of_day = v == 24 ? 0 : v;
          has_hour12 = false;
          break;
        case 'K':
          hour12 = v;
          has_hour12 = true;
          break;
        case 'h':
          hour12 = v == 12 ? 0 : v;
          has_hour12 = true;
          break;
        case 'm': minute = v; break;
        case 's': second = v; break;
        case 'S': millis = v; break;
        default: break;  // F, u: set fields that do not decide the date here
      }
      if (L == 'M' || L == 'L' || L == 'd') has_doy = false;
      continue;
    }
    switch (L) {
      case 'M':
      case 'L':
        if (const int m = match_long_or_short(t, at, kMonths, 12); m >= 0) {
          month = m;
          has_doy = false;
        } else {
          return std::nullopt;
        }
        break;
      case 'E':
        if (match_long_or_short(t, at, kDays, 7) < 0) return std::nullopt;
        break;
      case 'a': {
        static constexpr const char* kAmPm[] = {"AM", "PM"};
        const int i = match_name(t, at, kAmPm, 2, false);
        if (i < 0) return std::nullopt;
        pm = i == 1;
        break;
      }
      case 'G': {
        static constexpr const char* kEras[] = {"BC", "AD"};
        const int i = match_name(t, at, kEras, 2, false);
        if (i < 0) return std::nullopt;
        bc = i == 0;
        break;
      }
      case 'X':
        if (t[at] == 'Z') {
          offset_ms = 0;
          ++at;
        } else if (t[at] == '+' || t[at] == '-') {
          const int sign = t[at] == '+' ? 1 : -1;
          ++at;
          if (!numeric_zone(t, at, sign, n, n == 3, offset_ms)) return std::nullopt;
        } else {
          return std::nullopt;
        }
        break;
      case 'z':
      case 'Z': {
        if (t[at] == '+' || t[at] == '-') {
          const int sign = t[at] == '+' ? 1 : -1;
          ++at;
          if (!numeric_zone(t, at, sign, 0, false, offset_ms)) return std::nullopt;
          break;
        }
        static constexpr const char* kGmt[] = {"GMT"};
        std::size_t after = at;
        if (match_name(t, after, kGmt, 1, false) == 0) {
          at = after;
          if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
            const int sign = t[at] == '+' ? 1 : -1;
            ++at;
            if (!numeric_zone(t, at, sign, 0, true, offset_ms)) return std::nullopt;
          } else {
            offset_ms = 0;
          }
          break;
        }
        static constexpr const char* kUtc[] = {"Coordinated Universal Time", "UTC", "UT"};
        if (match_name(t, at, kUtc, 3, false) < 0) return std::nullopt;
        offset_ms = 0;
        break;
      }
      default: return std::nullopt;
    }
  }
  if (bc) year = 1 - year;
  std::int64_t days;
  if (has_doy && !has_day) {
    days = civil::days_from_civil(year, 1, 1) + day_of_year - 1;
  } else {
    const std::int64_t y = year + civil::floor_div(month, 12);
    const int m = static_cast<int>(month - civil::floor_div(month, 12) * 12) + 1;
    days = civil::days_from_civil(y, m, 1) + day - 1;
  }
  const std::int64_t hour = has_hour12 ? hour12 + (pm ? 12 : 0) : hour_of_day;
  return days * 86400000 + hour * 3600000 + minute * 60000 + second * 1000 + millis - offset_ms;
}

}  // namespace tributary::transforms
