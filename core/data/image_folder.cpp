#include "core/data/image_folder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <thread>

#include "core/data/image_decode.h"
#include "core/io/atomic_file.h"
#include "core/io/paths.h"
#include "core/io/sha256.h"

namespace gan {
namespace fs = std::filesystem;
namespace {

// A cache entry not used for this long is deleted when another is written: a folder renamed,
// moved or re-sized leaves its old entry behind, and nothing else would ever remove it.
constexpr auto kCacheUnusedFor = std::chrono::hours(24 * 30);

// Nested folders below a class folder, at most this deep.
constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxClasses = 256;  // labels are bytes
constexpr char kCacheMagic[] = "GAN-Studio folder cache 1\n";

struct ListedFile {
  fs::path path;
  std::string relative;
  int label = -1;
  std::uintmax_t bytes = 0;
  std::int64_t modified = 0;  // nanoseconds of the file clock
};

struct Listing {
  std::vector<std::string> classes;
  std::vector<ListedFile> files;
  std::vector<SkippedFile> skipped;
};

// Cancel heard at every stage (listing, the cache's read and write), not only while decoding: a
// folder of many thousand pictures takes seconds to list on a cold disk, and its cache is large.
class Cancel {
 public:
  explicit Cancel(const FolderCallback& progress) : progress_(progress) {}
  /// Asks with `done` of `total` pictures decoded (0 of 0 while they are not counted yet).
  void check(std::int64_t done = 0, std::int64_t total = 0) const {
    if (progress_ && !progress_({done, total})) throw FolderCancelled("reading the folder was cancelled");
  }
  /// In a loop over files: asks every 256th time.
  void tick() {
    if (++ticks_ % 256 == 0) check();
  }

