/**
 * The app's own records: its users, and the pretend payment provider's
 * payments. onehop keeps none of this; it only knows user ids.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { SqlClient } from '@onehop/postgres';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Payment {
  id: string;
  userId: string;
  plan: string;
  amount: number;
  refunds: { id: string; amount: number; created: number }[];
  disputed: boolean;
  createdAt: Date;
}

/** scrypt with a random salt, stored as `salt:hash` in hex. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${(await scrypt(password, salt, 32)).toString('hex')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [salt = '', hash = ''] = stored.split(':');
  const expected = Buffer.from(hash, 'hex');
  const actual = await scrypt(password, Buffer.from(salt, 'hex'), 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

type Row = Record<string, unknown>;
const toUser = (r: Row): User => ({ id: String(r.id), email: String(r.email), name: String(r.name) });
const toPayment = (r: Row): Payment => ({
  id: String(r.id),
  userId: String(r.user_id),
  plan: String(r.plan),
  amount: Number(r.amount),
  refunds: (typeof r.refunds === 'string' ? JSON.parse(r.refunds) : r.refunds) as Payment['refunds'],
  disputed: r.disputed === true,
  createdAt: new Date(r.created_at as string),
});

export async function insertUser(sql: SqlClient, user: User & { passwordHash: string }): Promise<void> {
  await sql.query('INSERT INTO app.users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)', [user.id, user.email, user.name, user.passwordHash]);
}

export async function emailTaken(sql: SqlClient, email: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM app.users WHERE email = $1', [email])).rows.length > 0;
}

export async function countUsers(sql: SqlClient): Promise<number> {
  return Number(((await sql.query('SELECT count(*)::int AS n FROM app.users')).rows[0] as Row).n);
}

export async function getUser(sql: SqlClient, id: string): Promise<User | null> {
  const row = (await sql.query('SELECT id, email, name FROM app.users WHERE id = $1', [id])).rows[0] as Row | undefined;
  return row ? toUser(row) : null;
}

/** Display names by user id, in one query (ids without a user are left out). */
export async function namesOf(sql: SqlClient, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query('SELECT id, name FROM app.users WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((r) => [String((r as Row).id), String((r as Row).name)]));
}

/** Whether an error is the database refusing a second account with one email (a sign-up racing another). */
export const isDuplicateEmail = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === '23505' &&
  String((error as { constraint?: unknown }).constraint ?? (error as Error).message).includes('email');

/** The user with this email and password, or null (the same answer for an unknown email and a wrong password). */
export async function authenticate(sql: SqlClient, email: string, password: string): Promise<User | null> {
  const row = (await sql.query('SELECT id, email, name, password_hash FROM app.users WHERE email = $1', [email])).rows[0] as Row | undefined;
  if (!row) {
    await hashPassword(password); // the same work either way, so timing does not tell which emails exist
    return null;
  }
  return (await passwordMatches(password, String(row.password_hash))) ? toUser(row) : null;
}

export async function insertPayment(sql: SqlClient, payment: Omit<Payment, 'refunds' | 'disputed'>): Promise<void> {
  await sql.query('INSERT INTO app.payments (id, user_id, plan, amount, created_at) VALUES ($1, $2, $3, $4, $5)', [
    payment.id,
    payment.userId,
    payment.plan,
    payment.amount,
    payment.createdAt.toISOString(),
  ]);
}

export async function listPayments(sql: SqlClient, userId: string): Promise<Payment[]> {
  return (await sql.query('SELECT * FROM app.payments WHERE user_id = $1 ORDER BY created_at DESC, id', [userId])).rows.map((r) => toPayment(r as Row));
}

/** One of the user's payments (null when it is someone else's). */
export async function getPayment(sql: SqlClient, userId: string, id: string): Promise<Payment | null> {
  const row = (await sql.query('SELECT * FROM app.payments WHERE id = $1 AND user_id = $2', [id, userId])).rows[0] as Row | undefined;
  return row ? toPayment(row) : null;
}

export async function saveRefunds(sql: SqlClient, id: string, refunds: Payment['refunds']): Promise<void> {
  await sql.query('UPDATE app.payments SET refunds = $2 WHERE id = $1', [id, JSON.stringify(refunds)]);
}

export async function markDisputed(sql: SqlClient, id: string): Promise<void> {
  await sql.query('UPDATE app.payments SET disputed = true WHERE id = $1', [id]);
}
