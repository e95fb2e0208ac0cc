/** What every page handler gets: the database, the engine, the secrets and the options. */
import { type Clock, createOnehop, isOnehopError, type Onehop, type ProgramConfigInput, type Store, ValidationError } from '@onehop/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ZodError } from 'zod';
import type { Database } from './database';
import type { FieldErrors } from './html';
import { authorizeAdmin, type Secrets } from './session';

export interface AppOptions extends Secrets {
  db: Database;
  program: ProgramConfigInput;
  /** The webhook endpoint's signing secret (`whsec_…`); the pretend checkout signs with it too. */
  stripeWebhookSecret: string;
  /** The engine's clock; tests pass a manual one. Default: the system clock. */
  clock?: Clock;
  /** The visitor's IP address, for click counting and the fraud rules. Default: none (main.ts passes the socket's address). */
  ip?: (c: Context) => string | null;
  /** Where the pretend checkout posts its webhooks. Default: this app's own `/webhooks/stripe`. */
  webhookUrl?: string;
}

export interface App extends AppOptions {
  /** The engine on the shared store. */
  onehop: Onehop;
  /** An engine on another store: the one of a transaction the app opened. */
  engineOn(store: Store): Onehop;
  ipOf(c: Context): string | undefined;
}

export function appContext(options: AppOptions): App {
  // Admin actions are allowed only inside a signed-in admin's request (see session.ts).
  const program: ProgramConfigInput = { ...options.program, authorize: authorizeAdmin };
  const engineOn = (store: Store) => createOnehop({ store, program, ...(options.clock ? { clock: options.clock } : {}) });
  return {
    ...options,
    onehop: engineOn(options.db.store),
    engineOn,
    ipOf: (c) => options.ip?.(c) ?? undefined,
  };
}

/** A form's values as strings (files and repeated fields are not used by these forms). */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}

/** The app's own validation errors, by field. */
export function zodErrors(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

/**
 * onehop's errors, for a form: a validation error by field (the last part of
 * its path, which is the form field's name), anything else as the form's
 * error with what to do. Unexpected errors are thrown on.
 */
export function onehopErrors(error: unknown, fieldNames: Record<string, string> = {}): FieldErrors {
  if (error instanceof ValidationError) {
    const errors: FieldErrors = {};
    for (const issue of error.issues) {
      const name = fieldNames[issue.field] ?? issue.field.split('.').pop() ?? 'form';
      errors[name] ??= issue.message;
    }
    return errors;
  }
  // The message already ends with what to do.
  if (isOnehopError(error)) return { form: error.message.replace(/^\[onehop\] /, '') };
  throw error;
}

const FLASH = 'hopshop_flash';

/**
 * After a form succeeds, the app redirects (so reloading the page does not
 * post the form again) and shows the message once on the next page.
 */
export function redirectWithNotice(c: Context, to: string, message: string): Response {
  setCookie(c, FLASH, encodeURIComponent(message), { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
  return c.redirect(to, 303);
}

/** The message of the last successful form, once. */
export function takeNotice(c: Context): string | undefined {
  const value = getCookie(c, FLASH);
  if (value === undefined) return undefined;
  deleteCookie(c, FLASH, { path: '/' });
  try {
    return decodeURIComponent(value).slice(0, 300);
  } catch {
    return undefined;
  }
}
