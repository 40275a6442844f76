/* Prints the checks of a golden network compiled ahead of time (the
 * functions test/golden/generate_binary_digits.py writes), as its @main
 * does; the declarations come from the header quant-compile writes. */

#include <stdio.h>

int main(void) {
  printf("logits mismatches: %d\n", _mlir_ciface_logits_mismatches());
  printf("prediction mismatches: %d\n", _mlir_ciface_prediction_mismatches());
  return 0;
}
