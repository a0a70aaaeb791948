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
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/io/file_tail.h"
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

/// read_inside a poll at a time, for a run another process is still writing: each poll reads only
/// the rows appended since the last one (a long run's layers.csv is megabytes, and the studio polls
/// every second) and hands over the windows completed since. A window is complete when both its
/// verdict rows are there and its parameters' rows too, or a later window's verdict rows (the
/// writer appends a window's verdicts, then its parameters, then the next window).
class InsideReader {
 public:
  explicit InsideReader(const std::filesystem::path& run);

  struct Update {
    bool reset = false;  ///< a file was rewritten shorter (a resume): `windows` is all of them again
    std::vector<InsideRecord> windows;  ///< completed since the last poll, oldest first
  };
  Update poll();
  /// Also the windows still waiting for their parameters' rows: what a run that has ended holds.
  Update poll_to_end();

 private:
  struct Window {
    InsideRecord record;
    bool real = false;
    bool fake = false;
    bool parameters = false;
  };
  Update read(bool to_end);
  void add_verdicts(const std::string& text);
  void add_parameters(const std::string& text);

  FileTail verdicts_;
  FileTail layers_;
  std::map<std::int64_t, Window> pending_;  // by step: windows not handed over yet
  std::int64_t handed_over_ = -1;           // the newest step handed over: its late rows are dropped
};

}  // namespace gan
