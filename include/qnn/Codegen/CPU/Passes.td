//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The CPU backend: on buffers, after bufferization. It lowers the named
// contractions of the contract (docs/Codegen.md) to the target's kernels.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CPU_PASSES_TD
#define QNN_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNCPUAttachTargetPass : Pass<"qnn-cpu-attach-target", "ModuleOp"> {
  let summary = "Record the machine to generate code for on the module";
  let description = [{
    Sets the module attribute `qnn_cpu.target` to the `target` option,
    with `host` resolved to the most capable target the running CPU
    supports. Every later pass of the CPU backend reads it.

    ```mlir
    module attributes {qnn_cpu.target = #qnn_cpu.target<"x86-avx512-vnni">} {
    }
    ```
  }];
  let options = [
    Option<"target", "target", "::mlir::qnn::cpu::Target",
           /*default=*/"::mlir::qnn::cpu::Target::host",
           "Machine to generate code for (see qnn_cpu.target)">,
  ];
  let dependentDialects = ["::mlir::qnn::cpu::QNNCPUDialect"];
}

def QNNCPULowerContractionsPass
    : Pass<"qnn-cpu-lower-contractions", "ModuleOp"> {
  let summary = "Lower named integer and f32 contractions to packed, "
                "register-tiled kernels on the target's instructions";
  let description = [{
    Runs on buffers, after bufferization (`--qnn-compile` runs it), for the
    target in the module's `qnn_cpu.target` attribute. It lowers the named
    contractions of the contract between the quantize stage and the backend
    (docs/Codegen.md): `linalg.quantized_matmul`,
    `linalg.quantized_batch_matmul`, `linalg.conv_2d_nhwc_hwcf_q`,
    `linalg.conv_2d_nhwc_fhwc_q`, `linalg.conv_2d_nchw_fchw_q` and
    `linalg.depthwise_conv_2d_nhwc_hwc_q` on i8 codes into i32 (and a plain
    `linalg.matmul` of i8 into i32), and their f32 counterparts, with unit
    innermost strides and static shapes but for a batch known at run time.
    Each becomes register-tiled loops around its kernel family's
    instruction:

    | target | int8 instruction | accumulator | tile (rows x columns) |
    |---|---|---|---|
    | `x86-avx512-vnni` | `vpdpbusd` (u8 x s8, 4 steps) | 16 x i32 | 6 x 64 |
    | `x86-64-v3` | `vpmaddwd` (i16 x i16, 2 steps) | 8 x i32 | 4 x 16 |
    | `aarch64-dotprod` | `sdot` (4 steps) | 4 x i32 | 4 x 16 |
    | `aarch64-i8mm` | `smmla` (2x8 by 8x2) | 2x2 x i32 | 8 x 8 |
    | `aarch64` | widening multiply-add | 4 x i32 | 4 x 16 |

    The binary contraction `qnn.binary_matmul` lowers to (a `linalg.generic`
    subtracting `2 * popcount(x xor w)` per 32-bit word from accumulators
    filled with `k`) runs on the binary kernel family: one word of a row
    broadcast to every lane, xored with one word of each channel, then

    | target | binary instructions | accumulator | tile |
    |---|---|---|---|
    | `x86-avx512-vnni` | `vpxord`, `vpshufb` nibble-table popcount, `vpdpbusd` by -2 | 16 x i32 | 4 x 64 |
    | `x86-avx512-bitalg` | `vpxord`, `vpopcntb`, `vpdpbusd` by -2 | 16 x i32 | 4 x 64 |
    | `x86-64-v3` | `vpxor`, `vpshufb` popcount, shift and subtract | 8 x i32 | 2 x 16 |
    | `aarch64-dotprod`, `aarch64-i8mm` | `eor`, `cnt`, `sdot` by -2 | 4 x i32 | 3 x 16 |
    | `aarch64` | `eor`, `cnt`, `uaddlp`, shift and subtract | 4 x i32 | 3 x 16 |

    with the packed weights in `[N/cols][words][cols]` order and `k` the
    correction each tile starts from; the epilogue (the scales of the
    binarized operands and the bias) is fused as for int8. When the fused
    epilogue's f32 output is read only by the lowering of `qnn.bitpack`
    (the next binary layer's input: the channels, innermost, split into
    whole words), the kernel writes the words instead: `y < 0` of each
    epilogue vector as a mask, ored into the zero-filled words at bit
    `channel mod W`, for any kernel family; a remark says so, or why the
    packing stays a loop of its own (`pack-signs=false` keeps it always).

    `generic` leaves every contraction to portable loops. Constant weights
    are packed at compile time, `w - zw` in `[N/cols][K/steps][cols][steps]`
    order (zero-padded), into a private constant `memref.global`; weights
    of integer matmuls known only at run time are packed by the kernel into
    a buffer it allocates. When `w - zw` does not fit the operand, a matmul
    packs the codes and applies `zw` per row. A convolution is an implicit
    GEMM: one row per output pixel, the reduction over (kh, kw, c) with
    the channels padded to whole groups, the input read in place.
    Activation bytes are flipped to the instruction's signedness; that
    offset and the activation zero point fold into one i32 correction per
    output channel, added to the accumulators before the reduction (a zero
    point computed at run time multiplies column sums). A sign flip (u8
    codes entering the signed named op) that only the contraction reads is
    folded: the kernel reads the u8 codes. A constant per-channel initial
    value set right before (a `linalg.fill`, or the `linalg.broadcast` of a
    bias) joins the corrections and the op goes. Reductions whose weight
    panel exceeds 64 KiB run in blocks. When the reduction runs in one
    block and the accumulators' only reader is the next all-parallel
    element-wise `linalg.generic` (the requantization) into a fresh
    allocation, its body is applied to each accumulator vector before it
    is stored. It may read the accumulators as they are or, for a patch
    matmul, their rows as the convolution's pixels (an `expand_shape`),
    and otherwise values per position or vectors of channels (a bias, a
    residual, a correction per output position) that nothing writes
    between the contraction and it. Integer arithmetic wraps, so the results are exactly those
    of the contraction. Depthwise convolutions run their channels across
    the vector lanes instead.

    f32 contractions use the same tiles with one f32 lane per output and a
    separate multiply and add (no FMA), summing in the portable loops'
    order, so the results are bit-identical to them.

    Every matmul or convolution that does not end on integer kernels gets a
    remark that says why, unless the target is `generic`: "left to portable
    loops: <reason>", or for a float one on the f32 kernels "float
    contraction on f32 kernels: <reason>" (the reason `--qnn-rewrite-int8`
    left in its `qnn.not_quantized` attribute, or "not quantized"). With
    `summary`, one remark on the module counts them:
    `contractions: N on integer kernels, N integer on portable loops, N
    float on f32 kernels, N float on portable loops`.
  }];
  let options = [
    Option<"summary", "summary", "bool", /*default=*/"false",
           "Emit one remark counting the contractions on integer kernels, "
           "f32 kernels and portable loops">,
    Option<"packSigns", "pack-signs", "bool", /*default=*/"true",
           "Let a kernel whose output only feeds the next binary layer write "
           "its packed signs (false: write f32 and pack in a loop of its "
           "own)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::arm_neon::ArmNeonDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def QNNReadOnlyArgumentsPass
    : Pass<"qnn-read-only-arguments", "ModuleOp"> {
  let summary = "Keep bufferization from writing into function arguments";
  let description = [{
    One-shot bufferization with function boundaries treats the buffers of
    tensor arguments as writable: `y = exp(x)` on f32 then computed in
    place, and a C caller found its input overwritten. This pass marks
    every tensor argument of every function with a body
    `bufferization.writable = false` (unless it is already marked), so
    that a result that would reuse an argument's buffer gets its own.
    `--qnn-compile` runs it before bufferizing; a network's layers read
    their input once into codes of another type, so it costs them
    nothing.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def QNNConstantsToGlobalsPass
    : Pass<"qnn-constants-to-globals", "ModuleOp"> {
  let summary = "Give tensor constants their globals in program order";
  let description = [{
    One-shot bufferization turns each tensor `arith.constant` into a
    `memref.global` named after its type (`@__constant_4x8xi8`, then
    `_0`, `_1` ...), in the order in which it visits the functions, which
    depends on where they sit in memory: compiling the same file twice
    gave globals in other orders and with other names. This pass creates
    those globals first, in the order the constants appear in the module
    (equal values share one), and replaces each constant by
    `bufferization.to_tensor` (`restrict`, not writable) of its
    `memref.get_global`, which bufferization keeps as it is. The output of
    `--qnn-compile` is then the same from run to run.

    ```mlir
    %w = arith.constant dense<[1, 2]> : tensor<2xi8>
    // becomes
    memref.global "private" constant @__constant_2xi8 : memref<2xi8> = dense<[1, 2]> {alignment = 64 : i64}
    %m = memref.get_global @__constant_2xi8 : memref<2xi8>
    %w = bufferization.to_tensor %m restrict : memref<2xi8> to tensor<2xi8>
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def QNNFreeKnownBuffersPass
    : Pass<"qnn-free-known-buffers", "func::FuncOp"> {
  let summary = "Free the buffers of bufferization.dealloc that alias no "
                "retained value, in linear time";
  let description = [{
    Ownership-based deallocation ends a function with one
    `bufferization.dealloc` listing every buffer it allocated. Upstream's
    `--buffer-deallocation-simplification` compares each pair of them
    for aliasing: a function of 10,000 operations spent minutes there.
    This pass runs before it and settles, in one walk, every entry whose
    buffer is known: the base of a `memref.alloc` (through views and
    `memref.extract_strided_metadata`) that no retained value comes from.
    Such a buffer gets one `memref.dealloc` when one of its entries has a
    constant true condition; entries with a constant false condition
    whose buffer is an argument or a global are dropped. The dealloc keeps
    the entries it cannot settle, or goes away when none are left (its
    results, the ownership of retained values, are then `false`).

    A dealloc is left unchanged when a retained value or an entry comes
    from an operation the pass cannot see through (a call, a select, a
    block argument other than the function's), since it may alias any
    buffer.

    ```mlir
    %a = memref.alloc() : memref<4xf32>
    %r = memref.alloc() : memref<4xf32>
    %base, %o, %s, %t = memref.extract_strided_metadata %a : ...
    %own = bufferization.dealloc (%base, %r' : ...) if (%true, %true)
        retain (%r : memref<4xf32>)
    // becomes
    memref.dealloc %a : memref<4xf32>
    %own = bufferization.dealloc (%r' : ...) if (%true) retain (%r : ...)
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def QNNCPUCheckShapesPass : Pass<"qnn-cpu-check-shapes", "ModuleOp"> {
  let summary = "Reject shapes no CPU can run: inconsistent linalg loop "
                "sizes and buffers beyond the address space";
  let description = [{
    Runs first in `--qnn-compile` and `--qnn-lower-int8-kernels`. Upstream
    verifiers accept a `linalg` op whose operands give one loop two static
    sizes (a 2x100000 activation times 0x16 weights): its loops would read
    out of bounds. This pass reports, at the op, each loop dimension whose
    static sizes disagree between operands (dimensions indexed by one loop
    variable; convolution windows are not compared).

    It also reports every value, block argument and `memref.global` of
    static shape larger than 2^48 bytes (the virtual address space of
    x86-64 and AArch64), whose buffer could never be allocated.

    ```mlir
    // error: 'linalg.generic' op loop d2 has size 0 in operand #1
    //        but 100000 in operand #0
    ```
  }];
}

def QNNCPUDetachElementwiseOutputsPass
    : Pass<"qnn-cpu-detach-elementwise-outputs", "func::FuncOp"> {
  let summary = "Give element-wise linalg.generic ops a tensor.empty "
                "output when their body does not read it";
  let description = [{
    `--convert-elementwise-to-linalg` writes each element-wise op into its
    first operand (`outs(%a)`), which one-shot bufferization then tries to
    reuse in place: along a chain of additions every decision compares
    the whole chain of aliases, and a function of 1,000 such ops spent
    five seconds in bufferization. This pass replaces the output of each
    all-parallel `linalg.generic` on tensors whose body does not read it
    by a `tensor.empty` of the same shape: the op writes a buffer of its
    own, and `--qnn-cpu-plan-buffers` later reuses memory between buffers
    whose lifetimes do not overlap.

    ```mlir
    %s = linalg.generic {...} ins(%a, %b : ...) outs(%a : tensor<16xf32>)
    // becomes
    %e = tensor.empty() : tensor<16xf32>
    %s = linalg.generic {...} ins(%a, %b : ...) outs(%e : tensor<16xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def QNNExpandCopiesPass : Pass<"qnn-expand-copies", "func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    The LLVM lowering of `memref.copy` calls `memrefCopy` from the MLIR
    runtime library unless source and target both have identity layouts.
    This pass rewrites every other copy (into or out of a strided view, as
    `tensor.pad` bufferizes) into loops, so that code compiled by
    `--qnn-compile` and `quant-compile` needs nothing but libc: static
    views with contiguous rows become `scf.for` loops over rows, each row a
    contiguous `memref.copy` (a `memcpy`); other views become
    `linalg.copy`. Contiguous copies stay as they are.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect"];
}

def QNNCPUSplitGroupedConvolutionsPass
    : Pass<"qnn-cpu-split-grouped-convolutions", "func::FuncOp"> {
  let summary = "Run grouped and multiplier depthwise convolutions as one "
                "convolution per group";
  let description = [{
    The kernels take ungrouped convolutions and depthwise convolutions
    without a channel multiplier. This pass rewrites, on tensors, the
    upstream ops they do not take into those they do, float and integer
    alike:

    - `linalg.conv_2d_ngchw_gfchw{_q}` into one `conv_2d_nchw_fchw{_q}`
      per group, and `linalg.conv_2d_nhwgc_gfhwc{_q}` into one
      `conv_2d_nhwc_fhwc{_q}` per group (torch-mlir's and IREE's grouped
      convolutions, the group a dimension of its own);
    - `linalg.depthwise_conv_2d_nhwc_hwcm{_q}` with a multiplier M above 1
      (TOSA's depthwise convolution, TFLite's `depth_multiplier`) into one
      `depthwise_conv_2d_nhwc_hwc{_q}` per multiplier index, which computes
      every M-th output channel; or, when M exceeds the number of input
      channels C, into one `conv_2d_nhwc_hwcf{_q}` per input channel (one
      input channel, M filters, a contiguous copy of the channel's
      activations), so that the kernels vectorize over the larger of C
      and M.

    Each piece reads the `tensor.extract_slice` of its group of the input
    and of the initial value and writes the `tensor.insert_slice` of its
    group of the result, so that bufferization keeps everything in place.
    Constant weights are sliced at compile time and stay constants. Ops
    with a dynamic group count or multiplier are left alone.

    ```mlir
    %0 = linalg.conv_2d_ngchw_gfchw
           ins(%x, %w : tensor<1x2x8x10x10xf32>, tensor<2x4x8x3x3xf32>)
           outs(%init : tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32>
    // becomes, for g = 0 and 1:
    %xg = tensor.extract_slice %x[0, g, 0, 0, 0] [1, 1, 8, 10, 10] [...]
    %yg = linalg.conv_2d_nchw_fchw ins(%xg, %wg ...) outs(%initg ...)
    %r = tensor.insert_slice %yg into %init[0, g, 0, 0, 0] [1, 1, 4, 8, 8]
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QNNCPUFlattenElementwisePass
    : Pass<"qnn-cpu-flatten-elementwise", "func::FuncOp"> {
  let summary = "Turn element-wise linalg ops on whole buffers into 1-D "
                "loops";
  let description = [{
    A quantization of a 1x32x32x16 activation is four nested loops whose
    innermost runs 16 times: LLVM unrolls it and vectorizes the loop above
    with gathers and scatters. This pass collapses the iteration space of
    every all-parallel `linalg.generic` on buffers with identity layouts
    to one dimension (or, when an operand is broadcast along the last
    dimension, such as a per-channel scale, all dimensions but the last),
    with `memref.collapse_shape` on its operands, so the loop LLVM
    vectorizes is long and contiguous. Generics that read `linalg.index`,
    or whose indexing maps do not keep the dimensions together, are left
    alone.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def QNNCPUFuseBitEpiloguesPass
    : Pass<"qnn-cpu-fuse-bit-epilogues", "func::FuncOp"> {
  let summary = "Fuse the element-wise chain after a binary or ternary "
                "contraction into one generic";
  let description = [{
    On tensors, before bufferization: the element-wise `linalg.generic`
    that reads the result of a binary or ternary contraction (the
    lowering of `qnn.binary_matmul` or `qnn.ternary_matmul`, directly or
    through a convolution's reshape) absorbs its chain of element-wise
    consumers (a batch norm, an activation, the quantization of the output
    for an int8 layer) with upstream's element-wise fusion: one body
    computing the same operations on the same values, which
    `--qnn-cpu-lower-contractions` then applies to the accumulators before
    storing them, so a binary layer feeding an int8 layer writes int8
    codes directly.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def QNNCPUVectorizeBitpackPass
    : Pass<"qnn-cpu-vectorize-bitpack", "func::FuncOp"> {
  let summary = "Pack the sign bits of a word with one vector compare";
  let description = [{
    `qnn.bitpack` lowers to a reduction over the bits of each word, one
    compare, shift, select and or per element. On buffers, this pass turns
    that reduction (on f32 elements) into one vector compare of the word's
    `W` elements with `0.0`, whose `W`-bit mask is bitcast to the word and
    or-ed into the output: a `vcmpps` into a mask register and a `kmov` on
    AVX-512, `vcmpps` and `vmovmskps` on AVX2. The results are the same
    bits.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def QNNCPUPolynomialExpPass : Pass<"qnn-cpu-polynomial-exp", "func::FuncOp"> {
  let summary = "Compute f32 math.exp with a polynomial LLVM can vectorize";
  let description = [{
    `math.exp` on f32 becomes a call to libm's `expf`, which LLVM does not
    vectorize: the exponentials of a float softmax between quantizations
    (attention) ran one at a time, 10% of a BERT layer. This pass rewrites
    them into upstream MLIR's polynomial approximation (range reduction
    by ln 2 and a polynomial, the `math-polynomial-approximation`
    patterns restricted to `exp`), plain arithmetic that vectorizes.
    Its error against libm's `expf` is documented in docs/Codegen.md.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def QNNCPUOutlineLoopNestsPass
    : Pass<"qnn-cpu-outline-loop-nests", "ModuleOp"> {
  let summary = "Move each loop nest of a large function into a function "
                "of its own";
  let description = [{
    A whole network in one function hands LLVM one function with hundreds
    of loop nests, and LLVM's loop passes (IndVarSimplify above all) are
    superlinear in the size of a function: MobileNetV2 spent 33 of its
    63 seconds of `opt -O3` in its one model function. This pass moves
    every top-level operation that is or holds a loop or a linalg op (a
    kernel's loops, a linalg op before it becomes loops, an `scf.if` around
    them; not a conditional deallocation) of each function with
    more than `min-loop-nests` of them into a private function of its own,
    `__qnn_loops_<function>_<N>`, called in its place and marked `noinline` so that
    LLVM optimizes the pieces one by one. Values the nest reads become
    arguments, but for index and vector constants (loop bounds), which are
    cloned in; the nests have no results after bufferization, and a nest
    that has results stays where it is. Strided views are passed with a
    dynamic offset. Nests that compute the same (layers of the same
    shapes, which differ in their weights, scales and offsets, all
    arguments; the groups of a grouped convolution) then have equivalent
    bodies, and they share one function: ResNet-50's 108 kernels become
    fewer functions for LLVM to optimize. Buffers passed to a nest that
    alias none of its other buffers (different allocations, or at most one
    buffer from the caller's arguments) are listed in
    `qnn_cpu.noalias_pointers`, which `--qnn-cpu-finalize-llvm` turns into
    `llvm.noalias`: LLVM then needs no overlap checks to vectorize them.

    Small functions are left alone: the call costs nothing next to a loop
    nest, but the IR of a few layers reads better in one piece.
  }];
  let options = [
    Option<"minLoopNests", "min-loop-nests", "unsigned", /*default=*/"16",
           "Outline the loop nests of functions with more than this many">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def QNNCPUPlanBuffersPass : Pass<"qnn-cpu-plan-buffers", "func::FuncOp"> {
  let summary = "Place a function's intermediate buffers in one arena";
  let description = [{
    Bufferization gives every intermediate tensor of a network a
    `memref.alloc` and a `memref.dealloc` after its last use: hundreds of
    mallocs per call, the large ones `mmap`ed and returned to the kernel by
    glibc each time, so that every call page-faults its activations in
    again (ResNet-50 spent half its time in the kernel's page-fault path).
    This pass gives the statically shaped buffers of the function's body
    one allocation per call, an arena, and each of them a fixed offset in
    it (`memref.view`), chosen so that buffers whose lifetimes overlap do
    not overlap in memory: a buffer lives from its allocation to the last
    top-level operation that uses it or any buffer made from it (a view, a
    transpose, a cast, a call's result). Their deallocations
    go; the arena is freed before the function returns. Buffers that
    nothing but their deallocation uses (the accumulators a kernel
    absorbed) disappear.

    Left alone: dynamically shaped buffers, buffers with a non-identity
    layout or memory space, and buffers that escape through the function's
    results or a region's yield. Callees must not keep pointers to their
    arguments past their return, which holds for the functions
    `--qnn-compile` makes. Offsets are multiples of 64 bytes (or of the
    allocation's larger alignment).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def QNNCPUFinalizeLLVMPass : Pass<"qnn-cpu-finalize-llvm", "ModuleOp"> {
  let summary = "Check that only the LLVM dialect is left and drop the "
                "code generation attributes";
  let description = [{
    The last pass of `--qnn-compile`. It fails, naming the operation, when
    anything but `llvm` operations (and the LLVM intrinsics of `arm_neon`)
    is left in the module, so that a model the pipeline could not lower is
    an error rather than output that only fails at `mlir-translate`. It
    then removes `qnn_cpu.target` and turns each function's
    `qnn_cpu.noalias_pointers` into `llvm.noalias` on the pointer
    arguments it names (an error if one is not a pointer): the module is
    plain LLVM dialect, which `mlir-translate` and `mlir-runner` read.
  }];
}

#endif // QNN_CODEGEN_CPU_PASSES_TD
