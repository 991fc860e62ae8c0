// A read-only memory map of a regular file, for parsers that can work on
// the bytes in place (no read(2) copy). Pages already parsed can be handed
// back with Release so a multi-GB file never stays resident in this
// process. A file cut short while mapped (log rotation by copytruncate)
// would fault on the lost pages; while a MappedFile is open that ends the
// process with exit status 1 and a message naming the file, not a crash.
#ifndef GCPILOT_BASE_MAPPED_FILE_H_
#define GCPILOT_BASE_MAPPED_FILE_H_

#include <string>
#include <string_view>

namespace gcpilot {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Maps `path` and returns true; false when it cannot be opened or mapped,
  // is not a regular file of 2 bytes or more, or starts with the gzip
  // magic: the caller then streams it (and reports any open error).
  bool Open(const std::string& path);

  std::string_view bytes() const { return {data_, size_}; }

  // Drops the pages wholly inside `range` (a part of bytes()) from this
  // process; reading them again faults them back in from the page cache.
  void Release(std::string_view range) const;

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_BASE_MAPPED_FILE_H_
