// The two networks, their optimizers, the training data on the device, and one training step
// with the semantics of PyTorch-GAN's gan.py. Trainer (trainer.h) drives this from its run loop;
// tests and benchmarks use it directly.
#pragma once


#include <torch/serialize/output-archive.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/io/image.h"
#include "core/model/adam.h"
#include "core/model/cuda_graph.h"
#include "core/model/inside_probe.h"
#include "core/model/model_summary.h"
#include "core/model/probe.h"
#include "core/model/models.h"
#include "core/run/observer.h"

namespace gan {

/// Training cannot start or continue (no CUDA device, diverged, out of memory); the message says why.
class TrainingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The device `choice` resolves to here; kCuda without a usable GPU throws TrainingError.
torch::Device resolve_device(const DeviceChoice& choice);

/// "cpu" or "cuda:N": the id available_devices() and device_status() know it by.
std::string device_id(const torch::Device& device);

/// What the run's manifest and first lines say: "CPU (2 cores)" or "cuda:0 NVIDIA H200 (139.8 GiB)".
/// (device_status in core/model/device.h adds the memory in use, for live displays.)
std::string describe_device(const torch::Device& device);

/// How train_step reaches the device.
enum class StepMode {
  kEager,       ///< each kernel launched from the host, step after step
  kGraph,       ///< the step captured once as a CUDA graph (cuda_graph.h), then replayed
  kUncaptured,  ///< what kGraph captures (fixed buffers, Adam on the device), run without capturing
                ///< it, on any device: how tests and benchmarks compare it with kEager on a CPU, and
                ///< where a kGraph run goes on when its capture cannot be trusted
};

/// How far the first replay of a captured step may be from the same step run uncaptured from the
/// same state, in each of its four numbers: |replay - uncaptured| <= kCaptureAbsoluteTolerance +
/// kCaptureRelativeTolerance * |uncaptured|. The two run the same kernels on the same inputs;
/// beyond this they compute something else, and the run goes on uncaptured.
inline constexpr double kCaptureAbsoluteTolerance = 1e-4;
inline constexpr double kCaptureRelativeTolerance = 1e-3;
const char* to_string(StepMode mode);

/// The mode train.step asks for on `device`: auto is the graph where it is possible, else eager;
/// graph where it is not throws TrainingError saying why.
StepMode resolve_step_mode(StepChoice choice, const torch::Device& device);

/// Thread settings for CPU training (see gan.cpp for the measurement behind them).
void configure_cpu_threads();

/// Digits (0..255, all of one size) as the networks and the judge take them: one row each, in
/// [-1, 1] (ToTensor + Normalize(0.5, 0.5)), on the CPU; Gan::digits turns them back.
/// Throws std::invalid_argument when their sizes differ.
torch::Tensor tanh_images(const std::vector<Image>& digits);

class Gan {
 public:
  /// Seeds LibTorch's global RNG with train.seed, builds the models and optimizers, and moves the
  /// images to the device scaled to [-1, 1] (ToTensor + Normalize(0.5, 0.5)). Needs at least one
  /// full batch of images: the last partial batch of each epoch is dropped so every step has the
  /// same shape.
  /// The step mode comes from train.step unless `mode` is given (tests compare the modes so).
  Gan(const Config& config, const ImageSet& images, std::optional<StepMode> mode = std::nullopt);

  /// One step: a generator update with model.loss's G loss on a fresh noise batch (and, for a
  /// conditional model, fresh labels), then d_steps discriminator updates on the real batch and the
  /// detached fakes (fresh fakes for the second and later updates). Returns [d_loss, g_loss,
  /// mean D(x), mean D(G(z))] (D's outputs before its first update) as a tensor on the device, so
  /// the caller decides when to pay for a host sync. `side` steps one network alone (the
  /// studio's Step D and Step G): kDiscriminator draws the fakes without updating G and reports
  /// G's loss on D's first verdict; kGenerator updates G and reports D's verdicts and loss on the
  /// batch without updating D. Either takes the step's batch and noise as a full step does, and
  /// runs uncaptured in kGraph mode. In kGraph mode the first full step
  /// (and the first after a change of what was captured) captures, and every step replays. A step
  /// that cannot be trusted never sinks the run: when capturing throws, or the first replay's
  /// numbers differ from the same step run uncaptured from the same state (beyond the tolerance
  /// above; checked once per capture, one host sync), that step and every later one run
  /// uncaptured, step_mode() says kUncaptured and step_mode_reason() why.
  torch::Tensor train_step(StepSide side = StepSide::kBoth);
  StepMode step_mode() const { return step_mode_; }

