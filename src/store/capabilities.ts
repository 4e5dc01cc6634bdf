import { sql, type ColumnDataType, type ColumnDefinitionBuilder } from 'kysely';

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
  /**
   * Makes a text column compare and sort byte-wise (PostgreSQL's default follows the locale;
   * SQLite's is already binary), so both databases order the core's keys the same way.
   */
  binaryText(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** `SELECT … FOR UPDATE` exists (PostgreSQL); SQLite serialises writers anyway. */
  readonly rowLocks: boolean;
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
      binaryText: (column) => column.modifyEnd(sql`collate "C"`),
      rowLocks: true,
      isUniqueViolation: (error) => codeOf(error) === '23505',
    };
  }
  return {
    dialect,
    skipLocked: false,
    serialType: 'integer',
    serialColumn: (column) => column.primaryKey().autoIncrement(),
    bigIntType: 'integer',
    binaryText: (column) => column,
    rowLocks: false,
    isUniqueViolation: (error) => codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE',
  };
}
