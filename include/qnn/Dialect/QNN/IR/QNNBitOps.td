//===- QNNBitOps.td - Bit-packed operations -----------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Binary values packed one per bit, and the contractions that compute on
// them with xor and popcount. Included by QNNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNBITOPS_TD
#define QNN_DIALECT_QNN_IR_QNNBITOPS_TD

/// Words of packed bits.
def QNN_WordTensor : RankedTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// BitpackOp
//===----------------------------------------------------------------------===//

def QNN_BitpackOp : QNN_Op<"bitpack", [Pure]> {
  let summary = "pack the signs of a tensor, one bit per element";
  let description = [{
    Packs the innermost dimension of `input` (the reduction axis of the
    binary contraction that reads it) into words of `W` bits, the width of
    the result's element type (`i32` or `i64`). All other dimensions are
    kept. The layout:

    - **bit value**: `1` when `x < 0` (the value `-1`), `0` otherwise (the
      value `+1`). Zero (`+0.0` and `-0.0`) packs as `+1`, as
      `qnn.binarize` maps it; `NaN` packs as `+1`;
    - **bit order**: element `k` of a row is bit `k mod W` of word
      `k div W`, counting from the least significant bit;
    - **padding**: when `K` (the innermost size) is not a multiple of `W`,
      the `W * ceil(K / W) - K` bits past the last element are `0` in the
      last word.

    Zero padding is what makes the binary contractions exact: two operands
    padded with zeros have equal padding bits, which add nothing to the
    popcount of their xor, so `K - 2 * popcount(a xor b)` over all words
    is the dot product of the `K` real elements.

    Folds to a constant when `input` is one, and `bitpack(bitunpack(p))`
    to `p` when `K` is a multiple of `W` (no padding bits to clear).

    Constraints:
    - (C1) `rank(output) = rank(input) >= 1`, equal sizes in every
      dimension but the innermost.
    - (C2) the innermost size `K` of `input` is static, and the innermost
      size of `output` is `ceil(K / W)`.

    Example:

    ```mlir
    %p = qnn.bitpack %x : tensor<8x100xf32> -> tensor<8x4xi32>
    ```
  }];
  let arguments = (ins QNN_FloatTensor:$input);
  let results = (outs QNN_WordTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// BitunpackOp
//===----------------------------------------------------------------------===//

def QNN_BitunpackOp : QNN_Op<"bitunpack", [Pure]> {
  let summary = "unpack bits into -1 and +1";
  let description = [{
    The inverse of `qnn.bitpack`: element `k` of a row of the result is
    `-1.0` when bit `k mod W` of word `k div W` is set, and `+1.0`
    otherwise. The `K` elements of the result's innermost dimension read
    the first `K` bits; padding bits are ignored. Folds to a constant when
    `input` is one.

    Constraints:
    - (C1) `rank(output) = rank(input) >= 1`, equal sizes in every
      dimension but the innermost.
    - (C2) the innermost size `K` of `output` is static, and the innermost
      size of `input` is `ceil(K / W)`.

    Example:

    ```mlir
    %x = qnn.bitunpack %p : tensor<8x4xi32> -> tensor<8x100xf32>
    ```
  }];
  let arguments = (ins QNN_WordTensor:$input);
  let results = (outs QNN_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// BinaryMatmulOp
//===----------------------------------------------------------------------===//

def QNN_BinaryMatmulOp : QNN_Op<"binary_matmul", [Pure]> {
  let summary = "dot products of packed -1/+1 vectors (xnor-popcount)";
  let description = [{
    The matmul of two binary matrices packed by `qnn.bitpack` along their
    reduction: `lhs` is `M x KW` (rows of activations), `rhs` is `N x KW`
    (one row of weights per output channel), both of `KW = ceil(K / W)`
    words, and

    ```
    out[m, n] = K - 2 * sum_w popcount(lhs[m, w] xor rhs[n, w])
    ```

    which is `sum_k a[m, k] * b[n, k]` over the `K` elements in
    `{-1, +1}` that the words hold, when the padding bits past `K` are
    equal in both operands (`qnn.bitpack` writes zeros). The result is
    exact in `i32`.

    The per-channel scales of the binarized operands, a bias or batch norm
    folded into them, and the activation's binarization for the next layer
    are element-wise operations on the result, which the CPU kernels apply
    before storing it.

    The words may hold more than the `K` values, as a convolution's rows
    hold each window position's channels in whole words: every bit past
    the values must be equal in both operands (zero, as `qnn.bitpack`
    pads).

    Constraints:
    - (C1) `lhs` and `rhs` have the same word type and the same number
      `KW` of words per row, `KW >= ceil(k / W)`, `k >= 1`.
    - (C2) the result is `M x N`.

    Example:

    ```mlir
    %d = qnn.binary_matmul %a, %w k = 100
           : tensor<8x4xi32>, tensor<256x4xi32> -> tensor<8x256xi32>
    ```
  }];
  let arguments = (ins
    2DTensorOf<[I32, I64]>:$lhs,
    2DTensorOf<[I32, I64]>:$rhs,
    I64Attr:$k
  );
  let results = (outs 2DTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs `k` `=` $k attr-dict `:` type($lhs) `,` type($rhs) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// TernaryMatmulOp
//===----------------------------------------------------------------------===//

def QNN_TernaryMatmulOp : QNN_Op<"ternary_matmul", [Pure]> {
  let summary = "dot products of packed -1/+1 vectors with -1/0/+1 weights";
  let description = [{
    The matmul of binary activations packed by `qnn.bitpack` (`lhs`,
    `M x KW`) and ternary weights held as two bit planes of `N x KW` words:
    `signs` (bit set for `-1`, as `qnn.bitpack` packs) and `mask` (bit set
    where the weight is not `0`):

    ```
    out[m, n] = sum_w popcount(mask[n, w])
                - 2 * sum_w popcount((lhs[m, w] xor signs[n, w]) and mask[n, w])
    ```

    which is `sum_k a[m, k] * t[n, k]` over the `K` elements when the
    mask's bits past `K` are zero (the other operands' padding bits are
    masked out). The result is exact in `i32`.

    Constraints:
    - (C1) the three operands have the same word type and the same number
      `KW >= ceil(k / W)` of words per row, `k >= 1`; `signs` and `mask`
      have the same shape.
    - (C2) the result is `M x N`.

    Example:

    ```mlir
    %d = qnn.ternary_matmul %a, %s, %z k = 100
           : tensor<8x4xi32>, tensor<64x4xi32>, tensor<64x4xi32>
          -> tensor<8x64xi32>
    ```
  }];
  let arguments = (ins
    2DTensorOf<[I32, I64]>:$lhs,
    2DTensorOf<[I32, I64]>:$signs,
    2DTensorOf<[I32, I64]>:$mask,
    I64Attr:$k
  );
  let results = (outs 2DTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $lhs `,` $signs `,` $mask `k` `=` $k attr-dict `:` type($lhs) `,`
    type($signs) `,` type($mask) `->` type($output)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNBITOPS_TD