 private:
  const FolderCallback& progress_;
  std::int64_t ticks_ = 0;
};

std::string join(const std::string& relative, const std::string& name) {
  return relative.empty() ? name : relative + "/" + name;
}

bool hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

// The entries of `folder` by name, hidden ones left out; a folder that cannot be read is skipped.
std::vector<fs::directory_entry> entries_of(const fs::path& folder, const std::string& relative, Listing& listing,
                                            Cancel& cancel) {
  std::vector<fs::directory_entry> entries;
  std::error_code error;
  fs::directory_iterator it(folder, error);
  if (error) {
    listing.skipped.push_back({relative.empty() ? "." : relative, "the folder cannot be read (" + error.message() + ")"});
    return entries;
  }
  for (const fs::directory_iterator end; it != end; it.increment(error)) {
    if (error) {
      listing.skipped.push_back({relative.empty() ? "." : relative, "the folder's listing broke off (" + error.message() + ")"});
      break;
    }
    cancel.tick();
    if (!hidden(it->path())) entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

void add_file(const fs::directory_entry& entry, const std::string& relative, int label, Listing& listing) {
  std::error_code error;
  ListedFile file;
  file.path = entry.path();
  file.relative = relative;
  file.label = label;
  file.bytes = fs::file_size(entry.path(), error);
  if (!error) file.modified = fs::last_write_time(entry.path(), error).time_since_epoch().count();
  if (error) {
    listing.skipped.push_back({relative, "cannot be read (" + error.message() + ")"});
    return;
  }
  listing.files.push_back(std::move(file));
}

// Files below `folder` (a class folder, or the whole folder when it has no classes). Links to
// folders are not followed: a loop cannot form.
void walk(const fs::path& folder, const std::string& relative, int label, int depth, Listing& listing, Cancel& cancel) {
  for (const fs::directory_entry& entry : entries_of(folder, relative, listing, cancel)) {
    cancel.tick();
    const std::string name = join(relative, entry.path().filename().string());
    std::error_code error;
    const fs::file_status link = entry.symlink_status(error);
    const fs::file_status target = entry.status(error);
    if (fs::is_symlink(link) && !fs::exists(target)) {
      listing.skipped.push_back({name, "a broken link"});
    } else if (fs::is_directory(target)) {
      if (fs::is_symlink(link)) {
        listing.skipped.push_back({name, "a link to a folder (not followed below a class folder)"});
      } else if (depth >= kMaxDepth) {
        listing.skipped.push_back({name, "more than " + std::to_string(kMaxDepth) + " folders deep"});
      } else {
        walk(entry.path(), name, label, depth + 1, listing, cancel);
      }
    } else if (fs::is_regular_file(target)) {
      add_file(entry, name, label, listing);
    } else {
      listing.skipped.push_back({name, "not a regular file"});  // a pipe would block the reader
    }
  }
}

Listing list_folder(const fs::path& folder, Cancel& cancel) {
  std::error_code error;
  if (!fs::exists(folder, error)) throw DataError(folder.string() + ": the folder does not exist");
  if (!fs::is_directory(folder, error)) throw DataError(folder.string() + ": not a folder");
  Listing listing;
  const std::vector<fs::directory_entry> top = entries_of(folder, "", listing, cancel);
  if (!listing.skipped.empty()) throw DataError(folder.string() + ": " + listing.skipped.front().reason);
  for (const fs::directory_entry& entry : top) {
    if (entry.is_directory(error)) listing.classes.push_back(entry.path().filename().string());
  }
  if (listing.classes.size() > kMaxClasses) {
    throw DataError(folder.string() + ": " + std::to_string(listing.classes.size()) + " subfolders, and each is a class; at most " +
                    std::to_string(kMaxClasses) + " classes are supported");
  }
  if (listing.classes.empty()) {
    walk(folder, "", -1, 0, listing, cancel);
    return listing;
  }
  int label = 0;
  for (const fs::directory_entry& entry : top) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(error)) {
      walk(entry.path(), name, label++, 1, listing, cancel);
    } else {
      listing.skipped.push_back({name, "outside the class folders (the subfolders are the classes)"});
    }
  }
  return listing;
}

// The cache's key: what was asked and every listed file's name, size and time.
std::string listing_key(const fs::path& folder, const FolderOptions& options, const Listing& listing) {
  Sha256 digest;
  auto add = [&](const std::string& text) { digest.update(text.data(), text.size() + 1); };  // with the NUL
  add(kCacheMagic);
  std::error_code error;  // the same folder however it was spelt ("dir", "./dir/", a link to it)
  const fs::path canonical = fs::weakly_canonical(fs::absolute(folder), error);
  add((error ? fs::absolute(folder).lexically_normal() : canonical).string());
  add(std::to_string(options.size) + "/" + std::to_string(options.channels));
  for (const std::string& name : listing.classes) add("class " + name);
  for (const ListedFile& file : listing.files) {
    add(file.relative + " " + std::to_string(file.bytes) + " " + std::to_string(file.modified));
  }
  for (const SkippedFile& file : listing.skipped) add("skipped " + file.path);
  return digest.hex_digest();
}

// ---- The cache file: magic, key, counts, names, labels, pixels, then the SHA-256 of all before ----

class Packer {
 public:
  void u64(std::uint64_t value) { bytes(&value, sizeof value); }
  void text(const std::string& value) {
    u64(value.size());
    bytes(value.data(), value.size());
  }
  void bytes(const void* data, std::size_t size) {
    const auto* begin = static_cast<const char*>(data);
    out.insert(out.end(), begin, begin + size);
  }
  std::string out;
};

class Unpacker {
 public:
  Unpacker(const char* in, std::size_t size) : in_(in, size) {}
  std::uint64_t u64() {
    std::uint64_t value = 0;
    bytes(&value, sizeof value);
    return value;
  }
  std::string text() {
    const std::uint64_t size = u64();
    if (size > in_.size() - at_) throw DataError("short");
    std::string value(in_.substr(at_, size));
    at_ += size;
    return value;
  }
  void bytes(void* data, std::size_t size) {
    if (size > in_.size() - at_) throw DataError("short");
    if (size == 0) return;  // an empty vector's data() may be null, which memcpy must not see
    std::memcpy(data, in_.data() + at_, size);
    at_ += size;
  }
  bool done() const { return at_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t at_ = 0;
};

std::string sha256_of(const char* data, std::size_t size) {
  Sha256 digest;
  digest.update(data, size);
  return digest.hex_digest();
}

// Deletes the cache entries unused (neither written nor read) for kCacheUnusedFor.
void prune_cache(const fs::path& folder) {
  std::error_code error;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() != ".images") continue;
    std::error_code ignored;
    if (now - fs::last_write_time(it->path(), ignored) > kCacheUnusedFor) fs::remove(it->path(), ignored);
  }
}

void write_cache(const fs::path& path, const std::string& key, const FolderImages& result) {
  const ImageSet& set = result.images;
  Packer pack;
  pack.bytes(kCacheMagic, sizeof kCacheMagic - 1);
  pack.text(key);
  for (const std::int64_t value : {set.count, set.rows, set.cols, set.channels}) pack.u64(static_cast<std::uint64_t>(value));
  pack.u64(set.class_names.size());
  for (const std::string& name : set.class_names) pack.text(name);
  pack.u64(result.skipped.size());
  for (const SkippedFile& file : result.skipped) {
    pack.text(file.path);
    pack.text(file.reason);
  }
  pack.u64(set.labels.size());
  pack.bytes(set.labels.data(), set.labels.size());
  pack.u64(set.pixels.size());
  pack.bytes(set.pixels.data(), set.pixels.size());
  pack.out += sha256_of(pack.out.data(), pack.out.size());
  fs::create_directories(path.parent_path());
  write_file_atomically(path, pack.out, Replace::kAllowed);
  prune_cache(path.parent_path());
}

// The cached result, or nothing when there is no cache or it is damaged (then it is made again).
std::optional<FolderImages> read_cache(const fs::path& path, const std::string& key, const Cancel& cancel) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) return std::nullopt;
  std::string in;
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error || size < 64) return std::nullopt;
  in.resize(size);
  constexpr std::uintmax_t kChunk = 64 << 20;  // a cancel heard every 64 MB
  for (std::uintmax_t at = 0; at < size; at += kChunk) {
    cancel.check();
    const std::size_t part = std::min(kChunk, size - at);
    if (std::fread(in.data() + at, 1, part, file.get()) != part) return std::nullopt;
  }
  const std::size_t body = size - 64;
  if (sha256_of(in.data(), body) != in.substr(body)) return std::nullopt;
  try {
    Unpacker unpack(in.data(), body);
    std::string magic(sizeof kCacheMagic - 1, '\0');
    unpack.bytes(magic.data(), magic.size());
    if (magic != kCacheMagic || unpack.text() != key) return std::nullopt;
    FolderImages result;
    ImageSet& set = result.images;
    set.count = static_cast<std::int64_t>(unpack.u64());
    set.rows = static_cast<std::int64_t>(unpack.u64());
    set.cols = static_cast<std::int64_t>(unpack.u64());
    set.channels = static_cast<std::int64_t>(unpack.u64());
    const std::uint64_t classes = unpack.u64();
    if (classes > kMaxClasses) return std::nullopt;
    for (std::uint64_t i = 0; i < classes; ++i) set.class_names.push_back(unpack.text());
    const std::uint64_t skipped = unpack.u64();
    for (std::uint64_t i = 0; i < skipped; ++i) {
      SkippedFile entry;
      entry.path = unpack.text();
      entry.reason = unpack.text();
      result.skipped.push_back(std::move(entry));
    }
    set.labels.resize(unpack.u64());
    unpack.bytes(set.labels.data(), set.labels.size());
    set.pixels.resize(unpack.u64());
    unpack.bytes(set.pixels.data(), set.pixels.size());
    if (!unpack.done() || set.pixels.size() != static_cast<std::size_t>(set.count * set.image_size())) return std::nullopt;
    result.from_cache = true;
    std::error_code ignored;  // marks the entry as used (prune_cache); a read-only cache still reads
    fs::last_write_time(path, fs::file_time_type::clock::now(), ignored);
    return result;
  } catch (const DataError&) {
    return std::nullopt;
  } catch (const std::length_error&) {
    return std::nullopt;
  }
}

