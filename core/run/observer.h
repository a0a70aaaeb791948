// What the trainer reports while it runs. Torch-free, so that the UI and the CLI can consume
// progress without compiling LibTorch headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/io/image.h"

namespace gan {

/// Which network a step updates: both (every step of a run), or one alone — the studio's Step D
/// and Step G, taken by hand while paused to see what each side does to the other.
enum class StepSide { kBoth, kDiscriminator, kGenerator };
/// "both", "discriminator" or "generator": how events.csv names it.
const char* to_string(StepSide side);
/// The side `text` names (to_string's words); nullopt for any other text.
std::optional<StepSide> step_side_from_string(const std::string& text);

/// One training step's numbers, read back from the device in batches.
struct StepRecord {
  std::int64_t step = 0;   ///< 1-based index of the step within the run
  std::int64_t epoch = 0;  ///< 0-based epoch the step belongs to
  float d_loss = 0;        ///< D's loss (model.loss; bce: (BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2)
  float g_loss = 0;        ///< G's loss (bce: BCE(D(G(z)), 1), the non-saturating loss)
  float d_real = 0;        ///< mean D(x) on the real batch (bce: a probability; else a raw score)
  float d_fake = 0;        ///< mean D(G(z)) on the fake batch, before the D update
  double seconds = 0;      ///< wall time since the run started, when the step was issued
  StepSide side = StepSide::kBoth;  ///< a step of one side alone updated only that network
};

struct Progress {
  std::int64_t step = 0;             ///< steps completed
  std::int64_t total_steps = 0;      ///< steps the run will take (epochs x steps per epoch, or --max-steps)
  std::int64_t epoch = 0;            ///< 0-based current epoch
  std::int64_t epochs = 0;
  std::int64_t steps_per_epoch = 0;
  double steps_per_second = 0;       ///< over the last reporting window
  double elapsed_seconds = 0;

  double eta_seconds() const {
    return steps_per_second > 0 ? static_cast<double>(total_steps - step) / steps_per_second : 0.0;
  }
};

/// D's outputs over a window of steps, counted in equal bins from `low` to `high` (values outside
/// are counted in the end bins; `min` and `max` say how far they went).
struct VerdictHistogram {
  double low = 0;
  double high = 1;
  double min = 0;  ///< the smallest output seen (equal to max when none was)
  double max = 0;
  std::vector<double> counts;

  double total() const;
  /// The mean of the values counted, each at its bin's centre (0 when none was).
  double mean() const;
  /// The bin holding `value` (the end bins take what lies outside).
  std::size_t bin_of(double value) const;
};

/// One parameter tensor of G or D over a window of steps.
struct ParameterFigures {
  std::string network;            ///< "G" or "D"
  std::string name;               ///< as the network names it: "layers.0.weight"
  double gradient_norm = 0;       ///< its gradient's L2 norm, mean over the window's updates
  double gradient_norm_max = 0;   ///< the largest of those norms
  double weight_norm = 0;         ///< the tensor's L2 norm at the window's end
  double update_ratio = 0;        ///< |w after - w before| / the larger of their norms, for the window's first step
};

/// What the inside view shows of a window of `steps` steps ending at `step` (config inside.interval):
/// D's verdicts on the real and on the fake batches (the outputs its loss takes, before its first
/// update of each step, as mean D(x) and D(G(z)) are), and every parameter tensor's figures.
struct InsideRecord {
  std::int64_t step = 0;
  std::int64_t steps = 0;
  bool probabilities = true;  ///< the verdicts are probabilities (bce); else raw scores
  VerdictHistogram real;
  VerdictHistogram fake;
  std::vector<ParameterFigures> parameters;  ///< G's in the network's order, then D's
};

/// Static facts about a run, known once the models are built.
struct RunInfo {
  std::string device;                 ///< "CPU (2 cores)" or the GPU (describe_device)
  std::string device_id;              ///< "cpu" or "cuda:N" (core/model/device.h)
  std::string step_mode;              ///< "eager", "graph" or "uncaptured" (gan.h StepMode)
  std::string dataset;                ///< ImageSet::description
  std::int64_t generator_parameters = 0;
  std::int64_t discriminator_parameters = 0;
  std::int64_t steps_per_epoch = 0;
  std::int64_t total_steps = 0;
  std::int64_t image_rows = 0;
  std::int64_t image_cols = 0;
};

/// The hyperparameters that may change while training runs.
struct LiveHyperparameters {
  AdamConfig generator;
  AdamConfig discriminator;
  std::int64_t d_steps = 1;

