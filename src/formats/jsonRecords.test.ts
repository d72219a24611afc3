import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, JsonStreamError, type JsonRecord } from './jsonRecords';

/** Runs the splitter over `pieces`; the records and head it gives, or the problem it stops at. */
function split(pieces: string[], lists: string[]) {
  const s = new JsonRecordSplitter(lists);
  const records: JsonRecord[] = [];
  try {
    for (const p of pieces) records.push(...s.push(p));
    s.end();
  } catch (e) {
    if (e instanceof JsonStreamError) return { problem: e.problem };
    throw e;
  }
  return { records, head: s.head, root: s.root };
}

// Strings holding the characters the scanner watches ({ } [ ] , : " and escapes), numbers with
// exponents, nesting, empty lists and objects: the expected values are JSON.parse's own.
const DOC = `\uFEFF{ "type" : "FeatureCollection", "granula": {"a": [1, {"b": "x,]}"}], "c": null},
  "features": [ {"type":"Feature","id":"q\\"u{o}te","geometry":{"type":"Point","coordinates":[1.5e3,-2]}},
    [], {}, "s\\\\", 12.5e-1 , true, null,{"k":"\\u00e9[,"}],
  "empty": [], "n": -0.25, "s": "]" }`;

describe('JsonRecordSplitter', () => {
  const whole = JSON.parse(DOC.slice(1)) as Record<string, unknown>;
  const expected = {
    records: (whole.features as unknown[]).map((value, index) => ({ key: 'features', index, value })),
    head: { type: whole.type, granula: whole.granula, n: whole.n, s: whole.s },
    root: 'object',
  };

  it('gives the elements of the named lists as JSON.parse reads them, the rest whole, however the text is cut', () => {
    for (let cut = 0; cut <= DOC.length; cut++) {
      expect(split([DOC.slice(0, cut), DOC.slice(cut)], ['features', 'empty']), `cut at ${cut}`).toEqual(expected);
    }
    expect(split([...DOC], ['features', 'empty'])).toEqual(expected);
  });

  it('keeps a list whole when it is not named', () => {
    const r = split([DOC], ['empty']);
    expect(r.records).toEqual([]);
    expect(r.head).toEqual({ ...expected.head, features: whole.features });
  });

  it('streams the elements of a root list', () => {
    const text = '[{"a":1}, [2,3] ,"x"]';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(split([text.slice(0, cut), text.slice(cut)], [])).toEqual({ records: (JSON.parse(text) as unknown[]).map((value, index) => ({ key: '', index, value })), head: {}, root: 'list' });
    }
  });

  it('says where a broken element is', () => {
    expect(split(['{"features":[{"a":1},{"a":}]}'], ['features']).problem).toEqual({ path: 'features[1]', message: expect.stringMatching(/^is not JSON \(from character 22\): /) });
    expect(split(['[1,,2]'], []).problem).toEqual({ path: '(file)', message: 'is not JSON: a list element is missing at character 4' });
    expect(split(['{"a":1 "b":2}'], []).problem).toEqual({ path: 'a', message: expect.stringMatching(/^is not JSON \(from character 6\): /) });
  });

  it('refuses a document that stops early, is empty, or goes on after its end', () => {
    expect(split(['{"features":[{"a":1}'], ['features']).problem).toEqual({ path: '(file)', message: 'ends before the JSON document does' });
    expect(split(['  '], []).problem).toEqual({ path: '(file)', message: 'is empty' });
    expect(split(['{} {}'], []).problem).toEqual({ path: '(file)', message: 'is not JSON: unexpected text after the document at character 4' });
    expect(split(['"text"'], []).problem).toEqual({ path: '(file)', message: 'is not JSON: a JSON document starts with { or [ at character 1' });
  });
});
