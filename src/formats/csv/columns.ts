/** Columns every Granula CSV has, in this order; any other column holds a class attribute. */
export const REQUIRED_COLUMNS = ['image', 'annotator', 'label'] as const;
export const OPTIONAL_COLUMNS = ['grade', 'uncertain', 'note'] as const;
export const FIXED_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** An attribute whose id is a fixed column's name gets this prefix, so it cannot be mistaken for that column. */
export const ATTRIBUTE_PREFIX = 'attribute:';

export function attributeColumn(attributeId: string): string {
  return FIXED_COLUMNS.includes(attributeId.toLowerCase()) || attributeId.startsWith(ATTRIBUTE_PREFIX) ? ATTRIBUTE_PREFIX + attributeId : attributeId;
}

export function attributeIdOf(column: string): string {
  return column.startsWith(ATTRIBUTE_PREFIX) ? column.slice(ATTRIBUTE_PREFIX.length) : column;
}

export function cellPath(row: number, column: string): string {
  return `row ${row}, column "${column}"`;
}
