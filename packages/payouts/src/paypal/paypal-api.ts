/** What came of one call to PayPal's REST API. */
export type PayPalCall =
  /** PayPal answered (any HTTP status); `body` is the parsed JSON, or undefined. */
  | { kind: 'answer'; status: number; body: unknown }
  /** The request went out and no answer came (timeout, broken connection): PayPal may have acted on it. */
  | { kind: 'no-answer'; cause: unknown }
  /** The request was never sent: no access token could be had. */
  | { kind: 'not-sent'; reason: string; cause?: unknown };

export interface PayPalApiOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

/** Seconds before its expiry a token is replaced, so none expires in flight. */
const TOKEN_MARGIN_SECONDS = 60;

/**
 * PayPal's REST API through `fetch`: an OAuth 2.0 access token from the
 * client credentials (`POST /v1/oauth2/token`), kept until shortly before it
 * expires and shared by concurrent calls, then JSON calls with it. Every
 * request has a time limit; a call whose token PayPal no longer accepts (401)
 * is sent once more with a new token.
 */
export class PayPalApi {
  private token: { value: string; expiresAt: number } | undefined;
  private pendingToken: Promise<{ token: string } | { reason: string; cause?: unknown }> | undefined;

  constructor(private readonly options: PayPalApiOptions) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<PayPalCall> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      if ('reason' in token) return { kind: 'not-sent', reason: token.reason, cause: token.cause };
      const call = await this.fetchJson(path, {
        method,
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json', accept: 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (call.kind !== 'answer' || call.status !== 401 || attempt > 1) return call;
      this.token = undefined;
    }
  }

  private async accessToken(): Promise<{ token: string } | { reason: string; cause?: unknown }> {
    if (this.token && Date.now() < this.token.expiresAt) return { token: this.token.value };
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<{ token: string } | { reason: string; cause?: unknown }> {
    const { clientId, clientSecret } = this.options;
    const call = await this.fetchJson('/v1/oauth2/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (call.kind !== 'answer') return { reason: 'PayPal did not answer the access token request', cause: call.kind === 'no-answer' ? call.cause : undefined };
    const body = call.body as { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
    if (call.status !== 200 || typeof body?.access_token !== 'string') {
      return { reason: `PayPal refused the client credentials (HTTP ${call.status}${typeof body?.error === 'string' ? `, ${body.error}` : ''})` };
    }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 0;
    this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, seconds - TOKEN_MARGIN_SECONDS) * 1000 };
    return { token: body.access_token };
  }

  private async fetchJson(path: string, init: RequestInit): Promise<PayPalCall> {
    try {
      const response = await fetch(new URL(path, this.options.baseUrl), { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { kind: 'answer', status: response.status, body };
    } catch (cause) {
      return { kind: 'no-answer', cause };
    }
  }
}
