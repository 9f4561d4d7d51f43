/** Turns room messages (`!power on`) and structured `org.hearth.command` events into profile Commands. */
import { isRecord } from './payload.js';
import type { Command, CommandError } from './types.js';

/**
 * Event type of a structured command: content `{ command, args?, params? }`.
 * @example { type: COMMAND_EVENT_TYPE, content: { command: 'power', args: ['on'] } }
 */
export const COMMAND_EVENT_TYPE = 'org.hearth.command';

/** Who and which event a command came from. */
export interface CommandOrigin {
  id: string;
  sender: string;
}

/**
 * Splits a command line into words; double or single quotes group words, and a backslash escapes the next
 * character. Returns null on an unterminated quote or a trailing backslash.
 * @example splitArgs('set name "Living room"') // ['set', 'name', 'Living room']
 */
export function splitArgs(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && quote !== "'") {
      if (i + 1 >= line.length) return null;
      word += line[++i];
      inWord = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(word);
  return words;
}

/** Drops a rich-reply fallback (leading `> ` lines and the blank line after them). */
function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  if (!lines[0]?.startsWith('> ')) return body;
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('>')) i++;
  if (lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/**
 * Parses a message body `!<command> [args]`. Returns null when the body is not a command, and a
 * CommandError when it is one but cannot be parsed (unterminated quote).
 * @example
 * parseCommandMessage('!set name "Living room"', { id: '$e', sender: '@ann:hub' })
 * // { id: '$e', sender: '@ann:hub', command: 'set', args: ['name', 'Living room'] }
 */
export function parseCommandMessage(body: string, origin: CommandOrigin): Command | CommandError | null {
  const text = stripReplyFallback(body).trim();
  const m = /^!([A-Za-z][\w.-]*)(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) return null;
  const args = splitArgs(m[2] ?? '');
  if (args === null) return { error: 'Unterminated quote or trailing backslash in the command.' };
  return { id: origin.id, sender: origin.sender, command: m[1]!.toLowerCase(), args };
}

/**
 * Parses the content of an `org.hearth.command` event: `{ command: string, args?: string[], params?: object }`.
 * Numbers and booleans in `args` are turned into strings.
 * @example
 * parseCommandEvent({ command: 'set', params: { state: 'ON' } }, { id: '$e', sender: '@ann:hub' })
 * // { id: '$e', sender: '@ann:hub', command: 'set', args: [], structured: { state: 'ON' } }
 */
export function parseCommandEvent(content: unknown, origin: CommandOrigin): Command | CommandError {
  if (!isRecord(content)) return { error: 'A command event needs a JSON object content.' };
  const name = typeof content.command === 'string' ? content.command.replace(/^!/, '') : '';
  if (!/^[A-Za-z][\w.-]*$/.test(name)) return { error: 'A command event needs a "command" name.' };
  const rawArgs = content.args ?? [];
  if (!Array.isArray(rawArgs)) return { error: '"args" must be an array of strings.' };
  const args: string[] = [];
  for (const a of rawArgs) {
    if (typeof a === 'string') args.push(a);
    else if (typeof a === 'number' || typeof a === 'boolean') args.push(String(a));
    else return { error: '"args" must be an array of strings.' };
  }
  const cmd: Command = { id: origin.id, sender: origin.sender, command: name.toLowerCase(), args };
  if (content.params !== undefined) {
    if (!isRecord(content.params)) return { error: '"params" must be a JSON object.' };
    cmd.structured = content.params;
  }
  return cmd;
}

/**
 * Whether an encode/parse result is a CommandError.
 * @example isCommandError({ error: 'x' }) // true
 */
export function isCommandError(x: unknown): x is CommandError {
  return isRecord(x) && typeof x.error === 'string' && !('command' in x);
}
