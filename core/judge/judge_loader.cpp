#include "core/judge/judge_loader.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "core/judge/judge.h"

namespace gan {
namespace {

JudgeLoader::Opener& opener_for_tests() {
  static JudgeLoader::Opener opener;
  return opener;
}

}  // namespace

void JudgeLoader::set_opener_for_tests(Opener opener) { opener_for_tests() = std::move(opener); }

JudgeLoader::JudgeLoader(DataConfig data, std::int64_t samples, c10::Device device)
    : thread_([this, data = std::move(data), samples, device] { work(data, samples, device); }) {}

JudgeLoader::~JudgeLoader() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  thread_.join();
}

void JudgeLoader::work(const DataConfig& data, std::int64_t samples, c10::Device device) {
  // The run comes first: on a 2-core CPU the judge takes what the training step leaves. Linux
  // applies nice per thread; the OpenMP threads this thread starts inherit it (OpenBLAS's pool,
  // shared with the run, does not).
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
  auto progress = [this](const ClassifierProgress& p) {
    std::lock_guard lock(mutex_);
    if (cancelled_) throw ClassifierTrainingCancelled{};
    pending_.progress = p;
    changed_.notify_all();
  };
  auto note = [this](const std::string& text) {
    std::lock_guard lock(mutex_);
    pending_.notes.push_back(text);
  };
  std::unique_ptr<Judge> judge;
  std::optional<std::string> error;
  try {
    judge = opener_for_tests() ? opener_for_tests()(data, samples, progress, note, device)
                               : Judge::open(data, samples, progress, note, device);
  } catch (const ClassifierTrainingCancelled&) {
    error = "cancelled";
  } catch (const std::exception& e) {
    error = e.what();
  }
  std::lock_guard lock(mutex_);
  pending_.judge = std::move(judge);
  pending_.error = std::move(error);
  done_ = true;
  changed_.notify_all();
}

JudgeLoader::Report JudgeLoader::take() {
  std::lock_guard lock(mutex_);
  Report report = std::move(pending_);
  pending_ = Report{};
  return report;
}

bool JudgeLoader::done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

bool JudgeLoader::wait_until_done(double seconds) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; });
}

void JudgeLoader::wait_for(double seconds) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_ || pending_.progress.has_value(); });
}

}  // namespace gan
