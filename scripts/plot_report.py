#!/usr/bin/python3
"""Renders quant-report JSON files: per layer, the SQNR against float and
the weight bytes before and after quantization, one row per model.

Usage: scripts/plot_report.py out.png name=report.json [name=report.json...]
Needs matplotlib (Debian's python3-matplotlib).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    reports = []
    for spec in specs:
        name, path = spec.split("=", 1)
        with open(path) as f:
            reports.append((name, json.load(f)))
    fig, axes = plt.subplots(len(reports), 2, figsize=(12, 2.6 * len(reports)),
                             squeeze=False)
    for row, (name, report) in enumerate(reports):
        layers = report["layers"]
        x = list(range(len(layers)))
        sqnr = [l.get("sqnr_db") or 0.0 for l in layers]
        colors = ["tab:blue" if "integer" in l["kernel"] else "tab:orange"
                  for l in layers]
        ax = axes[row][0]
        ax.bar(x, sqnr, color=colors)
        ax.set_ylabel("SQNR (dB)")
        ax.set_title(f"{name}: error against float per layer "
                     "(blue: integer kernels)", fontsize=9)
        ax.set_xticks(x)
        ax = axes[row][1]
        width = 0.4
        ax.bar([i - width / 2 for i in x],
               [l["bytes_before"] / 1024 for l in layers], width,
               label="f32")
        ax.bar([i + width / 2 for i in x],
               [l["bytes_after"] / 1024 for l in layers], width,
               label="stored")
        ax.set_ylabel("weights (KiB)")
        ax.set_title(f"{name}: weight size per layer", fontsize=9)
        ax.set_xticks(x)
        ax.legend(fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel("layer")
    fig.tight_layout()
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    main()
