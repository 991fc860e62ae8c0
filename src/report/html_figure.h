// Pieces of the study report's page that its sections share: a plot as a
// <figure> and the colours of the verdict's two settings.
#ifndef GCPILOT_REPORT_HTML_FIGURE_H_
#define GCPILOT_REPORT_HTML_FIGURE_H_

#include <string>

namespace gcpilot {

inline constexpr const char* kBestColor = "#2a9d4b";
inline constexpr const char* kDefaultColor = "#3b6fd1";

// A plot in the page: it shrinks with a narrow page and grows no wider
// than drawn, except `wide` ones, which take the page's width.
inline std::string HtmlFigure(const std::string& svg, bool wide = false) {
  if (wide) return "<figure class=\"wide\">" + svg + "</figure>\n";
  const size_t at = svg.find("width=\"");
  const std::string w = at == std::string::npos ? "420" : svg.substr(at + 7, svg.find('"', at + 7) - at - 7);
  return "<figure style=\"flex: 0 1 " + w + "px\">" + svg + "</figure>\n";
}

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_HTML_FIGURE_H_
