/** Tests for parsing room command messages and org.hearth.command events. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCommandError, parseCommandEvent, parseCommandMessage, splitArgs } from './command-parse.js';

const origin = { id: '$ev', sender: '@ann:hub.local' };

describe('command parse: !<command> [args] messages', () => {
  const rows: Array<[string, string, ReturnType<typeof parseCommandMessage>]> = [
    ['simple', '!power on', { ...origin, command: 'power', args: ['on'] }],
    ['no args', '!status', { ...origin, command: 'status', args: [] }],
    ['command name lower-cased, args kept', '!Set State ON', { ...origin, command: 'set', args: ['State', 'ON'] }],
    ['double quotes group words', '!set name "Living room lamp"', { ...origin, command: 'set', args: ['name', 'Living room lamp'] }],
    ['single quotes keep JSON', `!set '{"state":"ON"}'`, { ...origin, command: 'set', args: ['{"state":"ON"}'] }],
    ['escaped quote inside double quotes', '!say "a \\"b\\" c"', { ...origin, command: 'say', args: ['a "b" c'] }],
    ['empty quoted arg', '!set label ""', { ...origin, command: 'set', args: ['label', ''] }],
    ['extra whitespace and newlines', '  !dimmer\t 50 \n', { ...origin, command: 'dimmer', args: ['50'] }],
    ['dotted names (Shelly/HA style)', '!rpc Switch.Set', { ...origin, command: 'rpc', args: ['Switch.Set'] }],
    ['reply fallback is stripped', '> <@bob:hub> Kitchen: 20 °C\n\n!status', { ...origin, command: 'status', args: [] }],
    ['not a command', 'power on', null],
    ['a bare !', '!', null],
    ['! followed by a space', '! power', null],
    ['exclamation in prose', 'Wow!', null],
    ['unterminated quote', '!set name "Living', { error: 'Unterminated quote or trailing backslash in the command.' }],
  ];
  for (const [name, body, want] of rows) it(name, () => assert.deepEqual(parseCommandMessage(body, origin), want));
});

describe('command parse: org.hearth.command events', () => {
  it('command, args and params', () => {
    assert.deepEqual(parseCommandEvent({ command: 'set', args: ['brightness', 128, true], params: { brightness: 128 } }, origin),
      { ...origin, command: 'set', args: ['brightness', '128', 'true'], structured: { brightness: 128 } });
  });
  it('a leading ! and upper case are accepted', () => {
    assert.deepEqual(parseCommandEvent({ command: '!Power', args: ['on'] }, origin), { ...origin, command: 'power', args: ['on'] });
  });
  const bad: Array<[string, unknown]> = [
    ['content not an object', 'power on'], ['missing command', { args: [] }], ['command with spaces', { command: 'power on' }],
    ['args not an array', { command: 'x', args: 'on' }], ['args with objects', { command: 'x', args: [{}] }], ['params not an object', { command: 'x', params: [1] }],
  ];
  for (const [name, content] of bad) it(`refuses ${name}`, () => assert.ok(isCommandError(parseCommandEvent(content, origin))));
});

describe('command parse: splitArgs', () => {
  it('single quotes are literal, backslash escapes outside quotes', () => {
    assert.deepEqual(splitArgs(`a 'b\\c' d\\ e`), ['a', 'b\\c', 'd e']);
    assert.equal(splitArgs('trailing\\'), null);
  });
});
