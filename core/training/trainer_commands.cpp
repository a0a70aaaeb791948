// The trainer's mailbox: commands from any thread (pause, resume, one step, stop, new
// hyperparameters, tasks such as drawing digits) and how the run loop waits for and takes them
// between steps. The loop itself is trainer.cpp.
#include <c10/util/Exception.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/judge/judge.h"
#include "core/judge/judge_loader.h"
#include "core/model/gan.h"
#include "core/training/trainer.h"
#include "core/training/trainer_window.h"

namespace gan {
const LiveHyperparameters& Trainer::hyperparameters() const { return gan_->hyperparameters(); }

void Trainer::pause() {
  {
    std::lock_guard lock(mutex_);
    paused_ = true;
    command_waiting_ = true;
  }
  wake_.notify_all();  // ends slow motion's wait before the next step
}

void Trainer::resume() {
  {
    std::lock_guard lock(mutex_);
    paused_ = false;
    command_waiting_ = true;
  }
  wake_.notify_all();
}

void Trainer::step_once(StepSide side) {
  {
    std::lock_guard lock(mutex_);
    if (!paused_) return;
    single_steps_.push_back(side);
    command_waiting_ = true;
  }
  wake_.notify_all();
}

void Trainer::set_step_rate_limit(double steps_per_second) {
  {
    std::lock_guard lock(mutex_);  // so that a wait in pace() cannot miss the change
    step_rate_limit_ = std::max(0.0, steps_per_second);
  }
  wake_.notify_all();  // a slower step waiting now takes the new pace
}

void Trainer::pace() {
  // At full speed (the common case) no lock is taken, as for ordinary steps (command_waiting_).
  if (step_rate_limit_.load(std::memory_order_relaxed) <= 0) return;
  std::unique_lock lock(mutex_);
  bool waited = false;
  for (;;) {
    const double limit = step_rate_limit_.load(std::memory_order_relaxed);
    if (limit <= 0 || command_waiting_.load(std::memory_order_relaxed)) break;
    const auto due = last_step_start_ + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(1.0 / limit));
    if (Clock::now() >= due) break;
    // Waiting is not training: the clock stops, and a command (or a new pace) wakes it.
    window_->stop_clock();
    waited = true;
    wake_.wait_until(lock, due);
  }
  last_step_start_ = Clock::now();
  // The clock goes on unless a command came: then wait_for_command decides (a pause keeps it stopped).
  if (waited && !command_waiting_.load(std::memory_order_relaxed)) window_->start_clock();
}

void Trainer::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    ++stops_;
    command_waiting_ = true;
  }
  wake_.notify_all();
}

void Trainer::set_hyperparameters(const LiveHyperparameters& values) {
  {
    std::lock_guard lock(mutex_);
    pending_hyperparameters_ = values;
    command_waiting_ = true;
  }
  wake_.notify_all();  // applied before the next step, also one slow motion holds back
}

bool Trainer::post(std::function<void(Gan&)> task, WhenIdle when_idle, std::function<void(const std::string&)> failed) {
  std::unique_lock lock(mutex_);
  if (!running_) {
    if (when_idle == WhenIdle::kRefuse) return false;
    // Idle: it runs here, but not under the lock. A task may take long (class digits wait for the
    // judge, about 140 s on a new machine), and Stop, Pause and every request take this lock: held,
    // it froze the studio's window. idle_task_ keeps run() and other idle tasks out meanwhile.
    wake_.wait(lock, [this] { return !idle_task_ || running_; });
  }
  if (running_) {  // the run takes it between two steps (also one that started while this waited)
    tasks_.push_back({std::move(task), std::move(failed)});
    command_waiting_ = true;
    lock.unlock();
    wake_.notify_all();
    return true;
  }
  idle_task_ = true;
  lock.unlock();
  struct Release {
    ~Release() {
      {
        std::lock_guard done(trainer.mutex_);
        trainer.idle_task_ = false;
      }
      trainer.wake_.notify_all();
    }
    Trainer& trainer;
  } release{*this};
  run_task({std::move(task), std::move(failed)});
  return true;
}

void Trainer::run_task(const Task& task) {
  std::string error;
  try {
    task.run(*gan_);
    return;
  } catch (const c10::Error& e) {
    error = e.what_without_backtrace();  // LibTorch's own message; its backtrace helps no reader
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "an error that is not a std::exception";
  }
  std::fprintf(stderr, "gan-studio: a task on the training thread failed: %s\n", error.c_str());
  if (!task.failed) return;
  try {
    task.failed(error);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-studio: answering a failed task failed too: %s\n", e.what());
  }
}

bool Trainer::busy() const {
  std::lock_guard lock(mutex_);
  return idle_task_;
}

bool Trainer::request_digits(std::int64_t count, std::function<void(std::vector<Image>)> done, WhenIdle when_idle,
                             std::optional<std::int64_t> digit) {
  return post(
      [count, digit, done](Gan& gan) {
        std::vector<Image> digits;
        try {
          digits = gan.generate(count, digit);
        } catch (const std::invalid_argument&) {
          // Not a digit this model draws: the caller hears of none rather than waiting.
        }
        done(std::move(digits));
      },
      when_idle, [done](const std::string&) { done({}); });
}

