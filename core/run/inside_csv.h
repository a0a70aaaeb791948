// The inside figures in a run folder (observer.h InsideRecord), one window after another, in two
// files written by RunFolder and read by whoever shows a run:
//   verdicts.csv  step,steps,side,output,low,high,min,max,counts — two rows per window (side real,
//                 then fake); output is "probability" (bce) or "score"; counts are the bins'
//                 counts from low to high, joined by ';'
//   layers.csv    step,steps,network,parameter,gradient_norm,gradient_norm_max,weight_norm,update_ratio
//                 — one row per parameter tensor per window, G's then D's (network G or D)
// `step` is the window's last step and `steps` how many it holds. CSV as core/io/csv.h writes it.
// Runs written before these files existed have neither; they read as no windows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/run/observer.h"

namespace gan {

extern const char* const kVerdictsFile;
extern const char* const kLayersFile;
/// The header lines, with their newlines.
extern const char* const kVerdictsHeader;
extern const char* const kLayersHeader;

/// The rows of one window, with their newlines.
std::string verdicts_rows(const InsideRecord& record);
std::string layers_rows(const InsideRecord& record);

/// The step of a row of either file; nullopt for a header or a row that is no row.
std::optional<std::int64_t> inside_row_step(std::string_view line);

/// The windows of a run folder, oldest first. Rows that do not parse are skipped, and so is a
/// window whose verdict rows are not both there; a window's parameters are those of its step in
/// layers.csv.
std::vector<InsideRecord> read_inside(const std::filesystem::path& run);

}  // namespace gan
