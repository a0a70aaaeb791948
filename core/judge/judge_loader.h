// Opens a dataset's judge (judge.h) on a thread of its own, so that a run starts at once. A new
// user's first run used to wait about 70 s on a 2-core CPU, window empty, while the judge trained;
// now step 1 comes at once and the judge's progress is reported beside the run's. Once it is
// cached, later runs load it in about a second.
#pragma once

#include <c10/core/Device.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/config/config.h"
#include "core/judge/classifier.h"

namespace gan {

class Judge;

class JudgeLoader {
 public:
  /// Starts loading, or training and caching, the judge of `data` (Judge::open) at once.
  JudgeLoader(DataConfig data, std::int64_t samples, c10::Device device = c10::Device(c10::kCPU));
  /// Cancels a training still in progress and waits for the thread.
  ~JudgeLoader();
  JudgeLoader(const JudgeLoader&) = delete;
  JudgeLoader& operator=(const JudgeLoader&) = delete;

  /// What happened since the last take(); safe from any thread.
  struct Report {
    std::optional<ClassifierProgress> progress;  ///< the newest, when training moved on
    std::vector<std::string> notes;              ///< for the user (a replaced cache)
    std::unique_ptr<Judge> judge;                ///< once, when it is ready
    std::optional<std::string> error;            ///< once, when there can be no judge
  };
  Report take();

  /// True once the judge is ready or has failed (its Report may still be untaken).
  bool done() const;
  /// Waits up to `seconds` for done() or new progress.
  void wait_for(double seconds);
  /// Waits up to `seconds` for done() alone (progress does not end the wait); returns done().
  bool wait_until_done(double seconds);

  /// How the judge is opened: Judge::open, or in tests a stand-in (one that holds until released,
  /// so that what happens while the judge still trains can be tested by the order of events).
  using Opener = std::function<std::unique_ptr<Judge>(const DataConfig& data, std::int64_t samples,
                                                      const std::function<void(const ClassifierProgress&)>& progress,
                                                      const std::function<void(const std::string&)>& note,
                                                      c10::Device device)>;
  /// For tests: loaders started from now on open with `opener` (empty: Judge::open again).
  static void set_opener_for_tests(Opener opener);

 private:
  void work(const DataConfig& data, std::int64_t samples, c10::Device device);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Report pending_;
  bool done_ = false;
  bool cancelled_ = false;
  std::thread thread_;
};

}  // namespace gan
