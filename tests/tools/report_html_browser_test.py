#!/usr/bin/python3
"""The HTML trend report of the demo data, seen by a real browser.

Starts ikv-server on a fresh data directory (it loads the demo data), writes
`ikv-report trends --format html` while the server runs, checks the page
(four figures, no personal data, nothing external), lets headless Chromium
parse it (--dump-dom: the SVG charts survive) and take a screenshot, then
decodes the PNG with the standard library and checks that every figure's
region shows its chart colours. The page and the screenshot stay in the
artefact directory.

Usage: report_html_browser_test.py IKV_SERVER IKV_REPORT ARTEFACT_DIR DEMO_JSON
(DEMO_JSON: demo/illustrative.json, the part of the demo data that holds the members)
Exit 77 (skipped) only when /usr/bin/chromium is absent.
"""
import collections
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 4200
ACCENT = (0x2B, 0x5F, 0x8A)     # the left rule of every figure (page CSS)
MASTHEAD = (0x17, 0x32, 0x4D)   # the header band
MISSING = (0xFD, 0xE4, 0xE1)    # a crossed "sector missing" cell


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def start_server(server, tmp):
    port_file = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "server.log"), "wb")
    proc = subprocess.Popen([server, "--data", os.path.join(tmp, "data"), "--listen",
                             "127.0.0.1:0", "--port-file", port_file],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    fail("server did not start:\n" + open(os.path.join(tmp, "server.log")).read())


def run_chromium(args, tmp, name):
    """Runs headless Chromium with a fresh profile; returns its stdout."""
    profile = tempfile.mkdtemp(prefix="profile-" + name + "-", dir=tmp)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
           "--force-color-profile=srgb", "--force-device-scale-factor=1",
           "--user-data-dir=" + profile] + args
    env = dict(os.environ, HOME=tmp)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=150)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        fail("chromium did not finish: " + " ".join(args[-2:]))
    if proc.returncode != 0:
        fail("chromium exited %d: %s" % (proc.returncode, err.decode(errors="replace")[-2000:]))
    return out.decode("utf-8", errors="replace")


