func.func @f(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = linalg.matmul <"s"> ins(%a, %a : tensor<2x2xf32>, tensor<2x2xf32>) outs(%a : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
