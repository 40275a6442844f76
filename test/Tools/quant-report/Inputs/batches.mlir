// Two calibration batches for report.mlir's @model.
func.func @batch0() -> tensor<2x4xf32> {
  %x = arith.constant dense<[[0.5, -1.0, 2.0, 0.25], [1.5, 0.0, -0.75, 1.0]]> : tensor<2x4xf32>
  return %x : tensor<2x4xf32>
}
func.func @batch1() -> tensor<2x4xf32> {
  %x = arith.constant dense<[[-2.0, 1.0, 0.125, 0.5], [0.0, 0.75, 1.25, -1.5]]> : tensor<2x4xf32>
  return %x : tensor<2x4xf32>
}
