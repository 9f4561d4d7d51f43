/** Tests for the Home Assistant value/command template subset. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderCommandTemplate, renderValueTemplate } from './homeassistant-template.js';

describe('homeassistant profile: value_template subset', () => {
  const rows: Array<[string | undefined, string, unknown]> = [
    [undefined, '21.5', '21.5'],
    ['{{ value }}', 'ON', 'ON'],
    ['{{value_json.temperature}}', '{"temperature":21.5}', 21.5],
    ['{{ value_json.a.b }}', '{"a":{"b":"x"}}', 'x'],
    ["{{ value_json['AM2301'][\"Humidity\"] }}", '{"AM2301":{"Humidity":40}}', 40],
    ['{{ value_json.list[1] }}', '{"list":[5,6]}', 6],
    ['{{ value | float }}', '3.25', 3.25],
    ['{{ value | int }}', '3.75', 3],
    ['{{ value_json.t | round(1) }}', '{"t":21.56}', 21.6],
    ['{{ value_json.missing | default(0) }}', '{"t":1}', 0],
    ['{{ value | lower }}', 'ON', 'on'],
    ['{{ value | float(0) }}', 'n/a', 0],
  ];
  for (const [tpl, payload, want] of rows) {
    it(`${tpl ?? '(none)'} on ${payload}`, () => assert.deepEqual(renderValueTemplate(tpl, payload), { ok: true, value: want }));
  }
  it('refuses what it cannot evaluate', () => {
    assert.equal(renderValueTemplate("{% if value == '1' %}on{% endif %}", '1').ok, false);
    assert.equal(renderValueTemplate('{{ value_json.t | timestamp_local }}', '{"t":1}').ok, false);
    assert.equal(renderValueTemplate('{{ value_json.t }}', 'not json').ok, false);
    assert.equal(renderValueTemplate('{{ value_json.missing }}', '{"t":1}').ok, false);
    assert.equal(renderValueTemplate('{{ value | float }}', 'abc').ok, false);
  });
  it('renders {{ value }} command templates only', () => {
    assert.equal(renderCommandTemplate('{"brightness": {{ value }}}', '128'), '{"brightness": 128}');
    assert.equal(renderCommandTemplate(undefined, '5'), '5');
    assert.equal(renderCommandTemplate('{{ value | int }}', '5'), null);
  });
});
