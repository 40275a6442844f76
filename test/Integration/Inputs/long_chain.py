"""Prints a module whose @main runs a chain of PAIRS quant.qcast/quant.dcast
pairs (scale 0.05, zero points 0 to 6) and a single pair on the same input,
printing both: for inputs well inside the range, every pair after the
first reproduces its input exactly, so the two must print the same.

    python3 long_chain.py PAIRS
"""
import sys

T = "tensor<8xf32>"


def qtype(i):
    return f"tensor<8x!quant.uniform<i8:f32, 0.05:{i % 7}>>"


def main():
    pairs = int(sys.argv[1])
    lines = [f"func.func @chain(%x: {T}) -> {T} {{"]
    value = "%x"
    for i in range(pairs):
        lines.append(f"  %q{i} = quant.qcast {value} : {T} to {qtype(i)}")
        lines.append(f"  %d{i} = quant.dcast %q{i} : {qtype(i)} to {T}")
        value = f"%d{i}"
    lines += [f"  return {value} : {T}", "}",
              f"func.func @one(%x: {T}) -> {T} {{",
              f"  %q = quant.qcast %x : {T} to {qtype(0)}",
              f"  %d = quant.dcast %q : {qtype(0)} to {T}",
              f"  return %d : {T}", "}",
              "func.func private @printMemrefF32(tensor<*xf32>)",
              "func.func @main() {",
              "  %x = arith.constant dense<[-2.0, -1.234, -0.51, -0.024, "
              "0.0, 0.026, 0.777, 1.9]> : " + T,
              f"  %c = call @chain(%x) : ({T}) -> {T}",
              f"  %o = call @one(%x) : ({T}) -> {T}",
              "  %cu = tensor.cast %c : " + T + " to tensor<*xf32>",
              "  %ou = tensor.cast %o : " + T + " to tensor<*xf32>",
              "  call @printMemrefF32(%cu) : (tensor<*xf32>) -> ()",
              "  call @printMemrefF32(%ou) : (tensor<*xf32>) -> ()",
              "  return", "}"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
