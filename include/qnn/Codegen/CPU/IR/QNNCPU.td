//===- QNNCPU.td - CPU code generation dialect -------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The `qnn_cpu` dialect: the attributes of CPU code generation. It has no
// operations; the module attribute `qnn_cpu.target` names the machine the
// CPU backend generates code for.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CPU_IR_QNNCPU_TD
#define QNN_CODEGEN_CPU_IR_QNNCPU_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/DialectBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def QNNCPU_Dialect : Dialect {
  let name = "qnn_cpu";
  let cppNamespace = "::mlir::qnn::cpu";
  let summary = "Attributes of quant-mlir's CPU code generation";
  let description = [{
    `qnn_cpu.target` on a module records the machine the CPU backend
    generates code for. `--qnn-cpu-attach-target` attaches it (from the
    `target` option of `--qnn-compile` or `quant-compile --target`), and
    every later pass reads it.

    ```mlir
    module attributes {qnn_cpu.target = #qnn_cpu.target<"x86-avx512-vnni">} {
    }
    ```

    `qnn_cpu.noalias_pointers` on a function lists the positions, in its
    LLVM signature (memref arguments expanded into their descriptors), of
    the aligned pointers of buffers that alias no other argument.
    `--qnn-cpu-outline-loop-nests` sets it on the functions it makes, and
    `--qnn-cpu-finalize-llvm` turns it into `llvm.noalias` on those
    arguments, which the conversion to LLVM would otherwise drop.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The name of the module attribute that holds the target.
    static constexpr ::llvm::StringLiteral getTargetAttrName() {
      return ::llvm::StringLiteral("qnn_cpu.target");
    }
    /// The name of the function attribute that lists the arguments to
    /// mark llvm.noalias once lowered.
    static constexpr ::llvm::StringLiteral getNoAliasPointersAttrName() {
      return ::llvm::StringLiteral("qnn_cpu.noalias_pointers");
    }
  }];
}

def QNNCPU_TargetEnum : I32EnumAttr<"Target",
    "a machine the CPU backend generates code for", [
      I32EnumAttrCase<"host", 0, "host">,
      I32EnumAttrCase<"generic", 1, "generic">,
      I32EnumAttrCase<"x86_64_v3", 2, "x86-64-v3">,
      I32EnumAttrCase<"x86_avx512_vnni", 3, "x86-avx512-vnni">,
      I32EnumAttrCase<"aarch64", 4, "aarch64">,
      I32EnumAttrCase<"aarch64_dotprod", 5, "aarch64-dotprod">,
      I32EnumAttrCase<"aarch64_i8mm", 6, "aarch64-i8mm">,
      I32EnumAttrCase<"x86_avx512_bitalg", 7, "x86-avx512-bitalg">
    ]> {
  let cppNamespace = "::mlir::qnn::cpu";
  let genSpecializedAttr = 0;
  let description = [{
    - `host`: the machine the compiler runs on, resolved to the most capable
      of the others that its CPU supports;
    - `generic`: portable loops for any machine;
    - `x86-64-v3`: x86-64 with AVX2 and FMA;
    - `x86-avx512-vnni`: x86-64 with AVX-512 BW and VNNI (Cascade Lake and
      later);
    - `aarch64`: AArch64 with Advanced SIMD;
    - `aarch64-dotprod`: AArch64 with the dot product extension;
    - `aarch64-i8mm`: AArch64 with the 8-bit matrix multiply extension;
    - `x86-avx512-bitalg`: `x86-avx512-vnni` with the AVX-512 BITALG and
      VPOPCNTDQ population counts (Ice Lake and later): the binary and
      ternary kernels count bits with `vpopcntb`.
  }];
}

def QNNCPU_TargetAttr : EnumAttr<QNNCPU_Dialect, QNNCPU_TargetEnum, "target"> {
  // Names with dashes are not keywords: always printed as strings.
  let assemblyFormat = "`<` custom<TargetName>($value) `>`";
}

#endif // QNN_CODEGEN_CPU_IR_QNNCPU_TD
