/**
 * Who is asking: a referrer's session (a signed cookie holding their user
 * id), and the admin check (a configured token, exchanged once for a signed
 * cookie, or sent as `Authorization: Bearer …` by scripts). Cookies are
 * HttpOnly and SameSite=Lax, so another site cannot post the app's forms
 * with them. The admin's session also reaches the engine: admin routes run
 * inside it, and onehop's `authorize` hook allows an admin action only for
 * the admin of the request being handled.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { timingSafeEqual } from 'node:crypto';
import type { AuthorizeHook } from '@onehop/core';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

const SESSION = 'hopshop_session';
const ADMIN = 'hopshop_admin';
const OPTIONS = { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 * 60 * 24 * 7 } as const;

export interface Secrets {
  /** Signs the session cookies; at least 32 characters. */
  sessionSecret: string;
  /** What an admin enters to sign in. */
  adminToken: string;
}

export async function signIn(c: Context, secrets: Secrets, userId: string): Promise<void> {
  await setSignedCookie(c, SESSION, userId, secrets.sessionSecret, { ...OPTIONS, secure: new URL(c.req.url).protocol === 'https:' });
}

export function signOut(c: Context): void {
  deleteCookie(c, SESSION, { path: '/' });
}

/** The signed-in user's id, or null. A cookie that was changed fails its signature and counts as none. */
export async function currentUserId(c: Context, secrets: Secrets): Promise<string | null> {
  const value = await getSignedCookie(c, secrets.sessionSecret, SESSION);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Compares in constant time, so the response time does not reveal how much of a guess was right. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function grantAdmin(c: Context, secrets: Secrets): Promise<void> {
  await setSignedCookie(c, ADMIN, ADMIN_ID, secrets.sessionSecret, { ...OPTIONS, maxAge: 60 * 60 * 8, secure: new URL(c.req.url).protocol === 'https:' });
}

export function revokeAdmin(c: Context): void {
  deleteCookie(c, ADMIN, { path: '/' });
}

/**
 * The id the admin's decisions are recorded under. This app has one admin
 * token, so one admin; an app with named admins signs each in under their own id.
 */
export const ADMIN_ID = 'admin';

/** Whether the request passed the admin check: the signed admin cookie, or the token as a bearer credential. */
export async function isAdmin(c: Context, secrets: Secrets): Promise<boolean> {
  const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (bearer !== undefined) return tokenMatches(bearer, secrets.adminToken);
  return (await getSignedCookie(c, secrets.sessionSecret, ADMIN)) === ADMIN_ID;
}

/** The signed-in admin of the request being handled, for everything it runs (and awaits). */
const adminSession = new AsyncLocalStorage<{ adminId: string }>();

/** Runs `fn` as the request of a signed-in admin (after `isAdmin`). */
export function asAdmin<T>(adminId: string, fn: () => T): T {
  return adminSession.run({ adminId }, fn);
}

/** The admin whose request is being handled, or null outside an admin request. */
export function currentAdminId(): string | null {
  return adminSession.getStore()?.adminId ?? null;
}

/**
 * onehop's `authorize` hook: an admin action runs only inside a signed-in
 * admin's request, as that admin. Anything else (an admin call from a
 * referrer's page, a script without the token, another `adminId`) is
 * refused with `FORBIDDEN`, and the attempt is audited.
 */
export const authorizeAdmin: AuthorizeHook = ({ actor }) => currentAdminId() === actor.id;
