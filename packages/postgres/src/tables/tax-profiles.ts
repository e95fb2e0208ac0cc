import type { Mode, TaxProfileRecord, TaxProfileRepository } from '@onehop/core';
import type { Row } from '../executor';
import type { TableStatements } from '../table-statements';
import { date, dateOrNull, textOrNull } from '../values';

/** The columns of `tax_profiles` as the store reads them. */
export const TAX_PROFILE_COLUMNS = 'program_id, mode, user_id, status, form_type, country, status_date, updated_by, updated_at';

const toTaxProfile = (r: Row): TaxProfileRecord => ({
  programId: String(r.program_id),
  mode: r.mode as Mode,
  userId: String(r.user_id),
  status: r.status as TaxProfileRecord['status'],
  formType: textOrNull(r.form_type) as TaxProfileRecord['formType'],
  country: textOrNull(r.country),
  statusDate: dateOrNull(r.status_date),
  updatedBy: String(r.updated_by),
  updatedAt: date(r.updated_at),
});

/** The `taxProfiles` repository of one transaction, on `tax_profiles`. */
export function taxProfileRepository(sql: TableStatements): TaxProfileRepository {
  const { t, hold, one, select } = sql;
  return {
    put: async (row) => {
      await hold(
        'tax_profiles',
        `INSERT INTO ${t('tax_profiles')} (program_id, mode, user_id, status, form_type, country, status_date, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (program_id, mode, user_id) DO UPDATE SET status = EXCLUDED.status, form_type = EXCLUDED.form_type, country = EXCLUDED.country,
             status_date = EXCLUDED.status_date, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
        [row.programId, row.mode, row.userId, row.status, row.formType, row.country, row.statusDate, row.updatedBy, row.updatedAt],
      );
    },
    get: (s, userId) => one(select('tax_profiles', 'user_id = $3'), [s.programId, s.mode, userId], toTaxProfile),
  };
}
