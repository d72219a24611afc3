/**
 * Debian python3-pydicom's real DICOM test files (CT_small.dcm, MR_small*.dcm and their compressed
 * variants) and pydicom's own reading of them, run at test time: the reference our reader must match.
 */
import { execFileSync } from 'node:child_process';
import { PYTHON, python } from '../slides/makeSlides';

export function pydicomTestFiles(): string {
  return python("import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files'))").trim();
}

export interface PydicomPixels {
  transferSyntax: string;
  /** pydicom's pixel_array, flattened in its own order (rows, columns, samples). */
  values: number[];
}

/**
 * `pixel_array` of one file as pydicom decodes it (raising when pydicom has no decoder for it).
 * pydicom leaves JPEG's YCbCr as it is; `rgb` converts it with pydicom's own colour conversion.
 */
export function pydicomPixels(path: string, rgb = false): PydicomPixels {
  const script = `
import json, sys, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space
d = pydicom.dcmread(sys.argv[1])
a = d.pixel_array
if sys.argv[2] == "rgb" and d.PhotometricInterpretation.startswith("YBR_FULL"):
    a = convert_color_space(a, "YBR_FULL", "RGB")
print(json.dumps({"transferSyntax": str(d.file_meta.TransferSyntaxUID), "values": a.astype("int64").ravel().tolist()}))`;
  const out = execFileSync(PYTHON, ['-c', script, path, rgb ? 'rgb' : 'stored'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out) as PydicomPixels;
}
