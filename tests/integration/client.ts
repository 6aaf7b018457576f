/** A small HTTP client for the API tests: JSON in, parsed JSON out, and a poll that ends on a state (never a time). */
export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export function client(baseUrl: () => string) {
  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${baseUrl()}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** GET the record at `path` until it is complete or failed */
  async function untilFinished(path: string, token: string): Promise<Reply> {
    for (;;) {
      const r = await call('GET', path, { token });
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
      if (r.body.status === 'complete' || r.body.status === 'failed') return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  /** GET the scenario until it is complete or failed */
  const untilDone = (id: string, token: string, query = ''): Promise<Reply> =>
    untilFinished(`/scenarios/${id}${query}`, token);
  return { call, untilDone, untilFinished };
}
