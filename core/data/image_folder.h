// A folder of PNG and JPEG pictures as a dataset (data.dataset: folder).
//
// Layout: subfolders are classes, named by their folder names (sorted), the pictures anywhere
// below each; a folder without subfolders holds one unlabelled set. Files are told apart by their
// first bytes, not their names; whatever is not a PNG or JPEG we can decode is listed with the
// reason and skipped. Hidden entries (".name") are ignored. Links to folders below a class folder
// are not followed (so a link loop cannot trap the reader); a class folder may itself be a link.
//
// Decoding happens once: the result is packed into the per-user cache
// ($XDG_CACHE_HOME/gan-studio/folders, else ~/.cache/...), keyed by the folder's listing (every
// file's relative path, size and modification time, as make and rsync tell a change), the size and
// the channels asked for. The next read of an unchanged folder loads that file instead (a second
// for 60,000 pictures). A folder that changes while it is read is used as read, but not cached.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace gan {

/// The user cancelled reading a folder; nothing was cached.
class FolderCancelled : public DataError {
 public:
  using DataError::DataError;
};

struct FolderOptions {
  std::filesystem::path folder;
  /// Side of the square training images, in pixels.
  int size = 28;
  /// 1 or 3; 0: 3 when any picture is stored in colour, else 1.
  int channels = 0;
};

struct SkippedFile {
  /// Relative to the folder.
  std::string path;
  std::string reason;
};

struct FolderProgress {
  std::int64_t done = 0;
  std::int64_t total = 0;
};

/// Called on the reading thread every tenth of a second or so; return false to cancel.
using FolderCallback = std::function<bool(const FolderProgress&)>;

struct FolderImages {
  /// Every picture, classes in name order and files in path order within each; no labels for an
  /// unclassed folder. images.class_names names the classes.
  ImageSet images;
  std::vector<SkippedFile> skipped;
  bool from_cache = false;
  /// Why the result was not cached, when it was not ("" otherwise).
  std::string not_cached;
};

/// Reads `options.folder`, from the cache when it is unchanged. Throws DataError naming the folder
/// when it is missing, unreadable or holds no picture (with the first reasons files were skipped),
/// or when there are more than 256 classes; FolderCancelled when `progress` returns false (it is
/// asked while the folder is listed and the cache read, with total 0, and while decoding).
FolderImages read_image_folder(const FolderOptions& options, const FolderCallback& progress = {});

/// Whether read_image_folder(options) would load from the cache (the folder is listed, not read).
/// False for a folder that cannot be listed: reading it says why. Listing a folder of many
/// thousand files takes a while: `progress` (called with total 0) may cancel it (FolderCancelled).
bool image_folder_cached(const FolderOptions& options, const FolderCallback& progress = {});

/// $XDG_CACHE_HOME/gan-studio/folders, or ~/.cache/gan-studio/folders.
std::filesystem::path folder_cache_folder();

/// Every seventh picture (the 4th, 11th, ...) is held out as a folder's test split, as MNIST holds
/// out 10,000 of 70,000: the judge learns the classes on the rest and is checked on these.
bool in_folder_test_split(std::int64_t index);

/// One line for gan-train and the studio: "61 files skipped: a/b.txt (not a PNG or JPEG file), ...".
std::string skipped_summary(const std::vector<SkippedFile>& skipped, std::size_t listed = 3);

}  // namespace gan