  /// A window of the inside figures (inside_probe.h), closed on the device and not yet read back.
  struct InsideWindow {
    torch::Tensor packed;  // every window's the same size, on the device
    std::int64_t step = 0;
    std::int64_t steps = 0;
  };
  /// Closes the window of the steps since the last close and begins the next, with no host sync;
  /// nullopt when inside.interval is 0 or no step ran since.
  std::optional<InsideWindow> close_inside();
  /// A closed window's figures, from its packed tensor read back to the host.
  InsideRecord unpack_inside(const InsideWindow& window, const torch::Tensor& packed_on_host) const;
  /// close_inside and unpack_inside in one, with a transfer of its own (tests, tools).
  std::optional<InsideRecord> read_inside();
  /// Why the step mode is not what train.step asked for; empty while it is.
  const std::string& step_mode_reason() const { return step_mode_reason_; }

  /// For tests: called with the real batch of each D update as the step draws it (the first the
  /// step's batch, later ones fresh).
  void set_real_batch_probe(std::function<void(const torch::Tensor&)> probe) { real_batch_probe_ = std::move(probe); }

  /// Applies new learning rates, betas and d_steps from the next step on. A captured step takes a
  /// new lr as it is (it reads it on the device); new betas or d_steps are captured anew.
  void set_hyperparameters(const LiveHyperparameters& values);
  const LiveHyperparameters& hyperparameters() const { return hyperparameters_; }

  /// The fixed-noise sample grid, generated in eval mode: sampling.grid squared digits, or for a
  /// conditional model one row per class (row i asks for digit i) of sampling.grid digits, each
  /// column one noise vector, so that a column shows one style written as every digit.
  Image sample_grid();
  /// `count` digits from fresh noise (eval mode), each mapped from [-1, 1] to 0..255. A conditional
  /// model draws `digit` when given, else digits drawn at random, and hands the label asked of each
  /// to `labels` when given; an unconditional one refuses a digit (std::invalid_argument: it cannot
  /// be asked).
  std::vector<Image> generate(std::int64_t count, std::optional<std::int64_t> digit = std::nullopt,
                                  std::vector<std::int64_t>* labels = nullptr);
  /// Starts generate()'s own random numbers (noise, a conditional model's labels) from `seed`:
  /// the same seed, the same digits from the same model (gan-eval --digits --seed).
  void seed_exports(std::uint64_t seed);
  /// Checks that `digit` can be asked of this model; throws std::invalid_argument saying why not.
  void check_digit(std::int64_t digit) const;

  /// G's images (count x image_size, in [-1, 1], on the CPU) for a fixed noise batch drawn from
  /// train.seed: what the judge scores, the same latent points every time so that successive scores
  /// show the generator changing rather than the noise. Draws nothing from the training RNG.
  torch::Tensor evaluation_images(std::int64_t count);
  /// The classes evaluation_images(count) asked for (i mod classes, so every class alike), as
  /// CPU longs; undefined for an unconditional model.
  torch::Tensor evaluation_labels(std::int64_t count) const;
  /// Rows of a CPU image tensor in [-1, 1] as 8-bit digits.
  std::vector<Image> digits(const torch::Tensor& images) const;

  /// `frames` digits along the great circle between two latent points drawn from `seed`
  /// (spherical interpolation: noise vectors live near a sphere, straight lines cut inside it).
  /// A conditional model draws `digit` all along (given, or drawn from `seed`).
  std::vector<Image> interpolate(std::int64_t frames, std::uint64_t seed,
                                     std::optional<std::int64_t> digit = std::nullopt);

