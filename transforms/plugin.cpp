// The plugin entry of libtributary-transforms.so.
#include "transforms.h"

TRIBUTARY_PLUGIN(tributary::transforms::register_transforms)
