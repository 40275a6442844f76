#!/usr/bin/env bash
#===- mca-binary.sh - llvm-mca estimates of the AArch64 bit kernels ------===#
#
# Compiles a binary and a ternary matmul (64 x 1024 bits by 64 channels) for
# the AArch64 targets, takes the innermost loop of each kernel from the
# assembly and prints, as a Markdown section, llvm-mca's estimate of its
# cycles per iteration on neoverse-n1 against the bound of its `cnt`
# instructions (two per cycle on Neoverse N1's two ASIMD pipes).
#
#   bash scripts/mca-binary.sh [build-dir]
#
#===----------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build}
llvm=/usr/lib/llvm-22
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/binary.mlir" <<'MLIR'
func.func @binary(%x: tensor<64x32xi32>) -> tensor<64x64xi32> {
  %w = arith.constant dense<1431655765> : tensor<64x32xi32>
  %d = qnn.binary_matmul %x, %w k = 1024 : tensor<64x32xi32>, tensor<64x32xi32> -> tensor<64x64xi32>
  return %d : tensor<64x64xi32>
}
MLIR
cat > "$tmp/ternary.mlir" <<'MLIR'
func.func @ternary(%x: tensor<64x32xi32>) -> tensor<64x64xi32> {
  %s = arith.constant dense<1431655765> : tensor<64x32xi32>
  %z = arith.constant dense<-1> : tensor<64x32xi32>
  %d = qnn.ternary_matmul %x, %s, %z k = 1024 : tensor<64x32xi32>, tensor<64x32xi32>, tensor<64x32xi32> -> tensor<64x64xi32>
  return %d : tensor<64x64xi32>
}
MLIR

cat > "$tmp/int8.mlir" <<'MLIR'
func.func @int8(%x: tensor<64x1024xi8>) -> tensor<64x64xi32> {
  %w = arith.constant dense<1> : tensor<1024x64xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<64x64xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<64x64xi32>) -> tensor<64x64xi32>
  %r = linalg.matmul ins(%x, %w : tensor<64x1024xi8>, tensor<1024x64xi8>) outs(%init : tensor<64x64xi32>) -> tensor<64x64xi32>
  return %r : tensor<64x64xi32>
}
MLIR

# Compiles $tmp/$1.mlir for target $2 and writes the kernel's innermost
# loop (from its header to the branch matching $3) to $tmp/loop.s.
inner_loop() {
  "$build/bin/quant-compile" "$tmp/$1.mlir" --target="$2" \
    --emit=asm -o "$tmp/$1-$2.s"
  awk -v end="$3" '/Inner Loop Header/{p=1; next} p && $0 ~ end {print; exit}
    p{print}' "$tmp/$1-$2.s" > "$tmp/loop.s"
}

