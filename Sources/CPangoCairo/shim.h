// CPangoCairo: cairo (PDF surface, paths) and pango (text layout on cairo) as seen from Swift.
// Only the PDF module imports this module (rule 2, Sources/README.md). Include paths come from pkg-config `pangocairo`.
#ifndef GUICHET_CPANGOCAIRO_SHIM_H
#define GUICHET_CPANGOCAIRO_SHIM_H

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

// No wrappers yet: everything the PDF module calls is a plain function, and PANGO_SCALE (a plain
// integer macro) imports as a constant. Add prefixed `static inline guichet_…` wrappers here only for
// what Swift cannot call (function-like macros such as PANGO_PIXELS, variadic functions).

#endif
