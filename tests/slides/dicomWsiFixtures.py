"""Test-time DICOM WSI fixtures and reference values, written with pydicom.

  dicomWsiFixtures.py variants JPEG_DIR RGB_DIR OUT_DIR
      From the Orthanc dicomizer's output, writes the layouts other scanners write: TILED_FULL with
      Image Type, an Extended Offset Table, frames in two fragments with and without a Basic
      Offset Table, an objective lens power, LABEL, OVERVIEW and THUMBNAIL images; a sparse level with missing frames; RGB JPEG
      frames without the Adobe marker or R, G, B component ids; truncated files; a transfer syntax
      the reader refuses. Prints facts about the broken files.
  dicomWsiFixtures.py reference DIR...
      Prints, per folder, per file: what pydicom reads (sizes, frames, spacing, positions, and a
      SHA-1 of each frame's bytes, or of its RGB pixels when uncompressed).
"""
import copy
import hashlib
import json
import os
import shutil
import sys

import pydicom
from pydicom.encaps import encapsulate, encapsulate_extended, generate_pixel_data_frame
from pydicom.uid import generate_uid


def frames_of(ds):
    return list(generate_pixel_data_frame(ds.PixelData, int(ds.NumberOfFrames)))


def set_frames(ds, frames, has_bot=True, fragments_per_frame=1):
    ds.PixelData = encapsulate(frames, fragments_per_frame=fragments_per_frame, has_bot=has_bot)
    ds.NumberOfFrames = len(frames)


def new_instance(ds):
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID


def plain_rgb(jpeg):
    """The RGB-coded frame as some scanners write it: no APP14 Adobe segment, and components
    numbered 1, 2, 3 rather than 'R', 'G', 'B' (which libjpeg would take as a hint of RGB)."""
    out = bytearray(jpeg[:2])
    pos = 2
    while True:
        marker = jpeg[pos + 1]
        length = int.from_bytes(jpeg[pos + 2:pos + 4], 'big')
        segment = bytearray(jpeg[pos:pos + 2 + length])
        if marker == 0xC0:  # SOF0: 8 bytes, then 3 bytes a component starting with its id
            for c in range(segment[9]):
                segment[10 + 3 * c] = c + 1
        if marker == 0xDA:  # SOS: 5 bytes, then 2 bytes a component starting with its id
            for c in range(segment[4]):
                segment[5 + 2 * c] = c + 1
            return bytes(out + segment + jpeg[pos + 2 + length:])
        if marker != 0xEE:
            out += segment
        pos += 2 + length


def add_private_un_sequence(path):
    """Puts a private sequence written as UN of undefined length (its items in implicit VR, as
    PS3.5 6.2.2 has it) before Patient ID, as files passed through a tool that did not know it are."""
    raw = open(path, 'rb').read()
    at = raw.index(b'\x10\x00\x20\x00LO')  # (0010,0020) Patient ID, explicit VR
    creator = b'\x09\x00\x10\x00LO\x08\x00GRANULA '
    item = b'\x09\x00\x01\x10\x04\x00\x00\x00abcd'  # (0009,1001), implicit VR, 4 bytes
    sequence = (b'\x09\x00\x10\x10UN\x00\x00\xff\xff\xff\xff'
                + b'\xfe\xff\x00\xe0\xff\xff\xff\xff' + item + b'\xfe\xff\x0d\xe0\x00\x00\x00\x00'
                + b'\xfe\xff\xdd\xe0\x00\x00\x00\x00')
    open(path, 'wb').write(raw[:at] + creator + sequence + raw[at:])


def by_width(folder):
    files = sorted(os.listdir(folder))
    sets = [(pydicom.dcmread(os.path.join(folder, f)), f) for f in files]
    return sorted(sets, key=lambda p: -int(p[0].TotalPixelMatrixColumns))


def fragment_ends(path, ds):
    """(start, end) of each fragment item after the Basic Offset Table, from the bytes on disk."""
    raw = open(path, 'rb').read()
    at = raw.rfind(b'\xe0\x7f\x10\x00OB') + 12
    at += 8 + int.from_bytes(raw[at + 4:at + 8], 'little')
    spans = []
    while raw[at:at + 4] == b'\xfe\xff\x00\xe0':
        end = at + 8 + int.from_bytes(raw[at + 4:at + 8], 'little')
        spans.append((at, end))
        at = end
    return spans