bool Trainer::request_interpolation(std::int64_t frames, std::uint64_t seed,
                                    std::function<void(std::vector<Image>)> done, WhenIdle when_idle) {
  return post([frames, seed, done](Gan& gan) { done(gan.interpolate(frames, seed)); }, when_idle,
              [done](const std::string&) { done({}); });
}

Trainer::JudgeOpened Trainer::open_judge(Gan& gan) {
  if (!judge_ && judge_loader_) {
    // The judge is still being opened beside the run: wait for it rather than train a second,
    // asleep until it is done (not woken by its progress), and no longer than until a Stop.
    const std::int64_t stops = stop_count();
    while (!judge_loader_->wait_until_done(0.2)) {
      if (stop_count() != stops) return JudgeOpened::kStopped;  // the user stopped (or closed the window) meanwhile
    }
    JudgeLoader::Report report = judge_loader_->take();
    judge_loader_.reset();
    judge_ = std::move(report.judge);
    judge_failed_ = !judge_;
  }
  if (!judge_ && judge_failed_) return JudgeOpened::kNone;  // opening it again would fail again
  if (!judge_) {
    // An opened run's model: load the judge now (from its cache; it trains only if there is none).
    try {
      judge_ = Judge::open(gan.config().data, gan.config().quality.samples, {}, {}, gan.device());
    } catch (const std::exception&) {
      judge_failed_ = true;
      return JudgeOpened::kNone;
    }
  }
  return JudgeOpened::kReady;
}

bool Trainer::request_class_digits(std::int64_t label, std::int64_t count,
                                   std::function<void(std::vector<Image>, double)> done, WhenIdle when_idle) {
  return post([this, label, count, done](Gan& gan) {
    switch (open_judge(gan)) {
      case JudgeOpened::kStopped: return;  // unanswered: the user has moved on
      case JudgeOpened::kNone: return done({}, -1.0);
      case JudgeOpened::kReady: break;
    }
    if (gan.conditional() && label >= 0 && label < gan.classes() && count > 0) {
      // Asked for: draw them, and say how many the judge takes for the digit.
      torch::NoGradGuard no_grad;
      const std::vector<Image> digits = gan.generate(count, label);
      return done(digits, judge_->classes(tanh_images(digits)).eq(label).to(torch::kFloat64).mean().item<double>());
    }
    const torch::Tensor images = gan.evaluation_images(gan.config().quality.samples);
    const torch::Tensor picked = judge_->classes(images).eq(label).nonzero().flatten();
    const double share = static_cast<double>(picked.numel()) / static_cast<double>(images.size(0));
    done(gan.digits(images.index_select(0, picked.slice(0, 0, count))), share);
  }, when_idle, [done](const std::string&) { done({}, -1.0); });  // as without a judge: none (the log says why)
}

bool Trainer::request_model_summary(const SummaryScope& scope, std::function<void(ModelSummary)> done,
                                    WhenIdle when_idle) {
  return post([scope, done](Gan& gan) { done(gan.summarize(scope)); }, when_idle, [done](const std::string& error) {
    ModelSummary failed;
    failed.error = error;
    done(std::move(failed));
  });
}

bool Trainer::request_verdict(Image image, std::function<void(Verdict)> done, WhenIdle when_idle) {
  return post(
      [image = std::move(image), done](Gan& gan) {
        Verdict verdict;
        try {
          verdict = gan.ask_discriminator(image);
        } catch (const std::invalid_argument&) {
          // Not this model's size: the caller hears of no outputs rather than waiting.
        }
        done(std::move(verdict));
      },
      when_idle, [done](const std::string& error) {
        Verdict failed;
        failed.error = error;
        done(std::move(failed));
      });
}

bool Trainer::request_latent_pick(std::int64_t grid_index, std::int64_t count, LatentDirections kind,
                                  std::uint64_t seed, std::function<void(LatentPick)> done, WhenIdle when_idle) {
  return post(
      [=](Gan& gan) {
        LatentPick pick;
        try {
          pick.point = gan.grid_latent(grid_index);
          pick.directions = gan.latent_directions(pick.point, count, kind, seed);
          pick.digit = gan.draw_latent({pick.point}).front();
          pick.classes = gan.conditional() ? gan.classes() : 0;
        } catch (const std::exception&) {
          pick = LatentPick{};  // a cell this grid does not have (the model changed meanwhile)
        }
        done(std::move(pick));
      },
      when_idle, [done](const std::string&) { done(LatentPick{}); });
}

bool Trainer::request_latent_digits(std::vector<LatentPoint> points, std::function<void(std::vector<Image>)> done,
                                    WhenIdle when_idle) {
  return post(
      [points = std::move(points), done](Gan& gan) {
        std::vector<Image> digits;
        try {
          digits = gan.draw_latent(points);
        } catch (const std::exception&) {
          // A point of another model (the run changed meanwhile): none.
        }
        done(std::move(digits));
      },
      when_idle, [done](const std::string&) { done({}); });
}

