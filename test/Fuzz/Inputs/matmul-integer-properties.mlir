func.func @f(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = linalg.matmul<[[5, 2], [0, 2]]> : tensor<2x2xi8>
  return %y : tensor<2x2xf32>
}
