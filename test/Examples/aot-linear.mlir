// The ahead-of-time example (examples/aot): the layer compiled with the
// portable loops, for this machine and for three AArch64 targets (run under
// QEMU), called from the same C program; every build prints the same codes.

// RUN: rm -rf %t && mkdir -p %t
// RUN: quant-compile %examples/aot/linear.mlir --passes='func.func(qnn-rewrite-int8)' --target=generic -o %t/generic.o --header=%t/linear.h
// RUN: %host_cc -I%t %examples/aot/main.c %t/generic.o -lm -o %t/generic
// RUN: %t/generic > %t/generic.txt
// RUN: FileCheck %s < %t/generic.txt
// RUN: quant-compile %examples/aot/linear.mlir --passes='func.func(qnn-rewrite-int8)' --target=host -o %t/host.o
// RUN: %host_cc -I%t %examples/aot/main.c %t/host.o -lm -o %t/host
// RUN: %t/host | diff %t/generic.txt -
// RUN: %if aarch64-cross %{ quant-compile %examples/aot/linear.mlir --passes='func.func(qnn-rewrite-int8)' --target=aarch64 -o %t/neon.o %}
// RUN: %if aarch64-cross %{ %aarch64_cc -I%t %examples/aot/main.c %t/neon.o -lm -o %t/neon %}
// RUN: %if aarch64-cross %{ %qemu_aarch64 %t/neon | diff %t/generic.txt - %}
// RUN: %if aarch64-cross %{ quant-compile %examples/aot/linear.mlir --passes='func.func(qnn-rewrite-int8)' --target=aarch64-dotprod -o %t/sdot.o %}
// RUN: %if aarch64-cross %{ %aarch64_cc -I%t %examples/aot/main.c %t/sdot.o -lm -o %t/sdot %}
// RUN: %if aarch64-cross %{ %qemu_aarch64 %t/sdot | diff %t/generic.txt - %}
// RUN: %if aarch64-cross %{ quant-compile %examples/aot/linear.mlir --passes='func.func(qnn-rewrite-int8)' --target=aarch64-i8mm -o %t/smmla.o %}
// RUN: %if aarch64-cross %{ %aarch64_cc -I%t %examples/aot/main.c %t/smmla.o -lm -o %t/smmla %}
// RUN: %if aarch64-cross %{ %qemu_aarch64 %t/smmla | diff %t/generic.txt - %}

// CHECK: 155 160 128 128 162 252 128 141 128 128 128 128 218 185 193 128 128 133 255 211 141 128 137 128
// CHECK-NEXT: 144 128 128 187 182 142 128 167 161 187 135 128 157 128 128 139 142 150 153 140 128 144 164 128
// CHECK-NEXT: 170 134 242 161 211 135 128 128 219 128 207 128 128 128 128 154 255 133 128 207 128 216 128 139
// CHECK-NEXT: 128 151 159 128 171 128 147 128 183 128 160 138 128 134 128 134 152 159 128 138 133 128 128 128