bool Trainer::judge_at_hand(Gan& gan, bool& opening) {
  if (!judge_ && !running()) {
    if (judge_loader_ && judge_loader_->done()) {
      JudgeLoader::Report report = judge_loader_->take();
      judge_loader_.reset();
      judge_ = std::move(report.judge);
      judge_failed_ = !judge_;
    } else if (!judge_loader_ && !judge_failed_) {
      judge_loader_ = std::make_unique<JudgeLoader>(gan.config().data, gan.config().quality.samples, gan.device());
    }
  }
  opening = !judge_ && judge_loader_ != nullptr;
  return judge_ != nullptr;
}

bool Trainer::request_judge_view(Image image, std::function<void(JudgeView)> done, WhenIdle when_idle) {
  return post(
      [this, image = std::move(image), done](Gan& gan) {
        JudgeView view;
        if (judge_at_hand(gan, view.opening) && !image.pixels.empty()) {
          try {
            const torch::Tensor values =
                judge_->evaluate(tanh_images({image})).probabilities[0].to(torch::kFloat64).contiguous();
            view.probabilities.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
          } catch (const std::exception&) {
            // An image the judge does not take (another size): no probabilities.
          }
        }
        done(std::move(view));
      },
      when_idle, [done](const std::string&) { done(JudgeView{}); });
}

bool Trainer::request_neighbours(Image image, NeighbourSpace space, std::int64_t count,
                                 std::function<void(NeighbourView)> done, WhenIdle when_idle) {
  return post(
      [this, image = std::move(image), space, count, done](Gan& gan) {
        NeighbourView view;
        if (judge_at_hand(gan, view.opening) && !image.pixels.empty()) {
          try {
            const bool opening = view.opening;
            view = judge_->nearest_training_digits(image, space, count);
            view.opening = opening;
          } catch (const std::exception&) {
            // An image of another size than the training set's: no neighbours.
          }
        }
        done(std::move(view));
      },
      when_idle, [done](const std::string&) { done(NeighbourView{}); });
}

std::int64_t Trainer::stop_count() const {
  std::lock_guard lock(mutex_);
  return stops_;
}

bool Trainer::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void Trainer::set_running(bool running) {
  std::unique_lock lock(mutex_);
  if (running) wake_.wait(lock, [this] { return !idle_task_; });  // a task on the idle trainer ends first
  running_ = running;
  if (!running) run_tasks(lock);  // whatever was posted while the run ended
}

void Trainer::run_tasks(std::unique_lock<std::mutex>& lock) {
  if (tasks_.empty()) return;
  // Drawing digits, or waiting minutes for the judge, is not training: the clock stops here and
  // wait_for_command starts it again before the next step.
  window_->stop_clock();
  while (!tasks_.empty()) {
    auto tasks = std::move(tasks_);
    tasks_.clear();
    lock.unlock();
    for (const auto& task : tasks) run_task(task);  // one that throws ends neither the run nor the others
    lock.lock();
  }
}

Trainer::Command Trainer::wait_for_command(TrainingObserver& observer, StepSide& side) {
  side = StepSide::kBoth;
  if (!command_waiting_.load(std::memory_order_relaxed)) return Command::kTrain;
  std::unique_lock lock(mutex_);
  for (;;) {
    run_tasks(lock);
    if (pending_hyperparameters_) {
      const LiveHyperparameters values = *pending_hyperparameters_;
      pending_hyperparameters_.reset();
      if (!(values == gan_->hyperparameters())) {
        gan_->set_hyperparameters(values);
        lock.unlock();
        observer.on_hyperparameters(gan_->step(), values);
        lock.lock();
      }
    }
    if (stop_requested_) return Command::kStop;
    if (!paused_ || !single_steps_.empty()) break;
    if (!pause_reported_) {
      // Show everything up to the pause before waiting.
      window_->stop_clock();
      lock.unlock();
      flush(observer);
      observer.on_state(RunState::kPaused, {});
      lock.lock();
      pause_reported_ = true;
      continue;  // commands may have arrived while unlocked
    }
    const auto command = [this] {
      return !paused_ || stop_requested_ || !single_steps_.empty() || pending_hyperparameters_ || !tasks_.empty();
    };
    if (!judge_loader_) {
      wake_.wait(lock, command);
    } else if (!wake_.wait_for(lock, std::chrono::milliseconds(200), command)) {
      // The judge goes on training beside a paused run: its progress, and its arrival, are shown.
      lock.unlock();
      poll_judge(observer);
      lock.lock();
    }
  }
  if (paused_) {
    side = single_steps_.front();  // still paused: the loop lets exactly this step through
    single_steps_.pop_front();
  } else {
    single_steps_.clear();
    if (pause_reported_) {
      // Resumed, perhaps while a single step was still running: the observer hears it either way.
      pause_reported_ = false;
      lock.unlock();
      observer.on_state(RunState::kRunning, {});
      lock.lock();
    }
  }
  command_waiting_ = paused_ || stop_requested_ || pending_hyperparameters_.has_value() || !tasks_.empty();
  window_->start_clock();
  return Command::kTrain;
}

}  // namespace gan
