// Boost.URL's compiled part, built into the runtime once (Debian ships Boost.URL 1.81 as headers
// only; this is the library's documented header-only mode). Used by converters/schema_registry.
//
// Threading: none (library code).
#include <boost/url/src.hpp>
