#include "core/run/alarms.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace gan {
namespace {

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", share * 100.0);
  return text;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// The L2 norm of all of a network's gradients together ("G" or "D"), from each tensor's `figure`.
double network_norm(const InsideRecord& record, const std::string& network, double ParameterFigures::*figure) {
  double sum = 0;
  for (const ParameterFigures& p : record.parameters) {
    if (p.network == network) sum += (p.*figure) * (p.*figure);
  }
  return std::sqrt(sum);
}

double median(std::deque<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

std::string window_text(const InsideRecord& r) {
  return "steps " + std::to_string(r.step - r.steps + 1) + "–" + std::to_string(r.step);
}

}  // namespace

std::optional<Alarm> AlarmMonitor::on_inside(const InsideRecord& record) {
  if (auto alarm = on_exploding(record)) return alarm;
  return on_vanishing(record);
}

std::optional<Alarm> AlarmMonitor::on_exploding(const InsideRecord& r) {
  const char* const names[2] = {"G", "D"};
  const char* const words[2] = {"generator", "discriminator"};
  std::optional<Alarm> alarm;
  for (int n = 0; n < 2; ++n) {
    std::deque<double>& history = gradient_history_[n];
    const double largest = network_norm(r, names[n], &ParameterFigures::gradient_norm_max);
    const double level = median(history);
    const bool exploding = !std::isfinite(largest) || (level > 0 && largest > kExplodingFactor * level);
    if (!alarm && exploding && r.step >= config_.warmup && history.size() >= kGradientHistory / 2) {
      alarm = Alarm{};
      alarm->kind = Alarm::Kind::kExplodingGradients;
      alarm->step = r.step;
      alarm->since_step = r.step - r.steps + 1;
      alarm->message = "The " + std::string(words[n]) + "'s gradients are exploding: their norm reached " +
                       scientific(largest) + " in " + window_text(r) + ", " +
                       (std::isfinite(largest) ? scientific(largest / level) + " times" : "far beyond") +
                       " their level over the windows before (" + scientific(level) +
                       "). A loss that turns non-finite often follows: roll back, and lower the " +
                       words[n] + "'s learning rate.";
      history.clear();  // a new level to learn before it fires again
      continue;
    }
    history.push_back(network_norm(r, names[n], &ParameterFigures::gradient_norm));
    if (history.size() > kGradientHistory) history.pop_front();
  }
  return alarm;
}

std::optional<Alarm> AlarmMonitor::on_vanishing(const InsideRecord& r) {
  const double norm = network_norm(r, "G", &ParameterFigures::gradient_norm);
  const double peak = generator_peak_;
  generator_peak_ = std::max(generator_peak_, norm);
  // As the D-wins alarm: only D's probabilities have a "certain" end to sit at.
  if (loss_ != Loss::kBce && loss_ != Loss::kLsgan) return std::nullopt;
  const double real = r.real.mean();
  const double fake = r.fake.mean();
  const bool winning = r.real.total() > 0 && real > config_.d_wins_real && fake < config_.d_wins_fake;
  if (!(winning && peak > 0 && norm < peak / kVanishingFactor)) {
    vanishing_streak_ = 0;
    return std::nullopt;
  }
  if (vanishing_streak_++ == 0) vanishing_since_ = r.step - r.steps + 1;
  if (r.step < config_.warmup || vanishing_streak_ < kVanishingWindows) return std::nullopt;
  Alarm alarm;
  alarm.kind = Alarm::Kind::kVanishingGradients;
  alarm.step = r.step;
  alarm.since_step = vanishing_since_;
  alarm.message = "The generator's gradients vanish while the discriminator wins: G's gradient norm is " +
                  scientific(norm) + " in " + window_text(r) + ", below a " + scientific(kVanishingFactor) +
                  "th of its highest (" + scientific(peak) + "), for " + std::to_string(vanishing_streak_) +
                  " windows in a row, while D's mean verdicts are " + number(real) + " on real and " +
                  number(fake) + " on fake images: G has stopped learning. Try a lower discriminator learning "
                  "rate, more dropout in D, or fewer d_steps.";
  vanishing_streak_ = 0;
  return alarm;
}

std::optional<Alarm> AlarmMonitor::on_step(const StepRecord& r) {
  if (!std::isfinite(r.d_loss) || !std::isfinite(r.g_loss)) {
    Alarm alarm;
    alarm.kind = Alarm::Kind::kNonFinite;
    alarm.step = alarm.since_step = r.step;
    alarm.message = "Training diverged: the " + std::string(std::isfinite(r.d_loss) ? "generator" : "discriminator") +
                    " loss is not a finite number at step " + std::to_string(r.step) +
                    ". The weights are lost; roll back to a checkpoint and lower the learning rates, or try "
                    "another seed.";
    return alarm;
  }
  // A critic's or hinge D's raw scores have no "certain" end to sit at.
  if (config_.d_wins_steps <= 0 || (loss_ != Loss::kBce && loss_ != Loss::kLsgan)) return std::nullopt;
  const bool winning = r.d_real > config_.d_wins_real && r.d_fake < config_.d_wins_fake;
  if (!winning) {
    d_wins_streak_ = 0;
    return std::nullopt;
  }
  if (d_wins_streak_++ == 0) d_wins_since_ = r.step;
  if (r.step < config_.warmup || d_wins_streak_ < config_.d_wins_steps) return std::nullopt;
  Alarm alarm;
  alarm.kind = Alarm::Kind::kDiscriminatorWins;
  alarm.step = r.step;
  alarm.since_step = d_wins_since_;
  alarm.message = "The discriminator wins outright: for " + std::to_string(d_wins_streak_) +
                  " steps in a row D(x) stayed above " + number(config_.d_wins_real) + " and D(G(z)) below " +
                  number(config_.d_wins_fake) + " (now " + number(r.d_real) + " and " + number(r.d_fake) +
                  "), so the generator's gradients vanish and it stops learning. Try a lower discriminator "
                  "learning rate, more dropout in D, or fewer d_steps.";
  d_wins_streak_ = 0;  // a new full window before it fires again
  return alarm;
}

bool AlarmMonitor::collapse_streak_complete(const QualityRecord& q, bool collapsed) {
  if (!collapsed) {
    collapse_streak_ = 0;
    return false;
  }
  if (collapse_streak_++ == 0) collapse_since_ = q.step;
  return q.step >= config_.warmup && collapse_streak_ >= config_.collapse_checks;
}

std::optional<Alarm> AlarmMonitor::on_class_confidence(const QualityRecord& q) {
  std::string weak;
  int weak_count = 0;
  for (std::size_t c = 0; c < q.class_confidence.size(); ++c) {
    if (q.class_confidence[c] >= config_.confidence_low) continue;
    weak += (weak.empty() ? "" : ", ") + std::to_string(c) + " (" + percent(q.class_confidence[c]) + ")";
    ++weak_count;
  }
  if (!collapse_streak_complete(q, weak_count > 0)) return std::nullopt;
  Alarm alarm;
  alarm.kind = Alarm::Kind::kModeCollapse;
  alarm.step = q.step;
  alarm.since_step = collapse_since_;
  alarm.message = "The generator does not draw the digits it is asked for: asked for " +
                  std::string(weak_count == 1 ? "digit " : "digits ") + weak + ", the judge is on average less than " +
                  percent(config_.confidence_low) + " sure it sees " + (weak_count == 1 ? "that digit" : "them") +
                  ", in " + std::to_string(collapse_streak_) +
                  " evaluations in a row. A conditional model cannot skip a digit, so its collapse shows as digits "
                  "drawn wrong or blurred into others. Try a lower generator learning rate or more dropout in D.";
  collapse_streak_ = 0;
  return alarm;
}

std::optional<Alarm> AlarmMonitor::on_quality(const QualityRecord& q) {
  if (config_.collapse_checks <= 0 || q.class_histogram.empty()) return std::nullopt;
  // A conditional model's histogram follows what it was asked for: watch each digit's confidence.
  if (!q.class_confidence.empty()) return on_class_confidence(q);
  const auto [low, high] = std::minmax_element(q.class_histogram.begin(), q.class_histogram.end());
  if (!collapse_streak_complete(q, *high > config_.collapse_high || *low < config_.collapse_low)) return std::nullopt;

  std::string detail;
  if (*high > config_.collapse_high) {
    detail = "digit " + std::to_string(high - q.class_histogram.begin()) + " takes " + percent(*high) +
             " of the samples (limit " + percent(config_.collapse_high) + ")";
  }
  std::string rare;
  int rare_count = 0;
  for (std::size_t c = 0; c < q.class_histogram.size(); ++c) {
    if (q.class_histogram[c] >= config_.collapse_low) continue;
    rare += (rare.empty() ? "" : ", ") + std::to_string(c);
    ++rare_count;
  }
  if (rare_count > 0) {
    detail += (detail.empty() ? "" : "; ") + std::string(rare_count == 1 ? "digit " : "digits ") + rare +
              (rare_count == 1 ? " is" : " are") + " in fewer than " + percent(config_.collapse_low) + " of the samples";
  }
  Alarm alarm;
  alarm.kind = Alarm::Kind::kModeCollapse;
  alarm.step = q.step;
  alarm.since_step = collapse_since_;
  alarm.message = "Mode collapse: the generator draws only some of the digits (" + detail + ") in " +
                  std::to_string(collapse_streak_) +
                  " evaluations in a row. Try more dropout in D, a lower generator learning rate, or the "
                  "course-report model; continuing rarely recovers the missing digits.";
  collapse_streak_ = 0;
  return alarm;
}

std::int64_t AlarmMonitor::trouble_since() const {
  std::int64_t since = 0;
  if (d_wins_streak_ > 0) since = d_wins_since_;
  if (collapse_streak_ > 0) since = since > 0 ? std::min(since, collapse_since_) : collapse_since_;
  if (vanishing_streak_ > 0) since = since > 0 ? std::min(since, vanishing_since_) : vanishing_since_;
  return since;
}

void AlarmMonitor::reset() {
  d_wins_streak_ = collapse_streak_ = vanishing_streak_ = 0;
  d_wins_since_ = collapse_since_ = vanishing_since_ = 0;
  for (auto& history : gradient_history_) history.clear();
  generator_peak_ = 0;
}

}  // namespace gan
