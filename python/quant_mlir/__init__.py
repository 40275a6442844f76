"""quant-mlir's Python tools: exporters from training frameworks to MLIR."""
