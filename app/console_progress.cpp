#include "console_progress.h"

#include <unistd.h>

#include <cinttypes>
#include <cmath>
#include <string>

#include "core/model/device.h"

namespace {

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto total = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%02lld:%02lld", total / 60, total % 60);
  }
  return text;
}

}  // namespace

ConsoleProgress::ConsoleProgress(std::FILE* out) : out_(out), terminal_(::isatty(::fileno(out)) != 0) {}

void ConsoleProgress::note(std::FILE* stream, const std::string& text) {
  std::lock_guard lock(mutex_);
  finish_line();
  std::fflush(out_);
  std::fprintf(stream, "%s\n", text.c_str());
  std::fflush(stream);
}

void ConsoleProgress::on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) {
  std::lock_guard lock(mutex_);
  finish_line();
  std::fprintf(out_, "step mode from step %" PRId64 ": %s%s%s\n", step + 1, mode.c_str(), reason.empty() ? "" : ": ",
               reason.c_str());
  std::fflush(out_);
}

void ConsoleProgress::finish_line() {
  if (bar_drawn_) std::fputc('\n', out_);
  bar_drawn_ = false;
}

void ConsoleProgress::on_started(const gan::RunInfo& info) {
  std::lock_guard lock(mutex_);
  std::fprintf(out_, "device: %s\ndata: %s\nG: %" PRId64 " parameters, D: %" PRId64 " parameters\n",
               info.device.c_str(), info.dataset.c_str(), info.generator_parameters, info.discriminator_parameters);
  std::fprintf(out_, "%" PRId64 " steps (%" PRId64 " per epoch), %s\n", info.total_steps, info.steps_per_epoch,
               info.step_mode == "graph" ? "each captured once as a CUDA graph and replayed" : "each launched eagerly");
  std::fflush(out_);
  gpu_ = info.device_id.rfind("cuda", 0) == 0 ? info.device_id : "";
}

const std::string& ConsoleProgress::gpu_text(std::chrono::steady_clock::time_point now) {
  // A driver query (core/model/device.h), not a sync of the training stream; once a second is plenty.
  if (!gpu_.empty() && now - last_gpu_query_ >= std::chrono::seconds(1)) {
    last_gpu_query_ = now;
    gpu_text_ = gan::device_status(gpu_);
  }
  return gpu_text_;
}

void ConsoleProgress::on_steps(const std::vector<gan::StepRecord>& steps, const gan::Progress& p) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  const bool last = p.step >= p.total_steps;
  if (!last && since < (terminal_ ? 0.1 : 5.0)) return;
  last_print_ = now;
  const gan::StepRecord& s = steps.back();
  if (terminal_) {
    constexpr int kWidth = 24;
    const double fraction = p.total_steps > 0 ? static_cast<double>(p.step) / p.total_steps : 0.0;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    std::fprintf(out_,
                 "\r[%s] %3.0f%% epoch %" PRId64 "/%" PRId64 " step %" PRId64 "/%" PRId64
                 "  D %.3f  G %.3f  D(x) %.2f  D(G(z)) %.2f  %.1f steps/s  ETA %s",
                 bar.c_str(), fraction * 100, p.epoch + 1, p.epochs, p.step, p.total_steps, s.d_loss, s.g_loss,
                 s.d_real, s.d_fake, p.steps_per_second, clock_text(p.eta_seconds()).c_str());
    if (judge_fraction_ >= 0) std::fprintf(out_, "  judge %.0f%%", judge_fraction_ * 100);
    if (!gpu_.empty()) std::fprintf(out_, "  %s", gpu_text(now).c_str());
    std::fprintf(out_, "\x1b[K");
    bar_drawn_ = true;
  } else {
    std::fprintf(out_,
                 "epoch %" PRId64 "/%" PRId64 " step %" PRId64 "/%" PRId64
                 " d_loss %.4f g_loss %.4f d_real %.3f d_fake %.3f steps/s %.2f elapsed %s eta %s\n",
                 p.epoch + 1, p.epochs, p.step, p.total_steps, s.d_loss, s.g_loss, s.d_real, s.d_fake,
                 p.steps_per_second, clock_text(p.elapsed_seconds).c_str(), clock_text(p.eta_seconds()).c_str());
    if (!gpu_.empty()) std::fprintf(out_, "%s: %s\n", gpu_.c_str(), gpu_text(now).c_str());
  }
  std::fflush(out_);
}

