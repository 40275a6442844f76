/*===- xnor_reference.c - A plain C xnor-popcount binary GEMM -------------===*
 *
 * Part of the quant-mlir project, under the Apache License v2.0 with LLVM
 * Exceptions. See https://llvm.org/LICENSE.txt for license information.
 * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
 *
 *===----------------------------------------------------------------------===*
 *
 * The baseline qnn-bench-binary compares the binary kernels with: the loop
 * anyone would write, on 64-bit words, compiled by clang -O3 -march=native
 * (benchmarks/CMakeLists.txt), which vectorizes the popcount as the target
 * allows.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

void xnor_gemm_reference(const uint64_t *a, const uint64_t *b, int32_t *c,
                         int64_t m, int64_t n, int64_t words, int64_t k) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      int64_t count = 0;
      for (int64_t w = 0; w < words; ++w)
        count += __builtin_popcountll(a[i * words + w] ^ b[j * words + w]);
      c[i * n + j] = (int32_t)(k - 2 * count);
    }
}
