func.func @f(%b: tensor<8xf32>, %e: tensor<5x8xf32>, %t: tensor<8x5xf32>) -> tensor<5x8xf32> {
  %0 = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<5x8xf32>) dimensions = [0, ]
  return %0 : tensor<5x8xf32>
}
