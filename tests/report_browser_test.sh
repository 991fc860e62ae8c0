#!/usr/bin/env bash
# Opens the fixture reports in headless Chromium: each page must render
# without console errors, and every plot must draw: the report's SVGs are
# laid out one per band on a test page, screenshotted once, and every band
# must hold enough non-background pixels (a blank or broken SVG fails).
# Usage: report_browser_test.sh REPORT_FIXTURE_BINARY
set -euo pipefail
fixture=$1
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "report_browser_test: chromium is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fixture" "$work"
shoot() {  # shoot HTML PNG WIDTH HEIGHT -> console log in PNG.log
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-extensions --no-first-run --user-data-dir="$work/profile" --hide-scrollbars \
    --enable-logging=stderr --v=0 --window-size="$3,$4" --screenshot="$2" "file://$1" > "$2.log" 2>&1 || {
    cat "$2.log" >&2
    echo "report_browser_test: chromium failed on $1" >&2
    exit 1
  }
  [ -s "$2" ] || { echo "report_browser_test: no screenshot of $1" >&2; exit 1; }
}
# The geometry of every plot as Chromium lays the page out: a copy of the
# report with a script that measures each drawn element's box (transforms
# and real font metrics included) and writes what it finds into the page,
# read back with --dump-dom. Checked: nothing drawn outside its SVG; every
# curve, point, bar, band and tick (every drawn shape, rects too) inside
# its plot's frame (rect class "frame", or the grey unfilled rect of
# reports before the class; the frame and the rect class "background"
# themselves and legends, kept in class "legend", are not checked);
# the Pareto plot labels every point, with no two labels overlapping; the
# percentile plot's legend names the setting of the "worst" curve; no
# latency axis below 0; the latency-over-time figures shade the GC phases
# and no two of their texts overlap.
geometry() {  # geometry HTML KIND
  python3 - "$1" "$work/geometry_$2.html" <<'PY'
import sys
script = r"""<script>
(function () {
  const bad = [];
  const eps = 0.75;  // a half pixel of anti-aliasing, and rounding to 0.1
  document.querySelectorAll('svg').forEach((svg, i) => {
    const title = svg.querySelector('text') ? svg.querySelector('text').textContent : '';
    const name = 'plot ' + (i + 1) + ' "' + title + '"';
    const box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
    const k = vb.width / box.width;
    const rel = (el) => {
      const r = el.getBoundingClientRect();
      return {x0: (r.left - box.left) * k, y0: (r.top - box.top) * k,
              x1: (r.right - box.left) * k, y1: (r.bottom - box.top) * k};
    };
    const inside = (r, f) => r.x0 >= f.x0 - eps && r.y0 >= f.y0 - eps && r.x1 <= f.x1 + eps && r.y1 <= f.y1 + eps;
    const what = (el) => el.tagName + (el.textContent ? ' "' + el.textContent.slice(0, 40) + '"' : '');
    const whole = {x0: 0, y0: 0, x1: vb.width, y1: vb.height};
    svg.querySelectorAll('*').forEach((el) => {
      if (el.tagName === 'title' || !el.getBoundingClientRect) return;
      const r = rel(el);
      if (!inside(r, whole)) bad.push(name + ': ' + what(el) + ' outside the SVG (' + [r.x0, r.y0, r.x1, r.y1].map((v) => v.toFixed(1)).join(',') + ')');
    });
    const frameEl = svg.querySelector('rect.frame') || svg.querySelector('rect[fill="none"][stroke="#555"]');
    if (frameEl) {
      const f = rel(frameEl);
      svg.querySelectorAll('polyline, polygon, circle, line, path, rect:not(.frame):not(.background)').forEach((el) => {
        if (el.closest('.legend')) return;
        const r = rel(el);
        if (!inside(r, f)) bad.push(name + ': ' + what(el) + ' outside the frame (' + [r.x0, r.y0, r.x1, r.y1].map((v) => v.toFixed(1)).join(',') + ' vs ' + [f.x0, f.y0, f.x1, f.y1].map((v) => v.toFixed(1)).join(',') + ')');
      });
    }
    // A latency axis starts at 0 at the lowest (spread bars are cut there).
    const ylabel = Array.from(svg.querySelectorAll('text[transform]')).map((t) => t.textContent).join(' ');
    if (ylabel.includes('(ms)')) {
      svg.querySelectorAll('text[text-anchor="end"]').forEach((t) => {
        if (/^-[0-9]/.test(t.textContent)) bad.push(name + ': the latency axis goes below 0 (tick ' + t.textContent + ')');
      });
    }
    if (title.includes('vs peak RSS')) {
      const centers = new Set();
      svg.querySelectorAll('circle').forEach((c) => { if (!c.closest('.legend')) centers.add(c.getAttribute('cx') + ',' + c.getAttribute('cy')); });
      const labels = Array.from(svg.querySelectorAll('text.point-label'));
      if (labels.length < centers.size) bad.push(name + ': ' + centers.size + ' points, ' + labels.length + ' labelled');
      for (let a = 0; a < labels.length; ++a) {
        for (let b = a + 1; b < labels.length; ++b) {
          const p = rel(labels[a]), q = rel(labels[b]);
          if (p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1) bad.push(name + ': labels ' + what(labels[a]) + ' and ' + what(labels[b]) + ' overlap');
        }
      }
    }
    // The latency-over-time figures: the GC phases are shaded (each phase's
    // colour on at least one band, which the frame check above holds inside
    // the plot area), and no two texts (title, ticks, axis labels, the
    // window's label, the legend) overlap.
    if (title.includes('latency over time')) {
      for (const [phase, fill] of [['concurrent mark', '#f6d7a7'], ['stop-the-world', '#b00020']]) {
        const bands = Array.from(svg.querySelectorAll('rect[fill="' + fill + '"]')).filter((r) => !r.closest('.legend'));
        if (bands.length === 0) bad.push(name + ': no ' + phase + ' band drawn');
      }
      const texts = Array.from(svg.querySelectorAll('text'));
      for (let a = 0; a < texts.length; ++a) {
        for (let b = a + 1; b < texts.length; ++b) {
          const p = rel(texts[a]), q = rel(texts[b]);
          if (p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1) bad.push(name + ': texts ' + what(texts[a]) + ' and ' + what(texts[b]) + ' overlap');
        }
      }
    }
    if (title.startsWith('Latency by percentile')) {
      svg.querySelectorAll('text').forEach((t) => {
        if (t.textContent.startsWith('worst') && !t.textContent.includes('=')) bad.push(name + ': the legend says "' + t.textContent + '" without naming the setting');
      });
    }
  });
  const pre = document.createElement('pre');
  pre.id = 'geometry';
  pre.textContent = 'GEOMETRY-BEGIN\n' + bad.join('\n') + (bad.length ? '\n' : '') + 'GEOMETRY-END';
  document.body.appendChild(pre);
})();
</script>"""
html = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(html.replace("</body>", script + "</body>"))
PY
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-extensions --no-first-run --user-data-dir="$work/profile" --hide-scrollbars \
    --window-size=1300,3000 --dump-dom "file://$work/geometry_$2.html" > "$work/geometry_$2.dom" 2> "$work/geometry_$2.log" || {
    cat "$work/geometry_$2.log" >&2
    echo "report_browser_test: chromium failed on the geometry check of $2" >&2
    exit 1
  }
  python3 - "$work/geometry_$2.dom" "$2" <<'PY'
import html, re, sys
dom = open(sys.argv[1]).read()
m = re.search(r"GEOMETRY-BEGIN\n(.*?)GEOMETRY-END", dom, re.S)
if not m:
    sys.exit(f"report_browser_test: {sys.argv[2]}: the geometry script did not run")
found = [l for l in html.unescape(m.group(1)).split("\n") if l]
for l in found:
    print(f"report_browser_test: {sys.argv[2]}: {l}", file=sys.stderr)
if found:
    sys.exit(f"report_browser_test: {sys.argv[2]}: {len(found)} geometry problems (above)")
print(f"{sys.argv[2]}: geometry ok")
PY
}
# The check can fail: the full report with one stop-the-world tick moved
# 20 px under its frame's bottom edge (still inside its SVG) is refused.
python3 - "$work/report_full.html" "$work/report_broken_tick.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
tick = re.compile(r'(<rect x="[0-9.]+" y=")([0-9.]+)(" width="3" height="12" fill="#b00020"/>)')
m = tick.search(html)
if not m:
    sys.exit("report_browser_test: no stop-the-world tick in the full report to break")
