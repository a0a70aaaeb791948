// Makes a GoogleTest program hermetic before any test runs: HOME and the XDG folders point at its
// own home in the build tree (tests/CMakeLists.txt, gan_gtest_home), whose judges folder is the
// build tree's shared one. Programs the tests start (gan-train, gan-eval) inherit it. MNIST is read
// from where the setup put it.
//
// It also says when every test that ran was skipped (a GPU's tests on a CPU): ctest runs a whole
// suite as one test (tests/gtest_suites.cmake) and reports it skipped on that line alone, which a
// suite with a failure or a pass never prints.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const bool kHermetic = [] {
  const std::string home = GAN_TEST_HOME;
  ::setenv("HOME", home.c_str(), 1);
  ::setenv("XDG_DATA_HOME", (home + "/data").c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (home + "/config").c_str(), 1);
  ::setenv("XDG_CACHE_HOME", (home + "/cache").c_str(), 1);
  ::setenv("GAN_DATA_DIR", GAN_TEST_MNIST_DIR, /*overwrite=*/0);  // a test may name another
  return true;
}();

class EveryTestSkipped : public ::testing::EmptyTestEventListener {
  void OnTestProgramEnd(const ::testing::UnitTest& unit) override {
    if (unit.skipped_test_count() > 0 && unit.successful_test_count() == 0 && unit.failed_test_count() == 0) {
      std::printf("gan-test: every test skipped\n");
    }
  }
};

const bool kSaysWhenEveryTestSkipped = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new EveryTestSkipped);  // gtest owns it
  return true;
}();

}  // namespace
