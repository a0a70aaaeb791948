// Watches a run's numbers for the ways a GAN goes wrong that a person should hear about at once:
// non-finite losses, a discriminator that wins outright for a sustained window (for the losses
// whose D outputs read as probabilities: bce and lsgan), and mode collapse seen in the judge's class
// histogram — or, for a conditional model, whose histogram is fixed by what it is asked for, in the
// judge's confidence that each digit is the one asked for. From the inside figures (a window of
// inside.interval steps each) it also hears of gradients: G's vanishing while D wins, and either
// network's exploding, which comes before a loss turns non-finite. Torch-free, fed by the trainer;
// tested on synthetic streams.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "core/config/config.h"
#include "core/run/observer.h"

namespace gan {

class AlarmMonitor {
 public:
  explicit AlarmMonitor(const AlarmConfig& config, Loss loss = Loss::kBce) : config_(config), loss_(loss) {}

  /// Feeds one step's record; returns an alarm when this step sets one off.
  std::optional<Alarm> on_step(const StepRecord& record);
  /// Feeds one quality evaluation.
  std::optional<Alarm> on_quality(const QualityRecord& record);
  /// Feeds one window of the inside figures.
  std::optional<Alarm> on_inside(const InsideRecord& record);

  /// A network's gradients explode when a window's largest norm is this many times the median of
  /// its last windows' norms (kGradientHistory of them, at least half that many seen) or not finite.
  static constexpr double kExplodingFactor = 100;
  static constexpr std::size_t kGradientHistory = 10;
  /// G's gradients vanish when its norm is below its highest window's by this factor while D wins
  /// (its mean verdicts past the D-wins limits), for kVanishingWindows windows in a row.
  static constexpr double kVanishingFactor = 100;
  static constexpr std::int64_t kVanishingWindows = 3;

  /// The step the current unhealthy stretch began at (0 when all is well): a checkpoint written
  /// before it is a good one to roll back to.
  std::int64_t trouble_since() const;

  /// Forgets all streaks (after a rollback, or when the run continues from elsewhere).
  void reset();

 private:
  std::optional<Alarm> on_class_confidence(const QualityRecord& record);
  std::optional<Alarm> on_exploding(const InsideRecord& record);
  std::optional<Alarm> on_vanishing(const InsideRecord& record);
  bool collapse_streak_complete(const QualityRecord& record, bool collapsed);

  AlarmConfig config_;
  Loss loss_;
  std::int64_t d_wins_streak_ = 0;
  std::int64_t d_wins_since_ = 0;
  std::int64_t collapse_streak_ = 0;
  std::int64_t collapse_since_ = 0;
  std::deque<double> gradient_history_[2];  // G's, D's window norms, newest last
  double generator_peak_ = 0;               // G's highest window norm so far
  std::int64_t vanishing_streak_ = 0;
  std::int64_t vanishing_since_ = 0;
};

}  // namespace gan