  /// Both networks block by block (model_summary.h): shapes, parameter counts, the weight
  /// histograms `scope` asks for, and each block's activations on the sample grid's fixed noise,
  /// in eval mode. Draws nothing from the training RNG and changes nothing: training goes on as if
  /// it had not been asked.
  ModelSummary summarize(const SummaryScope& scope = {});

  /// What D says of `image` (this model's size, 0..255 as the sample grid's digits): in eval mode,
  /// as the grid is drawn (batch norm on its running statistics, no dropout), one output, or one
  /// per label for a conditional D. Throws std::invalid_argument when the image is of another size.
  /// Draws nothing from the training RNG and changes nothing.
  Verdict ask_discriminator(const Image& image);

  /// The latent point of sample-grid cell `index` (row-major): its fixed noise, and a conditional
  /// model's digit. Throws std::out_of_range for a cell the grid does not have.
  LatentPoint grid_latent(std::int64_t index) const;
  /// The sample grid's digits one by one, as G draws them (the grid itself stretches the whole
  /// batch's range to black..white, as torchvision's make_grid does).
  std::vector<Image> grid_digits();
  /// `count` unit directions through the latent space at `point` (probe.h), orthonormal, most
  /// sensitive first for kSensitive; kRandom's come from `seed`. G's Jacobian at the point is
  /// measured by central differences in one batch (2 x latent_dim digits, eval mode).
  std::vector<LatentDirection> latent_directions(const LatentPoint& point, std::int64_t count, LatentDirections kind,
                                                 std::uint64_t seed = 0);
  /// G's digit at each point, in eval mode; a point with a grid_index is drawn in the grid's batch
  /// (the grid's noise with that cell's replaced). Throws std::invalid_argument for a z of
  /// another length or a label the model does not draw. Draws nothing from the training RNG.
  std::vector<Image> draw_latent(const std::vector<LatentPoint>& points);

  /// Writes both networks' weights to one LibTorch archive, atomically.
  void save_models(const std::filesystem::path& path, Replace replace = Replace::kRefused) const;

  /// Writes a checkpoint (checkpoint.h) atomically: continuing from it gives the same steps, on
  /// CPU to the last bit, as never having stopped.
  void save_checkpoint(const std::filesystem::path& path) const;
  /// How a checkpoint is used: to continue its run (the config must match but for where the data
  /// lives and which device trains), or to fork a new run from it (the optimizers, d_steps, epochs,
  /// seed, sampling and checkpoint settings may differ too; the model, data and batch may not).
  enum class CheckpointUse { kResume, kFork };
  /// Restores a checkpoint (from any device). Everything is read and checked before anything
  /// changes: on CheckpointError this Gan is as it was. Forking keeps this Gan's config.
  void load_checkpoint(const std::filesystem::path& path, CheckpointUse use = CheckpointUse::kResume);

  std::int64_t step() const { return step_; }
  std::int64_t epoch() const { return step_ / steps_per_epoch_; }
  std::int64_t steps_per_epoch() const { return steps_per_epoch_; }
  const torch::Device& device() const { return device_; }
  const Config& config() const { return config_; }
  bool conditional() const { return config_.model.conditional; }
  /// Classes the labels take (the dataset's largest label + 1); what a conditional model can draw.
  std::int64_t classes() const { return shape_.classes; }
  /// What the networks were built for: the images' channels and sides, and the classes.
  const DataShape& shape() const { return shape_; }

  Generator& generator() { return generator_; }
  Discriminator& discriminator() { return discriminator_; }
  Adam& generator_optimizer() { return *generator_optimizer_; }
  Adam& discriminator_optimizer() { return *discriminator_optimizer_; }

