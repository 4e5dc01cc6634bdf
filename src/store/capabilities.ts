import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * What differs between the two databases, named once. Code asks a capability instead of
 * testing the dialect name.
 */
export interface Capabilities {
  readonly dialect: DialectName;
  /** `FOR UPDATE SKIP LOCKED` in a claim subquery (PostgreSQL); SQLite serialises writers instead. */
  readonly skipLocked: boolean;
  /** Column type of an auto-incrementing integer primary key. */
  readonly serialType: ColumnDataType;
  /** Applies the primary-key and auto-increment modifiers of `serialType`. */
  serialColumn(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Integer type wide enough for epoch milliseconds and row ids. */
  readonly bigIntType: ColumnDataType;
  /** Whether a driver error is a unique-index violation (a concurrent writer won). */
  isUniqueViolation(error: unknown): boolean;
}

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined);

export function capabilitiesOf(dialect: DialectName): Capabilities {
  if (dialect === 'postgres') {
    return {
      dialect,
      skipLocked: true,
      serialType: 'bigserial',
      serialColumn: (column) => column.primaryKey(),
      bigIntType: 'bigint',
      isUniqueViolation: (error) => codeOf(error) === '23505',
    };
  }
  return {
    dialect,
    skipLocked: false,
    serialType: 'integer',
    serialColumn: (column) => column.primaryKey().autoIncrement(),
    bigIntType: 'integer',
    isUniqueViolation: (error) => codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE',
  };
}
