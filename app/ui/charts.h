#pragma once
// Small charts drawn with ImDrawList (no plotting library): a labelled horizontal bar of a
// percentage, with an optional target line across it.
//
// Threading: UI thread only.
#include <string>

namespace gocua::app::ui {

// One row: `label` in the first `label_width` px, then a bar of `percent` (0..100) of the
// remaining width, the figure written after it, and a dark vertical mark at `target` when
// target > 0. `detail` (e.g. "45/120") follows the percentage.
void PercentBar(const std::string& label, double percent, double target, const std::string& detail,
                float label_width = 200.0f);

}  // namespace gocua::app::ui
