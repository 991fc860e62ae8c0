// Whole-file reads for small files (fixtures, /proc entries, port files).
// Large inputs are streamed with chunk_source.h instead.
#ifndef GCPILOT_BASE_READ_FILE_H_
#define GCPILOT_BASE_READ_FILE_H_

#include <fstream>
#include <iterator>
#include <string>

namespace gcpilot {

// Replaces *out with the file's bytes; false if it cannot be opened.
inline bool ReadFileToString(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// The file's bytes, or "" if it cannot be opened.
inline std::string ReadFileOrEmpty(const std::string& path) {
  std::string s;
  ReadFileToString(path, &s);
  return s;
}

}  // namespace gcpilot

#endif  // GCPILOT_BASE_READ_FILE_H_
