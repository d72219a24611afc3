import { describe, expect, it } from 'vitest';
import { readAnyFormat } from '../formats/detect';
import { newProjectData } from '../model/projectFactory';
import type { ProjectData } from '../model/projectData';
import { agreementInputFromProject, mergeAgreementInputs } from './fromProject';
import { labelAgreement } from './labels';

// The hand-checked pair of cohen.test.ts: a = 1 2 3 1 2, b = 1 3 3 2 2 gives κ 7/17, linear 6/11 and
// quadratic 0.6875 on the numbers 1 < 2 < 3. Here the same pattern is written as numbers and as names.
const A = [1, 2, 3, 1, 2];
const B = [1, 3, 3, 2, 2];

function csv(name: (n: number) => string): string {
  const rows = ['image,annotator,label'];
  A.forEach((v, i) => rows.push(`im${i}.png,dr-a,${name(v)}`, `im${i}.png,dr-b,${name(B[i])}`));
  return rows.join('\n');
}

function fromCsv(text: string) {
  const r = readAnyFormat(text, 'labels.csv');
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return labelAgreement(agreementInputFromProject(r.data));
}

/** A fundus project (five diagnoses, listed normal, glaucoma suspect, DR, AMD, other) with the pattern above as classes. */
function fundus(classes: string[], grades?: number[]): ProjectData {
  const data = newProjectData({ name: 'f', template: 'fundus-diagnosis', now: 't' });
  const schema = data.schemas[0];
  A.forEach((_, i) => data.images.push({ id: `im${i}`, projectId: data.project.id, name: `im${i}.png`, modality: 'fundus', source: { kind: 'synthetic', seed: i }, width: 10, height: 10, order: i, addedAt: 't' }));
  const label = (rater: string, image: number, v: number) =>
    data.annotations.push({
      id: `${rater}-${image}`, projectId: data.project.id, imageId: `im${image}`, annotatorId: rater, classId: classes[v - 1], geometry: null, attributes: {},
      schemaId: schema.id, schemaVersion: 1, createdAt: 't', updatedAt: 't', ...(grades ? { grade: grades[v - 1] } : {}),
    });
  A.forEach((v, i) => label('dr-a', i, v));
  B.forEach((v, i) => label('dr-b', i, v));
  return data;
}

describe('which labels have an order', () => {
  it('CSV: numbers are ordered numerically, names are not ordered by where they first appear', () => {
    const numbers = fromCsv(csv(String));
    expect(numbers.ordered).toBe(true);
    expect(numbers.weighted_kappa.linear).toBeCloseTo(6 / 11, 10);
    expect(numbers.weighted_kappa.quadratic).toBeCloseTo(0.6875, 10);
    expect(numbers.krippendorff_alpha.ordinal).not.toBeNull();

    const names = fromCsv(csv((n) => ['Normal', 'Glaucoma suspect', 'AMD'][n - 1]));
    expect(names.ordered).toBe(false);
    expect(names.cohen_kappa).toBeCloseTo(7 / 17, 10);
    expect(names.krippendorff_alpha.nominal).not.toBeNull();
    expect(names.weighted_kappa).toEqual({ linear: null, quadratic: null });
    expect(names.krippendorff_alpha.ordinal).toBeNull();
    expect(names.krippendorff_alpha.interval).toBeNull();
  });

  it("schema: the class list alone is no order; a schema that declares its classes ordered gives one", () => {
    const data = fundus(['normal', 'glaucoma-suspect', 'diabetic-retinopathy']);
    const nominal = labelAgreement(agreementInputFromProject(data));
    expect(nominal.ordered).toBe(false);
    expect(nominal.cohen_kappa).toBeCloseTo(7 / 17, 10);
    expect(nominal.weighted_kappa).toEqual({ linear: null, quadratic: null });
    expect(nominal.krippendorff_alpha.ordinal).toBeNull();

    data.schemas[0] = { ...data.schemas[0], ordered: true };
    const ordered = labelAgreement(agreementInputFromProject(data));
    expect(ordered.ordered).toBe(true);
    // Ranks 0, 1, 2 in the declared order: the same weights as 1, 2, 3 (a common shift cancels).
    expect(ordered.weighted_kappa.linear).toBeCloseTo(6 / 11, 10);
    expect(ordered.weighted_kappa.quadratic).toBeCloseTo(0.6875, 10);
  });

  it("schema: the ordinal grade is ordered by its values, though the diagnoses are not", () => {
    const data = fundus(['diabetic-retinopathy', 'diabetic-retinopathy', 'diabetic-retinopathy'], [1, 2, 3]);
    const grades = labelAgreement(agreementInputFromProject(data, { label: 'grade' }));
    expect(grades.ordered).toBe(true);
    expect(grades.weighted_kappa.linear).toBeCloseTo(6 / 11, 10);
  });

  it('files: declared orders are joined, and contradicting ones give no order', () => {
    const file = (order: string[]) => ({ ratings: [], shapes: [], raters: [], classOrder: order });
    expect(mergeAgreementInputs([file(['none', 'mild']), file(['mild', 'severe']), { ratings: [], shapes: [], raters: [] }]).classOrder).toEqual(['none', 'mild', 'severe']);
    expect(mergeAgreementInputs([file(['none', 'mild']), file(['mild', 'none'])]).classOrder).toBeUndefined();
  });
});
