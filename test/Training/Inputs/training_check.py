#!/usr/bin/python3
"""Checks of adjoint-run --train's files, for the lit tests.

usage:
  training_check.py split DATA_DIR OUT_DIR N [--nchw]
      writes OUT_DIR/{train,val}_{x,label}.npy: the first N samples of
      data/digits and the rest (images_nchw.npy with --nchw)
  training_check.py csv LOG.csv EPOCHS [--min-val-accuracy A]
      [--first-loss FILE.npy]
      checks the header and one row per epoch with numbers in range; the
      last row's val_accuracy >= A; the first row's loss equals the mean of
      FILE.npy (the per-step losses of a fixture), rtol 1e-4
  training_check.py svg FILE.svg PANELS
      checks that FILE is well-formed SVG with PANELS panels, each with
      axes, tick labels and at least one polyline with points
Exits 1 with a message on the first failed check.
"""

import csv
import math
import sys
import xml.etree.ElementTree as ET

import numpy as np

SVG = "{http://www.w3.org/2000/svg}"


def fail(message):
    print("training_check: " + message)
    sys.exit(1)


def split(args):
    data, out, n = args[0], args[1], int(args[2])
    nchw = "--nchw" in args
    x = np.load(data + ("/images_nchw.npy" if nchw else "/images.npy"))
    y = np.load(data + "/labels.npy")
    for name, arr in (("train_x", x[:n]), ("train_label", y[:n]),
                      ("val_x", x[n:]), ("val_label", y[n:])):
        np.save(out + "/" + name + ".npy", np.ascontiguousarray(arr))


def check_csv(args):
    path, epochs = args[0], int(args[1])
    min_acc = None
    first_loss = None
    if "--min-val-accuracy" in args:
        min_acc = float(args[args.index("--min-val-accuracy") + 1])
    if "--first-loss" in args:
        first_loss = np.load(args[args.index("--first-loss") + 1])
    with open(path) as f:
        rows = list(csv.reader(f))
    if rows[0] != ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]:
        fail("bad header %r" % rows[0])
    if len(rows) != epochs + 1:
        fail("expected %d rows, got %d" % (epochs, len(rows) - 1))
    for row in rows[1:]:
        if len(row) != 5:
            fail("bad row %r" % row)
        for value in row[1:]:
            if value and not math.isfinite(float(value)):
                fail("not a finite number in %r" % row)
        for value in (row[2], row[4]):
            if value and not 0 <= float(value) <= 1:
                fail("accuracy out of range in %r" % row)
    if min_acc is not None:
        acc = float(rows[-1][4])
        if acc < min_acc:
            fail("val_accuracy %.4f < %.4f" % (acc, min_acc))
        print("val_accuracy %.4f >= %.2f" % (acc, min_acc))
    if first_loss is not None:
        expected = float(np.mean(first_loss.astype(np.float64)))
        actual = float(rows[1][1])
        if abs(actual - expected) > 1e-4 * abs(expected):
            fail("epoch loss %.8g != mean of the fixture's %.8g" %
                 (actual, expected))


def check_svg(args):
    path, panels = args[0], int(args[1])
    root = ET.parse(path).getroot()
    if root.tag != SVG + "svg":
        fail("root element is %s, not svg" % root.tag)
    groups = root.findall(SVG + "g")
    if len(groups) != panels:
        fail("expected %d panels, got %d" % (panels, len(groups)))
    for g in groups:
        texts = [t.text for t in g.iter(SVG + "text")]
        if "epoch" not in texts:
            fail("a panel has no 'epoch' axis label")
        numbers = [t for t in texts if t and t.replace(".", "").isdigit()]
        if len(numbers) < 4:
            fail("a panel has fewer than 4 tick labels")
        lines = g.findall(SVG + "polyline")
        if not lines or not all(l.get("points") for l in lines):
            fail("a panel has no curve")


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    {"split": split, "csv": check_csv, "svg": check_svg}[command](args)


if __name__ == "__main__":
    main()
