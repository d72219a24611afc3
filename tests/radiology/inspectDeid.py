"""What pydicom sees in DICOM files, for the de-identification test: every value of every element
(sequences walked), the UIDs that link a series, the pixel bytes' digest and the private tags.
usage: inspectDeid.py FILE... ; prints a JSON list, one object per file."""
import hashlib, json, sys
import pydicom

def walk(ds, out):
    for elem in ds:
        if elem.VR == "SQ":
            for item in elem.value:
                walk(item, out)
        elif elem.tag != 0x7FE00010:
            out.append({"tag": "%08X" % elem.tag, "vr": elem.VR, "value": str(elem.value)})

result = []
for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    elements = []
    walk(ds.file_meta, elements)
    walk(ds, elements)
    refs = [item.ReferencedSOPInstanceUID for item in ds.get("ReferencedImageSequence", [])]
    related = [item.StudyInstanceUID for item in ds.get("RelatedSeriesSequence", [])]
    result.append({
        "path": path,
        "elements": elements,
        "private": sum(1 for e in ds.iterall() if e.tag.is_private),
        "study": ds.StudyInstanceUID, "series": ds.SeriesInstanceUID, "sop": ds.SOPInstanceUID,
        "mediaSop": ds.file_meta.MediaStorageSOPInstanceUID, "frameOfReference": ds.get("FrameOfReferenceUID"),
        "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
        "references": refs, "relatedStudies": related, "patientId": ds.PatientID,
        "identityRemoved": ds.get("PatientIdentityRemoved"),
        "pixels": hashlib.sha256(ds.PixelData).hexdigest(),
    })
print(json.dumps(result))
