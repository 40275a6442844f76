/* Calls the ahead-of-time compiled layer of linear.mlir through the
 * header quant-compile wrote, and prints its output codes. */

#include "linear.h"

#include <stdio.h>
#include <stdlib.h>

enum { kRows = 4, kInputs = 32, kOutputs = 24 };

int main(void) {
  static uint8_t input[kRows][kInputs];
  for (int i = 0; i < kRows; ++i)
    for (int k = 0; k < kInputs; ++k)
      input[i][k] = (uint8_t)((i * 37 + k * 11) % 256);

  struct qnn_memref_int8_2d x = {
      (int8_t *)input, (int8_t *)input, 0, {kRows, kInputs}, {kInputs, 1}};
  struct qnn_memref_int8_2d y;
  _mlir_ciface_linear(&y, &x);

  for (int i = 0; i < kRows; ++i) {
    for (int n = 0; n < kOutputs; ++n) {
      uint8_t code = (uint8_t)y.aligned[y.offset + i * y.strides[0] +
                                         n * y.strides[1]];
      printf("%s%d", n ? " " : "", code);
    }
    printf("\n");
  }
  free(y.allocated);
  return 0;
}