  friend bool operator==(const LiveHyperparameters& a, const LiveHyperparameters& b) {
    auto same = [](const AdamConfig& x, const AdamConfig& y) {
      return x.lr == y.lr && x.beta1 == y.beta1 && x.beta2 == y.beta2;
    };
    return same(a.generator, b.generator) && same(a.discriminator, b.discriminator) && a.d_steps == b.d_steps;
  }
};

/// Sample quality of a batch of generated images, as the judge (judge.h) scores it.
struct QualityRecord {
  std::int64_t step = 0;          ///< after this many training steps
  std::int64_t samples = 0;       ///< images scored
  double inception_score = 0;     ///< 1 (one class, or no confidence) .. number of classes
  double fid = 0;                 ///< Fréchet distance of the judge's features to the real test set
  double mean_confidence = 0;     ///< mean of each image's highest class probability
  std::vector<double> class_histogram;  ///< share of images per most likely class
  /// A conditional model's samples ask for a digit each (every class alike): the share the judge
  /// classifies as the digit asked for. Absent for an unconditional model.
  std::optional<double> conditional_accuracy;
  /// A conditional model: per class asked for, the judge's mean probability of that class.
  std::vector<double> class_confidence;
  /// The share of the samples (the first 500 scored) nearer their nearest training image (judge
  /// features) than a typical unseen real digit is (neighbours.h): about JudgeReference::memorised
  /// for a generator that draws new digits, near 1 for one that copies. Absent in files written
  /// before it existed.
  std::optional<double> memorised;
};

/// What real data scores with the judge: the line a generator is measured against.
struct JudgeReference {
  std::string dataset;             ///< "mnist", "fashion-mnist", "idx"
  double test_accuracy = 0;        ///< of the judge on the test set, 0..1
  double inception_score = 0;      ///< of the real test set
  double fid = 0;                  ///< real training images vs the real test set, at the same sample size
  std::int64_t classes = 0;
  double memorised = -1;           ///< the memorisation figure of unseen real digits (about 0.5); -1: none
};

/// The judge being trained beside the run (once per dataset; then it is cached).
struct JudgeTraining {
  std::string dataset;  ///< "MNIST"
  double fraction = 0;  ///< of its training done, 0..1
};

/// Something is wrong with the run; the trainer paused it (or it failed) and says why.
struct Alarm {
  enum class Kind { kNonFinite, kDiscriminatorWins, kModeCollapse, kVanishingGradients, kExplodingGradients };
  Kind kind = Kind::kNonFinite;
  std::int64_t step = 0;            ///< when it fired
  std::int64_t since_step = 0;      ///< when the trouble began (the start of the sustained window)
  std::string message;              ///< for a person: what happened and what to try
  std::string rollback_checkpoint;  ///< the newest checkpoint from before the trouble; empty if none
};
const char* to_string(Alarm::Kind kind);

enum class RunState { kRunning, kPaused, kFinished, kStopped, kFailed };
const char* to_string(RunState state);

/// Receives progress on the training thread. Implementations must be quick (copy and hand off):
/// the trainer waits for them.
class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void on_started(const RunInfo& /*info*/) {}
  /// A batch of steps read back from the device, oldest first, with the progress after them.
  virtual void on_steps(const std::vector<StepRecord>& /*steps*/, const Progress& /*progress*/) {}
  /// The fixed-noise sample grid after `step` steps (step 0: before training).
  virtual void on_sample(std::int64_t /*step*/, const Image& /*grid*/) {}
  /// New hyperparameters took effect before step `step` + 1.
  virtual void on_hyperparameters(std::int64_t /*step*/, const LiveHyperparameters& /*values*/) {}
  /// A checkpoint of the state after `step` steps was written to `path`.
  virtual void on_checkpoint(std::int64_t /*step*/, const std::string& /*path*/) {}
  /// The run paused, resumed, ended or failed; `message` explains failures.
  virtual void on_state(RunState /*state*/, const std::string& /*message*/) {}
  /// The judge trains beside the run: how far it has come. on_judge follows when it is ready.
  virtual void on_judge_training(const JudgeTraining& /*training*/) {}
  /// The judge is ready (loaded or trained); quality records follow.
  virtual void on_judge(const JudgeReference& /*reference*/) {}
  /// There will be no judge for this run (a folder without class subfolders has no labels to learn,
  /// or opening it failed): no quality records follow; `reason` says why.
  virtual void on_judge_unavailable(const std::string& /*reason*/) {}
  /// Sample quality after `record.step` steps; arrives before the step's own StepRecord.
  virtual void on_quality(const QualityRecord& /*record*/) {}
  /// An alarm fired; when the run can go on, it is paused (on_state follows).
  virtual void on_alarm(const Alarm& /*alarm*/) {}
  /// A note for the user about something slow or unusual (training the judge, a replaced cache).
  virtual void on_message(const std::string& /*message*/) {}
  /// From step `step` + 1 on, the steps run in `mode` (gan.h StepMode: a captured step that could
  /// not be trusted falls back to "uncaptured"); `reason` says why.
  virtual void on_step_mode(std::int64_t /*step*/, const std::string& /*mode*/, const std::string& /*reason*/) {}
  /// The inside figures of a window, after the on_steps that reported its last step.
  virtual void on_inside(const InsideRecord& /*record*/) {}
};

/// Forwards every call to several observers in order.
class ObserverFanOut : public TrainingObserver {
 public:
  explicit ObserverFanOut(std::vector<TrainingObserver*> targets) : targets_(std::move(targets)) {}
  void on_started(const RunInfo& info) override;
  void on_steps(const std::vector<StepRecord>& steps, const Progress& progress) override;
  void on_sample(std::int64_t step, const Image& grid) override;
  void on_hyperparameters(std::int64_t step, const LiveHyperparameters& values) override;
  void on_checkpoint(std::int64_t step, const std::string& path) override;
  void on_state(RunState state, const std::string& message) override;
  void on_judge_training(const JudgeTraining& training) override;
  void on_judge(const JudgeReference& reference) override;
  void on_judge_unavailable(const std::string& reason) override;
  void on_quality(const QualityRecord& record) override;
  void on_alarm(const Alarm& alarm) override;
  void on_message(const std::string& message) override;
  void on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) override;
  void on_inside(const InsideRecord& record) override;

 private:
  std::vector<TrainingObserver*> targets_;
};

}  // namespace gan
