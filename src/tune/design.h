// Experimental designs over GC knobs: full factorials and the standard
// orthogonal arrays (L4, L8, L9, L16, L18, L27). A design is a list of
// cells; a cell gives each factor a level index.
//
// Orthogonal arrays: every pair of columns holds each pair of levels
// equally often, so each factor's main effect is estimated from balanced
// data with far fewer runs than the full grid. 2-level arrays (L4, L8, L16)
// are built from GF(2) combinations of base columns, 3-level ones (L9, L27)
// from GF(3); L18 (one 2-level and seven 3-level columns) is the standard
// table. A 2-level factor may sit on a 3-level column: its third level is
// folded onto the first (the array stays orthogonal in proportion).
#ifndef GCPILOT_TUNE_DESIGN_H_
#define GCPILOT_TUNE_DESIGN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace gcpilot {

struct OrthogonalArray {
  std::string name;                    // "L9"
  std::vector<int> column_levels;      // levels per column (2 or 3)
  std::vector<std::vector<int>> rows;  // level index 0.. per column
};

// The design kinds a spec or --design may name.
inline constexpr char kDesignKinds[] = "auto, full, L4, L8, L9, L16, L18, L27";
// Whether `kind` is one of them.
bool IsDesignKind(const std::string& kind);

// The array by name ("L4", "L8", "L9", "L16", "L18", "L27").
StatusOr<OrthogonalArray> ArrayByName(const std::string& name);
// All supported arrays, smallest first.
std::vector<OrthogonalArray> AllArrays();
// True if every pair of columns holds every level pair equally often.
bool IsOrthogonal(const OrthogonalArray& a);

struct Design {
  std::string name;                     // "full factorial", "L9", ...
  std::vector<std::vector<int>> cells;  // level index per factor
  std::vector<int> columns;             // array column used by each factor (OA only)
  // The array asked for when it was replaced by the full factorial because
  // it has more rows than the grid has settings ("L27"), else "".
  std::string replaced;
  // Factors (indexes) whose levels the array runs unequally often: a
  // 2-level factor folded onto a 3-level column runs its first level in
  // 2/3 of the rows.
  std::vector<int> unbalanced;
};

// What the plan must say about `d` (one line each, no newline): the array
// it replaced, the factors it runs unequally; `names` are the factors'.
std::vector<std::string> DesignNotes(const Design& d, const std::vector<std::string>& names);

// The full grid over `levels` (levels per factor), first factor slowest.
Design FullFactorial(const std::vector<int>& levels);

// Places factors with the given level counts on `array`: 3-level factors on
// 3-level columns, 2-level factors on 2-level columns first, then folded
// onto 3-level ones. kInvalidArgument if they do not fit, naming why:
// `L9 holds 4 factors of 2-3 levels; 5 given`.
StatusOr<Design> FitArray(const OrthogonalArray& array, const std::vector<int>& levels);

// `kind` is "full", "auto" (the smallest array that fits, or the full grid
// when that is no larger) or an array name. Every factor needs 2 or 3
// levels for an array; a full factorial takes any number >= 1. An array
// with more rows than the grid has settings would only repeat settings: it
// is replaced by the full factorial (Design::replaced says so).
StatusOr<Design> MakeDesign(const std::string& kind, const std::vector<int>& levels);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_DESIGN_H_
