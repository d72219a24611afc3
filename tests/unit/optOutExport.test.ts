// The opt-out list names patients (by pseudonym): it must never leave the browser in an export.
import { describe, expect, it } from 'vitest';
import { excludeOptedOut } from '../../src/formats/optOut';
import { sampleProjectData } from '../../src/formats/testData';
import { writeAny } from '../../src/formats/writeAny';

describe('the opt-out list itself is never exported', () => {
  it('when some images are left out, the exported project carries no opt-out list', () => {
    const data = sampleProjectData('fundus-diagnosis');
    data.project.optOut = [data.images[0].patientKey!];
    const out = excludeOptedOut(data);
    expect(out.excludedImages).toBe(1);
    expect(writeAny(out.data, 'shared').files[0].text).not.toContain(data.images[0].patientKey!);
  });

  it('when no image is left out, the exported project still carries no opt-out list', () => {
    const data = sampleProjectData('fundus-diagnosis');
    data.project.optOut = ['pk-aaaaaaaaaaaaaaaaaaaaaaaaaa'];
    const out = excludeOptedOut(data);
    expect(out.excludedImages).toBe(0);
    expect(writeAny(out.data, 'shared').files[0].text).not.toContain('pk-aaaaaaaaaaaaaaaaaaaaaaaaaa');
  });
});
