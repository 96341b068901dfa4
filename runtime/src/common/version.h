// Tributary's version and the commit it was built from (set by CMake; fallbacks for other builds).
//
// Threading: constants.
#pragma once

#ifndef TRIBUTARY_VERSION
#define TRIBUTARY_VERSION "0.0.0"
#endif
#ifndef TRIBUTARY_COMMIT
#define TRIBUTARY_COMMIT "unknown"
#endif
