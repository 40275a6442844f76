// RUN: quant-opt %s --split-input-file --verify-diagnostics

// The module attribute of the CPU backend, checked by the qnn_cpu dialect.

// expected-error @+1 {{'qnn_cpu.target' is only valid on a module}}
func.func @target_on_function() attributes {qnn_cpu.target = #qnn_cpu.target<"generic">} {
  return
}

// -----

// expected-error @+1 {{'qnn_cpu.target' must be a #qnn_cpu.target, got "generic"}}
module attributes {qnn_cpu.target = "generic"} {
}

// -----

// expected-error @+1 {{unknown attribute 'qnn_cpu.tile' of the qnn_cpu dialect}}
module attributes {qnn_cpu.tile = 4} {
}

// -----

// expected-error @+1 {{unknown target 'tpu'; expected one of host, generic, x86-64-v3, x86-avx512-vnni, aarch64, aarch64-dotprod, aarch64-i8mm, x86-avx512-bitalg}}
module attributes {qnn_cpu.target = #qnn_cpu.target<"tpu">} {
}


// -----

// expected-error @+1 {{'qnn_cpu.noalias_pointers' must be an array of argument positions on a function}}
func.func @negative_position() attributes {qnn_cpu.noalias_pointers = array<i64: -1>} {
  return
}

// -----

// expected-error @+1 {{'qnn_cpu.noalias_pointers' must be an array of argument positions on a function}}
module attributes {qnn_cpu.noalias_pointers = array<i64: 1>} {
}
