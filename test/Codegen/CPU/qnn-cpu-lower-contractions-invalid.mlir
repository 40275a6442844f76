// RUN: quant-opt %s --qnn-cpu-lower-contractions --verify-diagnostics

// The backend reads the target from the module (--qnn-compile and
// quant-compile attach it).
// expected-error @+1 {{no 'qnn_cpu.target' attribute: run --qnn-cpu-attach-target first}}
module {
  func.func @f() {
    return
  }
}
