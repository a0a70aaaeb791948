// Makes a GoogleTest program hermetic before any test runs: HOME and the XDG folders point at its
// own home in the build tree (tests/CMakeLists.txt, gan_gtest_home), whose judges folder is the
// build tree's shared one. Programs the tests start (gan-train, gan-eval) inherit it. MNIST is read
// from where the setup put it.
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

}  // namespace
