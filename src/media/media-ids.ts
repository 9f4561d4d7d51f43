/** Media ids and mxc:// URIs: new ids, and the grammar checks of the spec's content repository §"Security considerations". */
import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `media-id` MUST consist of only alphanumeric, `_` and `-` characters. */
const MEDIA_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** Whether `id` is a well-formed media id (so it is safe as a file name: no `.` or `/`). */
export function isValidMediaId(id: string): boolean {
  return MEDIA_ID.test(id);
}

/** A new random media id: 24 alphanumeric characters (like Synapse's), so ~143 bits of randomness. */
export function newMediaId(pick: (n: number) => number = randomInt): string {
  let id = '';
  for (let i = 0; i < 24; i++) id += ALPHANUMERIC[pick(ALPHANUMERIC.length)];
  return id;
}

/** `mxc://<server-name>/<media-id>` */
export function mxcUri(serverName: string, mediaId: string): string {
  return `mxc://${serverName}/${mediaId}`;
}
