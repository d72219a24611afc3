/**
 * De-identification of a DICOM file by PS3.15 Annex E's Basic Application Level Confidentiality
 * Profile (the table in deidProfile.ts): identifying attributes removed or emptied, private
 * attributes removed, UIDs replaced consistently within a project, Patient ID replaced by the
 * project's pseudonym — and Pixel Data copied byte for byte, encapsulated or not.
 *
 * The writer is ours rather than dcmjs's: it only re-emits elements the parser already holds as
 * bytes (in the file's own transfer syntax, so no data dictionary is needed for implicit VR), and
 * copies Pixel Data without decoding it; dcmjs would round-trip every value through its naturalised
 * form and its dictionary, which is where bit-identity and unknown VRs get lost.
 */
import { deflateSync } from 'fflate';
import { hmacKey, pseudonymise } from '../model/pseudonym';
import { DEFLATED_EXPLICIT_VR_LE, items, parseDicomFile, tag, text, type DicomDataset } from '../slides/dicomDataset';
import { DicomWriter, partTenFile, textValue, type SequenceElement } from './dicomWriter';
import { SlideFormatError } from '../slides/types';
import { BASIC_PROFILE, type DeidAction } from './deidProfile';
import { encapsulatedItems } from './frames';

const ACTIONS = new Map<number, DeidAction>(BASIC_PROFILE.map(([g, e, , action]) => [tag(g, e), action]));

const PATIENT_ID = tag(0x0010, 0x0020);
const BURNED_IN_ANNOTATION = tag(0x0028, 0x0301);
const PATIENT_IDENTITY_REMOVED = tag(0x0012, 0x0062);
const DEIDENTIFICATION_METHOD = tag(0x0012, 0x0063);
const MEDIA_STORAGE_SOP_INSTANCE_UID = tag(0x0002, 0x0003);
const SOP_INSTANCE_UID = tag(0x0008, 0x0018);
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
// LO: at most 64 characters.
export const DEIDENTIFICATION_METHOD_TEXT = 'DICOM PS3.15 E.1 Basic Profile, by Granula';

/** What the profile says of a tag outside its table: curve data and overlay data and comments go too. */
function actionFor(t: number): DeidAction | undefined {
  const group = t >>> 16;
  if ((group & 0xff00) === 0x5000) return 'X';
  if ((group & 0xff00) === 0x6000 && ((t & 0xffff) === 0x3000 || (t & 0xffff) === 0x4000)) return 'X';
  return ACTIONS.get(t);
}

/**
 * New UIDs as `2.25.` and a 128-bit number (PS3.5 B.2): the first 128 bits of HMAC-SHA-256 of the
 * old UID under the project's key. The same UID always maps to the same new one in a project, so a
 * study sent in two batches stays one study, and without the key nobody can go back.
 */
export class UidMapper {
  private readonly key: Promise<CryptoKey>;
  private readonly known = new Map<string, string>();
  constructor(key: Uint8Array) {
    this.key = hmacKey(key);
  }
  async map(uid: string): Promise<string> {
    const cached = this.known.get(uid);
    if (cached) return cached;
    const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', await this.key, new TextEncoder().encode(`uid\u0000${uid}`)));
    let n = 0n;
    for (const b of mac.subarray(0, 16)) n = (n << 8n) | BigInt(b);
    const mapped = `2.25.${n}`;
    this.known.set(uid, mapped);
    return mapped;
  }
}


export interface Deidentified {
  bytes: Uint8Array;
  /** The new SOP Instance UID (empty when the file has none). */
  sopInstanceUid: string;
  /** For the user: a burned-in annotation flagged by the header, a missing Patient ID. */
  warnings: string[];
}

/** The profile's D: a value that the VR allows and that says nothing (PS3.15 E.1.1: "a non-zero length dummy value"). */
function dummyValue(vr: string): Uint8Array {
  switch (vr) {
    case 'DA':
      return textValue('19000101', vr);
    case 'TM':
      return textValue('000000', vr);
    case 'DT':
      return textValue('19000101000000', vr);
    case 'DS':
    case 'IS':
      return textValue('0', vr);
    case 'AS':
      return textValue('000Y', vr);
    case 'US':
    case 'SS':
      return new Uint8Array(2);
    case 'UL':
    case 'SL':
    case 'FL':
      return new Uint8Array(4);
    case 'FD':
    case 'SV':
    case 'UV':
      return new Uint8Array(8);
    default:
      // Text VRs, and bytes (OB, UN): a word that identifies nobody.
      return textValue('REMOVED', vr);
  }
}

