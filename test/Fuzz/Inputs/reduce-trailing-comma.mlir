func.func @f(%e: tensor<5x8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.reduce ins(%e : tensor<5x8xf32>) outs(%b : tensor<8xf32>) dimensions = [0, ]
    (%x: f32, %y: f32) {
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    }
  return %0 : tensor<8xf32>
}
