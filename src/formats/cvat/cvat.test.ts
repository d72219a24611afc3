// CVAT for images 1.1, built here as CVAT writes `annotations.xml`: the layout and example of CVAT's
// "XML annotation format" documentation (docs.cvat.ai/docs/other/xml_format: <meta><task><labels>
// with each label's name, color and attribute specs; <image id name width height> holding <box
// label xtl ytl xbr ybr occluded z_order>, <polygon points="x0,y0;x1,y1">, <polyline>, <points>,
// <tag>, <skeleton>, <mask rle left top width height>, each with <attribute name>value</attribute>).
// The mask below is that page's own example.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokenPromise, mutatedText, PROPERTY_RUNS } from '../../../tests/fixtures/formats/mutate';
import { readAnyFormat } from '../detect';
import { readCvatText } from './read';
import { parseXml } from './xml';

const NOW = '2026-03-01T00:00:00.000Z';

const XML = `<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta>
    <task>
      <id>4</id>
      <name>colonoscopy &amp; frames</name>
      <size>2</size>
      <mode>annotation</mode>
      <labels>
        <label>
          <name>polyp</name>
          <color>#FA3253</color>
          <type>any</type>
          <attributes>
            <attribute>
              <name>paris</name>
              <mutable>False</mutable>
              <input_type>select</input_type>
              <default_value>0-Is</default_value>
              <values>0-Is
0-Ip
0-IIa</values>
            </attribute>
            <attribute>
              <name>size_mm</name>
              <mutable>False</mutable>
              <input_type>number</input_type>
              <default_value>5</default_value>
              <values>1
50
1</values>
            </attribute>
            <attribute>
              <name>resected</name>
              <mutable>False</mutable>
              <input_type>checkbox</input_type>
              <default_value>false</default_value>
              <values>false</values>
            </attribute>
          </attributes>
        </label>
        <label>
          <name>bleeding</name>
          <color>#33ddff</color>
          <type>any</type>
          <attributes>
          </attributes>
        </label>
        <label>
          <name>good_frame</name>
          <color>#ffcc33</color>
          <type>tag</type>
          <attributes>
          </attributes>
        </label>
      </labels>
      <owner>
        <username>admin</username>
        <email></email>
      </owner>
    </task>
    <dumped>2024-05-02 09:38:28.799808+03:00</dumped>
  </meta>
  <image id="0" name="frame_000000.PNG" width="1600" height="1200">
    <box label="polyp" source="manual" occluded="1" xtl="797.33" ytl="870.92" xbr="965.52" ybr="928.94" z_order="4">
      <attribute name="paris">0-Ip</attribute>
      <attribute name="size_mm">8</attribute>
      <attribute name="resected">true</attribute>
    </box>
    <polygon label="bleeding" source="manual" occluded="0" points="561.30,916.23;561.30,842.77;554.72,761.63;600.00,700.00" z_order="1">
    </polygon>
    <polyline label="bleeding" source="manual" occluded="0" points="462.10,0.00;126.80,1200.00" z_order="3">
    </polyline>
    <points label="polyp" source="manual" occluded="0" points="574.90,939.48;1170.16,907.90" z_order="5">
    </points>
    <tag label="good_frame" source="manual">
    </tag>
    <mask label="polyp" source="manual" occluded="0" rle="3, 5, 7, 7, 5, 9, 3, 11, 2, 11, 2, 12, 1, 12, 1, 26, 1, 12, 1, 12, 2, 11, 3, 9, 5, 7, 7, 5, 3" left="707" top="888" width="13" height="15" z_order="0">
    </mask>
  </image>
  <image id="1" name="frame_000001.PNG" width="1600" height="1200">
    <box label="polyp" source="manual" occluded="0" xtl="100" ytl="100" xbr="200" ybr="150" rotation="90.0" z_order="0">
    </box>
    <skeleton label="s1" source="manual" z_order="0">
      <points label="1" occluded="0" source="manual" outside="0" points="54.47,94.81">
      </points>
    </skeleton>
  </image>
</annotations>
`;