echo "## AArch64 inner loops on Neoverse N1 (llvm-mca)"
echo
echo "The innermost loop of each kernel, from \`quant-compile --emit=asm\`,"
echo "through \`llvm-mca -mtriple=aarch64 -mcpu=neoverse-n1\`. One iteration"
echo "is one 32-bit word of every row of the register tile against 4"
echo "channels per accumulator. The \`cnt\` bound is the loop's \`cnt\`"
echo "instructions at two per cycle; every other vector instruction (the"
echo "\`eor\` before and the accumulation after each \`cnt\`) uses the same"
echo "two ASIMD pipes, so the reachable bound is the loop's vector"
echo "instructions at two per cycle. For comparison, the int8 kernel"
echo "(\`sdot\`, what \`ternary-kernel=int8\` runs ternary layers on) does"
echo "16 products per \`sdot\`."
echo
echo "| kernel | target | instructions | cnt | vector | cycles / iteration (mca) | cnt bound | vector bound | of vector bound | products / cycle |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for kind in binary ternary int8; do
  for target in aarch64-dotprod aarch64; do
    [[ $kind == int8 && $target == aarch64 ]] && continue
    inner_loop "$kind" "$target" 'b\\.ne'
    instructions=$(grep -cE '^\s+[a-z]' "$tmp/loop.s")
    cnt=$(grep -cE '^\s+cnt\s' "$tmp/loop.s" || true)
    # ASIMD instructions: those writing a v register (loads aside).
    vector=$(grep -E '^\s+[a-z0-9.]+\s+v[0-9]+\.' "$tmp/loop.s" |
      grep -cvE '^\s+(ld|ldr|ldp|ld1r)\s' || true)
    # Accumulators: the sdot or uaddlp-fed subtracts, one per 4 channels
    # and row of the tile.
    accs=$(grep -cE '^\s+(sdot|sub)\s+v' "$tmp/loop.s" || true)
    rthroughput=$("$llvm/bin/llvm-mca" -mtriple=aarch64 -mcpu=neoverse-n1 \
      "$tmp/loop.s" 2>/dev/null | awk '/Block RThroughput/{print $3}')
    bound=$(awk -v c="$cnt" 'BEGIN{printf "%.1f", c / 2}')
    vbound=$(awk -v c="$vector" 'BEGIN{printf "%.1f", c / 2}')
    fraction=$(awk -v b="$vbound" -v r="$rthroughput" \
      'BEGIN{printf "%.0f%%", 100 * b / r}')
    # Products per accumulator update: 4 channels x 32 bits, or for int8
    # 4 channels x 4 bytes.
    per=$([[ $kind == int8 ]] && echo 16 || echo 128)
    products=$(awk -v a="$accs" -v r="$rthroughput" -v p="$per" \
      'BEGIN{printf "%.0f", a * p / r}')
    echo "| $kind | \`$target\` | $instructions | $cnt | $vector | $rthroughput | $bound | $vbound | $fraction | $products |"
  done
done

echo
echo "## x86 inner loops: nibble table against BITALG (llvm-mca)"
echo
echo "The binary and ternary kernels' innermost loops for \`x86-avx512-vnni\`"
echo "(byte popcount from a \`vpshufb\` table per nibble) through llvm-mca on"
echo "\`cascadelake\`, and for \`x86-avx512-bitalg\` (one \`vpopcntb\`) on"
echo "\`icelake-server\`, a CPU this machine is not. The throughput bound is"
echo "llvm-mca's block reciprocal throughput; the simulated cycles are its"
echo "total cycles over 100 iterations. Each \`vpdpbusd\` accumulates one"
echo "32-bit word of one row against 16 channels: 512 bit products."
echo
echo "| kernel | target | mca CPU | instructions | vpshufb | vpopcntb | throughput bound (cycles) | simulated cycles | bit products / cycle (simulated) |"
echo "|---|---|---|---|---|---|---|---|---|"
for kind in binary ternary; do
  for pair in "x86-avx512-vnni cascadelake" "x86-avx512-bitalg icelake-server"; do
    read -r target cpu <<<"$pair"
    inner_loop "$kind" "$target" '^[[:space:]]+j[a-z]+[[:space:]]'
    instructions=$(grep -cE '^\s+[a-z]' "$tmp/loop.s")
    shufb=$(grep -cE '^\s+vpshufb\s' "$tmp/loop.s" || true)
    popcntb=$(grep -cE '^\s+vpopcntb\s' "$tmp/loop.s" || true)
    dots=$(grep -cE '^\s+vpdpbusd\s' "$tmp/loop.s" || true)
    mca=$("$llvm/bin/llvm-mca" -mtriple=x86_64 -mcpu="$cpu" "$tmp/loop.s" \
      2>/dev/null)
    rthroughput=$(awk '/Block RThroughput/{print $3}' <<<"$mca")
    cycles=$(awk '/^Iterations:/{i=$2} /^Total Cycles:/{c=$3}
      END{printf "%.1f", c / i}' <<<"$mca")
    products=$(awk -v d="$dots" -v c="$cycles" \
      'BEGIN{printf "%.0f", d * 512 / c}')
    echo "| $kind | \`$target\` | \`$cpu\` | $instructions | $shufb | $popcntb | $rthroughput | $cycles | $products |"
  done
done