// ---- Decoding, on every core ----

struct Decoded {
  std::vector<std::uint8_t> pixels;  // files x channels x size x size
  std::vector<char> ok;
  std::vector<char> colour;
  std::vector<std::string> reasons;
};

Decoded decode_all(const std::vector<ListedFile>& files, int size, int channels, const FolderCallback& progress) {
  const std::size_t plane = static_cast<std::size_t>(size) * size * channels;
  Decoded decoded;
  decoded.pixels.resize(plane * files.size());
  decoded.ok.assign(files.size(), 0);
  decoded.colour.assign(files.size(), 0);
  decoded.reasons.resize(files.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> cancelled{false};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size() && !cancelled; i = next++) {
      try {
        DecodedImage image = decode_image_file(files[i].path, size, channels);
        std::copy(image.pixels.begin(), image.pixels.end(), decoded.pixels.begin() + static_cast<std::ptrdiff_t>(plane * i));
        decoded.colour[i] = image.colour;
        decoded.ok[i] = 1;
      } catch (const DecodeError& e) {
        decoded.reasons[i] = e.what();
      } catch (const std::bad_alloc&) {
        decoded.reasons[i] = "out of memory while decoding";
      } catch (const std::exception& e) {  // nothing may leave a worker thread (std::terminate)
        decoded.reasons[i] = e.what();
      }
      ++done;
    }
  };
  const auto total = static_cast<std::int64_t>(files.size());
  // Asked once before any work, so that a cancel is heard even when decoding would outrun the
  // first report.
  if (progress && !progress({0, total})) throw FolderCancelled("reading the folder was cancelled");
  const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < workers; ++i) threads.emplace_back(work);
  while (done < total && !cancelled) {
    if (progress && !progress({done.load(), total})) cancelled = true;
    for (int i = 0; i < 10 && done < total && !cancelled; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (std::thread& thread : threads) thread.join();
  if (cancelled) throw FolderCancelled("reading the folder was cancelled");
  if (progress) progress({total, total});
  return decoded;
}

// Gathers the decoded pictures into `result`, leaving out the failures and the classes left empty.
void gather(const Listing& listing, Decoded& decoded, int size, int decode_channels, int channels, FolderImages& result) {
  ImageSet& set = result.images;
  const std::size_t plane = static_cast<std::size_t>(size) * size;
  std::vector<int> label_of_class(listing.classes.size(), -1);
  for (std::size_t i = 0; i < listing.files.size(); ++i) {
    if (decoded.ok[i] && listing.files[i].label >= 0) label_of_class[static_cast<std::size_t>(listing.files[i].label)] = 0;
  }
  for (std::size_t c = 0; c < listing.classes.size(); ++c) {
    if (label_of_class[c] < 0) continue;
    label_of_class[c] = static_cast<int>(set.class_names.size());
    set.class_names.push_back(listing.classes[c]);
  }
  set.rows = set.cols = size;
  set.channels = channels;
  // The pictures move down over the failures in the decoding buffer itself, which then becomes
  // the set's: a 64 x 64 colour folder of 60,000 is 740 MB, not to be held twice.
  std::uint8_t* out = decoded.pixels.data();
  for (std::size_t i = 0; i < listing.files.size(); ++i) {
    if (!decoded.ok[i]) {
      result.skipped.push_back({listing.files[i].relative, decoded.reasons[i]});
      continue;
    }
    const std::uint8_t* image = decoded.pixels.data() + plane * decode_channels * i;
    if (decode_channels == channels) {
      if (out != image) std::memmove(out, image, plane * channels);
      out += plane * channels;
    } else {  // decoded in colour, wanted gray: ITU-R 601 luma, as the decoder's own conversion
      for (std::size_t p = 0; p < plane; ++p) {
        const float luma = 0.299f * image[p] + 0.587f * image[plane + p] + 0.114f * image[2 * plane + p];
        *out++ = static_cast<std::uint8_t>(std::min(255.0f, luma + 0.5f));
      }
    }
    if (!listing.classes.empty()) {
      set.labels.push_back(static_cast<std::uint8_t>(label_of_class[static_cast<std::size_t>(listing.files[i].label)]));
    }
    ++set.count;
  }
  decoded.pixels.resize(static_cast<std::size_t>(out - decoded.pixels.data()));
  // Shrinking copies: worth it for colour decoded but kept gray (two thirds unused), not for a few
  // skipped files.
  if (decoded.pixels.size() < decoded.pixels.capacity() / 4 * 3) decoded.pixels.shrink_to_fit();
  set.pixels = std::move(decoded.pixels);
  std::stable_sort(result.skipped.begin(), result.skipped.end(),
                   [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
}

}  // namespace

fs::path folder_cache_folder() { return user_cache_folder() / "folders"; }

bool in_folder_test_split(std::int64_t index) { return index % 7 == 3; }

std::string skipped_summary(const std::vector<SkippedFile>& skipped, std::size_t listed) {
  if (skipped.empty()) return {};
  std::string text = std::to_string(skipped.size()) + (skipped.size() == 1 ? " file skipped: " : " files skipped: ");
  for (std::size_t i = 0; i < skipped.size() && i < listed; ++i) {
    if (i > 0) text += ", ";
    text += skipped[i].path + " (" + skipped[i].reason + ")";
  }
  if (skipped.size() > listed) text += ", ...";
  return text;
}

namespace {

fs::path cache_file(const std::string& key) { return folder_cache_folder() / (key + ".images"); }

}  // namespace

bool image_folder_cached(const FolderOptions& options, const FolderCallback& progress) {
  Cancel cancel(progress);
  try {
    return std::filesystem::is_regular_file(cache_file(listing_key(options.folder, options, list_folder(options.folder, cancel))));
  } catch (const FolderCancelled&) {
    throw;
  } catch (const DataError&) {
    return false;
  }
}

FolderImages read_image_folder(const FolderOptions& options, const FolderCallback& progress) {
  if (options.size < 1 || options.size > 1024) throw DataError("data.size: " + std::to_string(options.size) + " is outside 1..1024");
  if (options.channels != 0 && options.channels != 1 && options.channels != 3) {
    throw DataError("data.channels: " + std::to_string(options.channels) + " is not 0 (from the pictures), 1 or 3");
  }
  const fs::path& folder = options.folder;
  Cancel cancel(progress);
  const Listing listing = list_folder(folder, cancel);
  const std::string key = listing_key(folder, options, listing);
  const fs::path cache = cache_file(key);
  if (std::optional<FolderImages> cached = read_cache(cache, key, cancel)) return std::move(*cached);

  // Colour or not is known only once the pictures are read: decode in colour when unsure.
  const int decode_channels = options.channels == 0 ? 3 : options.channels;
  Decoded decoded = decode_all(listing.files, options.size, decode_channels, progress);
  bool any_colour = false;
  for (std::size_t i = 0; i < listing.files.size(); ++i) any_colour |= decoded.ok[i] && decoded.colour[i];
  const int channels = options.channels != 0 ? options.channels : (any_colour ? 3 : 1);

  FolderImages result;
  result.skipped = listing.skipped;
  gather(listing, decoded, options.size, decode_channels, channels, result);
  if (result.images.count == 0) {
    throw DataError(folder.string() + ": no PNG or JPEG pictures here" +
                    (result.skipped.empty() ? std::string(" (the folder is empty)") : "; " + skipped_summary(result.skipped)));
  }
  if (listing_key(folder, options, list_folder(folder, cancel)) != key) {
    result.not_cached = "the folder changed while it was read";
  } else {
    const auto files = static_cast<std::int64_t>(listing.files.size());
    cancel.check(files, files);  // the last chance: once written, the cache stays
    try {
      write_cache(cache, key, result);
    } catch (const std::exception& e) {  // a full or read-only cache costs the next read time, not this one
      result.not_cached = std::string("the cache could not be written: ") + e.what();
    }
  }
  return result;
}

}  // namespace gan