def decode_png(path):
    """(width, height, rows of (r, g, b) tuples) for an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG: " + path)
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        fail("unexpected PNG format depth=%d colour=%d interlace=%d" % (depth, colour, interlace))
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if ftype == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 0xFF
        elif ftype == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 0xFF
        elif ftype == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 0xFF
        elif ftype == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        elif ftype != 0:
            fail("bad PNG filter type %d" % ftype)
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def near(a, b, tolerance=3):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def colour_counts(rows):
    counts = collections.Counter()
    for row in rows:
        counts.update(row)
    return counts


def hex_rgb(text):
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def bands(rows, colour, x_max):
    """Runs of rows whose first x_max pixels hold `colour`: [(top, bottom)]."""
    hits = [any(near(p, colour, 1) for p in row[:x_max]) for row in rows]
    out, start = [], None
    for y, hit in enumerate(hits + [False]):
        if hit and start is None:
            start = y
        elif not hit and start is not None:
            out.append((start, y))
            start = None
    return out


def check_page(html, demo_json):
    figures = html.split('<section class="figure"')[1:]
    if len(figures) != 4:
        fail("expected 4 figures, found %d" % len(figures))
    for needle in ("<script", "http:", "https:", " src=", "url("):
        if needle in html:
            fail("the page refers to something outside itself: " + needle)
    if "No data in this range" in html:
        fail("a figure of the demo data is empty")
    for element in re.findall(r"<svg [^>]*>", html):
        if 'role="img"' not in element:
            fail("svg without role=img: " + element)
    if html.count("<svg ") != html.count("<title id=") or html.count("<svg ") != html.count(
            "<desc id="):
        fail("every svg needs a title and a desc")
    # Aggregates only: no member's name, e-mail or phone from the demo data.
    personal = set()
    for request in json.load(open(demo_json)):
        body = request.get("body") or {}
        if request["path"].endswith("/members") and request["method"] == "POST":
            for key in ("name", "email", "phone"):
                if body.get(key):
                    personal.add(body[key])
    if len(personal) < 40:
        fail("expected the demo members' personal data, found %d values" % len(personal))
    leaked = sorted(v for v in personal if v in html or v.replace("'", "&#39;") in html)
    if leaked:
        fail("personal data in the report: %s" % leaked[:5])
    if re.search(r"[\w.+-]+@[\w-]+\.\w+", html):
        fail("an e-mail address in the report")
    for period in ("2024-01", "2024-04", "2024-05", "2024-12"):
        if ">%s</text>" % period not in html:
            fail("period label %s missing from the charts" % period)
    return [sorted(set(re.findall(r'<rect class="mark"[^>]* fill="(#[0-9a-f]{6})"', f)))
            for f in figures]


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    server, report, artefacts, demo_json = sys.argv[1:5]
    if not os.path.exists(CHROMIUM):
        print("SKIP: %s is not installed (tools/setup.sh --test installs it)" % CHROMIUM)
        return 77
    os.makedirs(artefacts, exist_ok=True)
    page = os.path.join(artefacts, "report.html")
    shot = os.path.join(artefacts, "report.png")
    for path in (page, shot):
        if os.path.exists(path):
            os.remove(path)
    tmp = tempfile.mkdtemp(prefix="ikv-report-html-")
    proc = None
    try:
        proc = start_server(server, tmp)
        subprocess.run([report, "trends", "--data", os.path.join(tmp, "data"), "--from",
                        "2024-01-01", "--to", "2024-12-31", "--granularity", "month", "--format",
                        "html", "-o", page], check=True)
        html = open(page, encoding="utf-8").read()
        colours = check_page(html, demo_json)
        for i, c in enumerate(colours):
            if not c:
                fail("figure %d draws no marks" % (i + 1))

        dom = run_chromium(["--dump-dom", "file://" + page], tmp, "dom")
        if dom.count("<svg ") != html.count("<svg ") or "<title id=\"fig-meetings-chart-title\"" \
                not in dom:
            fail("the SVG elements did not survive parsing: %d of %d" % (
                dom.count("<svg "), html.count("<svg ")))
        if dom.count('class="mark"') != html.count('class="mark"'):
            fail("chart marks lost in parsing")

        run_chromium(["--window-size=%d,%d" % (WIDTH, HEIGHT), "--screenshot=" + shot,
                      "file://" + page], tmp, "shot")
        width, height, rows = decode_png(shot)
        if (width, height) != (WIDTH, HEIGHT):
            fail("screenshot is %dx%d" % (width, height))
        pixels = width * height
        white = colour_counts(rows)[(255, 255, 255)]
        if white > 0.97 * pixels:
            fail("the page is blank")
        if sum(1 for p in rows[20][:400] if near(p, MASTHEAD)) < 300:
            fail("no masthead at the top of the page")
        found = bands(rows, ACCENT, 200)
        print("figure bands:", found)
        if len(found) != 4:
            fail("expected 4 figure regions in the screenshot, found %d" % len(found))
        for i, ((top, bottom), palette) in enumerate(zip(found, colours)):
            seen = colour_counts(rows[top:bottom])
            per_colour = [sum(n for p, n in seen.items() if near(p, hex_rgb(c))) for c in palette]
            total = sum(per_colour)
            shown = sum(1 for n in per_colour if n >= 40)
            print("figure %d: rows %d-%d, %d chart pixels, %d of %d colours shown" % (
                i + 1, top, bottom, total, shown, len(palette)))
            if total < 2500:
                fail("figure %d shows too little of its chart (%d pixels)" % (i + 1, total))
            if shown < len(palette):
                fail("figure %d: only %d of its %d colours are visible" % (i + 1, shown,
                                                                          len(palette)))
        top, bottom = found[2]
        crossed = sum(n for p, n in colour_counts(rows[top:bottom]).items() if near(p, MISSING, 1))
        if crossed < 2000:
            fail("no missing sectors marked in the coverage figure (%d pixels)" % crossed)
        print("screenshot:", shot)
        print("1 passed, 0 failed")
        return 0
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