 private:
  /// The indices of the next real batch in images_ (shuffling at the start of an epoch).
  torch::Tensor next_batch_indices();
  /// Draws the epoch's shuffle on the device, into permutation_ (the buffer a capture reads).
  void shuffle();
  /// Everything a step changes (weights, buffers, Adam's state, the batch position, the device's
  /// random generator), copied so that it can be put back.
  struct Snapshot {
    std::vector<torch::Tensor> live, kept;
    at::Generator rng;
    torch::Tensor rng_state;
    void restore();
  };
  Snapshot snapshot();
  torch::Tensor eager_step(StepSide side);
  /// kGraph and kUncaptured: positions the batch, then replays, captures or runs the fixed-buffer step.
  torch::Tensor buffered_step(StepSide side);
  /// The step's arithmetic, shared by every mode: a G update on `fresh_noise()`, then d_steps D
  /// updates (the second and later on fakes from fresh noise again), or one side of them (train_step).
  /// Returns the four numbers.
  torch::Tensor updates(const torch::Tensor& real, const torch::Tensor& real_labels,
                        const std::function<torch::Tensor()>& fresh_noise, StepSide side = StepSide::kBoth);
  /// The real images' labels at `indices` for a conditional model, else undefined.
  torch::Tensor labels_at(const torch::Tensor& indices) const;
  /// Labels for a batch of fakes: drawn uniformly on the device for a conditional model, else undefined.
  torch::Tensor fresh_labels(std::int64_t count) const;
  /// kGraph and kUncaptured: one step from and into fixed buffers, nothing read back to the host.
  void fixed_buffer_step(StepSide side = StepSide::kBoth);
  void capture_step();
  /// kGraph's first step: captures, and checks the first replay against the step run uncaptured
  /// from the same state; falls back to kUncaptured when either fails (train_step).
  void capture_checked_step();
  /// G's images for latent points `z` and `labels` (any device; labels undefined for an
  /// unconditional model), in eval mode, as a contiguous CPU tensor.
  torch::Tensor render(const torch::Tensor& z, const torch::Tensor& labels = {});
  /// What G's layers take for latent points `z` (rows, on the device) at `point`'s label and
  /// morph: z itself, or a conditional model's label embedding (mixed) joined in front. Checks the
  /// point (std::invalid_argument).
  torch::Tensor latent_input(const torch::Tensor& z, const LatentPoint& point);
  void write_networks(torch::serialize::OutputArchive& archive) const;
  torch::Tensor noise(std::int64_t count) const;

  Config config_;
  torch::Device device_;
  DataShape shape_;
  at::Generator export_rng_;  // noise for generate(), apart from the training RNG
  // Built in the constructor's body, after the RNG is seeded.
  Generator generator_{nullptr};
  Discriminator discriminator_{nullptr};
  std::unique_ptr<Adam> generator_optimizer_;
  std::unique_ptr<Adam> discriminator_optimizer_;
  LiveHyperparameters hyperparameters_;

  torch::Tensor images_;       // count x image_size, float in [-1, 1], on device_
  torch::Tensor labels_;       // count longs, on device_; only for a conditional model
  torch::Tensor permutation_;  // this epoch's shuffled image indices, on device_
  torch::Tensor fixed_noise_;  // grid^2 x latent_dim (conditional: classes x grid)
  torch::Tensor fixed_labels_; // conditional: row i of the grid asks for digit i
  torch::Tensor evaluation_noise_;  // quality.samples x latent_dim, made on first use
  std::int64_t steps_per_epoch_;
  std::int64_t step_ = 0;

  bool discriminator_batch_norm_ = false;  // D has batch statistics: real and fake go through it apart
  StepMode step_mode_ = StepMode::kEager;
  // kGraph and kUncaptured: what the step reads and writes, allocated once.
  torch::Tensor noise_;      // batch x latent_dim, redrawn in place inside the step
  torch::Tensor position_;   // 0-dim long: where the next batch starts in permutation_
  torch::Tensor offsets_;    // 0 .. batch-1
  torch::Tensor stats_;      // [d_loss, g_loss, mean D(x), mean D(G(z))] of the latest step
  bool reposition_ = true;   // position_ must be set from step_ before the next step
  std::unique_ptr<StepCapture> graph_ = make_step_capture();
  std::string step_mode_reason_;
  std::function<void(const torch::Tensor&)> real_batch_probe_;
  std::unique_ptr<InsideProbe> inside_;  // null when inside.interval is 0
  std::int64_t inside_steps_ = 0;        // steps in its window so far
};

}  // namespace gan