def variants(jpeg_dir, rgb_dir, out):
    facts = {}
    levels = by_width(jpeg_dir)

    full = os.path.join(out, 'full')
    os.makedirs(full)
    for i, (ds, name) in enumerate(levels):
        ds = copy.deepcopy(ds)
        ds.ImageType = ['ORIGINAL', 'PRIMARY', 'VOLUME', 'NONE']
        ds.DimensionOrganizationType = 'TILED_FULL'
        del ds.PerFrameFunctionalGroupsSequence
        if i == 0:
            ds.OpticalPathSequence[0].ObjectiveLensPower = 20
        if i == 1:
            data, offsets, lengths = encapsulate_extended(frames_of(ds))
            ds.PixelData = data
            ds.ExtendedOffsetTable = offsets
            ds.ExtendedOffsetTableLengths = lengths
        if i == 2:
            set_frames(ds, frames_of(ds), has_bot=False, fragments_per_frame=2)
        if i == 3:
            set_frames(ds, frames_of(ds), fragments_per_frame=2)
        ds.save_as(os.path.join(full, name))
    add_private_un_sequence(os.path.join(full, levels[0][1]))
    for kind, source in (('LABEL', levels[-1][0]), ('OVERVIEW', levels[-2][0]), ('THUMBNAIL', levels[-1][0])):
        ds = copy.deepcopy(source)
        new_instance(ds)
        ds.ImageType = ['DERIVED', 'PRIMARY', kind, 'RESAMPLED' if kind == 'THUMBNAIL' else 'NONE']
        ds.save_as(os.path.join(full, kind.lower() + '.dcm'))

    # The Orthanc layout (frame positions per frame), level 1 missing its first and sixth frames.
    sparse = os.path.join(out, 'sparse')
    shutil.copytree(jpeg_dir, sparse)
    ds, name = levels[1]
    ds = copy.deepcopy(ds)
    keep = [f for f in range(int(ds.NumberOfFrames)) if f not in (0, 5)]
    frames = frames_of(ds)
    ds.PerFrameFunctionalGroupsSequence = [ds.PerFrameFunctionalGroupsSequence[f] for f in keep]
    set_frames(ds, [frames[f] for f in keep])
    ds.save_as(os.path.join(sparse, name))

    rgb = os.path.join(out, 'rgb')
    os.makedirs(rgb)
    for ds, name in by_width(rgb_dir):
        set_frames(ds, [plain_rgb(f) for f in frames_of(ds)])
        ds.save_as(os.path.join(rgb, name))

    # Level 0 cut short by 10000 bytes: with its Basic Offset Table, and with an empty one.
    ds, name = levels[0]
    for folder, has_bot in (('truncated', True), ('truncated-no-offsets', False)):
        path = os.path.join(out, folder, name)
        shutil.copytree(jpeg_dir, os.path.join(out, folder))
        if not has_bot:
            copied = copy.deepcopy(ds)
            set_frames(copied, frames_of(copied), has_bot=False)
            copied.save_as(path)
        spans = fragment_ends(path, ds)
        size = os.path.getsize(path) - 10000
        with open(path, 'r+b') as f:
            f.truncate(size)
        facts[folder] = {
            'file': name,
            'size': size,
            'frames': int(ds.NumberOfFrames),
            # 1-based: the first fragment that no longer fits in the file.
            'firstCutFragment': next(i + 1 for i, (_, end) in enumerate(spans) if end > size),
        }

    rle = os.path.join(out, 'rle')
    os.makedirs(rle)
    ds, name = levels[-1]
    ds = copy.deepcopy(ds)
    ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2.5'
    ds.save_as(os.path.join(rle, name))
    facts['rle'] = {'file': name}

    # A header cut inside the per-frame functional groups.
    cut = os.path.join(out, 'cut-header')
    os.makedirs(cut)
    ds, name = levels[0]
    raw = open(os.path.join(jpeg_dir, name), 'rb').read()
    open(os.path.join(cut, name), 'wb').write(raw[:8000])
    # The top-level element the cut falls in: the last one that starts before byte 8000 (pydicom
    # keeps where each started: file_tell for the parsed sequences, value_tell for the rest).
    whole = pydicom.dcmread(os.path.join(jpeg_dir, name), stop_before_pixels=True)
    start = lambda e: e.file_tell if hasattr(e, 'file_tell') else e.value_tell
    cut_in = max((e for e in whole._dict.values() if start(e) < 8000), key=start)
    facts['cut-header'] = {'file': name, 'size': 8000, 'element': '(%04X,%04X)' % (cut_in.tag.group, cut_in.tag.element)}
    print(json.dumps(facts))


def describe(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        try:
            ds = pydicom.dcmread(path)
        except pydicom.errors.InvalidDicomError:
            continue
        spacing = ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing
        entry = {
            'name': name,
            'transferSyntax': str(ds.file_meta.TransferSyntaxUID),
            'imageType': list(ds.ImageType) if 'ImageType' in ds else None,
            'series': str(ds.SeriesInstanceUID),
            'rows': int(ds.Rows),
            'columns': int(ds.Columns),
            'totalColumns': int(ds.TotalPixelMatrixColumns),
            'totalRows': int(ds.TotalPixelMatrixRows),
            'frames': int(ds.NumberOfFrames),
            'pixelSpacing': [float(v) for v in spacing],
            'objectiveLensPower': float(ds.OpticalPathSequence[0].get('ObjectiveLensPower', 0)) or None,
            'concatenationFrameOffset': int(ds.get('ConcatenationFrameOffsetNumber', 0)),
            'positions': [
                [int(f.PlanePositionSlideSequence[0].ColumnPositionInTotalImagePixelMatrix), int(f.PlanePositionSlideSequence[0].RowPositionInTotalImagePixelMatrix)]
                for f in ds.PerFrameFunctionalGroupsSequence
            ] if 'PerFrameFunctionalGroupsSequence' in ds else None,
        }
        if ds.file_meta.TransferSyntaxUID.is_compressed:
            entry['frameSha1'] = [hashlib.sha1(f).hexdigest() for f in frames_of(ds)]
        else:
            pixels = ds.pixel_array.reshape(int(ds.NumberOfFrames), int(ds.Rows), int(ds.Columns), 3)
            entry['frameSha1'] = [hashlib.sha1(p.tobytes()).hexdigest() for p in pixels]
        out.append(entry)
    return out


def reference(folders):
    print(json.dumps({folder: describe(folder) for folder in folders}))


if __name__ == '__main__':
    command, *args = sys.argv[1:]
    if command == 'variants':
        variants(*args)
    else:
        reference(args)
