/**
 * A reply to COMMIT that never arrives, on a real server: the transaction
 * committed, but the client only sees its connection drop. Store-only
 * because it needs a real socket between the pool and the server (the
 * conformance suite checks the repeated call itself on every store); a small
 * TCP proxy on 127.0.0.1 forwards everything, and once armed it lets the next
 * COMMIT through, waits for the server to acknowledge it, and closes the
 * client's side instead of passing the acknowledgement on.
 */

import { connect, createServer, type Server, type Socket } from 'node:net';
import { createManualClock, createOnehop } from '@onehop/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { DATABASE_URL, NO_SERVER_REASON, type ServerDatabase, serverDatabase } from './databases';

/** Protocol messages of one direction of a PostgreSQL connection, split as bytes arrive. */
class MessageReader {
  private buffer = Buffer.alloc(0);
  /** The client's first message (startup, or an SSL/GSS request) has no type byte. */
  constructor(private untyped: boolean) {}

  /** Adds bytes and returns the complete messages they finish, as [type, body]. */
  push(chunk: Buffer): [string, Buffer][] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: [string, Buffer][] = [];
    for (;;) {
      const header = this.untyped ? 4 : 5;
      if (this.buffer.length < header) return out;
      const length = this.buffer.readInt32BE(header - 4);
      const total = length + header - 4;
      if (this.buffer.length < total) return out;
      const body = this.buffer.subarray(header, total);
      if (this.untyped) {
        // SSLRequest and GSSENCRequest are followed by another untyped startup message.
        const code = body.readInt32BE(0);
        this.untyped = code === 80877103 || code === 80877104;
        out.push(['', body]);
      } else {
        out.push([String.fromCharCode(this.buffer[0]!), body]);
      }
      this.buffer = this.buffer.subarray(total);
    }
  }
}

/** A proxy to the server that can drop the reply to the next COMMIT sent through it. */
class CommitDroppingProxy {
  private readonly server: Server;
  private armed = false;
  /** How many COMMITs the server acknowledged and the client never heard of. */
  dropped = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.relay(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  /** Drops the reply to the next COMMIT, on whichever connection sends it. */
  arm(): void {
    this.armed = true;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.target);
    const fromClient = new MessageReader(true);
    const fromServer = new MessageReader(false);
    let swallowing = false;
    client.on('data', (chunk) => {
      for (const [type, body] of fromClient.push(chunk)) {
        if (this.armed && type === 'Q' && body.toString('utf8').replace(/\0$/, '').trim().toUpperCase() === 'COMMIT') {
          this.armed = false;
          swallowing = true;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      const messages = fromServer.push(chunk);
      if (!swallowing) {
        client.write(chunk);
        return;
      }
      // The COMMIT went through; its acknowledgement ends with ReadyForQuery. Keep it from the client, then cut the client off.
      if (messages.some(([type]) => type === 'Z')) {
        this.dropped += 1;
        client.destroy();
        upstream.destroy();
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }
}

describe.skipIf(!DATABASE_URL)(`postgres: a lost reply to COMMIT (real server)${DATABASE_URL ? '' : `: skipped, ${NO_SERVER_REASON}`}`, () => {
  let db: ServerDatabase;
  let proxy: CommitDroppingProxy;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await serverDatabase('lost_commit', 4);
    const url = new URL(DATABASE_URL!);
    proxy = new CommitDroppingProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const port = await proxy.listen();
    url.hostname = '127.0.0.1';
    url.port = String(port);
    pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    // A connection that the proxy cuts off reports it on the pool too.
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    await proxy?.close();
    await db?.dispose();
  });

  it('attribute: the first call fails with a retryable STORE_CONNECTION_LOST though it committed; running it again answers success, replayed', async () => {
    const id = `lost-${Date.now().toString(36)}`;
    const onehop = createOnehop({
      store: createPostgresStore({ pool, schema: db.schema }),
      clock: createManualClock('2026-03-01T12:00:00.000Z'),
      program: { id, currency: 'USD', mode: 'mock' },
    });
    await onehop.enroll({ userId: 'alice', code: 'ALICE123' });
    const input = { refereeId: 'bob', code: 'ALICE123', source: 'newsletter' };

    proxy.arm();
    const error = await onehop.attribute(input).catch((e: unknown) => e);
    expect(proxy.dropped).toBe(1);
    expect(error).toMatchObject({ code: 'STORE_CONNECTION_LOST', retryable: true });

    // It committed: the referral is there, read with raw SQL past the proxy.
    const { rows } = await db.pool.query(`SELECT id, referrer_id, code FROM "${db.schema}".referrals WHERE program_id = $1 AND referee_id = 'bob'`, [id]);
    expect(rows).toEqual([{ id: expect.any(String), referrer_id: 'alice', code: 'ALICE123' }]);

    // The caller does what the guides say: the same call again.
    const again = await onehop.attribute(input);
    expect(again).toMatchObject({ ok: true, replayed: true, review: null, referral: { id: rows[0].id, referrerId: 'alice', refereeId: 'bob', source: 'newsletter' } });
    const { rows: after } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".referrals WHERE program_id = $1`, [id]);
    expect(after[0].n).toBe(1);
    const { rows: refused } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".audit_trail WHERE program_id = $1 AND action = 'attribution.rejected'`, [
      id,
    ]);
    expect(refused[0].n).toBe(0);
  });
});
