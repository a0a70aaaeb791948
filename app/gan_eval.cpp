// gan-eval: scores a checkpoint, a run folder or a folder of PNG digits with the MNIST judge; draws
// digits from a checkpoint, finds a digit's nearest training images, or exports a generator.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/export/generator_export.h"
#include "core/training/evaluation.h"
#include "device_option.h"
#include "json_output.h"

namespace {

constexpr int kBadInput = 2;

void print_json(const gan::Evaluation& e) {
  const gan::QualityRecord& q = e.quality;
  nlohmann::ordered_json report;
  report["source"] = e.source;
  report["step"] = e.step;
  report["samples"] = q.samples;
  gan::app::put_number(report, "inception_score", q.inception_score);
  gan::app::put_number(report, "fid_mnist", q.fid);
  gan::app::put_numbers(report, "class_histogram", q.class_histogram);
  gan::app::put_number(report, "mean_confidence", q.mean_confidence);
  if (q.conditional_accuracy) {
    gan::app::put_number(report, "conditional_accuracy", *q.conditional_accuracy);
    gan::app::put_numbers(report, "class_confidence", q.class_confidence);
  }
  if (q.memorised) gan::app::put_number(report, "memorised", *q.memorised);
  nlohmann::ordered_json reference;
  reference["dataset"] = e.reference.dataset;
  gan::app::put_number(reference, "judge_test_accuracy", e.reference.test_accuracy);
  gan::app::put_number(reference, "inception_score", e.reference.inception_score);
  gan::app::put_number(reference, "fid_mnist", e.reference.fid);
  if (e.reference.memorised >= 0) gan::app::put_number(reference, "memorised", e.reference.memorised);
  report["reference"] = reference;
  std::printf("%s\n", gan::app::json_line(report).c_str());
}

void print_table(const gan::Evaluation& e) {
  const gan::QualityRecord& q = e.quality;
  const gan::JudgeReference& r = e.reference;
  std::printf("%s\n", e.source.c_str());
  std::printf("judge: %s classifier, %.2f%% right on the test set\n\n", r.dataset.c_str(), r.test_accuracy * 100);
  std::printf("                      generated   real data\n");
  std::printf("Inception Score       %9.3f   %9.3f   (1 = one class .. %lld = every class, sharply)\n",
              q.inception_score, r.inception_score, static_cast<long long>(q.class_histogram.size()));
  std::printf("FID-MNIST             %9.3f   %9.3f   (0 = the test set's feature statistics)\n", q.fid, r.fid);
  std::printf("mean confidence       %9.3f\n", q.mean_confidence);
  if (q.memorised && r.memorised >= 0) {
    std::printf("memorised             %9.3f   %9.3f   (share nearer a training digit than unseen real digits are)\n",
                *q.memorised, r.memorised);
  }
  if (q.conditional_accuracy) {
    std::printf("conditional accuracy  %9.3f               (share drawn as the digit asked for)\n", *q.conditional_accuracy);
  }
  std::printf("\nclass histogram of %lld samples (real data: 10%% each):\n", static_cast<long long>(q.samples));
  for (std::size_t c = 0; c < q.class_histogram.size(); ++c) {
    const double share = q.class_histogram[c];
    std::printf("  %zu  %5.1f%%  %s\n", c, share * 100, std::string(static_cast<std::size_t>(share * 100 + 0.5), '#').c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Score generated digits with the MNIST judge: Inception Score, FID-MNIST, class histogram, confidence "
               "(and a conditional model's conditional accuracy); or, with --digits, draw digits from a checkpoint.",
               "gan-eval"};
  cli.set_version_flag("--version", "gan-eval " GAN_VERSION);
  std::string path;
  bool json = false;
  gan::EvaluationOptions options;
  std::string device = "auto";
  cli.add_option("path", path,
                 "A checkpoint (.pt), a run folder (its newest checkpoint) or a folder of PNG digits; with "
                 "--neighbours, the run or checkpoint whose training set to search")
      ->required();
  cli.add_flag("--json", json, "Print one JSON object (keys inception_score, fid_mnist, class_histogram, mean_confidence, ...)");
  cli.add_option("--samples", options.samples, "Digits to generate from a checkpoint")
      ->capture_default_str()
      ->check(CLI::Range(100, 100000));
  cli.add_option("--dataset", options.dataset, "The judge for a folder of PNG digits")
      ->capture_default_str()
      ->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  std::string digits_folder;
  gan::DigitsOptions digits;
  std::int64_t digit = -1;
  cli.add_option("--digits", digits_folder,
                 "Instead of scoring, draw digits from the checkpoint into this folder (digit_STEP_NNNN.png)")
      ->check(CLI::ExistingDirectory);
  cli.add_option("--count", digits.count, "Digits to draw with --digits")->capture_default_str()->check(CLI::Range(1, 100000));
  cli.add_option("--digit", digit, "With --digits: the digit a conditional model draws (default: every digit at random)")
      ->check(CLI::Range(0, 255));
  std::uint64_t seed = 0;
  auto* seed_option = cli.add_option("--seed", seed,
                                     "With --digits: draw them with these random numbers (default: the checkpoint's own; "
                                     "either way the same digits every time)");
  std::string neighbours_image;
  gan::NeighboursOptions neighbours;
  std::string space = "features";
  std::string strip;
  cli.add_option("--neighbours", neighbours_image,
                 "Instead of scoring, list the training images nearest this PNG digit (path: the run or checkpoint "
                 "whose training set to search) and write them as a strip")
      ->check(CLI::ExistingFile);
  cli.add_option("--space", space, "With --neighbours: nearness in the judge's features or in pixels")
      ->capture_default_str()
      ->check(CLI::IsMember({"features", "pixels"}));
  cli.add_option("--nearest", neighbours.count, "With --neighbours: how many")->capture_default_str()->check(CLI::Range(1, 1000));
  cli.add_option("--out", strip,
                 "With --neighbours: the strip's file (default: IMAGE's name with -neighbours.png, beside it); with "
                 "--export-generator: the new folder to export into");
  std::string export_format;
  bool replace = false;
  cli.add_option("--export-generator", export_format,
                 "Instead of scoring, export the checkpoint's generator into the new folder --out: pytorch (generator.pt, "
                 "a state dict torch.load reads, and generator.py), onnx (generator.onnx), or web (a page that draws in "
                 "the browser)")
      ->check(CLI::IsMember({"pytorch", "onnx", "web"}));
  cli.add_flag("--replace", replace, "With --export-generator: replace the folder --out if it exists");
  cli.add_option("--device", device, "Where a checkpoint's generator runs")
      ->capture_default_str()
      ->check(gan::app::device_validator());
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kBadInput;
  }
  options.device = *gan::DeviceChoice::parse(device);  // the validator let only good spellings through
  if (!export_format.empty()) {
    if (!neighbours_image.empty() || !digits_folder.empty()) {
      std::fprintf(stderr, "gan-eval: --export-generator, --neighbours and --digits are different tasks; give one\n");
      return kBadInput;
    }
    if (strip.empty()) {
      std::fprintf(stderr, "gan-eval: --export-generator needs --out FOLDER, the new folder to export into\n");
      return kBadInput;
    }
    try {
      const gan::ExportedGenerator exported = gan::export_generator(
          path, *gan::parse_export_format(export_format), strip, replace ? gan::Replace::kAllowed : gan::Replace::kRefused);
      if (json) {
        nlohmann::ordered_json report;
        report["folder"] = exported.folder.string();
        report["format"] = export_format;
        report["files"] = exported.files;
        report["about"] = exported.about;
        std::printf("%s\n", gan::app::json_line(report).c_str());
      } else {
        std::printf("%s\nexported to %s:\n", exported.about.c_str(), exported.folder.string().c_str());
        for (const auto& file : exported.files) std::printf("  %s\n", file.c_str());
        std::printf("its README.md says how to use it\n");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-eval: %s\n", e.what());
      return kBadInput;
    }
    return 0;
  }
  if (replace) {
    std::fprintf(stderr, "gan-eval: --replace goes with --export-generator\n");
    return kBadInput;
  }
  if (!neighbours_image.empty()) {
    if (!digits_folder.empty()) {
      std::fprintf(stderr, "gan-eval: --neighbours and --digits are two different tasks; give one\n");
      return kBadInput;
    }
    neighbours.device = options.device;
    neighbours.space = space == "pixels" ? gan::NeighbourSpace::kPixels : gan::NeighbourSpace::kFeatures;
    std::filesystem::path out = strip;
    if (out.empty()) {
      const std::filesystem::path image(neighbours_image);
      out = image.parent_path() / (image.stem().string() + "-neighbours.png");
    }
    try {
      const gan::NeighboursFound found = gan::find_neighbours(neighbours_image, path, neighbours, out, [](const std::string& m) {
        std::fprintf(stderr, "%s\n", m.c_str());
      });
      if (json) {
        nlohmann::ordered_json report;
        report["image"] = neighbours_image;
        report["dataset"] = found.dataset;
        report["space"] = space;
        report["indices"] = found.view.indices;
        gan::app::put_numbers(report, "distances", found.view.distances);
        report["strip"] = out.string();
        std::printf("%s\n", gan::app::json_line(report).c_str());
      } else {
        std::printf("training images of %s nearest %s (%s space):\n", found.dataset.c_str(), neighbours_image.c_str(),
                    space.c_str());
        std::printf("  rank   index   distance\n");
        for (std::size_t i = 0; i < found.view.indices.size(); ++i) {
          std::printf("  %4zu  %6lld  %9.4f\n", i + 1, static_cast<long long>(found.view.indices[i]), found.view.distances[i]);
        }
        std::printf("strip (the image, then the nearest first): %s\n", out.string().c_str());
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-eval: %s\n", e.what());
      return kBadInput;
    }
    return 0;
  }
  if (!digits_folder.empty()) {
    digits.device = options.device;
    if (digit >= 0) digits.digit = digit;
    if (seed_option->count() > 0) digits.seed = seed;
    try {
      const auto files = gan::export_digits(path, digits_folder, digits);
      const bool labelled = !files.empty() && files.back().filename() == "labels.csv";
      std::printf("%zu digits written to %s%s\n", files.size() - (labelled ? 1 : 0), digits_folder.c_str(),
                  labelled ? ", the digit each was asked to be in labels.csv" : "");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-eval: %s\n", e.what());
      return kBadInput;
    }
    return 0;
  }
  if (digit >= 0) {
    std::fprintf(stderr, "gan-eval: --digit draws digits with --digits FOLDER; scoring uses every digit\n");
    return kBadInput;
  }
  if (seed_option->count() > 0) {
    std::fprintf(stderr, "gan-eval: --seed draws digits with --digits FOLDER; scoring uses the run's fixed evaluation noise\n");
    return kBadInput;
  }
  try {
    const gan::Evaluation evaluation =
        gan::evaluate_path(path, options, [](const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); });
    json ? print_json(evaluation) : print_table(evaluation);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-eval: %s\n", e.what());
    return kBadInput;
  }
  return 0;
}