void ConsoleProgress::on_sample(std::int64_t step, const gan::Image& /*grid*/) {
  std::lock_guard lock(mutex_);
  if (terminal_) return;  // the bar is enough on a terminal
  std::fprintf(out_, "sample grid at step %" PRId64 "\n", step);
  std::fflush(out_);
}

void ConsoleProgress::on_hyperparameters(std::int64_t step, const gan::LiveHyperparameters& v) {
  std::lock_guard lock(mutex_);
  finish_line();
  std::fprintf(out_, "step %" PRId64 ": G lr %g, D lr %g, d_steps %" PRId64 "\n", step, v.generator.lr,
               v.discriminator.lr, v.d_steps);
}

void ConsoleProgress::on_state(gan::RunState state, const std::string& message) {
  std::lock_guard lock(mutex_);
  finish_line();
  if (state == gan::RunState::kRunning || state == gan::RunState::kPaused) return;
  if (state == gan::RunState::kFailed) std::fprintf(stderr, "gan-train: %s\n", message.c_str());
  std::fprintf(out_, "run %s%s%s\n", gan::to_string(state), message.empty() ? "" : ": ", message.c_str());
  std::fflush(out_);
}

void ConsoleProgress::on_judge(const gan::JudgeReference& r) {
  std::lock_guard lock(mutex_);
  judge_fraction_ = -1;
  finish_line();
  std::fprintf(out_, "judge: %s classifier, %.2f%% test accuracy; real data: IS %.2f, FID %.2f", r.dataset.c_str(),
               r.test_accuracy * 100, r.inception_score, r.fid);
  if (r.memorised >= 0) std::fprintf(out_, ", memorised %.1f%%", r.memorised * 100);
  std::fprintf(out_, "\n");
  std::fflush(out_);
}

void ConsoleProgress::on_quality(const gan::QualityRecord& q) {
  std::lock_guard lock(mutex_);
  finish_line();
  std::string histogram;
  for (const double share : q.class_histogram) {
    char cell[16];
    std::snprintf(cell, sizeof cell, " %.0f", share * 100);
    histogram += cell;
  }
  std::string memorised;
  if (q.memorised) {
    char text[32];
    std::snprintf(text, sizeof text, "  memorised %.1f%%", *q.memorised * 100);
    memorised = text;
  }
  std::fprintf(out_, "quality at step %" PRId64 ": IS %.2f  FID %.2f  confidence %.3f%s  classes %%:%s\n", q.step,
               q.inception_score, q.fid, q.mean_confidence, memorised.c_str(), histogram.c_str());
  std::fflush(out_);
}

void ConsoleProgress::on_alarm(const gan::Alarm& alarm) {
  std::lock_guard lock(mutex_);
  finish_line();
  std::fprintf(stderr, "gan-train: alarm at step %" PRId64 " (%s): %s\n", alarm.step, gan::to_string(alarm.kind),
               alarm.message.c_str());
  if (!alarm.rollback_checkpoint.empty()) {
    std::fprintf(stderr, "gan-train: the last good checkpoint is %s (continue from it with --resume)\n",
                 alarm.rollback_checkpoint.c_str());
  }
}

void ConsoleProgress::on_judge_training(const gan::JudgeTraining& training) {
  std::lock_guard lock(mutex_);
  // On a terminal the progress bar carries it; a log gets a line every few seconds.
  judge_fraction_ = training.fraction < 1 ? training.fraction : -1;
  if (terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  const int percent = static_cast<int>(training.fraction * 100);
  if (percent == last_judge_percent_) return;
  if (training.fraction < 1 && std::chrono::duration<double>(now - last_judge_line_).count() < 5.0) return;
  last_judge_line_ = now;
  last_judge_percent_ = percent;
  std::fprintf(out_, "judge: training the %s judge beside the run, %d%%\n", training.dataset.c_str(), percent);
  std::fflush(out_);
}

void ConsoleProgress::on_message(const std::string& message) {
  std::lock_guard lock(mutex_);
  // Progress messages ("...: 42%") are redrawn on a terminal and thinned out in a log.
  const bool progress = !message.empty() && message.back() == '%';
  const auto now = std::chrono::steady_clock::now();
  if (terminal_ && progress) {
    std::fprintf(out_, "\r%s\x1b[K", message.c_str());
    bar_drawn_ = true;
  } else {
    if (progress && std::chrono::duration<double>(now - last_message_).count() < 5.0) return;
    finish_line();
    std::fprintf(out_, "%s\n", message.c_str());
  }
  last_message_ = now;
  std::fflush(out_);
}
