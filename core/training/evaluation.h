// Scoring something a user has on disk — a checkpoint, a run folder, a folder of PNG digits — with
// the judge (judge.h). What gan-eval prints; the studio's own scores come from the trainer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>
#include <string>

#include "core/config/config.h"
#include "core/model/probe.h"
#include "core/run/observer.h"

namespace gan {

struct EvaluationOptions {
  /// Images generated from a checkpoint (its fixed evaluation noise, as during training).
  std::int64_t samples = 2000;
  /// The judge for PNG folders: "mnist" or "fashion-mnist" (checkpoints bring their own dataset).
  std::string dataset = "mnist";
  /// Where a checkpoint's generator and the judge run.
  DeviceChoice device = DeviceChoice::kAuto;
};

struct Evaluation {
  std::string source;     ///< what was scored, for a person: "checkpoint .../step_0004000.pt (step 4000)"
  std::int64_t step = -1; ///< the checkpoint's step; -1 for PNG digits
  QualityRecord quality;
  JudgeReference reference;
};

struct DigitsOptions {
  std::int64_t count = 64;
  /// A conditional model's digit to draw; none: digits at random. An unconditional model refuses one.
  std::optional<std::int64_t> digit;
  DeviceChoice device = DeviceChoice::kAuto;
  /// The random numbers the digits are drawn with; none: the checkpoint's own (saved with it, so
  /// one checkpoint draws the same digits every time, whatever seed its run had).
  std::optional<std::uint64_t> seed;
};

/// Draws `options.count` digits from the checkpoint at `path` (or a run folder's newest) into the
/// existing `folder` as digit_STEP_NNNN.png, as File ▸ Export digits names them; for a conditional
/// model also labels.csv (file,label: the digit each was asked to be). Refuses, writing nothing,
/// when one of those files exists or the digit cannot be asked; returns the files written.
std::vector<std::filesystem::path> export_digits(const std::filesystem::path& path, const std::filesystem::path& folder,
                                                 const DigitsOptions& options);

struct NeighboursOptions {
  std::int64_t count = 8;
  NeighbourSpace space = NeighbourSpace::kFeatures;
  DeviceChoice device = DeviceChoice::kAuto;
};

struct NeighboursFound {
  std::string dataset;  ///< whose training set was searched: "mnist", ...
  NeighbourView view;   ///< nearest first, with their pictures
};

/// The training images nearest the PNG `image` (a single digit of the dataset's size), in the
/// training set of the run folder or checkpoint `run`. Writes `strip` (the image, then its
/// neighbours, nearest first) unless it is empty; an existing strip is refused before anything is
/// computed. Throws with a message naming the file and what is wrong.
NeighboursFound find_neighbours(const std::filesystem::path& image, const std::filesystem::path& run,
                                const NeighboursOptions& options, const std::filesystem::path& strip,
                                const std::function<void(const std::string&)>& message = {});

/// Scores `path`: a checkpoint file, a run folder (its newest checkpoint) or a folder of PNG digits
/// (single 28 x 28 grayscale images, as File > Export digits writes them). Throws with a message
/// naming the path and what is wrong. `message` hears about slow steps (training the judge).
Evaluation evaluate_path(const std::filesystem::path& path, const EvaluationOptions& options,
                         const std::function<void(const std::string&)>& message = {});

}  // namespace gan
