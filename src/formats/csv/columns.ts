/** Columns every Granula CSV has, in this order; any other column holds a class attribute. */
export const REQUIRED_COLUMNS = ['image', 'annotator', 'label'] as const;
export const OPTIONAL_COLUMNS = ['grade', 'uncertain', 'note', 'status'] as const;
/** Where a shape is, in image pixels: written for projects with shapes, read when the header has `shape`. */
export const GEOMETRY_COLUMNS = ['shape', 'x', 'y', 'width', 'height', 'points'] as const;
export const FIXED_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** The `status` of an image an annotator looked at and found nothing on (the app's "no lesion"). */
export const NO_FINDING_STATUS = 'no lesion';

/** An attribute whose id is a fixed or geometry column's name gets this prefix, so it cannot be mistaken for that column. */
export const ATTRIBUTE_PREFIX = 'attribute:';

const RESERVED: readonly string[] = [...FIXED_COLUMNS, ...GEOMETRY_COLUMNS];

export function attributeColumn(attributeId: string): string {
  return RESERVED.includes(attributeId.toLowerCase()) || attributeId.startsWith(ATTRIBUTE_PREFIX) ? ATTRIBUTE_PREFIX + attributeId : attributeId;
}

export function attributeIdOf(column: string): string {
  return column.startsWith(ATTRIBUTE_PREFIX) ? column.slice(ATTRIBUTE_PREFIX.length) : column;
}

export function cellPath(row: number, column: string): string {
  return `row ${row}, column "${column}"`;
}
