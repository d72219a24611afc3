import type { AttributeDef, LabelClass, LabelSchema } from './types';

export type TemplateId = 'pathology-cells' | 'endoscopy-lesions' | 'fundus-diagnosis' | 'radiology-ct-findings' | 'blank';

const T0 = '2026-01-01T00:00:00.000Z';

function cls(id: string, en: string, ja: string, color: string, hotkey: string, extra: Partial<LabelClass> = {}): LabelClass {
  return { id, name: { en, ja }, color, hotkey, attributes: [], ...extra };
}

const parisClass: AttributeDef = {
  id: 'paris',
  name: { en: 'Paris classification', ja: 'Paris分類' },
  type: 'enum',
  required: true,
  options: [
    { id: '0-Ip', name: { en: '0-Ip (pedunculated)', ja: '0-Ip（有茎性）' } },
    { id: '0-Isp', name: { en: '0-Isp (subpedunculated)', ja: '0-Isp（亜有茎性）' } },
    { id: '0-Is', name: { en: '0-Is (sessile)', ja: '0-Is（無茎性）' } },
    { id: '0-IIa', name: { en: '0-IIa (slightly elevated)', ja: '0-IIa（表面隆起型）' } },
    { id: '0-IIb', name: { en: '0-IIb (flat)', ja: '0-IIb（表面平坦型）' } },
    { id: '0-IIc', name: { en: '0-IIc (slightly depressed)', ja: '0-IIc（表面陥凹型）' } },
    { id: '0-III', name: { en: '0-III (excavated)', ja: '0-III（陥凹型）' } },
  ],
};

const niceType: AttributeDef = {
  id: 'nice',
  name: { en: 'NICE type', ja: 'NICE分類' },
  type: 'enum',
  required: false,
  options: [
    { id: '1', name: { en: 'Type 1 (hyperplastic)', ja: 'Type 1（過形成）' } },
    { id: '2', name: { en: 'Type 2 (adenoma)', ja: 'Type 2（腺腫）' } },
    { id: '3', name: { en: 'Type 3 (deep submucosal invasive cancer)', ja: 'Type 3（SM深部浸潤癌）' } },
  ],
};

const sizeMm: AttributeDef = { id: 'size_mm', name: { en: 'Estimated size (mm)', ja: '推定径（mm）' }, type: 'number', required: false, min: 0, max: 200 };

