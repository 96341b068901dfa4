// java.text.SimpleDateFormat patterns in UTC, English names, for the transforms that format and
// parse timestamps (TimestampRouter, TimestampConverter): letters G y M L d D E u F a H k K h m s
// S z Z X and quoted text ('...', '' for a quote). Parsed once; other letters are an error, as in
// Java, and so are the week-based Y w W, whose values depend on the locale.
//
// Parsing is SimpleDateFormat's lenient parse: leading spaces before a field skipped, numbers of
// any width unless the next field abuts (then the letter count), out-of-range values roll over
// (month 13 is January of the next year), text after the pattern ignored, two-digit years
// resolved in the century starting 80 years ago. Zones: offsets (+hh:mm, +hhmm, GMT+hh:mm, Z)
// and the names UTC / GMT / UT; other zone names are not known. Dates before the Gregorian
// cutover (1582-10-15) are proleptic Gregorian here, where Java switches to the Julian calendar.
//
// Threading: a parsed pattern is immutable.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::transforms {

class JavaDateFormat {
 public:
  /// Throws std::invalid_argument ("Illegal pattern character 'x'", "Unterminated quote").
  explicit JavaDateFormat(const std::string& pattern);
  /// Milliseconds since the epoch, formatted in UTC.
  std::string format(std::int64_t epoch_ms) const;
  /// DateFormat.parse: milliseconds since the epoch, or nullopt when the text does not match.
  std::optional<std::int64_t> parse(std::string_view text) const;
  /// The pattern as written (SimpleDateFormat.toPattern).
  const std::string& pattern() const { return pattern_; }

 private:
  struct Part {
    char letter = 0;  // 0: literal text
    int count = 0;
    std::string text;
  };
  std::string pattern_;
  std::vector<Part> parts_;
};

}  // namespace tributary::transforms
