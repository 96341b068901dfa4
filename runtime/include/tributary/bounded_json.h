// Parsing JSON that arrives from outside the process — REST bodies, connector files, the offsets
// file and topic, the connector-config file, database columns a transform expands — with a bound
// on nesting depth.
//
// nlohmann's parser and destructor are iterative, but dump(), copies and comparisons of a parsed
// value recurse once per level, so one request of 100 000 nested arrays would overflow the stack
// of whichever thread later prints or copies it. parse_bounded_json() scans the text once before
// parsing (a few ns per byte) and refuses anything nested deeper than the bound, so every value
// the worker holds can be printed and copied safely. Jackson (Kafka Connect) refuses nesting
// deeper than 1000 (StreamReadConstraints); ours is 128, which no connector config or offset
// comes near.
//
// Threading: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tributary {

inline constexpr int kMaxJsonDepth = 128;

/// Thrown when a document is nested deeper than allowed (a std::invalid_argument, so callers that
/// report parse errors report this one the same way).
class JsonTooDeep : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The deepest nesting of arrays and objects in `text` (0 for a scalar), counting brackets outside
/// strings. Stops counting at `limit + 1`. For text that is valid JSON this is the nesting the
/// parser will build; for invalid text the parser fails anyway.
inline int json_nesting_depth(std::string_view text, int limit = kMaxJsonDepth) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// Parses `text` as JSON of at most `max_depth` levels. Throws JsonTooDeep (naming `what`, e.g.
/// "Request body" or a file's path) or nlohmann's parse_error.
template <class Json = nlohmann::ordered_json>
Json parse_bounded_json(std::string_view text, std::string_view what,
                        int max_depth = kMaxJsonDepth) {
  if (json_nesting_depth(text, max_depth) > max_depth)
    throw JsonTooDeep(std::string(what) + " is nested more than " + std::to_string(max_depth) +
                      " levels deep");
  return Json::parse(text);
}

}  // namespace tributary
