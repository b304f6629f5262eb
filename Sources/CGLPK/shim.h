#ifndef CGLPK_SHIM_H
#define CGLPK_SHIM_H

// GLPK 5.0 from Debian's libglpk-dev. Swift sees the C API as it is; the GLPK module
// is the only place that calls it.
#include <glpk.h>

#endif
