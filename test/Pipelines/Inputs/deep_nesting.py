"""Prints a function with `depth` nested scf.if around a quantization.

    python3 deep_nesting.py DEPTH
"""
import sys


def main():
    depth = int(sys.argv[1])
    t = "tensor<16xf32>"
    q = "tensor<16x!quant.uniform<i8:f32, 0.1>>"
    lines = [f"func.func @deep(%x: {t}, %c: i1) -> {t} {{"]
    for i in range(depth):
        lines.append(f"%r{i} = scf.if %c -> {t} {{")
    lines += [f"%q = quant.qcast %x : {t} to {q}",
              f"%d = quant.dcast %q : {q} to {t}",
              f"scf.yield %d : {t}"]
    for i in reversed(range(depth)):
        lines += ["} else {", f"scf.yield %x : {t}", "}"]
        if i > 0:
            lines.append(f"scf.yield %r{i} : {t}")
    lines += [f"return %r0 : {t}", "}"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
