#!/usr/bin/env python3
"""png_check — what a screenshot of the HTML report must show, read from the
PNG itself (Python's zlib only; no imaging library): its size, that it is not
blank, and that the layout picture was drawn (pixels in the SVG's bar colours).

usage: png_check.py FILE.png WIDTH HEIGHT [#rrggbb ...]
Prints one line per check; exits 1 when one fails."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("unexpected PNG format (depth %d, colour type %d)" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    colours = [bytes.fromhex(c.lstrip("#")) for c in sys.argv[4:]]
    w, h, bpp, rows = read_png(path)
    ok = True
    if (w, h) != (want_w, want_h):
        print("FAIL %s: %dx%d, expected %dx%d" % (path, w, h, want_w, want_h))
        ok = False
    inked, seen = 0, {c: 0 for c in colours}
    for line in rows:
        for x in range(0, len(line), bpp):
            px = line[x:x + 3]
            if px != b"\xff\xff\xff":
                inked += 1
                if px in seen:
                    seen[px] += 1
    share = inked / float(w * h)
    # text and bars cover a few percent of a report page; a blank or failed render covers none
    if share < 0.01:
        print("FAIL %s: only %.2f%% of the pixels are not white" % (path, 100 * share))
        ok = False
    for c, n in seen.items():
        if n < 50:
            print("FAIL %s: colour #%s drawn on %d pixels (a bar of the layout picture is missing)" % (path, c.hex(), n))
            ok = False
    if ok:
        print("ok %s: %dx%d, %.1f%% inked, colours %s" % (path, w, h, 100 * share,
              ", ".join("#%s:%d" % (c.hex(), n) for c, n in seen.items())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