broken = html[:m.start()] + m.group(1) + f"{float(m.group(2)) + 20:.1f}" + m.group(3) + html[m.end():]
open(sys.argv[2], "w").write(broken)
PY
if geometry "$work/report_broken_tick.html" broken_tick 2>"$work/broken_tick.err"; then
  echo "report_browser_test: a tick drawn under its plot's frame passed the geometry check" >&2
  exit 1
fi
grep -q 'rect outside the frame' "$work/broken_tick.err" || {
  cat "$work/broken_tick.err" >&2
  echo "report_browser_test: the broken tick was refused, but not as a rect outside the frame" >&2
  exit 1
}
echo "broken_tick: refused (a rect outside the frame)"
# And a concurrent-mark band of a latency-over-time figure widened past
# its frame's right edge (still inside its SVG) is refused too.
python3 - "$work/report_full.html" "$work/report_broken_band.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
band = re.compile(r'(<rect x="[0-9.]+" y="[0-9.]+" width=")([0-9.]+)(" height="[0-9.]+" fill="#f6d7a7"/>)')
m = band.search(html)
if not m:
    sys.exit("report_browser_test: no concurrent-mark band in the full report to break")
broken = html[:m.start()] + m.group(1) + "960.0" + m.group(3) + html[m.end():]
open(sys.argv[2], "w").write(broken)
PY
if geometry "$work/report_broken_band.html" broken_band 2>"$work/broken_band.err"; then
  echo "report_browser_test: a mark band drawn past its plot's frame passed the geometry check" >&2
  exit 1
