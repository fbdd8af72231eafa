import * as assert from 'node:assert/strict';
import { describeSimpleSchema } from '../../../src/core';
import { choiceItems, fieldPrompt, optionTitles } from '../../../src/commands/schemaForm';

/** What the input form offers for a server's question (issue 11 item 7), read from the items it builds. */
describe('the input form', () => {
  const schema = {
    type: 'object',
    properties: {
      style: { type: 'string', title: 'Style', oneOf: [{ const: 'technical', title: 'Technical report' }, { const: 'casual', title: 'Casual summary' }] },
      tone: { type: 'string', title: 'Tone', enum: ['warm', 'cool'], enumNames: ['Warm and friendly', 'Cool and brief'] },
      confirm: { type: 'boolean', title: 'Confirm', default: false },
    },
    required: ['style', 'confirm'],
  };
  const fields = describeSimpleSchema(schema)!;
  const field = (name: string) => fields.find((f) => f.name === name)!;
  const titles = optionTitles(schema);

  it('shows enum choices by their titles and answers with the raw values', () => {
    const style = choiceItems(field('style'), titles.get('style'));
    assert.deepEqual(style.map((i) => [i.label, i.value]), [['Technical report', 'technical'], ['Casual summary', 'casual']]);
    const tone = choiceItems(field('tone'), titles.get('tone'));
    assert.deepEqual(tone.filter((i) => i.value !== undefined).map((i) => i.label), ['Warm and friendly', 'Cool and brief']);
    assert.equal(tone.at(-1)!.label, '(skip)', 'an optional field can be left out');
  });

  it('offers a boolean as Yes/No with its default first and marked (false first when false is the default)', () => {
    const confirm = choiceItems(field('confirm'), undefined);
    assert.deepEqual(confirm.map((i) => [i.label, i.value]), [['No', 'false'], ['Yes', 'true']]);
    assert.match(confirm[0]!.description ?? '', /default/);
  });

  it("puts the server's question in every prompt", () => {
    assert.match(fieldPrompt(field('style'), 'Which report do you want?'), /^Which report do you want\? · Style/);
  });
});
