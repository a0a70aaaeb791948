// gan-eval: scores a checkpoint, a run folder or a folder of PNG digits with the MNIST judge.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "core/evaluation.h"

namespace {

constexpr int kBadInput = 2;

std::string json_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void print_json(const gan::Evaluation& e) {
  const gan::QualityRecord& q = e.quality;
  std::string histogram;
  for (std::size_t c = 0; c < q.class_histogram.size(); ++c) {
    histogram += (c > 0 ? ", " : "") + json_number(q.class_histogram[c]);
  }
  std::printf(
      "{\"source\": %s, \"step\": %lld, \"samples\": %lld, \"inception_score\": %s, \"fid_mnist\": %s, "
      "\"class_histogram\": [%s], \"mean_confidence\": %s, \"reference\": {\"dataset\": %s, \"judge_test_accuracy\": %s, "
      "\"inception_score\": %s, \"fid_mnist\": %s}}\n",
      json_string(e.source).c_str(), static_cast<long long>(e.step), static_cast<long long>(q.samples),
      json_number(q.inception_score).c_str(), json_number(q.fid).c_str(), histogram.c_str(),
      json_number(q.mean_confidence).c_str(), json_string(e.reference.dataset).c_str(),
      json_number(e.reference.test_accuracy).c_str(), json_number(e.reference.inception_score).c_str(),
      json_number(e.reference.fid).c_str());
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
  std::printf("\nclass histogram of %lld samples (real data: 10%% each):\n", static_cast<long long>(q.samples));
  for (std::size_t c = 0; c < q.class_histogram.size(); ++c) {
    const double share = q.class_histogram[c];
    std::printf("  %zu  %5.1f%%  %s\n", c, share * 100, std::string(static_cast<std::size_t>(share * 100 + 0.5), '#').c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Score generated digits with the MNIST judge: Inception Score, FID-MNIST, class histogram, confidence.",
               "gan-eval"};
  cli.set_version_flag("--version", "gan-eval " GAN_VERSION);
  std::string path;
  bool json = false;
  gan::EvaluationOptions options;
  std::string device = "auto";
  cli.add_option("path", path, "A checkpoint (.pt), a run folder (its newest checkpoint) or a folder of PNG digits")
      ->required();
  cli.add_flag("--json", json, "Print one JSON object (keys inception_score, fid_mnist, class_histogram, mean_confidence, ...)");
  cli.add_option("--samples", options.samples, "Digits to generate from a checkpoint")
      ->capture_default_str()
      ->check(CLI::Range(100, 100000));
  cli.add_option("--dataset", options.dataset, "The judge for a folder of PNG digits")
      ->capture_default_str()
      ->check(CLI::IsMember({"mnist", "fashion-mnist"}));
  cli.add_option("--device", device, "Where a checkpoint's generator runs")
      ->capture_default_str()
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kBadInput;
  }
  options.device = device == "cpu" ? gan::DeviceChoice::kCpu
                   : device == "cuda" ? gan::DeviceChoice::kCuda
                                      : gan::DeviceChoice::kAuto;
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