function read(text = XML, name = 'annotations.xml') {
  const r = readCvatText(text, name, { now: NOW });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

describe('CVAT for images 1.1', () => {
  it("makes the meta's labels classes, with their colours and typed attributes", () => {
    const classes = read().data.schemas[0].classes;
    expect(classes.map((c) => [c.id, c.color])).toEqual([['polyp', '#fa3253'], ['bleeding', '#33ddff'], ['good_frame', '#ffcc33']]);
    expect(classes[0].attributes).toEqual([
      { id: 'paris', name: { en: 'paris', ja: 'paris' }, required: false, type: 'enum', options: ['0-Is', '0-Ip', '0-IIa'].map((v) => ({ id: v, name: { en: v, ja: v } })) },
      { id: 'size_mm', name: { en: 'size_mm', ja: 'size_mm' }, required: false, type: 'number', min: 1, max: 50 },
      { id: 'resected', name: { en: 'resected', ja: 'resected' }, required: false, type: 'boolean' },
    ]);
  });

  it('reads boxes, polygons, points, tags and masks in image pixels, with their attributes', () => {
    const { data } = read();
    expect(data.images.map((im) => [im.name, im.width, im.height])).toEqual([['frame_000000.PNG', 1600, 1200], ['frame_000001.PNG', 1600, 1200]]);
    const [box, polygon, p1, p2, tag, mask] = data.annotations;
    expect(box).toMatchObject({ classId: 'polyp', attributes: { occluded: true, paris: '0-Ip', size_mm: 8, resected: true } });
    const b = box.geometry as { x: number; y: number; w: number; h: number };
    [b.x, b.y, b.w, b.h].forEach((v, i) => expect(v).toBeCloseTo([797.33, 870.92, 168.19, 58.02][i], 9));
    expect(polygon.geometry).toEqual({ type: 'polygon', points: [561.3, 916.23, 561.3, 842.77, 554.72, 761.63, 600, 700] });
    expect([p1.geometry, p2.geometry]).toEqual([{ type: 'point', x: 574.9, y: 939.48 }, { type: 'point', x: 1170.16, y: 907.9 }]);
    expect([tag.classId, tag.geometry]).toEqual(['good_frame', null]);
    // The documentation's mask: rows of 13 from (707, 888), 149 pixels; its widest rows (7, 8) span
    // all 13 columns, its 15 rows span y 888–903. Traced along pixel edges, its area is its count.
    const outline = (mask.geometry as { points: number[] }).points;
    const xs = outline.filter((_, i) => i % 2 === 0), ys = outline.filter((_, i) => i % 2 === 1);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([707, 720, 888, 903]);
    let twice = 0;
    for (let i = 0; i < outline.length; i += 2) twice += outline[i] * outline[(i + 3) % outline.length] - outline[(i + 2) % outline.length] * outline[i + 1];
    expect(Math.abs(twice) / 2).toBe(149);
  });

  it('turns a rotated box about its centre; leaves out polylines and skeletons, saying so', () => {
    const { data, warnings } = read();
    const rotated = data.annotations[6].geometry as { points: number[] };
    // Centre (150, 125), 100 × 50 turned 90° clockwise: corners (175, 75), (175, 175), (125, 175), (125, 75).
    [175, 75, 175, 175, 125, 175, 125, 75].forEach((v, i) => expect(rotated.points[i]).toBeCloseTo(v, 9));
    expect(warnings).toEqual([
      { path: 'image[0].polyline[0] (line 73)', message: 'a polyline is not kept (Granula has no line shape)' },
      { path: 'image[0].mask[0] (line 79)', message: 'masks were traced to polygons along their pixel edges' },
      { path: 'image[1].skeleton[0] (line 85)', message: 'a skeleton is not kept (Granula has no keypoint skeletons)' },
    ]);
  });

  it('gives the same ids every time the file is read; a shape moved in CVAT gets a new one, the others keep theirs', () => {
    const ids = read().data.annotations.map((a) => a.id);
    expect(read().data.annotations.map((a) => a.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const moved = read(XML.replace('xtl="100" ytl="100"', 'xtl="110" ytl="100"')).data.annotations.map((a) => a.id);
    expect(moved.map((id, i) => id === ids[i])).toEqual([true, true, true, true, true, true, false]);
  });

  it('names the element, attribute and line of a bad value; refuses XML that is not CVAT', () => {
    const bad = readCvatText(XML.replace('xbr="965.52"', 'xbr="wide"'), 'a.xml', { now: NOW });
    expect(!bad.ok && bad.problems).toEqual([{ path: 'image[0].box[0].xbr (line 66)', message: 'must be a number, not "wide"' }]);
    const broken = readCvatText(XML.replace('</polygon>', ''), 'a.xml', { now: NOW });
    expect(!broken.ok && broken.problems).toEqual([{ path: 'line 81', message: '</image> closes <polygon> (opened on line 71)' }]);
    const other = readAnyFormat('<?xml version="1.0"?>\n<Annotations><Annotation Id="1"/></Annotations>', 'aperio.xml', { now: NOW });
    expect(!other.ok && other.problems).toEqual([{ path: '(file)', message: 'is XML, but not CVAT for images 1.1 (an <annotations> root holding <image> elements)' }]);
  });

  it('is found by its content, whatever the file is called', () => {
    const r = readAnyFormat(XML, 'upload.dat', { now: NOW });
    expect([r.ok, r.format, r.ok && r.data.annotations.length]).toEqual([true, 'cvat', 7]);
  });

  it('mutated files give valid data or located problems, never a throw', () => {
    fc.assert(
      fc.property(mutatedText(XML), (text) => {
        expect(brokenPromise(readCvatText(text, 'm.xml', { now: NOW }))).toBeNull();
      }),
      PROPERTY_RUNS,
    );
  });
});

describe('the XML reader', () => {
  it('decodes entities and character references, skips comments, CDATA and a DOCTYPE', () => {
    const r = parseXml('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<!-- note -->\n<a k="&lt;&#65;&#x42;&quot;">t &amp; <![CDATA[<raw>]]><b/></a>');
    expect(r.ok && [r.root.name, r.root.attrs, r.root.text, r.root.children.map((c) => c.name)]).toEqual(['a', { k: '<AB"' }, 't & <raw>', ['b']]);
  });

  it('says what is wrong and where', () => {
    expect(parseXml('<a>\n<b>\n</a>')).toEqual({ ok: false, line: 3, message: '</a> closes <b> (opened on line 2)' });
    expect(parseXml('<a x="1>')).toEqual({ ok: false, line: 1, message: '<a> has a broken attribute or is not closed' });
    expect(parseXml('<a></a><b/>')).toEqual({ ok: false, line: 1, message: 'a second root element <b>' });
    expect(parseXml('<a>\n')).toEqual({ ok: false, line: 2, message: '<a> (line 1) is not closed' });
  });
});