export function templateSchema(template: TemplateId, schemaId: string, createdAt = T0): LabelSchema {
  switch (template) {
    case 'pathology-cells':
      return {
        id: schemaId,
        version: 1,
        name: { en: 'Pathology: cell-level outlines', ja: '病理：細胞レベル輪郭' },
        purpose: 'Cell-by-cell nucleus outlines and tissue regions on H&E whole-slide images, for nucleus detection and classification models.',
        granularity: 'polygon',
        selection: 'single',
        classes: [
          cls('tumor-cell', 'Tumour cell', '腫瘍細胞', '#d62728', '1', { objectKind: 'cell', code: { system: 'SNOMED CT', value: '252987000' } }),
          cls('lymphocyte', 'Lymphocyte', 'リンパ球', '#1f77b4', '2', { objectKind: 'cell', code: { system: 'SNOMED CT', value: '56972008' } }),
          cls('stromal-cell', 'Stromal cell', '間質細胞', '#2ca02c', '3', { objectKind: 'cell' }),
          cls('other-cell', 'Other cell', 'その他の細胞', '#9467bd', '4', { objectKind: 'cell' }),
          cls('tumor-region', 'Tumour region', '腫瘍領域', '#ff7f0e', '5', { objectKind: 'region' }),
          cls('stroma-region', 'Stroma region', '間質領域', '#17becf', '6', { objectKind: 'region' }),
          cls('necrosis', 'Necrosis', '壊死', '#7f7f7f', '7', { objectKind: 'region' }),
        ],
        createdAt,
      };
    case 'endoscopy-lesions':
      return {
        id: schemaId,
        version: 1,
        name: { en: 'Endoscopy: lesion boxes', ja: '内視鏡：病変ボックス' },
        purpose: 'Rough boxes around colorectal lesions in endoscopy frames, with Paris and NICE classification, for lesion detection models.',
        granularity: 'box',
        selection: 'single',
        classes: [
          cls('polyp', 'Polyp', 'ポリープ', '#e377c2', '1', { attributes: [parisClass, niceType, sizeMm], code: { system: 'ICD-10', value: 'K63.5' } }),
          cls('cancer', 'Suspected cancer', '癌疑い', '#d62728', '2', { attributes: [parisClass, sizeMm], code: { system: 'ICD-10', value: 'C18.9' } }),
          cls('other-lesion', 'Other lesion', 'その他の病変', '#bcbd22', '3', {
            attributes: [{ id: 'comment', name: { en: 'Comment', ja: 'コメント' }, type: 'text', required: false }],
          }),
        ],
        createdAt,
      };
    case 'fundus-diagnosis':
      return {
        id: schemaId,
        version: 1,
        name: { en: 'Fundus: diagnosis', ja: '眼底：診断' },
        purpose: 'One diagnosis per fundus photograph, with the diabetic retinopathy grade, for screening models.',
        granularity: 'image',
        selection: 'single',
        grade: {
          id: 'dr-grade',
          name: { en: 'Diabetic retinopathy grade', ja: '糖尿病網膜症グレード' },
          required: false,
          // Only a diabetic retinopathy label is graded: a grade beside "glaucoma suspect" means nothing.
          classes: ['diabetic-retinopathy'],
          levels: [
            { value: 0, name: { en: '0 No DR', ja: '0 網膜症なし' } },
            { value: 1, name: { en: '1 Mild NPDR', ja: '1 軽症非増殖' } },
            { value: 2, name: { en: '2 Moderate NPDR', ja: '2 中等症非増殖' } },
            { value: 3, name: { en: '3 Severe NPDR', ja: '3 重症非増殖' } },
            { value: 4, name: { en: '4 Proliferative DR', ja: '4 増殖網膜症' } },
          ],
        },
        classes: [
          cls('normal', 'Normal', '正常', '#2ca02c', '1'),
          cls('glaucoma-suspect', 'Glaucoma suspect', '緑内障疑い', '#1f77b4', '2', { code: { system: 'ICD-10', value: 'H40.0' } }),
          cls('diabetic-retinopathy', 'Diabetic retinopathy', '糖尿病網膜症', '#d62728', '3', { code: { system: 'ICD-10', value: 'H36.0' } }),
          cls('amd', 'Age-related macular degeneration', '加齢黄斑変性', '#ff7f0e', '4', { code: { system: 'ICD-10', value: 'H35.3' } }),
          cls('other', 'Other / ungradable', 'その他・判定不能', '#7f7f7f', '5'),
        ],
        createdAt,
      };
    case 'radiology-ct-findings':
      return {
        id: schemaId,
        version: 1,
        name: { en: 'CT/MR: findings on slices', ja: 'CT/MR：スライス上の所見' },
        purpose: 'Outlines, boxes and points around findings on CT and MR slices, with their size in mm, for detection and segmentation models; exported as DICOM SR measurement reports too.',
        granularity: 'polygon',
        selection: 'single',
        classes: [
          cls('nodule', 'Nodule', '結節', '#d62728', '1', { objectKind: 'region', code: { system: 'SNOMED CT', value: '27925004' } }),
          cls('mass', 'Mass', '腫瘤', '#ff7f0e', '2', { objectKind: 'region', code: { system: 'SNOMED CT', value: '4147007' } }),
          cls('lymph-node', 'Lymph node', 'リンパ節', '#1f77b4', '3', { objectKind: 'region', code: { system: 'SNOMED CT', value: '59441001' } }),
          cls('other-finding', 'Other finding', 'その他の所見', '#9467bd', '4', { objectKind: 'region' }),
        ],
        createdAt,
      };
    case 'blank':
      return {
        id: schemaId,
        version: 1,
        name: { en: 'New schema', ja: '新しいスキーマ' },
        purpose: '',
        granularity: 'polygon',
        selection: 'single',
        classes: [],
        createdAt,
      };
  }
}

export const TEMPLATE_IDS: readonly TemplateId[] = ['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis', 'radiology-ct-findings', 'blank'];
