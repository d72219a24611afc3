"""A multi-slice CT series made from pydicom's CT_small.dcm, with an identifying value planted in every
attribute of the profile table passed in (JSON: [[group, element, keyword, action], ...]), in private
attributes, and in a reference from each slice to the one before it.

usage: makeCtSeries.py PROFILE_JSON OUTDIR SLICES
Prints JSON: the planted text values, the planted UIDs and each file's original UIDs."""
import json, os, sys
import pydicom
from pydicom.datadict import dictionary_VR
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid

profile = json.load(open(sys.argv[1]))
out_dir = sys.argv[2]
slices = int(sys.argv[3])
source = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files", "CT_small.dcm")

planted_text, planted_uids = [], []
numbers = iter(range(100, 10**6))

def text_for(vr, n):
    """A value that the VR allows and that appears nowhere else in the file."""
    if vr == "DA": return "1971%02d%02d" % (1 + n % 12, 1 + n % 28)
    if vr == "TM": return "13%02d%02d" % (n % 60, (n // 60) % 60)
    if vr == "DT": return "1971%02d%02d1313" % (1 + n % 12, 1 + n % 28)
    if vr == "AS": return "0%02dY" % (n % 100)
    if vr in ("CS", "AE"): return "PHI%d" % n
    if vr in ("DS", "IS"): return "97%d" % n
    if vr == "SH": return "PHI-%d" % n
    return "PHI-%d Smith^John" % n if vr == "PN" else "PHI-%d Main Street" % n

def plant(ds, group, element, n):
    t = (group << 16) | element
    try:
        vr = dictionary_VR(t).split(" or ")[0]
    except KeyError:
        vr = "LO"
    if vr == "SQ":
        item = Dataset()
        item.CodeMeaning = "PHI-%d in a sequence" % n
        planted_text.append(item.CodeMeaning)
        ds.add_new(t, vr, Sequence([item]))
    elif vr == "UI":
        uid = "1.2.826.0.1.3680043.9.7777.%d" % n
        planted_uids.append(uid)
        ds.add_new(t, vr, uid)
    elif vr in ("US", "SS", "UL", "SL", "FL", "FD"):
        ds.add_new(t, vr, 4000 + n % 1000)
    elif vr in ("OB", "OW", "UN"):
        value = ("PHI-%d" % n).encode()
        planted_text.append("PHI-%d" % n)
        ds.add_new(t, vr, value + b"\0" * (len(value) % 2))
    else:
        value = text_for(vr, n)
        if vr not in ("DA", "TM", "DT", "AS", "DS", "IS"):
            planted_text.append(value)
        ds.add_new(t, vr, value)

study_uid = generate_uid()
series_uid = generate_uid()
frame_uid = generate_uid()
files = []
previous = None
for i in range(slices):
    ds = pydicom.dcmread(source)
    n0 = next(numbers)
    for group, element, keyword, action in profile:
        if group in (0xFFFA, 0xFFFC): continue  # written after Pixel Data by no writer pydicom has
        if group in (0x0000, 0x0002, 0x0004): continue  # command, file meta and DICOMDIR groups: never in an image's dataset
        plant(ds, group, element, next(numbers))
    ds.PatientID = "PHI-PATIENT-0042"
    ds.PatientName = "PHI-Doe^Jane"
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.FrameOfReferenceUID = frame_uid
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = i + 1
    x, y, z = ds.ImagePositionPatient
    ds.ImagePositionPatient = [x, y, float(z) + 5.0 * i]
    if previous:
        ref = Dataset()
        ref.ReferencedSOPClassUID = ds.SOPClassUID
        ref.ReferencedSOPInstanceUID = previous
        ds.ReferencedImageSequence = Sequence([ref])
    # A kept sequence a reader may not know in implicit VR, holding UIDs that must be mapped.
    related = Dataset()
    related.StudyInstanceUID = study_uid
    related.SeriesInstanceUID = "1.2.826.0.1.3680043.9.7777.999999"
    planted_uids.append(related.SeriesInstanceUID)
    ds.RelatedSeriesSequence = Sequence([related])
    ds.BurnedInAnnotation = "YES" if i == 0 else "NO"
    # Private attributes: a creator and a value, and a private sequence.
    ds.add_new(0x00091010, "LO", "GRANULA TEST")
    ds.add_new(0x00091011, "LO", "PHI-private-%d" % i)
    planted_text.append("PHI-private-%d" % i)
    path = os.path.join(out_dir, "slice-%03d.dcm" % (i + 1))
    ds.save_as(path, write_like_original=False)
    files.append({"path": path, "sop": ds.SOPInstanceUID})
    previous = ds.SOPInstanceUID

print(json.dumps({"files": files, "study": study_uid, "series": series_uid, "frameOfReference": frame_uid,
                  "text": sorted(set(planted_text)), "uids": sorted(set(planted_uids))}))
