#!/usr/bin/env python3
"""Code size by crate of a wasm file that still has its "name" section.

    python3 tools/size/breakdown.py FILE.wasm [TOP]

measure.sh writes such a file for each app (app_bg.names.wasm: wasm-bindgen --keep-debug,
before wasm-opt). Sizes are function-body bytes before wasm-opt, grouped by the crate the
(demangled-ish) symbol name starts with; generic code is counted under the crate that defines
the function, e.g. serde_json's deserializer instantiated for a yew_clerk model counts as
serde_json or serde (look at the "top functions" list for detail).
"""
import re
import signal
import sys
from collections import Counter


def leb(buf, i):
    result = shift = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def sections(buf):
    i = 8
    while i < len(buf):
        sid = buf[i]
        size, j = leb(buf, i + 1)
        yield sid, buf[j:j + size]
        i = j + size


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imported_funcs = 0
    bodies = []
    names = {}
    for sid, body in sections(data):
        if sid == 2:  # imports
            n, i = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, i = leb(body, i)
                    i += ln
                kind = body[i]
                i += 1
                if kind == 0:
                    _, i = leb(body, i)
                    imported_funcs += 1
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 3:
                    i += 2
                else:
                    _, i = leb(body, i)
        elif sid == 10:  # code
            n, i = leb(body, 0)
            for _ in range(n):
                size, i = leb(body, i)
                bodies.append(size)
                i += size
        elif sid == 0:
            ln, i = leb(body, 0)
            if body[i:i + ln] != b"name":
                continue
            i += ln
            while i < len(body):
                sub = body[i]
                size, j = leb(body, i + 1)
                if sub == 1:
                    n, k = leb(body, j)
                    for _ in range(n):
                        idx, k = leb(body, k)
                        ln2, k = leb(body, k)
                        names[idx] = body[k:k + ln2].decode("utf-8", "replace")
                        k += ln2
                i = j + size
    if not names:
        sys.exit("no name section (build with wasm-bindgen --keep-debug)")

    def crate(name):
        n = re.sub(r"^_?<", "", name)
        n = n.lstrip("&*")
        n = re.sub(r"^(dyn |mut |const )", "", n)
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(::|\$|\.)", n)
        return m.group(1) if m else "(other)"

    per_crate = Counter()
    funcs = []
    for k, size in enumerate(bodies):
        name = names.get(imported_funcs + k, "?")
        per_crate[crate(name)] += size
        funcs.append((size, name))
    total = sum(bodies)
    print(f"code section: {total} bytes in {len(bodies)} functions\n")
    print(f"{'crate':<28} {'bytes':>9} {'share':>6}")
    for c, size in per_crate.most_common(top):
        print(f"{c:<28} {size:>9} {100 * size / total:5.1f}%")
    print("\ntop functions:")
    for size, name in sorted(funcs, reverse=True)[:top]:
        print(f"{size:>8}  {name[:150]}")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends quietly
    main()
