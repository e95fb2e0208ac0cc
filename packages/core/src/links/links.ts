import * as z from 'zod';

import { normalizeCode } from '../codes/normalize';
import { ValidationError } from '../errors/errors';

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type Utm = Partial<Record<UtmKey, string>>;

/** UTM parameters by their name without `utm_`; any other key is refused by name, never dropped. */
export const utmSchema = z.strictObject(
  Object.fromEntries(UTM_KEYS.map((k) => [k, z.string().min(1).max(200).optional()])) as Record<UtmKey, z.ZodOptional<z.ZodString>>,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown UTM key ${issue.keys.map((k) => `"${k}"`).join(', ')}: use ${UTM_KEYS.slice(0, -1).join(', ')} or ${UTM_KEYS.at(-1)}, without "utm_"`
        : undefined,
  },
);

export const buildLinkInputSchema = z
  .object({
    /** Page the link lands on, absolute http(s) URL. Its own query parameters are kept. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' }),
    code: z.string().min(1).max(64),
    /** Query parameter that carries the code (default `ref`). */
    parameter: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/)
      .default('ref'),
    utm: utmSchema.optional(),
    /** Further query parameters to add, e.g. a campaign id of your own. */
    params: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
  })
  .strict();

/** A referral link to build, as `buildReferralLink` takes it. */
export interface BuildLinkInput {
  /** Page the link lands on, absolute http(s) URL. Its own query parameters are kept. */
  baseUrl: string;
  /** The referral code; normalised before it goes in the link. */
  code: string;
  /** Query parameter that carries the code; default `ref`. */
  parameter?: string | undefined;
  /** UTM parameters by name without `utm_`, added as `utm_*`. */
  utm?: Utm | undefined;
  /** Further query parameters to add, e.g. a campaign id of your own. */
  params?: Record<string, string> | undefined;
}

/**
 * Builds a referral link: `baseUrl` with the normalised code under
 * `parameter` and the UTM parameters as `utm_*`.
 * `buildReferralLink({ baseUrl: 'https://app.example/join', code: 'abcd-efgh', utm: { source: 'newsletter' } })`
 * → `https://app.example/join?ref=ABCDEFGH&utm_source=newsletter`.
 */
export function buildReferralLink(input: BuildLinkInput): string {
  const parsed = buildLinkInputSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { baseUrl, code, parameter, utm, params } = parsed.data;
  const url = new URL(baseUrl);
  url.searchParams.set(parameter, normalizeCode(code));
  for (const key of UTM_KEYS) {
    const value = utm?.[key];
    if (value !== undefined) url.searchParams.set(`utm_${key}`, value);
  }
  for (const [key, value] of Object.entries(params ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** What a referral link carries. */
export interface ParsedReferralLink {
  /** Normalised code. */
  code: string;
  utm: Utm;
}

/**
 * Reads the code and UTM parameters back from a link (absolute URL string or
 * URL). Returns null when the link carries no code under `parameter`.
 */
export function parseReferralLink(link: string | URL, parameter = 'ref'): ParsedReferralLink | null {
  let url: URL;
  try {
    url = typeof link === 'string' ? new URL(link) : link;
  } catch {
    throw new ValidationError([{ field: 'link', message: 'must be an absolute URL' }]);
  }
  const raw = url.searchParams.get(parameter);
  if (raw === null) return null;
  const code = normalizeCode(raw);
  if (code === '') return null;
  const utm: Utm = {};
  for (const key of UTM_KEYS) {
    const value = url.searchParams.get(`utm_${key}`);
    if (value !== null) utm[key] = value;
  }
  return { code, utm };
}
