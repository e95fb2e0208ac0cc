import { nanoid } from 'nanoid';

/** A new random id with a readable prefix, e.g. `rfl_V1StGXR8_Z5jdHi6B-myT`. */
export function newId(prefix: string): string {
  return `${prefix}_${nanoid()}`;
}
