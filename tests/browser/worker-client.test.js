// The page's worker handle in node, with a stand-in Worker that records what it is sent: the
// same read-only question asked twice while unanswered is sent once and both askers get the
// one answer; a different question, or the same one after the answer, is sent again.
import { test } from 'node:test';
import assert from 'node:assert/strict';

class RecordingWorker {
  static last = null;
  constructor() {
    this.sent = [];
    RecordingWorker.last = this;
  }
  postMessage(message) {
    this.sent.push(message);
  }
  reply(id, result) {
    this.onmessage({ data: { type: 'reply', id, result } });
  }
  terminate() {}
}
globalThis.Worker = RecordingWorker;
const { TrainingWorker } = await import('../../dist/app/worker-client.js');

test('identical unanswered questions reach the worker once and share its answer', async () => {
  const handle = new TrainingWorker(() => {});
  const worker = RecordingWorker.last;
  const first = handle.call('predictions');
  const second = handle.call('predictions');
  const other = handle.call('featureMaps', 2);
  assert.deepEqual(worker.sent.map((m) => [m.method, m.args]), [['predictions', []], ['featureMaps', [2]]]);
  const answer = { step: 40, shown: 3 };
  worker.reply(worker.sent[0].id, answer);
  worker.reply(worker.sent[1].id, 'maps');
  assert.equal(await first, answer);
  assert.equal(await second, answer);
  assert.equal(await other, 'maps');
  // Answered: asking again is a new question.
  const later = handle.call('predictions');
  assert.equal(worker.sent.length, 3);
  worker.reply(worker.sent[2].id, { step: 50 });
  assert.deepEqual(await later, { step: 50 });
  // Different arguments, and object arguments, are never shared.
  handle.call('featureMaps', 3);
  handle.call('forward', { x: [1] });
  handle.call('forward', { x: [1] });
  assert.equal(worker.sent.length, 6);
});
