#!/usr/bin/env bash
#===- setup.sh - Install the Debian packages quant-mlir needs -------------===#
#
# Installs, only when missing, the Debian 12 packages the build and the tests
# need. Run as root (or through sudo). Nothing is downloaded from anywhere but
# the configured Debian archives.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

packages=(
  # Toolchain: LLVM/MLIR 22 headers, CMake configs, libMLIR.so and tools.
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  # clang's sanitizer runtimes, for the ASan/UBSan build (README).
  libclang-rt-22-dev
  # Build system.
  cmake ninja-build ccache
  # Google Benchmark and oneDNN, for benchmarks/; matplotlib renders the
  # results. Debian's oneDNN CMake package (built with an OpenCL GPU runtime)
  # needs the OpenCL development files to configure.
  libbenchmark-dev libdnnl-dev ocl-icd-opencl-dev opencl-c-headers
  python3-matplotlib
  # Cross compilation to AArch64 and running the result, for the tests of
  # quant-compile.
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  # The ONNX importer (quant-translate --import-onnx) reads models with
  # ONNX's protobuf schema; its tests run ONNX's own backend node tests.
  libonnx-dev libprotobuf-dev libonnx-testdata
  # lit runs under python3.
  python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
