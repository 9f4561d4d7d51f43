/**
 * A lean HTTP/1.1 keep-alive client for load generation: one socket, one request at a time, the request written
 * as one string and the response read by Content-Length. node:http costs the load generator about 190 µs per
 * request on the bench machine, which shares its cores with the hub; tools like wrk or oha cost a fraction of
 * that, and this client comes closer to them so the hub is what the numbers measure.
 */
import net from 'node:net';

export interface LeanResponse { status: number; body: string }

export interface LeanConnection {
  request(method: string, path: string, token: string, body?: string): Promise<LeanResponse>;
  close(): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Opens one keep-alive connection to `url` (http://host:port). */
export async function leanConnect(url: string): Promise<LeanConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let buf: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (r: LeanResponse) => void; reject: (e: Error) => void } | undefined;
  const fail = (err: Error) => { const w = waiting; waiting = undefined; w?.reject(err); };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    const end = buf.indexOf(HEADER_END);
    if (end < 0) return;
    const head = buf.toString('latin1', 0, end);
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) { fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`)); return; }
    const total = end + 4 + Number(m[1]);
    if (buf.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = buf.toString('utf8', end + 4, total);
    buf = buf.subarray(total);
    const w = waiting;
    waiting = undefined;
    w?.resolve({ status, body });
  });
  return {
    request(method, path, token, body = '') {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close: () => socket.destroy(),
  };
}