async function deidDataset(ds: DicomDataset, uids: UidMapper): Promise<DicomDataset> {
  const out: DicomDataset = new Map();
  for (const [t, element] of ds) {
    // Private attributes (odd groups) go whole: their content is unknown, so it may identify.
    if ((t >>> 16) % 2 === 1) continue;
    const action = actionFor(t);
    if (action === 'X') continue;
    if (action === 'Z') {
      out.set(t, { ...element, value: new Uint8Array(0) });
    } else if (action === 'D') {
      out.set(t, { vr: element.vr, value: dummyValue(element.vr) });
    } else if (action === 'U') {
      const old = text(ds, t) ?? '';
      const mapped = await Promise.all(old.split('\\').filter(Boolean).map((u) => uids.map(u.trim())));
      // Written as UI whatever VR it came with (an attribute newer than the writer's dictionary arrives as UN or LO).
      out.set(t, { vr: 'UI', value: textValue(mapped.join('\\'), 'UI') });
    } else if (element.vr === 'SQ') {
      const kept = await Promise.all(items(ds, t).map((item) => deidDataset(item, uids)));
      out.set(t, { ...element, value: new Uint8Array(0), items: kept } as SequenceElement);
    } else {
      out.set(t, element);
    }
  }
  return out;
}

/**
 * `bytes` (a DICOM Part 10 file) de-identified under the project's key, in its own transfer
 * syntax. Throws, naming `name`, for a file that is not DICOM or cannot be parsed.
 */
export async function deidentify(bytes: Uint8Array, name: string, key: Uint8Array, uids = new UidMapper(key)): Promise<Deidentified> {
  const file = parseDicomFile(bytes, name);
  if (!file) throw new SlideFormatError(`${name}: is not a DICOM Part 10 file (no DICM after the 128-byte preamble)`);
  const { meta, dataset, transferSyntax, pixelData } = file.header;
  const warnings: string[] = [];
  if (text(dataset, BURNED_IN_ANNOTATION)?.toUpperCase() === 'YES') {
    warnings.push('Burned In Annotation is YES: identifying text may be in the pixels, which de-identification does not change');
  }
  const out = await deidDataset(dataset, uids);
  const clearId = text(dataset, PATIENT_ID) ?? '';
  if (clearId) out.set(PATIENT_ID, { vr: 'LO', value: textValue(await pseudonymise(key, clearId), 'LO') });
  else warnings.push('has no Patient ID: it is linked to no patient');
  out.set(PATIENT_IDENTITY_REMOVED, { vr: 'CS', value: textValue('YES', 'CS') });
  out.set(DEIDENTIFICATION_METHOD, { vr: 'LO', value: textValue(DEIDENTIFICATION_METHOD_TEXT, 'LO') });

  const newMeta: DicomDataset = new Map(meta);
  newMeta.delete(tag(0x0002, 0x0000));
  const sop = text(meta, MEDIA_STORAGE_SOP_INSTANCE_UID);
  if (sop) newMeta.set(MEDIA_STORAGE_SOP_INSTANCE_UID, { vr: 'UI', value: textValue(await uids.map(sop), 'UI') });
  const explicit = transferSyntax !== IMPLICIT_VR_LE;
  const body = new DicomWriter(explicit);
  body.dataset(out);
  if (pixelData) {
    // The Pixel Data element copied whole, header to end: bytes unchanged, encapsulated or not.
    // Anything after it (trailing padding, digital signatures) is dropped: the profile removes both.
    const start = pixelData.valueOffset - (explicit ? 12 : 8);
    const end = pixelData.length === undefined ? encapsulatedItems(file.bytes, pixelData.valueOffset, name).end : pixelData.valueOffset + pixelData.length;
    body.bytes(file.bytes.subarray(start, end));
  }
  let dataBytes = body.concat();
  if (transferSyntax === DEFLATED_EXPLICIT_VR_LE) dataBytes = deflateSync(dataBytes);
  const result = partTenFile(newMeta, dataBytes);
  return { bytes: result, sopInstanceUid: text(out, SOP_INSTANCE_UID) ?? '', warnings };
}