fi
grep -q 'latency over time.*rect outside the frame' "$work/broken_band.err" || {
  cat "$work/broken_band.err" >&2
  echo "report_browser_test: the broken band was refused, but not as a rect outside the frame" >&2
  exit 1
}
echo "broken_band: refused (a rect outside the frame)"
for kind in full single failed; do
  html="$work/report_$kind.html"
  shoot "$html" "$work/page_$kind.png" 1300 3000
  if grep -E 'CONSOLE|Uncaught|SyntaxError|Failed to load' "$work/page_$kind.png.log"; then
    echo "report_browser_test: $kind: console errors (above)" >&2
    exit 1
  fi
  geometry "$html" "$kind" || exit 1
    # The plots, one per 600-px band, at their own sizes (no plot is taller).
  python3 - "$html" "$work/bands_$kind.html" "$work/bands_$kind.json" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
svgs = re.findall(r"<svg .*?</svg>", html, re.S)
page = ["<!DOCTYPE html><html><head><style>body{margin:0;background:#fff}div{position:absolute;left:0}</style></head><body>"]
bands = []
for i, s in enumerate(svgs):
    w, h = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', s).groups())
    page.append(f'<div style="top:{i*600}px">{s}</div>')
    bands.append({"top": i * 600, "width": w, "height": h})
page.append("</body></html>")
open(sys.argv[2], "w").write("".join(page))
json.dump(bands, open(sys.argv[3], "w"))
PY
  n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$work/bands_$kind.json")
  [ "$n" -gt 0 ] || { echo "report_browser_test: $kind: no SVG plots" >&2; exit 1; }
  wide=$(python3 -c "import json,sys; print(max(b['width'] for b in json.load(open(sys.argv[1]))))" "$work/bands_$kind.json")
  shoot "$work/bands_$kind.html" "$work/bands_$kind.png" "$wide" $((n * 600))
  python3 - "$work/bands_$kind.png" "$work/bands_$kind.json" "$kind" <<'PY'
import json, struct, sys, zlib
def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG type {ctype}/{depth}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line); prev = line
    return w, h, bpp, rows
w, h, bpp, rows = read_png(sys.argv[1])
bands = json.load(open(sys.argv[2]))
for i, b in enumerate(bands):
    ink = colour = 0
    for y in range(b["top"], min(h, b["top"] + b["height"])):
        row = rows[y]
        for x in range(0, min(w, b["width"])):
            r, g, bl = row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]
            if r < 235 or g < 235 or bl < 235: ink += 1
            if max(r, g, bl) - min(r, g, bl) > 60: colour += 1
    area = b["width"] * b["height"]
    if ink < 0.02 * area or colour < 50:
        sys.exit(f"report_browser_test: {sys.argv[3]}: plot {i + 1} looks blank ({ink} inked, {colour} coloured pixels of {area})")
print(f"{sys.argv[3]}: {len(bands)} plots rendered")
PY
done
echo "report_browser_test: all reports rendered in $("$browser" --version 2>/dev/null | head -1)"
