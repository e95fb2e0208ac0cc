/**
 * A database error as node-postgres shapes it (`code`, `severity`,
 * `constraint`), which is what the store reads to translate it into a onehop
 * error (a SQLSTATE; other errors pass unchanged). Drivers and ORMs that name these fields otherwise, or wrap the
 * driver's error in one of their own, go through here first.
 */
export function pgShapedError(error: unknown, fields: { code: unknown; severity: unknown; constraint: unknown }): unknown {
  if (!(error instanceof Error) || typeof fields.code !== 'string' || !/^[0-9A-Z]{5}$/.test(fields.code)) return error;
  return Object.assign(new Error(error.message, { cause: error }), {
    code: fields.code,
    severity: typeof fields.severity === 'string' ? fields.severity : 'ERROR',
    ...(typeof fields.constraint === 'string' ? { constraint: fields.constraint } : {}),
  });
}

/** `undefined` sent as SQL NULL, as node-postgres does (some drivers refuse `undefined`). */
export function sqlValues(values: readonly unknown[] | undefined): unknown[] {
  return (values ?? []).map((value) => (value === undefined ? null : value));
}
