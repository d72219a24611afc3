"""A CT series for the bench: pydicom's CT_small.dcm (128 x 128) enlarged to SIZE x SIZE pixels,
SLICES slices 1 mm apart, one study and series, uncompressed as CT_small is.

usage: ctSeries.py OUTDIR SLICES SIZE"""
import copy, os, sys
import numpy as np
import pydicom
from pydicom.uid import generate_uid

out, slices, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
src = pydicom.dcmread(os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files", "CT_small.dcm"))
pixels = src.pixel_array
f = size // pixels.shape[0]
big = np.kron(pixels, np.ones((f, f), dtype=pixels.dtype))
study, series = generate_uid(), generate_uid()
x0, y0, z0 = (float(v) for v in src.ImagePositionPatient)
os.makedirs(out, exist_ok=True)
for i in range(slices):
    d = copy.deepcopy(src)
    d.StudyInstanceUID, d.SeriesInstanceUID = study, series
    d.SOPInstanceUID = generate_uid()
    d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
    d.Rows = d.Columns = size
    d.PixelSpacing = [float(src.PixelSpacing[0]) / f, float(src.PixelSpacing[1]) / f]
    d.ImagePositionPatient = [x0, y0, z0 + i]
    d.SliceThickness = 1.0
    d.InstanceNumber = i + 1
    d.PixelData = big.tobytes()
    d.save_as(os.path.join(out, "ct%04d.dcm" % i))
print(out)
