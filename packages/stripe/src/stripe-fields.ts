/** Reading Stripe's expandable fields: an id, or the expanded object with its id. */

type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const idOf = (v: unknown): string | undefined => str(v) ?? str(obj(v).id);
/** A Stripe timestamp (seconds) as a Date. */
export const at = (seconds: number): Date => new Date(seconds * 1000);
